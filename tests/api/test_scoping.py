"""Who may call what: every operation of the schema has a row in the actor matrix (a new endpoint
fails ``test_every_operation_has_a_row`` until it gets one), and an operator's token sees only
its own site: another site's object is 404, as in the admin."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from fairs.enums import FairStatus
from fairs.models import JobFair
from matching.enums import MatchStatus
from matching.models import Match
from tests.api.conftest import issue, session_client, token_client
from tests.conftest import DORA_PHONE
from tests.factories import EmployerFactory, SeekerFactory, street
from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import Employer, JobPosting, SeekerRegistration, Skill, SkillCategory

pytestmark = pytest.mark.django_db

# n: anonymous, s: a seeker's session, a: site A operator's token, b: site B operator's token,
# c: the bureau's token. Each row: the actors that get through (not 401/403/404) when the
# address names one of site A's objects (or the seeker's own).
PUBLIC = "nsabc"
MATRIX = {
    ("/api/v1/areas/", "get"): PUBLIC,
    ("/api/v1/areas/{id}/", "get"): PUBLIC,
    ("/api/v1/fairs/", "get"): PUBLIC,
    ("/api/v1/fairs/{id}/", "get"): PUBLIC,
    ("/api/v1/jobs/", "get"): PUBLIC,
    ("/api/v1/jobs/{id}/", "get"): PUBLIC,
    ("/api/v1/jobs/changes/", "get"): PUBLIC,
    ("/api/v1/service-points/", "get"): PUBLIC,
    ("/api/v1/service-points/{id}/", "get"): PUBLIC,
    ("/api/v1/skill-categories/", "get"): PUBLIC,
    ("/api/v1/skill-categories/{id}/", "get"): PUBLIC,
    ("/api/v1/skills/", "get"): PUBLIC,
    ("/api/v1/skills/{id}/", "get"): PUBLIC,
    ("/api/v1/skills/typeahead/", "get"): PUBLIC,
    ("/api/v1/me/applications/", "get"): "s",
    ("/api/v1/me/applications/", "post"): "s",
    ("/api/v1/me/applications/{id}/withdraw/", "post"): "s",
    ("/api/v1/me/recommendations/", "get"): "s",
    ("/api/v1/me/registration/", "get"): "s",
    ("/api/v1/me/registration/", "put"): "s",
    ("/api/v1/me/registration/", "patch"): "s",
    ("/api/v1/operator/employers/", "get"): "abc",
    ("/api/v1/operator/employers/", "post"): "ab",
    ("/api/v1/operator/employers/{id}/", "get"): "ac",
    ("/api/v1/operator/employers/{id}/", "put"): "a",
    ("/api/v1/operator/employers/{id}/", "patch"): "a",
    ("/api/v1/operator/matches/", "get"): "abc",
    ("/api/v1/operator/matches/{id}/", "get"): "ac",
    ("/api/v1/operator/matches/{id}/status/", "post"): "a",
    ("/api/v1/operator/postings/", "get"): "abc",
    ("/api/v1/operator/postings/", "post"): "ab",
    ("/api/v1/operator/postings/{id}/", "get"): "ac",
    ("/api/v1/operator/postings/{id}/", "put"): "a",
    ("/api/v1/operator/postings/{id}/", "patch"): "a",
    ("/api/v1/operator/postings/{id}/close/", "post"): "a",
    ("/api/v1/operator/postings/{id}/publish/", "post"): "a",
    ("/api/v1/operator/registrations/", "get"): "abc",
    ("/api/v1/operator/registrations/", "post"): "ab",
    ("/api/v1/operator/registrations/{id}/", "get"): "ac",
    ("/api/v1/bureau/kpis/", "get"): "c",
    ("/api/v1/bureau/kpis/sites/", "get"): "c",
}


def _operations() -> set[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {(path, method) for path, ops in paths.items() for method in ops}


def test_every_operation_has_a_row():
    assert _operations() == set(MATRIX)


@pytest.fixture
def world(two_sites, alice, bob, charlie, dora):
    a = two_sites["a"]
    me = SeekerFactory(user=dora, phone=DORA_PHONE)
    applied = Match.objects.create(posting=a["posting"], seeker=me, score=80, reasons=[], status=MatchStatus.APPLIED)
    site_match = Match.objects.create(
        posting=a["posting"], seeker=a["seeker"], score=70, reasons=[], status=MatchStatus.APPLIED
    )
    fair = JobFair.objects.create(
        title="雨湖专场招聘会", organiser="雨湖零工市场", venue="雨湖零工市场", address="湘潭汽车站旁",
        area=street(), lat=27.87, lng=112.91, starts_on=timezone.localdate(), ends_on=timezone.localdate(),
        service_point=a["site"], status=FairStatus.PUBLISHED,
    )  # fmt: skip
    ids = {
        "areas": street().pk,
        "fairs": fair.pk,
        "jobs": a["posting"].pk,
        "service-points": a["site"].pk,
        "skill-categories": SkillCategory.objects.first().pk,
        "skills": Skill.objects.first().pk,
        "me/applications": applied.pk,
        "operator/employers": a["employer"].pk,
        "operator/matches": site_match.pk,
        "operator/postings": a["posting"].pk,
        "operator/registrations": a["seeker"].pk,
    }
    clients = {
        "n": APIClient(),
        "s": session_client(dora),
        "a": token_client(issue(alice, site=a["site"])),
        "b": token_client(issue(bob, site=two_sites["b"]["site"])),
        "c": token_client(issue(charlie)),
    }
    return ids, clients


@pytest.mark.parametrize(("path", "method"), sorted(MATRIX), ids=lambda x: x)
@pytest.mark.parametrize("actor", "nsabc")
def test_actor_matrix(path, method, actor, world):
    if (path, method) not in _operations():
        pytest.skip("not in the schema (test_every_operation_has_a_row says so)")
    ids, clients = world
    url = path
    if "{id}" in path:
        key = re.match(r"/api/v1/(.+?)/\{id\}/", path).group(1)
        url = path.replace("{id}", str(ids[key]))
    before = (JobPosting.objects.count(), Employer.objects.count(), SeekerRegistration.objects.count())
    response = getattr(clients[actor], method)(url, {}, format="json") if method != "get" else clients[actor].get(url)
    assert response.status_code < 500
    got_through = response.status_code not in (401, 403, 404)
    assert got_through == (actor in MATRIX[(path, method)]), (actor, response.status_code, response.content[:200])
    if not got_through:
        assert (JobPosting.objects.count(), Employer.objects.count(), SeekerRegistration.objects.count()) == before


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_operator_lists_hold_only_their_site(two_sites, alice_key, bob_key):
    a, b = two_sites["a"], two_sites["b"]
    client = token_client(alice_key)
    assert _ids(client.get("/api/v1/operator/postings/")) == {a["posting"].pk}
    assert _ids(client.get("/api/v1/operator/employers/")) == {a["employer"].pk}
    assert _ids(client.get("/api/v1/operator/registrations/")) == {a["seeker"].pk}
    assert _ids(token_client(bob_key).get("/api/v1/operator/postings/")) == {b["posting"].pk}
    # A filter naming the other site finds nothing rather than its rows.
    assert _ids(client.get("/api/v1/operator/postings/", {"site": b["site"].pk})) == set()


def test_another_site_s_objects_are_404_and_unchanged(two_sites, alice_key):
    b = two_sites["b"]
    client = token_client(alice_key)
    posting = b["posting"]
    for url in (
        f"/api/v1/operator/postings/{posting.pk}/",
        f"/api/v1/operator/employers/{b['employer'].pk}/",
        f"/api/v1/operator/registrations/{b['seeker'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    assert client.patch(f"/api/v1/operator/postings/{posting.pk}/", {"title": "改了"}, format="json").status_code == 404
    assert client.post(f"/api/v1/operator/postings/{posting.pk}/close/").status_code == 404
    posting.refresh_from_db()
    assert posting.title != "改了" and posting.status == PostingStatus.PUBLISHED
    match = Match.objects.create(posting=posting, seeker=b["seeker"], score=60, reasons=[], status="applied")
    response = client.post(f"/api/v1/operator/matches/{match.pk}/status/", {"status": "contacted"}, format="json")
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED


def test_a_token_limits_a_two_site_operator_to_its_site(two_sites, alice, yuetang_nursing):
    from xiangtan_jobs.core.enums import MembershipRole
    from xiangtan_jobs.core.models import OperatorMembership

    OperatorMembership.objects.create(user=alice, service_point=yuetang_nursing, role=MembershipRole.OPERATOR)
    a = two_sites["a"]
    client = token_client(issue(alice, site=a["site"]))
    assert _ids(client.get("/api/v1/operator/postings/")) == {a["posting"].pk}
    assert client.get(f"/api/v1/operator/postings/{two_sites['b']['posting'].pk}/").status_code == 404
    # The same person's browser session sees both of their sites.
    both = {a["posting"].pk, two_sites["b"]["posting"].pk}
    assert _ids(session_client(alice).get("/api/v1/operator/postings/")) == both


def test_create_edit_publish_close_through_the_services(two_sites, alice_key, django_capture_on_commit_callbacks):
    a = two_sites["a"]
    client = token_client(alice_key)
    body = {
        "employer": a["employer"].pk,
        "service_point": a["site"].pk,
        "title": "小区保洁（日结）",
        "area": a["posting"].area_id,
        "work_type": "day",
        "wage_min": 150,
        "wage_max": 200,
        "wage_unit": "day",
        "skills": [{"skill": Skill.objects.get(name="保洁员").pk}],
    }
    created = client.post("/api/v1/operator/postings/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == PostingStatus.DRAFT
    assert created.json()["skill_list"] == [
        {"skill": Skill.objects.get(name="保洁员").pk, "required": True, "min_level": 1}
    ]
    edited = client.patch(f"/api/v1/operator/postings/{pk}/", {"headcount": 5, "skills": [{"skill": 1}]}, format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["headcount"] == 5
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"/api/v1/operator/postings/{pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == PostingStatus.PUBLISHED
    closed = client.post(f"/api/v1/operator/postings/{pk}/close/")
    assert closed.json()["status"] == PostingStatus.CLOSED
    assert JobPosting.objects.get(pk=pk).closed_at is not None


def test_employer_for_an_operator_s_one_site_by_default(alice_key, yuhu):
    response = token_client(alice_key).post("/api/v1/operator/employers/", {"name": "湘潭新单位"}, format="json")
    assert response.status_code == 201, response.content
    assert Employer.objects.get(name="湘潭新单位").service_point == yuhu


def test_registrations_are_masked(two_sites, alice_key):
    row = token_client(alice_key).get(f"/api/v1/operator/registrations/{two_sites['a']['seeker'].pk}/").json()
    assert row["phone"] == "139****2222"
    assert row["name"] == two_sites["a"]["seeker"].masked_name and row["name"] != "李桂兰"


def test_walk_in_registration(alice_key, yuhu, django_capture_on_commit_callbacks):
    body = {
        "service_point": yuhu.pk,
        "name": "赵大姐",
        "phone": "13712345678",
        "birth_year": 1970,
        "area": street().pk,
        "skills": [{"skill": Skill.objects.get(name="保洁员").pk, "level": 3}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(alice_key).post("/api/v1/operator/registrations/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "137****5678"
    registration = SeekerRegistration.objects.get(pk=response.json()["id"])
    assert registration.service_point == yuhu and registration.phone == "13712345678"
    again = token_client(alice_key).post("/api/v1/operator/registrations/", body, format="json")
    assert again.status_code == 400 and again.json()["errors"] == {"phone": ["这个手机号已经登记过了。"]}


def test_other_site_employer_cannot_be_used(two_sites, alice_key):
    EmployerFactory(name="无主单位", service_point=None)
    b = two_sites["b"]
    response = token_client(alice_key).post(
        "/api/v1/operator/employers/", {"name": "x", "service_point": b["site"].pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"service_point": ["只能为自己的服务点登记用人单位。"]}
