"""今日零工: a market's board of today's and tomorrow's day gigs, and applying from the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentSource, AssignmentStatus
from markets.models import GigAssignment
from markets.selectors import market_board
from markets.services import day_gig_cancel, gig_assign, gig_assignment_finish
from matching.enums import MatchStatus
from matching.models import Match
from tests.clock import TODAY
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import PostingStatus

pytestmark = pytest.mark.django_db

TOMORROW = TODAY + dt.timedelta(days=1)


def test_board_lists_today_and_tomorrow_only_and_current_published_gigs(frozen_clock, market, make_gig, alice):
    today = make_gig(market, TODAY, title="搬运装卸（日结）")
    tomorrow = make_gig(market, TOMORROW, title="家庭保洁（日结）")
    later = make_gig(market, TODAY + dt.timedelta(days=2), title="展会布置（日结）")
    cancelled = make_gig(market, TODAY, title="搬家（日结）")
    day_gig_cancel(day_gig=cancelled, actor=alice)
    closed = make_gig(market, TODAY, title="工地小工（日结）")
    closed.posting.status = PostingStatus.CLOSED
    closed.posting.save()

    board = market_board(market=market)

    assert [r.id for r in board.own] == [today.pk, tomorrow.pk]
    assert later.pk not in [r.id for r in board.own + board.nearby]


def test_headcount_left_counts_assigned_and_done_workers(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=3)
    for _ in range(2):
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.WALK_IN, actor=alice)

    (row,) = market_board(market=market).own
    assert (row.headcount, row.left) == (3, 1)


def test_a_no_show_or_a_cancelled_worker_frees_the_place(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=3)
    done, no_show, cancelled = (
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.WALK_IN, actor=alice) for _ in range(3)
    )
    gig_assignment_finish(assignment=done, status=AssignmentStatus.DONE, actor=alice)
    gig_assignment_finish(assignment=no_show, status=AssignmentStatus.NO_SHOW, actor=alice)
    GigAssignment.objects.filter(pk=cancelled.pk).update(status=AssignmentStatus.CANCELLED)

    (row,) = market_board(market=market).own
    assert row.left == 2


def test_nearby_gigs_of_other_sites_within_5_km(frozen_clock, market, nursing_market, make_gig):
    near = make_gig(nursing_market, TODAY, title="陪护（日结）", lat=market.lat + 0.02, lng=market.lng)  # ~2.2 km
    far = make_gig(nursing_market, TODAY, title="护工（日结）", lat=market.lat + 0.2, lng=market.lng)  # ~22 km
    # In the search box's corner but 5.5 km away: outside the circle.
    corner = make_gig(nursing_market, TODAY, title="保洁（日结）", lat=market.lat + 0.035, lng=market.lng + 0.04)

    board = market_board(market=market)

    assert [(r.id, r.km) for r in board.nearby] == [(near.pk, 2.2)]
    assert {far.pk, corner.pk}.isdisjoint(r.id for r in board.nearby)


def test_board_page_shows_wage_place_start_and_left(frozen_clock, client, market, make_gig):
    make_gig(market, TODAY, headcount=4, wage="220", starts=dt.time(7, 30), place="湘潭汽车站北广场")

    response = client.get(reverse("markets:gigmarket-today", args=[market.pk]))

    assertContains(response, '<p class="wage">日薪 220 元/天</p>', html=True)
    assertContains(response, '<dd class="gig-left">4 人</dd>', html=True)
    assertContains(response, "<dd>今天 11月30日 07:30</dd>", html=True)
    assertContains(response, "<dd>湘潭汽车站北广场</dd>", html=True)
    # The button opens the portal's confirm step (who will see the contact), which comes back here.
    board = reverse("markets:gigmarket-today", args=[market.pk])
    assertContains(response, f'<input type="hidden" name="next" value="{board}">', html=True)
    assertContains(response, "报名「搬运装卸（日结）」")


def test_full_gig_says_so_and_offers_no_apply(frozen_clock, client, market, make_gig, alice, dora, dora_seeker):
    gig = make_gig(market, TODAY, headcount=1)
    gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.BOARD, actor=alice)
    client.force_login(dora)

    response = client.get(reverse("markets:gigmarket-today", args=[market.pk]))

    assertContains(response, '<dd class="gig-left">已招满</dd>', html=True)
    assertNotContains(response, reverse("portal:apply", args=[gig.posting_id]))


def test_empty_board_points_to_the_market_and_all_day_gigs(frozen_clock, client, market):
    response = client.get(reverse("markets:gigmarket-today", args=[market.pk]))
    assertContains(response, "本市场今天和明天暂时没有零工")
    assertContains(response, market.address)


def test_seeker_takes_a_gig_from_the_phone(frozen_clock, client, market, make_gig, dora, dora_seeker):
    gig = make_gig(market, TODAY)
    board = reverse("markets:gigmarket-today", args=[market.pk])
    apply = reverse("portal:apply", args=[gig.posting_id])

    # Logged out, the button leads through the login to the confirm step and back to the board.
    step = client.get(apply, {"next": board})
    assert step.status_code == 302 and step["Location"].startswith(reverse("accounts:login"))
    client.force_login(dora)
    confirm = client.get(apply, {"next": board})
    assertContains(confirm, f'<input type="hidden" name="next" value="{board}">', html=True)
    assertContains(confirm, "会看到您的姓名和手机号")
    assert not Match.objects.exists()  # a GET never applies
    response = client.post(apply, {"next": board}, follow=True)

    assert response.redirect_chain[-1][0] == board
    told = "已申请「搬运装卸（日结）」。服务点工作人员会尽快和您联系，进展显示在「我的」页面。"
    assertContains(response, f'<li class="msg-success">{told}</li>', html=True)
    match = Match.objects.get(posting=gig.posting, seeker=dora_seeker)
    assert match.status == MatchStatus.APPLIED


def test_unknown_market_is_404(client):
    assert client.get("/markets/999999/today/").status_code == 404
    assert client.get("/markets/99999999999999999999/today/").status_code == 404


def test_board_query_count_does_not_grow_with_gigs(
    frozen_clock, client, market, make_gig, django_assert_max_num_queries
):
    for i in range(8):
        make_gig(market, TODAY, title=f"日结工{i}", posting=None)
    PostingFactory(service_point=market)  # a posting without a day gig is not on the board
    with django_assert_max_num_queries(8):
        client.get(reverse("markets:gigmarket-today", args=[market.pk]))


def test_board_and_check_in_in_english(frozen_clock, client, market, make_gig, settings):
    make_gig(market, TODAY, wage="200")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    board = client.get(reverse("markets:gigmarket-today", args=[market.pk]))
    assertContains(board, '<p class="wage">Day wage 200 yuan/day</p>', html=True)
    assertContains(board, '<h2 id="own-h">Gigs at this market</h2>', html=True)
    checkin = client.get(reverse("markets:gigmarket-checkin", args=[market.pk]))
    assertContains(checkin, "Checking in takes two steps: log in, then choose what you have come for.")


def test_market_page_leads_to_todays_gigs_and_check_in(client, market):
    response = client.get(reverse("markets:gigmarket-detail", args=[market.pk]))
    today = reverse("markets:gigmarket-today", args=[market.pk])
    assertContains(response, f'<a class="btn btn-primary" href="{today}">今日零工</a>', html=True)
    checkin = reverse("markets:gigmarket-checkin", args=[market.pk])
    assertContains(response, f'<a class="btn" href="{checkin}">到市场签到</a>', html=True)
