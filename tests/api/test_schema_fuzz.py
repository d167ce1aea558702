"""A property-based fuzz over every operation of /api/schema/: no 5xx, every error in the one
error format, every success as the schema says.

Each operation is driven by its natural actor (anonymous for the public reads, a seeker's
session for /me/, an operator's token for /operator/, the bureau's token for /bureau/) with
parameters and bodies drawn from the schema itself, mixed with hostile input (full-width and
superscript digits, huge numbers, NUL characters, wrong JSON types, unknown keys). The example
count is bounded (``FUZZ_EXAMPLES``, default 15 per operation) so the whole file runs in well
under a minute; raise it for a deeper run: ``FUZZ_EXAMPLES=100 pytest tests/api/test_schema_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from matching.enums import MatchStatus
from matching.models import Match
from tests.api.conftest import issue, session_client, token_client
from tests.conftest import DORA_PHONE
from tests.factories import SeekerFactory
from xiangtan_jobs.core.models import Area, Employer, JobPosting, SeekerRegistration, Skill

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

HOSTILE = st.sampled_from(
    ["", " ", "0", "-1", "１２", "²", "1_0", "1e3", "NaN", "inf", "9" * 40, "27.8,112.9", "abc", "a\x00b", "保洁", "%"]
)
JUNK = st.one_of(
    HOSTILE,
    st.text(max_size=24),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "readOnly", "writeOnly", "example")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _value(schema: dict[str, Any], node: Any, ids: dict[str, list[int]], depth: int = 0) -> st.SearchStrategy[Any]:
    """A value roughly of the node's type (enums, real ids, bounded numbers), or junk now and then."""
    node = _resolve(schema, node) or {}
    if "allOf" in node:
        node = _resolve(schema, node["allOf"][0])
    if "oneOf" in node:
        node = _resolve(schema, node["oneOf"][0])
    kind = node.get("type")
    if "enum" in node:
        good: st.SearchStrategy[Any] = st.sampled_from([v for v in node["enum"] if v is not None] or [""])
    elif kind == "integer":
        good = st.one_of(st.sampled_from(ids["any"]), st.integers(min_value=-5, max_value=2_000_000))
    elif kind == "number":
        good = st.floats(min_value=-200, max_value=200, allow_nan=False)
    elif kind == "boolean":
        good = st.booleans()
    elif kind == "array":
        good = st.lists(_value(schema, node.get("items", {}), ids, depth + 1), max_size=3)
    elif kind == "object" and depth < 3:
        good = _body(schema, node, ids, depth + 1)
    else:
        good = st.text(max_size=20)
    return st.one_of(good, good, good, JUNK)


def _body(schema: dict[str, Any], node: Any, ids: dict[str, list[int]], depth: int = 0) -> st.SearchStrategy[Any]:
    node = _resolve(schema, node)
    props = {k: v for k, v in (node.get("properties") or {}).items() if not v.get("readOnly")}
    required = [k for k in node.get("required", []) if k in props]
    return st.fixed_dictionaries(
        {k: _value(schema, props[k], ids, depth) for k in required},
        optional={
            **{k: _value(schema, v, ids, depth) for k, v in props.items() if k not in required},
            "unknown_key": JUNK,
        },
    )


def _operations() -> list[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(path, method) for path, ops in paths.items() for method in ops]


@pytest.fixture
def world(two_sites, alice, charlie, dora, yuhu):
    """Rows for ids to point at, and a client per kind of operation."""
    seeker = SeekerFactory(user=dora, phone=DORA_PHONE, name="王秀英")
    posting_a = two_sites["a"]["posting"]
    Match.objects.create(posting=posting_a, seeker=seeker, score=80, reasons={}, status=MatchStatus.APPLIED)
    Match.objects.create(
        posting=posting_a, seeker=two_sites["a"]["seeker"], score=70, reasons={}, status=MatchStatus.RECOMMENDED
    )
    ids = sorted(
        {
            *JobPosting.objects.values_list("pk", flat=True),
            *Employer.objects.values_list("pk", flat=True),
            *SeekerRegistration.objects.values_list("pk", flat=True),
            *Match.objects.values_list("pk", flat=True),
            *Skill.objects.values_list("pk", flat=True)[:20],
            *Area.objects.filter(parent__isnull=False).values_list("pk", flat=True)[:20],
            yuhu.pk,
        }
    )
    return {
        "ids": {"any": ids},
        "anon": APIClient(),
        "seeker": session_client(dora),
        "operator": token_client(issue(alice, site=yuhu)),
        "bureau": token_client(issue(charlie)),
    }


def _actor(path: str) -> str:
    if path.startswith("/api/v1/me/"):
        return "seeker"
    if path.startswith("/api/v1/operator/"):
        return "operator"
    if path.startswith("/api/v1/bureau/"):
        return "bureau"
    return "anon"


def _as_query(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def _check_error(response: Any) -> None:
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    assert isinstance(body.get("code"), str), body
    if response.status_code == 400:
        assert isinstance(body.get("errors"), dict) and body["errors"], body


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), _operations(), ids=lambda x: x)
def test_operation_never_fails_and_keeps_its_schema(path, method, world):
    schema = _schema()
    operation = schema["paths"][path][method]
    defs = {"$defs": _json_schema(schema["components"]["schemas"])}
    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    path_params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
    body_node = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
    ids = world["ids"]
    client = world[_actor(path)]

    query = st.fixed_dictionaries({}, optional={k: _value(schema, p.get("schema", {}), ids) for k, p in params.items()})
    path_values = st.fixed_dictionaries(
        {
            name: st.one_of(st.sampled_from(ids["any"]).map(str), st.integers(0, 10**18).map(str), HOSTILE.map(str))
            for name in path_params
        }
    )
    body = _body(schema, body_node, ids) if body_node else st.none()
    body = st.one_of(body, body, body, JUNK) if body_node else body

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=query, path_values=path_values, data=body)
    def run(query, path_values, data):
        url = path
        for name, value in path_values.items():
            url = url.replace("{" + name + "}", re.sub(r"[/?#]", "", value) or "0")
        query = {k: _as_query(v) for k, v in query.items()}
        send = getattr(client, method)
        response = send(url, query) if method == "get" else send(url, data, format="json")
        assert response.status_code < 500, (url, query, data, response.content[:500])
        assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])
        if response.status_code >= 400:
            _check_error(response)
            return
        declared = operation["responses"].get(str(response.status_code))
        assert declared is not None, (url, response.status_code, "status not in the schema")
        node = declared.get("content", {}).get("application/json", {}).get("schema")
        if node is not None:
            try:
                jsonschema.validate(response.json(), {**_json_schema(node), **defs})
            except jsonschema.ValidationError as exc:
                pytest.fail(f"{method.upper()} {url} {query}: {exc.json_path}: {exc.message[:300]}")

    run()
