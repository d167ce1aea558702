"""The hall's big screen (大屏): today's gigs page by page, headcount left, the day's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentSource, CheckinPurpose
from markets.selectors import market_day_figures
from markets.services import gig_assign, market_check_in
from markets.views import SCREEN_PAGE_SIZE
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.services import service_record_create
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

pytestmark = pytest.mark.django_db


def _screen(client, market, **params):
    return client.get(reverse("markets:gigmarket-screen", args=[market.pk]), params)


def test_screen_needs_no_login_and_shows_left_wage_and_start(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=3, wage="180", starts=dt.time(8, 0))
    gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.WALK_IN, actor=alice)

    response = _screen(client, market)

    assert response.status_code == 200
    assertContains(response, f'<td class="gs-left" data-left="{gig.pk}">2 人</td>', html=True)
    assertContains(response, '<td class="gs-wage">180 元/天</td>', html=True)
    assertContains(response, "<td>今天 08:00</td>", html=True)


def test_screen_shows_no_personal_data(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TODAY, contact_name="赵经理", contact_phone="13712345678")
    worker = SeekerFactory(name="张大山", phone="13911112222")
    gig_assign(day_gig=gig, seeker=worker, source=AssignmentSource.WALK_IN, actor=alice)
    market_check_in(market=market, seeker=worker, kind=CheckinPurpose.WORK)

    for response in (_screen(client, market), client.get(reverse("markets:gigmarket-screen-data", args=[market.pk]))):
        text = response.content.decode()
        for secret in ("张大山", "13911112222", "1391", "2222", "赵经理", "13712345678"):
            assert secret not in text


def test_screen_refreshes_without_script_and_loads_its_script(frozen_clock, client, market, make_gig):
    for i in range(SCREEN_PAGE_SIZE + 1):  # two pages
        make_gig(market, TODAY, title=f"日结工{i}")

    response = _screen(client, market)

    assertContains(response, '<noscript><meta http-equiv="refresh" content="15;url=?page=2"></noscript>', html=True)
    assertContains(response, '<script src="/static/js/markets-screen.js" defer></script>', html=True)
    html = response.content.decode()
    assert 'style="' not in html and "<script>" not in html  # CSP: no inline style or script
    assert html.count('class="gs-page"') == 2
    assert html.count("hidden aria-label") == 1  # page 2 hidden while page 1 is shown


def test_screen_pages_rotate_through_the_page_parameter(frozen_clock, client, market, make_gig):
    gigs = [make_gig(market, TODAY, title=f"日结工{i}", starts=dt.time(6, i)) for i in range(SCREEN_PAGE_SIZE + 1)]

    second = _screen(client, market, page=2).content.decode()
    wrapped = _screen(client, market, page=3).content.decode()  # past the last: back to the first

    shown_second = second.split('data-page="2" aria-label')[1]
    assert f'data-gig="{gigs[-1].pk}"' in shown_second
    assert '<meta http-equiv="refresh" content="15;url=?page=1">' in second
    assert '<meta http-equiv="refresh" content="15;url=?page=2">' in wrapped
    assert _screen(client, market, page="x").status_code == 200


def test_data_endpoint_tells_headcount_left_and_figures(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=2, wage="200.50")
    url = reverse("markets:gigmarket-screen-data", args=[market.pk])
    assert client.get(url).json()["gigs"][0]["left"] == 2

    gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.BOARD, actor=alice)
    data = client.get(url).json()

    assert data["gigs"] == [
        {
            "id": gig.pk,
            "title": "搬运装卸（日结）",
            "employer": gig.posting.employer.name,
            "work_date": TODAY.isoformat(),
            "starts_at": "07:30",
            "place": "雨湖区湘潭汽车站北广场",
            "day_wage": "200.50",
            "headcount": 2,
            "left": 1,
        }
    ]
    assert (data["served"], data["filled"]) == (0, 1)


def test_figures_of_the_day_agree_with_the_dashboard_kpi(frozen_clock, client, market, make_gig, alice, charlie):
    a, b = SeekerFactory(), SeekerFactory()
    market_check_in(market=market, seeker=a, kind=ServiceKind.CONSULTATION)
    market_check_in(market=market, seeker=a, kind=ServiceKind.TRAINING)
    # A second record of the same seeker, kind and day (typed at the counter) counts once.
    service_record_create(service_point=market, kind=ServiceKind.CONSULTATION, actor=alice, seeker=a)
    market_check_in(market=market, seeker=b, kind=ServiceKind.CONSULTATION)
    service_record_create(service_point=market, kind=ServiceKind.CONSULTATION, actor=alice)  # anonymous walk-in
    yesterday = NOON - dt.timedelta(days=1)
    service_record_create(service_point=market, kind=ServiceKind.TRAINING, actor=alice, seeker=b, served_at=yesterday)

    figures = market_day_figures(market=market, day=TODAY)

    assert figures.served == 4
    assert figures.served == kpi_value("served", Period(TODAY, TODAY), Scope(site_id=market.pk))
    assertContains(_screen(client, market), '<span id="gs-served">4</span>', html=True)


def test_operator_opens_the_screen_from_the_admin(client, alice, market):
    client.force_login(alice)
    response = client.get(reverse("admin:markets_gigmarket_changelist"))
    screen = reverse("markets:gigmarket-screen", args=[market.pk])
    assertContains(response, f'<a href="{screen}" target="_blank" rel="noopener">大屏</a>', html=True)
    assertNotContains(response, "岳塘区护理行业零工市场")


def test_screen_query_count_is_fixed(frozen_clock, client, market, make_gig, django_assert_max_num_queries):
    for i in range(10):
        make_gig(market, TODAY, title=f"日结工{i}")
    with django_assert_max_num_queries(10):
        _screen(client, market)
    with django_assert_max_num_queries(10):
        client.get(reverse("markets:gigmarket-screen-data", args=[market.pk]))
