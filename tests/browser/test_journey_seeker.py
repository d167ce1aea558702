"""Journey of a seeker on a 360 × 740 phone (issue 16, journey 1): home → search 保洁 near 雨湖区 →
day gigs → a posting →
apply while logged out → register (a wrong phone and a wrong ID number corrected on the way) → back
at the job → apply → sees the application's status change when the operator acts.

Run with `make e2e` (see conftest.py for the fixtures).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_set_status
from tests.browser.helpers import check_a11y
from tests.factories import EmployerFactory, PostingFactory, street
from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.browser

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def resident_id(first17: str) -> str:
    """A resident ID number with its check digit (GB 11643, ISO 7064 MOD 11-2), written here
    independently of the portal's validator."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_seeker_finds_applies_registers_and_hears_back(server, yuhu, alice, phone):
    employer = EmployerFactory(name="雨湖保洁服务有限公司", service_point=yuhu)
    PostingFactory(employer=employer, service_point=yuhu, title="岳塘商场保洁", area=street("书院路街道"))
    PostingFactory(employer=employer, service_point=yuhu, title="雨湖写字楼保洁（全职）", work_type=WorkType.FULL)
    posting = PostingFactory(
        employer=employer,
        service_point=yuhu,
        title="雨湖小区日结保洁",
        work_type=WorkType.DAY,
        wage_min=150,
        wage_max=180,
        wage_unit="day",
    )
    good_id = resident_id("43030219750301002")
    wrong_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")

    page = phone
    page.goto(server.url + "/")
    page.get_by_label("想做什么工作").fill("保洁")
    page.get_by_label("想做什么工作").press("Enter")
    # Near home, and only day gigs: the filters, opened from their button on the phone.
    page.get_by_text("筛选条件").click()
    page.get_by_label("区县").select_option(label="雨湖区")
    page.get_by_label("日结零工").check()
    page.get_by_role("button", name="看结果").click()
    expect(page.locator(".chips")).to_contain_text("雨湖区")
    assert page.locator(".job-card").count() == 1
    page.get_by_role("link", name="雨湖小区日结保洁").click()
    expect(page.get_by_role("heading", name="雨湖小区日结保洁")).to_be_visible()
    page.get_by_role("button", name="申请这个岗位").click()

    # Logged out: the login page says why, and its registration link keeps the job.
    expect(page.locator("main")).to_contain_text("雨湖小区日结保洁")
    page.get_by_role("link", name="做求职登记").click()

    page.get_by_label("手机号").fill("1391111222")  # one digit short
    page.get_by_label("设置密码").fill("Xt-2026-baojie")
    page.get_by_label("再输一次密码").fill("Xt-2026-baojie")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#id_phone-error")).to_be_visible()
    page.get_by_label("手机号").fill("13911112222")
    page.get_by_label("设置密码").fill("Xt-2026-baojie")
    page.get_by_label("再输一次密码").fill("Xt-2026-baojie")
    page.get_by_role("button", name="下一步").click()

    check_a11y(page)  # each step of the registration, as it first shows
    page.get_by_label("姓名").fill("李桂兰")
    page.get_by_label("出生年份").fill("1975")
    page.get_by_label("住在哪个街道或乡镇").select_option(label="雨湖路街道")
    page.get_by_label("身份证号（可不填）").fill(wrong_id)
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#id_id_number-error")).to_be_visible()
    page.get_by_label("身份证号（可不填）").fill(good_id)
    page.get_by_role("button", name="下一步").click()

    check_a11y(page)
    page.locator("#id_skill_1").select_option(label="保洁员")  # the first of three skill rows
    page.get_by_role("button", name="下一步").click()
    check_a11y(page)
    page.get_by_role("button", name="下一步").click()  # the wishes' defaults are fine
    check_a11y(page)
    page.get_by_label("我已阅读并同意《个人信息保护告知书》").check()
    page.get_by_role("button", name="同意并提交登记").click()

    # Back at the job, the apply step ready: one tap confirms.
    expect(page.get_by_role("heading", name="确认申请")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    page.get_by_role("button", name="确认申请").click()
    registration = SeekerRegistration.objects.get(name="李桂兰")
    match = Match.objects.get(posting=posting, seeker=registration)
    assert match.status == MatchStatus.APPLIED

    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice)  # the operator calls her
    page.goto(server.url + "/me/")
    expect(page.locator("main")).to_contain_text("已联系")
    check_a11y(page)
    assert page.evaluate(OVERFLOW) <= 0
