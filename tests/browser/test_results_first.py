"""Phones see results first (issue 10): after a filter is applied the panel is folded and the count
and the first result are on the first screen, in the standard and the elder mode; the district
choice works without JavaScript; "near me" takes the phone's location only when it is allowed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.factories import PostingFactory, street

pytestmark = pytest.mark.browser

ON_FIRST_SCREEN = """sel => { const e = document.querySelector(sel); if (!e) return false;
  const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"""


@pytest.fixture
def postings(ref):
    area = street()
    return [PostingFactory(title=f"雨湖小区保洁员 {i}号楼", area=area, older_ok=True) for i in range(1, 6)]


def _filtered(page, server):
    page.goto(server.url + "/jobs/?q=保洁")
    page.get_by_text("筛选条件").click()
    page.get_by_label("区县").select_option(label="雨湖区")
    page.get_by_label("日结零工").check()
    page.get_by_role("button", name="看结果").click()
    page.wait_for_load_state()


def test_after_a_filter_the_count_and_first_result_are_on_the_first_screen(server, phone, postings):
    _filtered(phone, server)
    expect(phone.locator(".chips")).to_contain_text("雨湖区")
    assert phone.evaluate("() => document.querySelector('details.filters').open") is False
    expect(phone.locator("details.filters summary")).to_contain_text("已选 3 项")
    assert phone.evaluate(ON_FIRST_SCREEN, "p.count"), "the count is below the first screen"
    assert phone.evaluate(ON_FIRST_SCREEN, ".job-card"), "the first result is below the first screen"
    # The elder mode: bigger everything (the header alone is half a screen), and still the filter
    # button, the count and the first result on the first screen: the form sends the reader to them.
    phone.get_by_role("button", name="长辈版").click()
    phone.wait_for_load_state()
    _filtered(phone, server)
    assert phone.evaluate(ON_FIRST_SCREEN, "details.filters summary")
    assert phone.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 24
    assert phone.evaluate("() => document.querySelector('details.filters').open") is False
    assert phone.evaluate(ON_FIRST_SCREEN, "p.count"), "elder mode: the count is below the first screen"
    assert phone.evaluate(ON_FIRST_SCREEN, ".job-card h3"), "elder mode: no result on the first screen"


def test_the_district_choice_works_without_javascript(server, browser, postings):
    context = browser.new_context(**helpers.LOCALE, **helpers.PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        _filtered(page, server)
        expect(page.locator(".chips")).to_contain_text("雨湖区")
        assert page.locator(".job-card").count() == 5
        expect(page.get_by_role("button", name="用我现在的位置")).to_be_hidden()
    finally:
        context.close()


def test_near_me_uses_the_location_only_when_allowed(server, browser, postings):
    allowed = browser.new_context(
        **helpers.LOCALE, **helpers.PHONE, geolocation={"latitude": 27.8712, "longitude": 112.9104},
        permissions=["geolocation"],
    )  # fmt: skip
    try:
        page = allowed.new_page()
        page.goto(server.url + "/jobs/")
        page.get_by_text("筛选条件").click()
        page.get_by_role("button", name="用我现在的位置").click()
        page.wait_for_url(re.compile(r"near=27\.871%2C112\.910"))
        assert "sort=near" in page.url
        assert page.locator(".job-card").count() == 5
        expect(page.locator(".chips")).to_contain_text("按距离筛选")
        expect(page.locator(".job-card").first).to_contain_text("公里")
    finally:
        allowed.close()
    refused = browser.new_context(**helpers.LOCALE, **helpers.PHONE, permissions=[])
    try:
        page = refused.new_page()
        page.goto(server.url + "/jobs/")
        page.get_by_text("筛选条件").click()
        page.get_by_role("button", name="用我现在的位置").click()
        expect(page.locator("[data-near-me-status]")).to_contain_text("没有拿到您的位置")
        assert "near=" not in page.url
    finally:
        refused.close()
