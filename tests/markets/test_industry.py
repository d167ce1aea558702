"""Industry markets (行业零工市场): the trade narrows the board's nearby gigs and names the market's
skills; a nursing-care gig needs the certificate or a completed training (the stations' course
completion), and a seeker without it is told why, what to do and which course."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from markets.enums import AssignmentStatus
from markets.selectors import industry_gap, market_board, market_focus_skills
from markets.services import gig_assign
from matching.models import Match
from stations.models import Course
from stations.services import course_enrol, enrolment_complete
from tests.api.conftest import session_client
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory, UserFactory, skill
from tests.fairs.html import page
from xiangtan_jobs.core.enums import UserRole

pytestmark = pytest.mark.django_db

NURSING_GIG = [("养老护理员", True, 1)]


@pytest.fixture
def nursing_gig(frozen_clock, nursing_market, make_gig):
    return make_gig(nursing_market, TODAY, title="养老院护理（日结）", skills=NURSING_GIG)


@pytest.fixture
def course(nursing_market):
    return Course.objects.create(
        service_point=nursing_market,
        title="养老护理员初级班",
        skill=skill("养老护理员"),
        starts_on=TODAY + dt.timedelta(days=3),
        ends_on=TODAY + dt.timedelta(days=10),
        sessions=6,
        seats=20,
        place="岳塘区护理培训中心",
    )


def test_the_trade_names_the_markets_skills(market, nursing_market):
    names = {s.name for s in market_focus_skills(market=nursing_market)}
    assert {"养老护理员", "居家照护员", "陪诊员"} <= names and "保洁员" not in names and "搬运工" not in names
    assert market_focus_skills(market=market) == []  # a general market has no trade


def test_an_industry_markets_board_shows_nearby_gigs_of_its_trade_only(frozen_clock, market, nursing_market, make_gig):
    near = {"lat": nursing_market.lat + 0.01, "lng": nursing_market.lng}  # ~1 km
    care = make_gig(market, TODAY, title="陪护（日结）", skills=[("护工", True, 1)], **near)
    move = make_gig(market, TODAY, title="搬家（日结）", skills=[("搬运工", True, 1)], **near)
    own = make_gig(nursing_market, TODAY, title="店面保洁（日结）")  # its own gigs all stay
    board = market_board(market=nursing_market)
    assert [r.id for r in board.nearby] == [care.pk]
    assert [r.id for r in board.own] == [own.pk]
    # The same gigs near a general market: nothing narrowed.
    general = market_board(market=market)
    assert {r.id for r in general.own} >= {care.pk, move.pk}


def test_the_market_pages_say_its_trade_and_the_rule(frozen_clock, client, nursing_market, market):
    for url in (f"/markets/{nursing_market.pk}/", f"/markets/{nursing_market.pk}/today/"):
        section = page(client.get(url)).find("section", class_="card")
        assert section is not None and "行业市场：护理行业" in section.text(), url
        assert "养老护理员" in section.text() and "培训并结业" in section.text()
    assert "行业市场" not in page(client.get(f"/markets/{market.pk}/")).text()


def test_the_gate_needs_a_certificate_or_a_completed_training(nursing_gig, nursing_market, course, bob):
    posting = nursing_gig.posting
    without = SeekerFactory(user=UserFactory(role=UserRole.SEEKER), skills=[("养老护理员", 3, False)])
    gap = industry_gap(posting=posting, seeker=without)
    assert gap is not None and [m.name for m in gap.missing] == ["养老护理员"]
    assert "养老护理员证" in gap.reason and "岳塘区护理行业零工市场" in gap.what_to_do
    assert industry_gap(posting=posting, seeker=SeekerFactory(skills=[("养老护理员", 3, True)])) is None
    # The training route: the stations' course completion marks the skill trained.
    enrolment = course_enrol(course=course, seeker=without, actor=without.user, now=NOON)
    with pytest.raises(ValidationError, match="证书或培训结业"):
        gig_assign(day_gig=nursing_gig, seeker=without, source="walk_in", actor=bob)
    enrolment_complete(enrolment=enrolment, actor=bob, now=NOON)
    assert industry_gap(posting=posting, seeker=without) is None
    assert (
        gig_assign(day_gig=nursing_gig, seeker=without, source="walk_in", actor=bob).status == AssignmentStatus.ASSIGNED
    )


def test_a_general_markets_gig_has_no_gate(frozen_clock, market, make_gig):
    gig = make_gig(market, TODAY, skills=NURSING_GIG)
    assert industry_gap(posting=gig.posting, seeker=SeekerFactory(skills=[("保洁员", 1, False)])) is None


def test_a_seeker_without_it_is_told_why_and_which_course(nursing_gig, course, client, dora):
    SeekerFactory(user=dora, phone="13800138000", skills=[("保洁员", 2, False)])
    client.force_login(dora)
    url = reverse("portal:apply", args=[nursing_gig.posting_id])
    shown = page(client.get(url))
    reason = shown.find(id="gate-reason")
    assert reason is not None and "护理类零工" in reason.text() and "养老护理员证" in reason.text()
    assert "结业后就能报名" in shown.find(id="gate-todo").text()
    courses = shown.find("ul", class_="courses")
    assert courses is not None and "养老护理员初级班" in courses.text()
    assert courses.find("form")["action"] == reverse("stations:course-enrol", args=[course.pk])
    # A POST (a stale form, a script) applies nothing.
    refused = page(client.post(url, {"next": "/"}), status=403)
    assert refused.find(id="gate-reason") is not None
    assert not Match.objects.filter(posting_id=nursing_gig.posting_id).exists()


def test_a_certified_seeker_gets_the_confirm_step_and_applies(nursing_gig, client, dora):
    SeekerFactory(user=dora, phone="13800138000", skills=[("养老护理员", 3, True)])
    client.force_login(dora)
    url = reverse("portal:apply", args=[nursing_gig.posting_id])
    assert page(client.get(url)).find(id="gate-reason") is None
    client.post(url, {"next": "/"})
    assert Match.objects.filter(posting_id=nursing_gig.posting_id, seeker__user=dora).exists()


def test_the_api_refuses_with_the_reason(nursing_gig, dora):
    SeekerFactory(user=dora, phone="13800138000")
    response = session_client(dora).post("/api/v1/me/applications/", {"posting": nursing_gig.posting_id}, format="json")
    assert response.status_code == 400, response.content
    reason, todo = response.json()["errors"]["posting"]
    assert "护理类零工" in reason and "培训课程" in todo
    assert not Match.objects.filter(posting_id=nursing_gig.posting_id).exists()
