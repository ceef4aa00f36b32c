"""The API keeps the promises its OpenAPI schema makes: every GET answer matches its schema, errors are
documented, and a client generated from the schema (openapi-python-client) works."""

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from ascm.accounts.models import User
from ascm.core.demo import demo_load
from clients.selectors import clients_in_reach

pytestmark = pytest.mark.django_db

# Ids in detail paths are filled from the list answer of the same collection.
_SKIP = {"/api/v1/caseload-review/{team}/"}  # a team id, not a list item id: covered in the mdt tests


def _schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def _nullable_refs(node):
    """drf-spectacular writes a nullable nested object as {allOf: [$ref], nullable: true}; OpenAPI
    3.0.3 lets `nullable` apply only beside `type`, so the strict validator refuses null there. Say
    the same thing in a form it reads: the object, or null."""
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_refs(value) for key, value in node.items()}
    if node.get("nullable") and "allOf" in node and "type" not in node:
        rest = {k: v for k, v in node.items() if k not in ("allOf", "nullable")}
        return {**rest, "anyOf": [{"allOf": node["allOf"]}, {"type": "object", "nullable": True, "enum": [None]}]}
    return node


def _validate(spec: dict, path: str, body):
    operation = spec["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    # $refs resolve against the document that holds the components.
    OAS30Validator(_nullable_refs({**schema, "components": spec["components"]}),
                   format_checker=oas30_format_checker).validate(body)


@pytest.mark.parametrize("username", ["manager", "practitioner", "auditor", "admin", "finance", "safeguarding", "hub"])
def test_every_get_answer_matches_its_schema(client, username):
    demo_load()
    user = User.objects.get(username=username)
    client.force_login(user)
    spec = _schema(client)
    checked = 0
    for path, operations in spec["paths"].items():
        if "get" not in operations or path in _SKIP or "{client_pk}" in path:
            continue
        if "{" in path:
            continue  # detail paths below
        response = client.get(path)
        if response.status_code != 200:
            # Safeguarding answers 404 to everyone outside it, lists included: nothing says it is there.
            hidden = path.startswith(("/api/v1/safeguarding-", "/api/v1/dols-"))
            assert response.status_code in ((400, 403, 404) if hidden else (400, 403)), (path, response.status_code)
            continue
        body = response.json()
        _validate(spec, path, body)
        checked += 1
        detail = path.rstrip("/") + "/{id}/"
        items = body.get("results") if isinstance(body, dict) else body
        if detail in spec["paths"] and items:
            one = client.get(detail.replace("{id}", str(items[0]["id"])))
            assert one.status_code == 200, detail
            _validate(spec, detail, one.json())
            checked += 1
    assert checked >= 5


def test_every_operation_documents_its_error_answers(client, manager):
    client.force_login(manager)
    spec = _schema(client)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403"} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"404", "409", "413"} <= codes, (method, path)
                bodies = operation.get("requestBody", {}).get("content", {})
                assert set(bodies) <= {"application/json"}, (method, path, set(bodies))  # JSON only


def test_the_referral_enums_are_null_not_blank_before_routing(api, manager):
    from tests.clients.factories import ClientFactory

    person = ClientFactory(locality=manager.memberships.get().team.locality)
    api.force_authenticate(manager)
    created = api.post("/api/v1/referrals/", {"client": person.pk, "source": "self", "needs_in_persons_words": "Help",
                                              "urgency": "routine"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["outcome"] is None


def test_a_non_integer_id_in_any_api_path_is_a_plain_404(api, manager, client):
    client.force_login(manager)
    spec = _schema(client)
    api.force_authenticate(manager)
    paths = [p for p in spec["paths"] if "{" in p]
    assert len(paths) > 20
    for path in paths:
        url = re.sub(r"\{[^}]+\}", "abc", path)
        response = api.get(url)
        assert response.status_code in (404, 405), (url, response.status_code)


@pytest.mark.django_db(transaction=True)
def test_a_client_generated_from_the_schema_works(live_server, tmp_path, client):
    """Generate a Python client with openapi-python-client, import it and call operations with it."""
    from rest_framework.authtoken.models import Token

    demo_load()
    user = User.objects.get(username="manager")
    token = Token.objects.create(user=user)
    schema_file = tmp_path / "schema.json"
    client.force_login(user)
    schema_file.write_text(json.dumps(_schema(client)))
    generator = Path(sys.executable).parent / "openapi-python-client"
    env = {**os.environ, "PATH": f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff
    done = subprocess.run([str(generator), "generate", "--path", str(schema_file), "--meta", "none",
                           "--output-path", str(tmp_path / "ascm_api_client")],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("ascm_api_client")
        api = package.AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")
        models = importlib.import_module("ascm_api_client.models")
        person_id = clients_in_reach(user=user).order_by("pk").values_list("pk", flat=True).first()
        clients = importlib.import_module("ascm_api_client.api.v1.v1_clients_retrieve")
        person = clients.sync(client=api, id=person_id)
        assert person is not None and person.id == person_id
        create = importlib.import_module("ascm_api_client.api.v1.v1_referrals_create")
        taken = create.sync_detailed(client=api, body=models.ReferralRequest.from_dict(
            {"client": person_id, "source": "gp", "referrer_name": "Dr Synthetic", "needs_referrer": "Falls at home"}))
        assert taken.status_code == 201, taken.content
        assert taken.parsed.outcome is None  # null, not "", so the generated model accepts it
        referrals = importlib.import_module("ascm_api_client.api.v1.v1_referrals_list")
        page = referrals.sync(client=api)
        assert page is not None and taken.parsed.id in [r.id for r in page.results]
        notes = importlib.import_module("ascm_api_client.api.v1.v1_clients_notes_create")
        body = models.CaseNoteRequest.from_dict({"note_type": "phone_call", "occurred_at": "2026-11-30T10:00:00Z",
                                                 "text": "Spoke to her daughter"})
        created = notes.sync_detailed(str(person_id), client=api, body=body)
        assert created.status_code == 201, created.content
        missing = clients.sync_detailed(client=api, id=999_999_999)
        assert missing.status_code == 404
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("ascm_api_client")]:
            del sys.modules[name]
