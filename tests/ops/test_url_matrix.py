"""One authorization matrix of every URL of the portal × role.

Every pattern of the URLconf must be covered, or this test fails: the API's operations by the API's
actor matrix (``tests/api/test_scoping.MATRIX``), each model admin's pages by the admin's permission
matrix (``tests/admin/test_permission_matrix.CASES``), the admin's own pages and every other page by
``PAGES`` below, which this module checks for six roles: anonymous (n), a seeker with a registration
(s), the operator of site A (a), the operator of site B (b), the bureau (c) and a superuser (u).

A role "gets through" when its GET is answered with anything but the login page, 403 or 404; every
object in an address belongs to site A (or to the seeker). Addresses whose object this world does not
build (a course, a slot, a booking, a ticket, an invitation) name a missing one: nobody gets through.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.admin import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from fairs.enums import FairStatus
from fairs.models import JobFair
from markets.models import GigPost
from matching.enums import MatchStatus
from matching.models import Match
from stations.models import YouthStation
from tests.admin.test_permission_matrix import CASES as ADMIN_CASES
from tests.api.conftest import two_sites  # noqa: F401  (a fixture)
from tests.api.test_scoping import MATRIX as API_MATRIX
from tests.conftest import DORA_PHONE
from tests.factories import SeekerFactory, street
from xiangtan_jobs.core.enums import ServicePointKind
from xiangtan_jobs.core.models import SavedSearch, ServicePoint
from xiangtan_jobs.dashboard.kpis import KPIS
from xiangtan_jobs.portal.alerts import saved_search_token

pytestmark = pytest.mark.django_db

ALL = "nsabcu"
STAFF = "abcu"
MISSING = 99999999

# URL name -> the roles that get through. Keep one line per name; a new page needs a line here.
PAGES: dict[str, str] = {
    "set_language": ALL,
    "api-schema": ALL,
    "api-docs": ALL,
    "healthz": ALL,
    "health": ALL,
    "health-ready": ALL,
    "metrics": ALL,  # from loopback, as the test client is; tests/ops/test_metrics.py for the rest
    "portal:home": ALL,
    "portal:elder-mode": ALL,
    "portal:posting-list": ALL,
    "portal:posting-detail": ALL,
    "portal:register": ALL,
    # Anyone without a registration answers every screen, the account one included (a logged-in
    # person gives their phone: usernames are never phones); one with a registration goes to /me/.
    "portal:register-step": ALL,
    "portal:privacy": ALL,
    "portal:me": "sabcu",  # every /me/ page: any account, its own data only
    "portal:me-edit": "sabcu",  # an account without a registration is sent to /register/
    "portal:me-confirm": "sabcu",
    "portal:me-pause": "sabcu",
    "portal:me-messages": "sabcu",
    "portal:me-data": "sabcu",
    "portal:me-delete": "sabcu",
    "portal:apply": "s",
    "portal:withdraw": "s",  # the seeker's own application
    "portal:recommendation-open": "s",  # the seeker's own recommendation
    "portal:savedsearch-create": "sabcu",  # any account saves its own search
    "portal:savedsearch-delete": "s",  # the seeker's own saved search
    "portal:savedsearch-unsubscribe": ALL,  # the alert's signed link: no login
    "accounts:login": ALL,
    "accounts:login-sms": ALL,
    "accounts:login-sms-code": "sabcu",  # with no code asked for, back to the first step
    "accounts:logout": ALL,
    "markets:gigmarket-list": ALL,
    "markets:gigmarket-detail": ALL,
    "markets:gigmarket-today": ALL,
    "markets:gigmarket-screen": ALL,
    "markets:gigmarket-screen-data": ALL,
    "markets:gigmarket-checkin": ALL,
    "markets:gigmarket-poster": ALL,
    "markets:gigs-near": ALL,
    "markets:gigpost-detail": ALL,
    "markets:gigpost-checkin": ALL,
    "markets:gigpost-poster": ALL,
    "markets:hrmarket-detail": ALL,
    "posters:posting-poster": ALL,  # an open posting's A4 sheet
    "stations:youthstation-list": ALL,
    "stations:youthstation-detail": ALL,
    "stations:course-list": ALL,
    "stations:course-enrol": "",
    "stations:slot-book": "",
    "stations:booking-cancel": "",
    "stations:course-roll": "",
    "stations:session-attendance": "",
    "stations:enrolment-cancel": "",
    "stations:enrolment-complete": "",
    "stations:event-signup": "",
    "stations:event-signup-cancel": "",
    "stations:event-attendance": "",
    "stations:startup-showcase": ALL,
    "fairs:jobfair-list": ALL,
    "fairs:jobfair-detail": ALL,
    "fairs:signup": "sabcu",  # signing up needs an account
    "fairs:checkin": "au",  # the door of site A's fair: its operator (and superusers), not the bureau
    "fairs:walk-in": "au",
    "fairs:booths": "au",  # the booths of site A's fair: the same staff as its door
    "fairs:booth": "",
    "fairs:results": "acu",  # the fair's staff and the bureau
    "fairs:ticket": "",
    "fairs:ticket-cancel": "",
    "fairs:invitation-answer": "",
    "dashboard:home": "abcu",  # an operator is sent on to their own site's page
    "dashboard:site": "acu",
    "dashboard:list": "acu",  # the rows behind site A's figure
    "dashboard:export": "cu",
    "dashboard:refresh": "cu",
    "dashboard:screen": "cu",
    "dashboard:assessment": "cu",
    "dashboard:assessment-close": "cu",
    "dashboard:assessment-adjust": "cu",
    "dashboard:report": "acu",  # site A's monthly assessment report
    # The admin's own pages (the models' pages are in the admin's permission matrix).
    "admin:index": STAFF,
    "admin:login": ALL,
    "admin:logout": ALL,
    "admin:password_change": STAFF,
    "admin:password_change_done": STAFF,
    "admin:autocomplete": "",  # refuses a request naming no field; scoped searches: tests/admin
    "admin:jsi18n": STAFF,
    "admin:view_on_site": "",
    "admin:app_list": STAFF,
}


# Model admins that the admin's permission matrix does not cover yet: who opens their list.
ADMIN_MODELS: dict[str, str] = {
    "dashboard_assessmentadjustment": "cu",
    "dashboard_assessmentmonth": "cu",
    "dashboard_assessmentscheme": "cu",
    "dashboard_rolluprun": "cu",
}


# Pages that only take a POST: the matrix POSTs an empty form (refused, or a form error, for those
# who get through; nothing in this world is changed by an empty form).
POST_ONLY = {
    "fairs:signup",
    "portal:elder-mode",
    "portal:me-pause",
    "dashboard:refresh",
    "dashboard:assessment-close",
    "dashboard:assessment-adjust",
    "fairs:walk-in",
    "fairs:ticket-cancel",
    "fairs:invitation-answer",
    "stations:course-enrol",
    "stations:slot-book",
    "stations:booking-cancel",
    "portal:withdraw",
    "portal:savedsearch-create",
    "portal:savedsearch-delete",
}


def _patterns(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    """(route, namespaced name) of every pattern in the URLconf."""
    out: list[tuple[str, str]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ns + (f"{entry.namespace}:" if entry.namespace else "")
            out.extend(_patterns(entry, prefix + str(entry.pattern), inner))
        elif isinstance(entry, URLPattern):
            out.append((prefix + str(entry.pattern), ns + (entry.name or "")))
    return out


def _admin_models() -> set[str]:
    return {f"{model._meta.app_label}_{model._meta.model_name}" for model in admin_site._registry}


def _covered(route: str, name: str) -> bool:
    if route.startswith("api/v1/"):
        return True  # checked against the schema's operations below
    if name in PAGES:
        return True
    if route == "admin/(?P<url>.*)$" or (route.startswith("admin/") and route.endswith("(?P<url>.*)$")):
        return True  # the admin's catch-all: the login page or a 404
    # A model admin's pages (and its unnamed redirect and extra pages: import, export, history).
    match = re.fullmatch(r"admin/(\w+)/(\w+)/.*", route)
    if match:
        return f"{match.group(1)}_{match.group(2)}" in _admin_matrix_models()
    return False


def _admin_matrix_models() -> set[str]:
    return {case.admin for case in ADMIN_CASES} | set(ADMIN_MODELS)


def test_every_url_has_an_entry():
    missing = sorted(name or route for route, name in _patterns() if not _covered(route, name))
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"
    # Every model admin has its row in the admin matrix; every API operation its row in the API's.
    assert _admin_models() <= _admin_matrix_models()
    api_routes = {route for route, _name in _patterns() if route.startswith("api/v1/")}
    api_paths = {path for path, _method in API_MATRIX}
    for route in api_routes:
        if route.endswith("^.*$"):
            continue  # the API's catch-all 404 in its own error format
        plain = route.replace("api/v1/", "/api/v1/").replace("^", "").replace("$", "")
        plain = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", plain)
        assert plain in api_paths, f"API route without a row in tests/api/test_scoping.MATRIX: {plain}"
    assert not set(PAGES) - {name for _route, name in _patterns()}, "rows for URLs that no longer exist"


@pytest.fixture
def world(two_sites, alice, bob, charlie, dora, django_user_model):  # noqa: F811
    a = two_sites["a"]
    me = SeekerFactory(user=dora, phone=DORA_PHONE)
    match = Match.objects.create(posting=a["posting"], seeker=me, score=80, reasons=[], status=MatchStatus.APPLIED)
    saved = SavedSearch.objects.create(user=dora, query="q=保洁", label="关键词：保洁", alerted_until=timezone.now())
    fair = JobFair.objects.create(
        title="雨湖专场招聘会", organiser="雨湖零工市场", venue="雨湖零工市场", address="湘潭汽车站旁",
        area=street(), lat=27.87, lng=112.91, starts_on=timezone.localdate(), ends_on=timezone.localdate(),
        service_point=a["site"], status=FairStatus.PUBLISHED,
    )  # fmt: skip
    station = YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name="测试青年驿站", area=street(), address="测试", lat=27.87, lng=112.91
    )
    superuser = django_user_model.objects.create_superuser("root", password="pass-12345")
    users = {"n": None, "s": dora, "a": alice, "b": bob, "c": charlie, "u": superuser}
    site = a["site"].pk
    kwargs = {
        "portal:posting-detail": {"pk": a["posting"].pk},
        "portal:register-step": {"step": "account"},
        "portal:apply": {"posting_id": a["posting"].pk},
        "portal:withdraw": {"match_id": match.pk},
        "portal:recommendation-open": {"match_id": match.pk},
        "portal:savedsearch-delete": {"pk": saved.pk},
        "portal:savedsearch-unsubscribe": {"token": saved_search_token(search=saved)},
        "stations:youthstation-detail": {"pk": station.pk},
        "fairs:jobfair-detail": {"pk": fair.pk},
        "fairs:signup": {"pk": fair.pk},
        "fairs:checkin": {"pk": fair.pk},
        "fairs:walk-in": {"pk": fair.pk},
        "fairs:booths": {"pk": fair.pk},
        "fairs:booth": {"pk": fair.pk, "exhibitor_pk": MISSING},
        "fairs:results": {"pk": fair.pk},
        "posters:posting-poster": {"pk": a["posting"].pk},
        "stations:session-attendance": {"pk": MISSING, "session_pk": MISSING},
        "dashboard:site": {"pk": site},
        "dashboard:report": {"pk": site},
        "dashboard:export": {"slug": "skills", "fmt": "csv"},
        "admin:app_list": {"app_label": "core"},
        "admin:view_on_site": {"content_type_id": MISSING, "object_id": MISSING},
    }
    for name in PAGES:
        if name.startswith("markets:") and name != "markets:gigmarket-list":
            kwargs[name] = {"pk": site}
        if name.startswith("markets:gigs-"):
            kwargs.pop(name, None)
        if name in {
            "stations:course-enrol",
            "stations:slot-book",
            "stations:booking-cancel",
            "stations:course-roll",
            "stations:enrolment-cancel",
            "stations:enrolment-complete",
            "stations:event-signup",
            "stations:event-signup-cancel",
            "stations:event-attendance",
        }:
            kwargs[name] = {"pk": MISSING}
        if name in {"fairs:ticket", "fairs:ticket-cancel", "fairs:invitation-answer"}:
            kwargs[name] = {"pk": MISSING}
    # A gig post of site A's market, and the smart HR market of the reference data.
    post = GigPost.objects.create(
        kind=ServicePointKind.GIG_POST,
        name="测试零工驿站",
        market_id=site,
        area=street(),
        address="测试",
        lat=27.87,
        lng=112.91,
    )
    for name in ("markets:gigpost-detail", "markets:gigpost-checkin", "markets:gigpost-poster"):
        kwargs[name] = {"pk": post.pk}
    kwargs["markets:hrmarket-detail"] = {"pk": ServicePoint.objects.get(kind=ServicePointKind.HR_MARKET).pk}
    query = {"dashboard:list": f"?kpi={next(iter(KPIS))}&site={site}"}
    return users, kwargs, query


def _gets_through(response) -> bool:
    if response.status_code in (403, 404):
        return False
    if response.status_code == 405:
        return False  # the method is refused whoever asks (POST-only pages are POSTed: POST_ONLY)
    location = response.get("Location", "")
    asked_who = ("/accounts/login/", "/admin/login/", "/register/?next=")
    return not (response.status_code == 302 and any(part in location for part in asked_who))


@pytest.mark.parametrize("role", ALL)
def test_url_matrix(client, world, role):
    users, kwargs, query = world
    if users[role] is not None:
        client.force_login(users[role])
    client.raise_request_exception = False
    wrong = []
    for name, allowed in sorted(PAGES.items()):
        if name == "accounts:logout" or name == "admin:logout":
            continue  # would end this role's session for the rest of the walk; POST-only anyway
        url = reverse(name, kwargs=kwargs.get(name)) + query.get(name, "")
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code < 500 or name in {"health"}, (name, response.status_code)
        if _gets_through(response) != (role in allowed):
            wrong.append((name, response.status_code, response.get("Location", "")))
    for model, allowed in sorted(ADMIN_MODELS.items()):
        response = client.get(reverse(f"admin:{model}_changelist"))
        if _gets_through(response) != (role in allowed):
            wrong.append((f"admin:{model}_changelist", response.status_code, response.get("Location", "")))
    assert not wrong, wrong
