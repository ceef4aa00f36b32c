"""The shape of the code: dependencies run one way, and behaviour asks for permissions, never for
role names (roles are data administrators change)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower layers first; an app may import its own layer and any lower one, never a higher one.
# pathways/ holds two apps: the front door, and care above it (care's episodes start from referrals).
LAYERS = [
    {"ascm"},
    {"clients"},
    {"pathways.referrals"},
    {"pathways.care"},
    {"mdt"},
    {"safeguarding", "finance"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# Where people are given roles (demo logins, synthetic staff) and the roles module itself.
ROLE_NAMES_ALLOWED = {"ascm/accounts", "ascm/core/demo.py", "ascm/organisation/synthetic.py"}


# The project package wires every app together (urls.py, settings, celery.py): it is not a layer.
PROJECT_WIRING = {"ascm/urls.py", "ascm/celery.py", "ascm/wsgi.py", "ascm/asgi.py", "ascm/settings"}


def _sources(top: str):
    for path in (ROOT / top).rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or any(relative == w or relative.startswith(w + "/") for w in PROJECT_WIRING):
            continue
        yield path


def _app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "pathways" and len(parts) > 1 else parts[0]


def _imported_tops(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {_app_of(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(_app_of(node.module))
            if node.module == "pathways":  # from pathways import care
                names |= {f"pathways.{alias.name}" for alias in node.names}
    return names & set(RANK)


@pytest.mark.parametrize("app", sorted(RANK))
def test_no_app_imports_one_above_it(app):
    folder = app.replace(".", "/")
    if not (ROOT / folder).exists():
        pytest.skip(f"{app} has no code yet")
    upward = []
    for path in _sources(folder):
        for imported in _imported_tops(path):
            if RANK[imported] > RANK[app]:
                upward.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert not upward, "\n".join(upward)


def test_behaviour_asks_for_permissions_not_role_names():
    from ascm.accounts.roles import DEFAULT_ROLES

    slugs = "|".join(re.escape(slug) for slug in DEFAULT_ROLES)
    pattern = re.compile(rf"role__slug|[\"']({slugs})[\"']|roles\.(PRACTITIONER|TEAM_MANAGER|SAFEGUARDING_LEAD|"
                         r"FINANCE_OFFICER|ADMINISTRATOR|AUDITOR)\b")
    found = []
    for top in ("ascm", "clients", "pathways", "mdt", "safeguarding", "finance"):
        if not (ROOT / top).exists():
            continue
        for path in _sources(top):
            relative = path.relative_to(ROOT).as_posix()
            if any(relative == allowed or relative.startswith(allowed + "/") for allowed in ROLE_NAMES_ALLOWED):
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line) and "users.get(" not in line:  # demo usernames are not roles
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_migrations_are_frozen():
    """A migration never imports live code (defaults, services): what it did must not change later.
    Field classes and validators that makemigrations writes (an app's models module) are allowed."""
    live = []
    for path in ROOT.glob("**/migrations/0*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                if module.split(".")[0] in RANK and not module.endswith(".models"):
                    live.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not live, "\n".join(live)


def test_the_foundation_names_no_higher_apps_pages():
    """Navigation and panels come from the apps that own them (AppConfig.ready), so the foundation
    never reverses a higher app's URL name."""
    higher = re.compile(r"[\"'](clients|referrals|care|mdt|safeguarding|finance|discharge):")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in _sources("ascm")
             for number, line in enumerate(path.read_text().splitlines(), start=1) if higher.search(line)]
    assert not found, found


def test_the_navigation_is_in_order_and_by_permission(rf, practitioner, auditor):
    from ascm.accounts.selectors import user_navigation

    request = rf.get("/work/")
    request.user = practitioner
    names = [item.text for item in user_navigation(request)]
    assert names[:4] == ["Home", "Your work", "People", "MDT meetings"] and "Audit log" not in names
    assert [i.text for i in user_navigation(request) if i.current] == ["Your work"]
    request.user = auditor
    assert [item.text for item in user_navigation(request)] == ["Home", "Audit log"]


def test_every_app_has_factories_for_its_tests():
    """State is built with factory-boy (one place per app), not by hand in each test."""
    for module in ("tests.factories", "tests.clients.factories", "tests.pathways.factories", "tests.mdt.factories",
                   "tests.providers.factories"):
        assert __import__(module, fromlist=["_"])


def test_extension_points_are_declared_by_the_app_they_extend():
    from ascm.core.extensions import extension_points

    points = extension_points()
    assert {"navigation", "role permissions", "home panels", "demo data", "synthetic data", "record panels",
            "merge handlers", "person flags", "open work", "work panels"} <= set(points)
    assert points["record panels"].contributions()  # higher apps contribute; clients imports none of them
    titles = [p.title for p in points["record panels"]]
    assert titles.index("Referrals") < titles.index("Pathway journey") < titles.index("MDT discussions")


def test_every_model_a_person_has_moves_in_a_merge():
    """Each app's merge handler moves its rows: a foreign key to a person left out would strand rows."""
    import inspect

    from clients.extensions import merge_handlers
    from clients.models import BreakGlassAccess, Client, ClientMerge

    sources = "".join(inspect.getsource(handler.move) for handler in merge_handlers)
    for relation in Client._meta.related_objects:
        model = relation.related_model
        if model in (ClientMerge, BreakGlassAccess) or relation.field.name == "merged_into":
            continue
        if model._meta.app_label == "clients":
            continue  # the people app moves its own by walking its own models
        assert f"({model.__name__}, \"{relation.field.name}\")" in sources or \
            f"model={model.__name__}, field=\"{relation.field.name}\"" in sources, (model, relation.field.name)
