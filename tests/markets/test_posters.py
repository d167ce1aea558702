"""A posting's A4 poster: a QR code to its page, the job in large type, linked from the job page
and the admin; never for a posting nobody can apply to."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import segno
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.clock import TODAY
from tests.factories import EmployerFactory, PostingFactory
from xiangtan_jobs.core.enums import PostingStatus

pytestmark = pytest.mark.django_db


def _poster(pk: int) -> str:
    return reverse("posters:posting-poster", args=[pk])


def test_the_address_is_stable():
    assert _poster(7) == "/jobs/7/poster/"


def test_poster_carries_the_qr_code_of_the_job_page(frozen_clock, client, market, make_gig, settings):
    settings.PUBLIC_URL = "https://jobs.xiangtan.example/"
    employer = EmployerFactory(name="湘潭市荆鹏家政服务有限公司")
    posting = PostingFactory(
        service_point=market,
        employer=employer,
        title="家庭保洁（日结）",
        wage_min=200,
        wage_max=200,
        contact_name="周经理",
        contact_phone="0731-58533441",
    )
    make_gig(market, TODAY + dt.timedelta(days=1), posting=posting, headcount=4, starts=dt.time(7, 30))

    response = client.get(_poster(posting.pk))

    url = f"https://jobs.xiangtan.example/jobs/{posting.pk}/"
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg == segno.make(url, error="m").svg_inline(scale=12, border=2, dark="#000", light="#fff", omitsize=True)
    # CSP: no inline style or script; A4 from the print stylesheet.
    assert 'style="' not in html and "<script" not in html
    assertContains(response, '<link rel="stylesheet" href="/static/css/markets-print.css">', html=True)
    assertContains(response, "<h1>家庭保洁（日结）</h1>", html=True)
    assertContains(response, '<p class="poster-wage">200 元/天</p>', html=True)
    assertContains(response, "<dd>湘潭市荆鹏家政服务有限公司</dd>", html=True)
    assertContains(response, "<dd>周经理 0731-58533441</dd>", html=True)
    assertContains(response, f'<p class="poster-url">{url}</p>', html=True)
    tomorrow = TODAY + dt.timedelta(days=1)
    assertContains(
        response,
        f"<tr><td>{tomorrow.month}月{tomorrow.day}日</td><td>07:30</td>"
        "<td>雨湖区湘潭汽车站北广场</td><td>4 人</td></tr>",
        html=True,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"status": PostingStatus.CLOSED},
        {"status": PostingStatus.DRAFT},
        {"status": PostingStatus.FILLED},
        {"expires_on": TODAY - dt.timedelta(days=1)},
    ],
)
def test_no_poster_for_a_posting_nobody_can_apply_to(frozen_clock, client, market, change):
    posting = PostingFactory(service_point=market, **change)
    assert client.get(_poster(posting.pk)).status_code == 404


def test_job_page_links_to_its_poster_while_open(frozen_clock, client, market):
    posting = PostingFactory(service_point=market)
    page = client.get(reverse("portal:posting-detail", args=[posting.pk]))
    assertContains(page, f'<a href="/jobs/{posting.pk}/poster/">打印招工海报（A4，带二维码）</a>', html=True)
    posting.status = PostingStatus.CLOSED
    posting.save()
    closed = client.get(reverse("portal:posting-detail", args=[posting.pk]))
    assertNotContains(closed, "/poster/")


def test_operator_prints_it_from_the_admin(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TODAY)
    client.force_login(alice)
    link = f'<a href="/jobs/{gig.posting_id}/poster/" target="_blank" rel="noopener">打印</a>'
    assertContains(client.get(reverse("admin:core_jobposting_changelist")), link, html=True)
    assertContains(client.get(reverse("admin:markets_daygig_changelist")), link, html=True)
