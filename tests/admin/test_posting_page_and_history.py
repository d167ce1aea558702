"""The posting's own admin page has the status buttons (publish, mark filled, close), scoped like the
list's actions; a match's history reads in words, local time and whole-number scores."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from matching.enums import MatchStatus
from tests.admin.helpers import admin_url
from tests.api.html import attrs, find_all, parse, text
from tests.clock import NOON
from xiangtan_jobs.core.enums import PostingStatus

pytestmark = pytest.mark.django_db


def _buttons(page) -> list[str]:
    root = parse(page.content.decode())
    return [
        attrs(b)["value"] for form in find_all(root, "form", class_="status-button") for b in find_all(form, "button")
    ]


def test_a_draft_is_published_from_its_own_page_and_then_offers_filled_and_close(client, alice, site_a):
    draft = site_a["draft"]
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "change", draft.pk))
    assert _buttons(page) == ["publish", "close"]
    done = client.post(f"/admin/core/jobposting/{draft.pk}/status/", {"do": "publish"}, follow=True)
    draft.refresh_from_db()
    assert draft.status in (PostingStatus.PUBLISHED, PostingStatus.PENDING_REVIEW)
    assert done.redirect_chain[-1][0] == admin_url("core_jobposting", "change", draft.pk)
    if draft.status == PostingStatus.PUBLISHED:
        assert _buttons(done) == ["mark_filled", "close"]
        client.post(f"/admin/core/jobposting/{draft.pk}/status/", {"do": "mark_filled"})
        draft.refresh_from_db()
        assert draft.status == PostingStatus.FILLED


def test_the_status_buttons_keep_to_the_operators_site(client, bob, site_a):
    published = site_a["published"]
    client.force_login(bob)
    assert client.post(f"/admin/core/jobposting/{published.pk}/status/", {"do": "close"}).status_code == 404
    published.refresh_from_db()
    assert published.status == PostingStatus.PUBLISHED
    assert client.get(f"/admin/core/jobposting/{published.pk}/status/").status_code in (404, 405)


def test_a_wrong_button_says_what_to_do(client, alice, site_a):
    published = site_a["published"]
    client.force_login(alice)
    page = client.post(f"/admin/core/jobposting/{published.pk}/status/", {"do": "delete"}, follow=True)
    assertContains(page, "请点页面上的按钮（发布、标记为已招满或结束招聘）。")
    published.refresh_from_db()
    assert published.status == PostingStatus.PUBLISHED


def test_match_history_in_words_local_time_and_whole_scores(client, alice, site_a):
    match = site_a["match"]
    match.score = 80.6
    with time_machine.travel(NOON.astimezone(dt.UTC) - dt.timedelta(hours=9), tick=False):  # 03:00 local
        match.status = MatchStatus.CONTACTED
        match.save()
    client.force_login(alice)
    page = client.get(admin_url("matching_match", "history", match.pk))
    body = text(parse(page.content.decode()))
    assert "已联系" in body and ">contacted<" not in page.content.decode()
    assert "03:00" in body  # Asia/Shanghai, not UTC (19:00)
    assertNotContains(page, "80.6")


def test_workplace_coordinates_default_to_the_streets_centre_and_stay_adjustable(client, alice, yuhu):
    from tests.admin.test_workflows import _posting_form
    from tests.factories import EmployerFactory, street
    from xiangtan_jobs.core.models import JobPosting

    employer = EmployerFactory(service_point=yuhu)
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "add"))
    assertContains(page, "留空取所在街道/乡镇的中心")
    resp = client.post(admin_url("core_jobposting", "add"), _posting_form(employer, lat="", lng=""))
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    posting = JobPosting.objects.get(title="小区保洁（日结）")
    assert (posting.lat, posting.lng) == (street().lat, street().lng)
    resp = client.post(
        admin_url("core_jobposting", "add"), _posting_form(employer, title="商场保洁", lat="27.8801", lng="112.9002")
    )
    assert resp.status_code == 302
    moved = JobPosting.objects.get(title="商场保洁")
    assert (moved.lat, moved.lng) == (27.8801, 112.9002)
