"""Hostile input into every public form and every API write (hypothesis; issue 17).

Random and hostile strings (NUL and control characters, huge values, any Unicode, HTML/JS, formula-
leading cells, numbers out of range or in other scripts' digits, wrong JSON types) go into each field
of a form that is otherwise valid, one or several fields at a time. After each request:

- no 5xx;
- an HTML answer never carries a markup payload back unescaped;
- every row the request created or changed passes its model's validation (``full_clean``).

The forms are the URLconf's: every pattern outside the admin and the API is either fuzzed here
(``FORMS``) or listed in ``NOT_FUZZED`` with why, and every write operation of the API's schema is
fuzzed (``API_WRITES`` says as whom), so a new page or operation fails the coverage test until it has
its line. The fields come from the page's own ``<form>`` (GET first) or from the schema's request
body, so a new field is fuzzed without a change here.

Examples per target: 5 in CI (the ``ci`` profile, the default), more with ``FUZZ_EXAMPLES=200``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from fairs.enums import FairStatus
from matching.models import Match
from tests.api.conftest import two_sites  # noqa: F401 - a fixture
from tests.api.test_scoping import MATRIX as API_MATRIX
from tests.conftest import DORA_PHONE
from tests.factories import SeekerFactory
from tests.fairs.conftest import make_fair
from tests.ops.test_url_matrix import _patterns
from tests.portal.test_register import good as register_good

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,  # CI: the same inputs every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
FUZZ = settings.get_profile("fuzz")

# Markup that must never come back unescaped in an HTML page.
MARKUP = [
    '<script>alert("xf")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
]
HOSTILE = [
    *MARKUP,
    "\x00",
    "ab\x00cd",
    "\x01\x02\x1b[31m",
    "A" * 5000,
    "长" * 20000,
    "=1+2",
    '=HYPERLINK("http://x")',
    "+86 138",
    "-1",
    "@SUM(A1)",
    "0",
    "-2147483649",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "²",
    "١٢٣",  # Arabic-Indic digits: str.isdigit() says yes, int() too — still out of any range
    "１３８００１３８０００",  # full-width digits
    "\u202eevil\u202c",
    "王\u200b秀\u200d英",
    "𠀀𝔘𝔫𝔦😀",
    "../../etc/passwd",
    "'; DROP TABLE core_user; --",
    "%00",
    "%s%s%n",
    "{{ 7*7 }}",
    "",
    " ",
    "true",
    "[]",
]
# Each field of each form gets these in every run (a rotation, so neighbours differ).
SWEEPS = [MARKUP, ["ab\x00cd", "\x00"], ["99999999999999999999999", "²", "-1", "1e309"]]
hostile_text = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
# JSON bodies also get the wrong types.
hostile_json = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
    st.lists(hostile_text, max_size=3),
    st.dictionaries(st.sampled_from(["id", "skill_id", "x"]), hostile_text, max_size=2),
)


class _FormFields(HTMLParser):
    """The names of the fields of a page's POST forms (or of its GET forms, when asked)."""

    def __init__(self, method: str) -> None:
        super().__init__()
        self.method, self.inside, self.names = method, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("method") or "get").lower() == self.method
        elif (
            self.inside
            and tag in ("input", "select", "textarea", "button")
            and a.get("name") not in (None, "csrfmiddlewaretoken", *self.names)
        ):
            self.names.append(str(a["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(html: str, method: str = "post") -> list[str]:
    parser = _FormFields(method)
    parser.feed(html)
    return parser.names


@dataclasses.dataclass(frozen=True)
class Form:
    """A page's form: where it is, who fills it in, a valid baseline, what to do first."""

    url: Callable[[dict], str]
    actor: str = "n"  # n: anonymous, s: dora with her registration, a: alice (operator of site A)
    method: str = "post"
    page: Callable[[dict], str] | None = None  # where its <form> is shown, when not at ``url``
    baseline: Callable[[dict], dict[str, Any]] = lambda w: {}
    prime: Callable[[Any, dict], None] | None = None  # run once before the examples


STEPS = ["account", "person", "skills", "wishes", "confirm"]


def _prime_register(step: str) -> Callable[[Any, dict], None]:
    def prime(client: Any, w: dict) -> None:
        for earlier in ["account", "person", "skills", "wishes"][
            : ["account", "person", "skills", "wishes", "confirm"].index(step)
        ]:
            client.post(f"/register/{earlier}/", {**register_good(earlier), "action": "next"})

    return prime


def _prime_sms(client: Any, w: dict) -> None:
    client.post(reverse("accounts:login-sms"), {"phone": DORA_PHONE})


FORMS: dict[str, Form] = {
    "set_language": Form(lambda w: reverse("set_language"), baseline=lambda w: {"language": "en", "next": "/"}),
    "portal:elder-mode": Form(
        lambda w: reverse("portal:elder-mode"), page=lambda w: "/", baseline=lambda w: {"next": "/"}
    ),
    "portal:posting-list": Form(lambda w: reverse("portal:posting-list"), method="get"),
    "markets:gigs-near": Form(lambda w: reverse("markets:gigs-near"), method="get"),
    "stations:course-list": Form(lambda w: reverse("stations:course-list"), method="get"),
    "fairs:jobfair-list": Form(lambda w: reverse("fairs:jobfair-list"), method="get"),
    **{
        f"portal:register-step:{step}": Form(
            lambda w, step=step: reverse("portal:register-step", args=[step]),
            baseline=lambda w, step=step: {**register_good(step), "action": "next"},
            prime=_prime_register(step),
        )
        for step in STEPS
    },
    "accounts:login": Form(
        lambda w: reverse("accounts:login"), baseline=lambda w: {"username": DORA_PHONE, "password": "wrong-pass"}
    ),
    "accounts:login-sms": Form(lambda w: reverse("accounts:login-sms"), baseline=lambda w: {"phone": DORA_PHONE}),
    "accounts:login-sms-code": Form(
        lambda w: reverse("accounts:login-sms-code"), baseline=lambda w: {"code": "000000"}, prime=_prime_sms
    ),
    "portal:me-edit": Form(lambda w: reverse("portal:me-edit"), actor="s"),
    "portal:me-pause": Form(lambda w: reverse("portal:me-pause"), actor="s", page=lambda w: reverse("portal:me")),
    "portal:me-confirm": Form(lambda w: reverse("portal:me-confirm"), actor="s"),
    "portal:me-delete": Form(lambda w: reverse("portal:me-delete"), actor="s", baseline=lambda w: {"confirm": "no"}),
    "portal:apply": Form(
        lambda w: reverse("portal:apply", args=[w["posting"].pk]),
        actor="s",
        page=lambda w: reverse("portal:posting-detail", args=[w["posting"].pk]),
    ),
    "markets:gigmarket-checkin": Form(lambda w: reverse("markets:gigmarket-checkin", args=[w["site"].pk])),
    "fairs:signup": Form(
        lambda w: reverse("fairs:signup", args=[w["fair"].pk]),
        actor="s",
        page=lambda w: reverse("fairs:jobfair-detail", args=[w["fair"].pk]),
        baseline=lambda w: {"session": str(w["fair"].sessions.first().pk)},
    ),
}

# Patterns outside the admin and the API that are not fuzzed here, and why.
READ_ONLY = "read-only page (no form that writes)"
STAFF = "staff-only form, not public: its own tests hold its validation"
NOT_FUZZED: dict[str, str] = {
    **dict.fromkeys(
        [
            "api-schema",
            "api-docs",
            "healthz",
            "health",
            "health-ready",
            "metrics",
            "portal:home",
            "portal:posting-detail",
            "portal:register",
            "portal:privacy",
            "portal:me",
            "portal:me-messages",
            "portal:me-data",
            "portal:recommendation-open",
            "accounts:logout",
            "markets:gigmarket-list",
            "markets:gigmarket-detail",
            "markets:gigmarket-today",
            "markets:gigmarket-screen",
            "markets:gigmarket-screen-data",
            "markets:gigmarket-poster",
            "posters:posting-poster",
            "stations:youthstation-list",
            "stations:youthstation-detail",
            "stations:startup-showcase",
            "markets:gigpost-detail",
            "markets:gigpost-poster",
            "markets:hrmarket-detail",
            "fairs:jobfair-detail",
            "fairs:ticket",
            "dashboard:home",
            "dashboard:site",
            "dashboard:list",
            "dashboard:export",
            "dashboard:screen",
            "dashboard:assessment",
            "dashboard:report",
        ],
        READ_ONLY,
    ),
    **dict.fromkeys(
        [
            "fairs:checkin",
            "fairs:walk-in",
            "fairs:booths",
            "fairs:booth",
            "fairs:results",
            "stations:course-roll",
            "stations:session-attendance",
            "stations:enrolment-complete",
            "stations:event-attendance",
            "dashboard:refresh",
            "dashboard:assessment-close",
            "dashboard:assessment-adjust",
        ],
        STAFF,
    ),
    # A button with no fields but the object in the address (an int converter): nothing to fuzz
    # beyond what tests/security/test_hostile_urls.py sends.
    **dict.fromkeys(
        [
            "portal:withdraw",
            "fairs:ticket-cancel",
            "fairs:invitation-answer",
            "stations:course-enrol",
            "stations:slot-book",
            "stations:booking-cancel",
            "stations:enrolment-cancel",
            "stations:event-signup",
            "stations:event-signup-cancel",
            "portal:savedsearch-delete",
        ],
        "a button on an object: no free field",
    ),
    # The gig post's check-in is the market's check-in view and form (fuzzed as the market's).
    "markets:gigpost-checkin": "the market check-in's own view and form, fuzzed there",
    # Its only field is a signed token in the address; a bad one answers the expired-link page.
    "portal:savedsearch-unsubscribe": "a button on a signed token: no free field",
    # Saves the job list's own query string, re-parsed by the job list's filter (whose fields are
    # fuzzed as the job list); fuzzing the save itself is still to do.
    "portal:savedsearch-create": "the job list's query, fuzzed as the job list's filters (own fuzz planned)",
}

# The API's write operations and who may call them (the first role of tests/api/test_scoping.MATRIX).
API_WRITES = {op: roles[0] for op, roles in API_MATRIX.items() if op[1] in ("post", "put", "patch") and roles}


def _page_names() -> set[str]:
    return {
        name
        for route, name in _patterns()
        if name and not route.startswith(("admin/", "api/v1/")) and not name.startswith("admin:")
    }


def test_every_form_and_api_write_is_fuzzed_or_listed():
    fuzzed = {name.rsplit(":", 1)[0] if name.count(":") == 2 else name for name in FORMS}
    missing = sorted(_page_names() - fuzzed - set(NOT_FUZZED))
    assert not missing, f"pages neither fuzzed nor listed in NOT_FUZZED: {missing}"
    assert not (set(NOT_FUZZED) | fuzzed) - _page_names(), "rows for pages that no longer exist"
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    writes = {(path, m) for path, ops in paths.items() for m in ops if m in ("post", "put", "patch")}
    assert writes == set(API_WRITES), f"API writes not fuzzed: {sorted(writes - set(API_WRITES))}"


# --- The world the requests act in ------------------------------------------------------------------


@pytest.fixture
def world(two_sites, alice, dora):  # noqa: F811
    a = two_sites["a"]
    registration = SeekerFactory(user=dora, phone=DORA_PHONE, name="杜拉", service_point=a["site"])
    fair = make_fair(site=a["site"], status=FairStatus.PUBLISHED, days=(400, 401))
    match = Match.objects.create(posting=a["posting"], seeker=a["seeker"], score=80)
    return {**a, "registration": registration, "fair": fair, "match": match, "alice": alice, "dora": dora}


_OUR_MODELS = [
    m
    for m in apps.get_models()
    if m._meta.app_label in ("core", "markets", "stations", "fairs", "matching", "dashboard")
    and not m.__name__.startswith("Historical")
    and not m._meta.proxy
]


def _marks() -> dict[type[models.Model], int]:
    return {
        m: (m.objects.aggregate(x=models.Max("pk"))["x"] or 0)
        for m in _OUR_MODELS
        if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    }


def _assert_stored_rows_valid(marks: dict[type[models.Model], int], since: dt.datetime) -> int:
    """Every row created after ``marks`` or changed since ``since`` passes its model's validation."""
    checked = 0
    changed_since = since
    for model, top in marks.items():
        rows = model.objects.filter(pk__gt=top)
        if any(f.name == "updated_at" for f in model._meta.fields):
            rows = model.objects.filter(models.Q(pk__gt=top) | models.Q(updated_at__gte=changed_since))
        for row in rows[:200]:
            row.full_clean(validate_unique=False, validate_constraints=False)
            checked += 1
    return checked


def _check(response, sent: dict[str, Any], what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} for {sent!r:.300}"
    if "text/html" in response.get("Content-Type", ""):
        body = response.content.decode("utf-8", "replace")
        for payload in MARKUP:
            if any(payload in str(v) for v in sent.values()):
                assert payload not in body, f"{what}: {payload!r} reflected unescaped"


def _client(actor: str, w: dict, api: bool = False):
    from django.test import Client

    client = APIClient() if api else Client()
    if actor == "s":
        client.force_login(w["dora"])
    elif actor == "a":
        client.force_login(w["alice"])
    return client


@pytest.mark.parametrize("name", sorted(FORMS))
def test_hostile_input_into_a_form(name, world):
    form = FORMS[name]
    client = _client(form.actor, world)
    if form.prime:
        form.prime(client, world)
    url = form.url(world)
    page = client.get(form.page(world) if form.page else url)
    assert page.status_code < 500
    names = form_fields(page.content.decode("utf-8", "replace"), form.method) if page.status_code == 200 else []
    baseline = form.baseline(world)
    fields = list(dict.fromkeys([*baseline, *names])) or ["q"]
    tried: list[int] = []

    @FUZZ
    @given(st.data())
    def one(data: st.DataObject) -> None:
        cache.clear()  # rate limits count from zero for each example
        chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=len(fields), unique=True))
        sent = dict(baseline)
        for field in chosen:
            sent[field] = data.draw(hostile_text)
        response = client.get(url, sent) if form.method == "get" else client.post(url, sent)
        _check(response, sent, name)
        tried.append(1)

    marks, started = _marks(), timezone.now()
    # First the same sweep every run: every field at once with markup, a NUL, numbers out of range.
    for sweep in SWEEPS:
        cache.clear()
        sent = {**baseline, **{field: sweep[i % len(sweep)] for i, field in enumerate(fields)}}
        response = client.get(url, sent) if form.method == "get" else client.post(url, sent)
        _check(response, sent, name)
    one()
    assert tried, "no input was tried"
    # What the examples stored (checked once for all of them: a query per model and example was
    # most of the run time).
    _assert_stored_rows_valid(marks, started)


def _request_fields(path: str, method: str) -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"][path][method].get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else body.get("schema", {})
    return list(component.get("properties", {}))


def _api_url(path: str, w: dict) -> str:
    if "{id}" not in path:
        return path
    if "applications" in path:
        obj = Match.objects.get_or_create(posting=w["posting"], seeker=w["registration"], defaults={"score": 70})[0]
    elif "employers" in path:
        obj = w["employer"]
    elif "matches" in path:
        obj = w["match"]
    else:
        obj = w["posting"]
    return path.replace("{id}", str(obj.pk))


@pytest.mark.parametrize(("path", "method"), sorted(API_WRITES))
def test_hostile_input_into_an_api_write(path, method, world):
    client = _client(API_WRITES[(path, method)], world, api=True)
    fields = _request_fields(path, method) or ["x"]
    tried: list[int] = []

    @FUZZ
    @given(st.data())
    def one(data: st.DataObject) -> None:
        cache.clear()
        url = _api_url(path, world)
        chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=min(4, len(fields)), unique=True))
        sent = {field: data.draw(hostile_json) for field in chosen}
        raw = data.draw(st.booleans()) and data.draw(st.sampled_from(['{"a":', "\x00", "[1,2", "null", '"x"']))
        if raw:
            response = getattr(client, method)(url, raw, content_type="application/json")
        else:
            response = getattr(client, method)(url, json.dumps(sent), content_type="application/json")
        assert response.status_code < 500, f"{method.upper()} {path}: {response.status_code} for {sent!r:.300}"
        if response.status_code == 400:
            assert response["Content-Type"].startswith("application/json")
        tried.append(1)

    marks, started = _marks(), timezone.now()
    one()
    assert tried
    _assert_stored_rows_valid(marks, started)


def test_the_form_parser_finds_fields():
    html = '<form method="post"><input name="csrfmiddlewaretoken"><input name="a"><select name="b"></select></form>'
    html += '<form method="get"><input name="q"></form>'
    assert form_fields(html) == ["a", "b"] and form_fields(html, "get") == ["q"]
