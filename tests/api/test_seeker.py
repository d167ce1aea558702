"""The seeker's endpoints, by browser session only: my registration (read, update, rematched),
my recommendations with the engine's reasons in words, apply / withdraw, my applications with
their status history."""

from __future__ import annotations

import datetime as dt

import pytest

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_set_status, matching_run_seeker
from tests.api.conftest import issue, session_client, token_client
from tests.conftest import DORA_PHONE
from tests.factories import PostingFactory, SeekerFactory, skill, street
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.django_db

REG = "/api/v1/me/registration/"
RECS = "/api/v1/me/recommendations/"
APPS = "/api/v1/me/applications/"


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone=DORA_PHONE, name="王秀英", id_number="430302199001011234")


@pytest.fixture
def me(dora, seeker):
    return session_client(dora)


def test_read_my_registration_masked(me, seeker):
    body = me.get(REG).json()
    assert body["name"] == "王秀英"
    assert body["phone"] == "138****8000"
    assert body["id_number_masked"] == seeker.masked_id_number and "1990" not in body["id_number_masked"]
    assert "id_number" not in body
    assert body["skills"] == [{"skill": skill("保洁员").pk, "level": 3, "years": 0, "has_certificate": False}]
    assert body["status"] == SeekerStatus.ACTIVE


def test_update_goes_through_the_service_and_rematches(me, seeker, _no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = me.patch(
            REG,
            {"travel_km": 25, "skills": [{"skill": skill("家政服务员").pk, "years": 4}]},
            format="json",
        )
    assert body.status_code == 200, body.content
    seeker.refresh_from_db()
    assert seeker.travel_km == 25
    assert [(s.skill.name, s.years) for s in seeker.seeker_skills.select_related("skill")] == [("家政服务员", 4)]
    assert body.json()["travel_km"] == 25
    assert ("matching.match_seeker", [seeker.pk]) in [(name, list(args or [])) for name, args in _no_broker]


def test_full_update_validates_every_field(me, seeker):
    response = me.put(REG, {"name": "", "birth_year": "１９８０", "area": street("雨湖区").pk}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == ["该字段不能为空。"]
    assert errors["birth_year"] == ["请填写合法的整数值。"]
    assert "area" in errors  # a district is not a street or town
    assert errors["skills"] == ["该字段是必填项。"]
    seeker.refresh_from_db()
    assert seeker.name == "王秀英"


def test_bad_id_number_is_refused(me, seeker):
    response = me.patch(REG, {"id_number": "430302199001011235"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]


def test_no_registration_yet_is_404(dora):
    response = session_client(dora).get(REG)
    assert response.status_code == 404
    assert response.json() == {"detail": "您还没有做求职登记。", "code": "not_found"}


def test_not_for_tokens_or_staff(alice, yuhu, seeker):
    assert token_client(issue(alice, site=yuhu)).get(REG).status_code == 403
    assert session_client(alice).get(REG).status_code == 403


def test_recommendations_carry_reasons_in_words(me, seeker):
    near = PostingFactory(title="小区保洁员", skills=[("保洁员", True, 1)])
    PostingFactory(title="电工", skills=[("电工", True, 1)])
    matching_run_seeker(seeker_id=seeker.pk)
    rows = me.get(RECS).json()
    assert [r["posting"]["id"] for r in rows] == [near.pk]
    row = rows[0]
    assert row["status"] == MatchStatus.RECOMMENDED
    assert row["score"] > 0
    assert any("保洁员" in line for line in row["reasons"]), row["reasons"]
    assert isinstance(row["factors"], list) and row["factors"]
    # Paused seekers get none.
    SeekerRegistration.objects.filter(pk=seeker.pk).update(status=SeekerStatus.PAUSED)
    assert me.get(RECS).json() == []


def test_apply_withdraw_and_history(me, seeker, dora, alice, frozen_clock):
    posting = PostingFactory(title="小区保洁员")
    response = me.post(APPS, {"posting": posting.pk}, format="json")
    assert response.status_code == 201, response.content
    app = response.json()
    assert app["status"] == MatchStatus.APPLIED and app["withdrawable"] is True
    assert [h["status"] for h in app["history"]] == [MatchStatus.APPLIED]
    # Twice is refused in the error format.
    again = me.post(APPS, {"posting": posting.pk}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "invalid"

    frozen_clock.shift(dt.timedelta(hours=1))
    withdrawn = me.post(f"{APPS}{app['id']}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == MatchStatus.WITHDRAWN
    listed = me.get(APPS).json()
    assert [(a["id"], a["status"]) for a in listed] == [(app["id"], MatchStatus.WITHDRAWN)]
    assert [h["status"] for h in listed[0]["history"]] == [MatchStatus.APPLIED, MatchStatus.WITHDRAWN]
    assert listed[0]["history"][0]["label"] == "已申请"


def test_history_shows_each_operator_step(me, seeker, frozen_clock, django_user_model):
    posting = PostingFactory(title="小区保洁员")
    match = Match.objects.get(pk=me.post(APPS, {"posting": posting.pk}, format="json").json()["id"])
    root = django_user_model.objects.create_superuser("root", password="x")
    for status in (MatchStatus.CONTACTED, MatchStatus.INTERVIEW):
        frozen_clock.shift(dt.timedelta(hours=2))
        match_set_status(match=Match.objects.get(pk=match.pk), status=status, actor=root)
    row = me.get(APPS).json()[0]
    assert [h["status"] for h in row["history"]] == ["applied", "contacted", "interview"]
    times = [h["at"] for h in row["history"]]
    assert times == sorted(times) and len(set(times)) == 3
    assert row["withdrawable"] is False
    refused = me.post(f"{APPS}{match.pk}/withdraw/")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"non_field_errors": ["这个申请已在处理中，不能撤回，请联系服务点。"]}


def test_cannot_apply_to_a_closed_or_missing_posting(me, seeker):
    closed = PostingFactory(status=PostingStatus.CLOSED)
    assert me.post(APPS, {"posting": closed.pk}, format="json").status_code == 400
    missing = me.post(APPS, {"posting": 10**12}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"] == {"posting": ["没有找到这个岗位。"]}


def test_someone_else_s_application_is_404(me, seeker):
    other = SeekerFactory(name="李桂兰")
    match = Match.objects.create(posting=PostingFactory(), seeker=other, score=50, reasons=[], status="applied")
    assert me.post(f"{APPS}{match.pk}/withdraw/").status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED
