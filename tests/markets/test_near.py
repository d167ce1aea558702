"""今日零工 from the home page: today's and tomorrow's day gigs near the seeker (their home and
travel distance, or a district they pick), never every open day gig of the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.clock import TODAY
from xiangtan_jobs.core.models import Area

pytestmark = pytest.mark.django_db

URL = "/markets/today/"


def test_the_address_and_the_home_pages_button(client):
    assert reverse("markets:gigs-near") == URL
    home = client.get("/")
    assertContains(home, f'<a class="btn btn-big" href="{URL}">今日零工</a>', html=True)
    assertNotContains(home, 'href="/jobs/?work_type=day">今日零工')


@pytest.fixture
def gigs(frozen_clock, market, nursing_market, make_gig):
    """Near 雨湖 (today, tomorrow, in three days) and 22 km north of it (today)."""
    return {
        "near": make_gig(market, TODAY, title="搬运装卸（日结）", lat=market.lat + 0.01, lng=market.lng),
        "tomorrow": make_gig(market, TODAY + dt.timedelta(days=1), title="家庭保洁（日结）"),
        "later": make_gig(market, TODAY + dt.timedelta(days=3), title="展会布置（日结）"),
        "far": make_gig(nursing_market, TODAY, title="陪护（日结）", lat=market.lat + 0.2, lng=market.lng),
    }


def _titles(response) -> list[str]:
    import re

    return re.findall(
        r'<li class="job-card gig-card">\s*<a href="/jobs/\d+/"><h3>(.*?)</h3>', response.content.decode()
    )


def test_a_logged_in_seeker_sees_the_gigs_around_their_home(gigs, client, market, dora, dora_seeker):
    dora_seeker.home_lat, dora_seeker.home_lng, dora_seeker.travel_km = market.lat, market.lng, 5
    dora_seeker.save()
    client.force_login(dora)

    response = client.get(URL)

    assertContains(response, "<h1>今日零工 · 您家附近</h1>", html=True)
    assert _titles(response) == ["搬运装卸（日结）", "家庭保洁（日结）"]  # today first; not the far one, not in 3 days
    assertContains(response, "（约 1.1 公里）")


def test_the_travel_distance_widens_the_circle(gigs, client, market, dora, dora_seeker):
    dora_seeker.home_lat, dora_seeker.home_lng, dora_seeker.travel_km = market.lat, market.lng, 30
    dora_seeker.save()
    client.force_login(dora)
    assert "陪护（日结）" in _titles(client.get(URL))


def test_anyone_picks_a_district(gigs, client, market):
    district = Area.objects.get(pk=market.area.parent_id) if market.area.parent_id else market.area
    response = client.get(URL, {"near": district.pk})
    assertContains(response, f"<h1>今日零工 · {district.name}附近</h1>", html=True)
    assertContains(response, f'<option value="{district.pk}" selected>{district.name}</option>', html=True)
    assert "陪护（日结）" not in _titles(response)
    assert "展会布置（日结）" not in _titles(response)


def test_without_a_place_no_gigs_but_a_choice_of_districts_and_markets(gigs, client, market):
    for response in (client.get(URL), client.get(URL, {"near": "abc"}), client.get(URL, {"near": "99999999999"})):
        assert response.status_code == 200
        assert _titles(response) == []
        assertContains(response, '<select id="near" name="near">')
        assertContains(response, f'<a href="/markets/{market.pk}/today/">雨湖零工市场</a> · 2 个零工', html=False)
