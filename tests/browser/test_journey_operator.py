"""Journey of an operator of 雨湖零工市场 on a 1280 × 800 laptop (issue 16, journey 3): logs into
the admin, creates a posting with the form and publishes it, sees the recommended seeker appear
through the real worker, opens an applicant's match (full name and phone, the look audit-logged),
moves it step by step to 达成意向; another site's posting by URL answers 404.

Run with `make e2e` (see conftest.py for the fixtures).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_apply
from tests.browser.helpers import check_a11y
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import AccessLog, JobPosting

pytestmark = pytest.mark.browser


def pick(page: Page, field: str, typed: str, option: str) -> None:
    """Choose in one of the admin's autocomplete (select2) fields as a person does: open, type, click."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def run_action(page: Page, value: str) -> None:
    page.locator("select[name=action]").select_option(value)
    page.get_by_role("button", name="执行").click()


def test_operator_publishes_sees_matches_contacts_and_reaches_an_intention(
    server, worker, alice, bob, yuhu, yuetang_nursing, laptop
):
    EmployerFactory(name="雨湖保洁服务有限公司", service_point=yuhu)  # verified: publishes at once
    seeker = SeekerFactory(name="李桂兰", phone="13911112222", skills=[("保洁员", 4, False)])
    elsewhere = PostingFactory(service_point=yuetang_nursing, title="岳塘护理员")
    seeker_user = UserFactory(username="seeker-ligl")
    seeker.user = seeker_user
    seeker.save(update_fields=["user"])

    page = laptop
    page.goto(f"{server.url}/admin/login/?next=/admin/core/jobposting/add/")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill("pass-12345")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("增加"))).to_be_visible()

    page.get_by_label("岗位名称").fill("雨湖小区日结保洁")
    pick(page, "employer", "雨湖保洁", "雨湖保洁服务有限公司")
    pick(page, "area", "雨湖路", "雨湖路街道")
    page.get_by_label("用工形式").select_option(label="日结零工")
    page.get_by_label("薪资下限(元)").fill("150")
    page.get_by_label("薪资上限(元)").fill("180")
    page.get_by_label("计薪单位").select_option(label="元/天")
    page.get_by_label("招聘人数").fill("2")
    pick(page, "posting_skills-0-skill", "保洁", "保洁员")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("雨湖小区日结保洁")
    posting = JobPosting.objects.get(title="雨湖小区日结保洁")
    assert posting.service_point_id == yuhu.pk and posting.status == PostingStatus.DRAFT
    # The form left the coordinates empty: the street's centre stands in (nobody types degrees).
    assert posting.lat and posting.lng

    page.locator(f"input[name=_selected_action][value='{posting.pk}']").check()
    run_action(page, "publish")
    expect(page.get_by_text("已发布或送审：1 个岗位")).to_be_visible()
    match = worker.wait_until(
        lambda: Match.objects.filter(posting=posting, seeker=seeker, is_current=True).first(),
        what="the worker to store the recommendation of the published posting",
    )

    # The recommendation shows masked: she has not applied, so her contact is not the site's yet.
    page.goto(f"{server.url}/admin/matching/match/?posting__id__exact={posting.pk}")
    expect(page.locator("#result_list")).to_contain_text("李*")
    expect(page.locator("#result_list")).not_to_contain_text("13911112222")
    check_a11y(page)

    match_apply(seeker=seeker, posting=posting, actor=seeker_user)  # she applies from her phone
    page.goto(f"{server.url}/admin/matching/match/{match.pk}/change/")
    expect(page.locator("a.tel")).to_have_attribute("href", "tel:13911112222")
    expect(page.get_by_text("李桂兰")).to_be_visible()
    assert AccessLog.objects.filter(user=alice, seeker=seeker, action="view_contact").count() == 1

    page.goto(f"{server.url}/admin/matching/match/?posting__id__exact={posting.pk}")
    page.locator(f"input[name=_selected_action][value='{match.pk}']").check()
    run_action(page, "to_contacted")
    expect(page.get_by_text("已改为「已联系」：1 条")).to_be_visible()
    page.locator(f"input[name=_selected_action][value='{match.pk}']").check()
    run_action(page, "to_interview")
    page.get_by_label("面试地点").fill("雨湖零工市场二楼")
    page.get_by_role("button", name=re.compile("确定|安排")).click()
    expect(page.get_by_text("已改为「面试中」：1 条")).to_be_visible()
    page.locator(f"input[name=_selected_action][value='{match.pk}']").check()
    run_action(page, "to_intention")
    expect(page.get_by_text("已改为「达成意向」：1 条")).to_be_visible()
    match.refresh_from_db()
    assert match.status == MatchStatus.INTENTION and match.status_changed_by == alice

    response = page.goto(f"{server.url}/admin/core/jobposting/{elsewhere.pk}/change/")
    assert response is not None and response.status == 404
