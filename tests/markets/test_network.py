"""The "1+3+N" network as data: the smart HR market as a service point of its own kind with its
page; gig posts (零工驿站) attached to a market, each with its own check-in QR whose person-times
count at the post; the home page and the lists say which sites are demo data."""

from __future__ import annotations

import re

import pytest
import segno
from django.urls import reverse

from markets.enums import CheckinPurpose
from markets.models import GigPost
from markets.views import checkin_url
from tests.clock import TODAY
from tests.factories import PostingFactory, ServicePointFactory, street
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import ServiceKind, ServicePointKind
from xiangtan_jobs.core.models import ServicePoint, ServiceRecord
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(market):
    return GigPost.objects.create(
        kind=ServicePointKind.GIG_POST,
        name="车站路社区零工驿站",
        market=market,
        host_name="雨湖区车站路社区",
        area=street(),
        address="雨湖区车站路社区服务中心",
        lat=market.lat + 0.005,
        lng=market.lng,
        hours="周一至周六 7:00-12:00",
    )


@pytest.fixture
def hr(ref):
    return ServicePoint.objects.get(kind=ServicePointKind.HR_MARKET)


def test_the_hr_market_has_its_page(client, hr, market):
    shown = page(client.get(f"/markets/hr/{hr.pk}/"))
    assert shown.find("h1").text() == "湘潭人才市场"
    assert "智慧人力资源市场" in shown.text() and "岳塘区湘潭大道157号" in shown.text()
    assert "演示站点" not in shown.text()
    # Its address is its own kind's: a gig market's id is not an HR market.
    assert client.get(f"/markets/hr/{market.pk}/").status_code == 404
    # A posting collected there links its page from the job page.
    posting = PostingFactory(service_point=hr)
    link = page(client.get(f"/jobs/{posting.pk}/")).find("a", href=f"/markets/hr/{hr.pk}/")
    assert link is not None


def test_a_gig_post_belongs_to_its_market(client, post, market):
    shown = page(client.get(f"/markets/posts/{post.pk}/"))
    assert shown.find("h1").text() == "车站路社区零工驿站"
    assert shown.find(id="post-market").find("a")["href"] == f"/markets/{market.pk}/"
    assert shown.find("a", href=f"/markets/posts/{post.pk}/checkin/") is not None
    market_page = page(client.get(f"/markets/{market.pk}/"))
    assert market_page.find("a", href=f"/markets/posts/{post.pk}/") is not None
    assert client.get(f"/markets/posts/{market.pk}/").status_code == 404  # a market is not a post


def test_a_gig_posts_qr_is_its_own_check_in(client, post, settings):
    settings.PUBLIC_URL = "https://jobs.xiangtan.example/"
    url = checkin_url(post)
    assert url == f"https://jobs.xiangtan.example/markets/posts/{post.pk}/checkin/"
    html = client.get(f"/markets/posts/{post.pk}/poster/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg == segno.make(url, error="m").svg_inline(scale=12, border=2, dark="#000", light="#fff", omitsize=True)


def test_check_in_at_a_post_counts_at_the_post_once_a_day(frozen_clock, client, post, market, dora, dora_seeker):
    client.force_login(dora)
    url = f"/markets/posts/{post.pk}/checkin/"
    first = client.post(url, {"kind": CheckinPurpose.WORK}, follow=True)
    again = client.post(url, {"kind": CheckinPurpose.WORK}, follow=True)
    assert messages_of(first) == ["签到成功：找工作。请到服务台，工作人员会为您办理。"]
    assert messages_of(again) == ["您今天已经签到过「找工作」了，不用再签。"]
    # On to the market's 今日零工 (a post has no board of its own).
    assert first.redirect_chain[-1][0] == reverse("markets:gigmarket-today", args=[market.pk])
    records = ServiceRecord.objects.filter(seeker=dora_seeker)
    assert list(records.values_list("service_point_id", "kind")) == [(post.pk, ServiceKind.CONSULTATION)]
    today = Period(TODAY, TODAY)
    assert kpi_value("served", today, Scope(site_id=post.pk)) == 1
    assert kpi_value("served", today, Scope(site_id=market.pk)) == 0


def test_anonymous_at_a_posts_qr_logs_in_back_to_it(client, post):
    shown = page(client.get(f"/markets/posts/{post.pk}/checkin/"))
    hrefs = [a["href"] for a in shown.find_all("a")]
    assert f"/accounts/login/?next=%2Fmarkets%2Fposts%2F{post.pk}%2Fcheckin%2F" in hrefs


def test_the_home_page_says_which_sites_are_demo(client, market, nursing_market, hr):
    assert page(client.get("/")).find(id="demo-sites") is None  # only the real sites: nothing to say
    ServicePointFactory(name="某某零工市场（演示）", is_demo=True)
    ServicePointFactory(name="某某青年驿站（演示）", kind=ServicePointKind.YOUTH_STATION, is_demo=True)
    GigPost.objects.create(  # a demo post is not one of the markets and stations the sentence counts
        kind=ServicePointKind.GIG_POST, name="某某零工驿站（演示）", market=market, area=street(), address="某社区",
        lat=27.87, lng=112.91, is_demo=True,
    )  # fmt: skip
    notice = page(client.get("/")).find(id="demo-sites")
    assert notice is not None and "其中 2 个是演示站点" in notice.text()
    real = {a.text(): a["href"] for a in notice.find_all("a")}
    assert real == {
        "雨湖零工市场": f"/markets/{market.pk}/",
        "岳塘区护理行业零工市场": f"/markets/{nursing_market.pk}/",
        "湘潭人才市场": f"/markets/hr/{hr.pk}/",
    }


def test_the_list_marks_demo_sites_and_shows_posts_and_the_hr_market(client, post, hr):
    GigPost.objects.create(
        kind=ServicePointKind.GIG_POST,
        name="步步高商圈零工驿站（演示）",
        market=post.market,
        area=street(),
        address="步步高广场",
        lat=27.85,
        lng=112.95,
        is_demo=True,
    )
    shown = page(client.get("/markets/"))
    posts = shown.find("section", **{"aria-labelledby": "posts-h"})
    items = {li.find("a").text(): li.text() for li in posts.find_all("li")}
    assert set(items) == {"车站路社区零工驿站", "步步高商圈零工驿站（演示）"}
    assert "演示" in items["步步高商圈零工驿站（演示）"].replace("（演示）", "")  # the badge, not only the name
    assert "演示" not in items["车站路社区零工驿站"]
    hr_section = shown.find("section", **{"aria-labelledby": "hr-h"})
    assert hr_section.find("a", href=f"/markets/hr/{hr.pk}/") is not None
