"""Outcomes at the booths: the fair's staff scan (or type) a checked-in seeker's ticket at a booth
and record what came of the talk; an interview, intention or hire is the seeker's match with the
exhibitor's post, so intentions count in the bureau's KPI (docs/kpis.md), and a change or a
take-back moves the match again. The seeker sees on their page whom they met and the outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.enums import BoothResult
from fairs.models import BoothOutcome
from fairs.services import booth_outcome_record, signup_check_in, signup_create
from matching.enums import MatchStatus
from matching.models import Match
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory, UserFactory
from tests.fairs.html import messages_of, page
from xiangtan_jobs.dashboard.kpis import CITY, Period, Scope, kpi_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside(frozen_clock, fair, seeker, dora, alice):
    """dora signed up for the first day and checked in at the door; the clock on that day."""
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    signup_check_in(fair=fair, code=signup.code, actor=alice)
    signup.refresh_from_db()
    return signup


def _booth(fair, booth: str):
    return fair.exhibitors.get(booth=booth)


def _post(client, fair, exhibitor, **data):
    return client.post(f"/fairs/{fair.pk}/booths/{exhibitor.pk}/", data, follow=True)


def _intentions(scope=CITY) -> int:
    return kpi_value("intentions", Period(TODAY, TODAY + dt.timedelta(days=30)), scope)


def test_intention_at_a_booth_is_a_match_and_counts_as_intention(client, fair, inside, alice, yuhu):
    e1 = _booth(fair, "A01")
    client.force_login(alice)
    response = _post(client, fair, e1, code=inside.code_display.lower(), result="intention", posting=fair.p["clean"].pk)
    assert messages_of(response) == [f"已记录：{inside.seeker.masked_name}，达成意向。"]
    outcome = BoothOutcome.objects.get()
    assert (outcome.exhibitor, outcome.posting, outcome.result, outcome.recorded_by) == (
        e1,
        fair.p["clean"],
        BoothResult.INTENTION,
        alice,
    )
    match = Match.objects.get(seeker=inside.seeker, posting=fair.p["clean"])
    assert match.status == MatchStatus.INTENTION and match.status_changed_by == alice
    assert outcome.match == match
    # The bureau's figure: one intention, at the posting's site.
    assert _intentions() == 1
    assert _intentions(Scope(site_id=yuhu.pk)) == 1
    # The booth's page lists it, name masked.
    rows = page(client.get(f"/fairs/{fair.pk}/booths/{e1.pk}/")).find("table", class_="booth-recent").find_all("tr")
    assert [td.text() for td in rows[1].find_all("td")][:3] == [inside.seeker.masked_name, "达成意向", "家庭保洁员"]


def test_change_and_take_back_move_the_match_back(client, fair, inside, alice):
    e1 = _booth(fair, "A01")
    welder_booth = _booth(fair, "B12")
    client.force_login(alice)
    _post(client, fair, e1, code=inside.code, result="hired", posting=fair.p["clean"].pk)
    assert Match.objects.get(posting=fair.p["clean"]).status == MatchStatus.HIRED
    # Corrected: it was the day gig, and only an interview.
    response = _post(client, fair, e1, code=inside.code, result="interview", posting=fair.p["day"].pk)
    assert messages_of(response) == [f"已改为：{inside.seeker.masked_name}，面试过。"]
    assert BoothOutcome.objects.count() == 1
    assert Match.objects.get(posting=fair.p["clean"]).status == MatchStatus.RECOMMENDED  # back to nothing
    assert Match.objects.get(posting=fair.p["day"]).status == MatchStatus.INTERVIEW
    assert _intentions() == 0
    # Recorded by mistake altogether.
    _post(client, fair, e1, code=inside.code, result="removed")
    assert Match.objects.get(posting=fair.p["day"]).status == MatchStatus.RECOMMENDED
    assert BoothOutcome.objects.get().result == BoothResult.REMOVED
    # Every change kept in the record's history.
    assert [h.result for h in BoothOutcome.objects.get().history.order_by("history_date")] == [
        "hired",
        "interview",
        "removed",
    ]
    # Another booth is another record.
    _post(client, fair, welder_booth, code=inside.code, result="talked")
    assert BoothOutcome.objects.count() == 2


def test_a_match_the_seeker_had_goes_back_to_where_it_was(fair, inside, alice):
    match = Match.objects.create(
        posting=fair.p["welder"], seeker=inside.seeker, score=70, reasons=[], status=MatchStatus.APPLIED
    )
    e2 = _booth(fair, "B12")
    booth_outcome_record(
        fair=fair, exhibitor=e2, code=inside.code, result="intention", posting_id=match.posting_id, actor=alice
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.INTENTION
    booth_outcome_record(fair=fair, exhibitor=e2, code=inside.code, result="talked", actor=alice)
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED


def test_refusals_in_words(client, fair, inside, seeker, dora, alice):
    e1 = _booth(fair, "A01")
    not_in = signup_create(session=fair.sessions.last(), seeker=SeekerFactory(user=(u := UserFactory())), actor=u)
    client.force_login(alice)

    def error(**data) -> str:
        p = page(_post(client, fair, e1, **data))
        return " ".join(x.text() for x in p.find_all("p", class_="error"))

    assert error(code="ZZZZ-ZZZZ-ZZZZ", result="talked") == "没有这个入场码，请核对后再输入"
    assert error(code=not_in.code, result="talked") == "这张入场码还没有在入口签到，请先签到"
    assert error(code=inside.code, result="intention") == (
        "面试、意向和录用要选是哪个岗位；这家单位还没有登记岗位的，请先在后台添加"
    )
    # A post of another exhibitor is not this booth's.
    assert "选择一个有效的选项" in error(code=inside.code, result="hired", posting=fair.p["welder"].pk)
    assert not BoothOutcome.objects.exists() and not Match.objects.exists()


def test_only_the_fairs_staff_record(client, fair, inside, bob, dora, charlie):
    e1 = _booth(fair, "A01")
    for user in (bob, dora, charlie):
        client.force_login(user)
        assert client.get(f"/fairs/{fair.pk}/booths/").status_code == 403
        assert (
            client.post(f"/fairs/{fair.pk}/booths/{e1.pk}/", {"code": inside.code, "result": "talked"}).status_code
            == 403
        )
    client.logout()
    assert client.get(f"/fairs/{fair.pk}/booths/{e1.pk}/").status_code == 302
    assert not BoothOutcome.objects.exists()


def test_booth_list_links_each_booth(client, fair, alice):
    client.force_login(alice)
    links = page(client.get(f"/fairs/{fair.pk}/booths/")).find("ul", class_="booth-choices").find_all("a")
    assert [a.text() for a in links] == ["展位 A01 · 湘潭洁美家政有限公司", "展位 B12 · 湘潭电机配件厂"]
    other = _booth(fair, "A01").pk + 1000
    assert client.get(f"/fairs/{fair.pk}/booths/{other}/").status_code == 404


def test_seeker_sees_whom_they_met_and_the_outcome(client, fair, inside, alice, dora):
    booth_outcome_record(
        fair=fair,
        exhibitor=_booth(fair, "A01"),
        code=inside.code,
        result="intention",
        posting_id=fair.p["clean"].pk,
        actor=alice,
    )
    booth_outcome_record(fair=fair, exhibitor=_booth(fair, "B12"), code=inside.code, result="talked", actor=alice)
    client.force_login(dora)
    cards = page(client.get("/me/")).find("ul", class_="met-list").find_all("li", class_="card")
    seen = [(c.find("h3").text(), c.find("strong", class_="met-status").text()) for c in cards]
    assert seen == [("湘潭洁美家政有限公司 展位 A01", "达成意向"), ("湘潭电机配件厂 展位 B12", "交谈过")]
    # The employer moves the match on afterwards: the seeker's page shows where it stands now.
    match = Match.objects.get(posting=fair.p["clean"])
    match.status = MatchStatus.HIRED
    match.save()
    cards = page(client.get("/me/")).find("ul", class_="met-list").find_all("li", class_="card")
    assert cards[0].find("strong", class_="met-status").text() == "已录用"
