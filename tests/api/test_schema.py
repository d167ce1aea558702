"""The OpenAPI schema at /api/schema/ is valid (``spectacular --validate``, warnings fail) and
every operation says what it does; the docs page is served without any CDN."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


def test_spectacular_validate_passes_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"), stderr=io.StringIO()
    )


@pytest.mark.django_db
def test_every_operation_has_a_summary_and_a_description(ref):
    schema = json.loads(APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    missing = [
        (method, path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if not op.get("summary") or not op.get("description")
    ]
    assert missing == []


@pytest.mark.django_db
def test_docs_page_uses_only_our_own_static_files(ref):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def _examples(schema):
    """(method, path, where, example value, its schema) of every example in the schema."""
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            for name, ex in (body.get("examples") or {}).items():
                yield method, path, f"request {name}", ex["value"], body["schema"]
            for code, response in op["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                for name, ex in (content.get("examples") or {}).items():
                    yield method, path, f"{code} {name}", ex["value"], content["schema"]


@pytest.mark.django_db
def test_every_example_matches_its_schema(ref):
    import jsonschema

    from tests.api.test_schema_fuzz import _json_schema

    schema = json.loads(APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    defs = {"$defs": _json_schema(schema["components"]["schemas"])}
    bad = []
    for method, path, where, value, node in _examples(schema):
        try:
            jsonschema.validate(value, {**_json_schema(node), **defs})
        except jsonschema.ValidationError as exc:
            bad.append((method, path, where, exc.json_path, exc.message[:120]))
    assert bad == []


@pytest.mark.django_db
def test_every_operation_has_an_example(ref):
    schema = json.loads(APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    with_example = {(method, path) for method, path, *_rest in _examples(schema)}
    every = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert every - with_example == set()
