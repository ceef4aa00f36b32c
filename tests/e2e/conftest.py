import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from ascm.accounts import roles

# Playwright's sync API runs an event loop in this thread; Django's ORM is used from the tests
# only between browser steps, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ASCM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def e2e_roles(transactional_db):
    roles.roles_ensure()


_axe = Axe()


def assert_accessible(page):
    """axe-core finds no WCAG 2.2 A/AA violations on the page as it is now."""
    results = _axe.run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            },
            # Only violations come back: the passes' node lists were a third of each check's time.
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
