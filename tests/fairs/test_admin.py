"""The operators' admin of fairs: sign-ups with masked phones, scoped to the organising site;
exhibitors registered by the site's operator (the day's event counts follow); the results table
(sign-ups, check-ins, no-shows; intentions and hires per exhibitor from the matches the KPIs count)."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.services import booth_outcome_record, signup_check_in, signup_create
from matching.enums import MatchStatus
from matching.models import Match
from tests.clock import NOON
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, UserFactory
from tests.fairs.html import page
from xiangtan_jobs.core.models import SiteEvent
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_breakdown

pytestmark = pytest.mark.django_db


def _rows(table) -> list[list[str]]:
    return [[td.text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def test_signups_listed_with_masked_phones_for_the_site_only(client, fair, alice, bob, dora):
    seeker = SeekerFactory(user=dora, name="赵翠兰", phone="13912345678")
    signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    client.force_login(alice)
    response = client.get("/admin/fairs/fairsignup/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "13912345678" not in html and "赵翠兰" not in html
    assert seeker.masked_phone in html and seeker.masked_name in html
    assert client.get("/admin/fairs/fairsignup/?q=5678").content.decode().count(seeker.masked_phone) >= 1
    client.force_login(bob)
    assert seeker.masked_phone not in client.get("/admin/fairs/fairsignup/").content.decode()


def test_operator_registers_an_exhibitor_and_the_days_event_follows(client, frozen_clock, fair, alice, yuhu):
    employer = EmployerFactory(name="湘潭新来的物业公司", service_point=yuhu)
    posting = PostingFactory(employer=employer, service_point=yuhu, title="小区保安")
    client.force_login(alice)
    response = client.post(
        "/admin/fairs/exhibitor/add/",
        {"fair": fair.pk, "employer": employer.pk, "booth": "C07", "postings": str(posting.pk)},
    )
    assert response.status_code == 302
    events = SiteEvent.objects.filter(service_point=yuhu).order_by("starts_at")
    assert [(e.employer_count, e.post_count) for e in events] == [(3, 4), (3, 4)]


def test_another_sites_operator_cannot_add_an_exhibitor_to_the_fair(client, fair, bob, yuetang_nursing):
    employer = EmployerFactory(name="岳塘护理公司", service_point=yuetang_nursing)
    client.force_login(bob)
    response = client.post("/admin/fairs/exhibitor/add/", {"fair": fair.pk, "employer": employer.pk, "booth": "Z1"})
    assert response.status_code == 200
    assert "fair" in response.context["adminform"].form.errors
    assert not fair.exhibitors.filter(employer=employer).exists()


def test_results_table(client, frozen_clock, fair, alice, yuhu):
    came, stayed_away = SeekerFactory(user=UserFactory()), SeekerFactory(user=UserFactory())
    first = fair.sessions.first()
    for s in (came, stayed_away):
        signup = signup_create(session=first, seeker=s, actor=s.user)
        if s is came:
            code = signup.code
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    signup_check_in(fair=fair, code=code, actor=alice)
    # The cleaning company reached an intention at its booth with the seeker who came; a match of a
    # seeker who did not come to the fair is not this fair's result.
    booth_outcome_record(
        fair=fair,
        exhibitor=fair.exhibitors.get(booth="A01"),
        code=code,
        result="intention",
        posting_id=fair.p["clean"].pk,
        actor=alice,
    )
    Match.objects.create(posting=fair.p["welder"], seeker=stayed_away, score=60, status=MatchStatus.INTENTION)
    client.force_login(alice)
    p = page(client.get(f"/admin/fairs/jobfair/{fair.pk}/change/"))
    days, exhibitors = p.find_all("table", class_="fair-results")
    d3, d4 = fair.sessions.all()
    assert _rows(days) == [[str(d3.date), "2", "1", "50%"], [str(d4.date), "0", "0", "—"]]
    assert _rows(exhibitors) == [
        ["A01", "湘潭洁美家政有限公司", "2", "4", "1", "1", "0"],
        ["B12", "湘潭电机配件厂", "1", "2", "0", "0", "0"],
    ]
    # The same intention is the bureau's KPI (counted from the match, at the posting's site).
    period = Period(NOON.date(), NOON.date() + dt.timedelta(days=10))
    assert sum(v for *_k, v in kpi_breakdown("fair_checkins", period, Scope(site_id=yuhu.pk))) == 1
