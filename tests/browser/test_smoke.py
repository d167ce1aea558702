"""A real browser on a 360-px phone screen: the main pages fit without sideways scrolling, the
registration's first screen has a label for every field, and the elder mode (长辈版) switch in
the header makes the main text at least 24 px (18 pt).

Needs Debian's chromium and the playwright package (not a project dependency); skipped without
them. Set CHROMIUM to use another Chromium binary.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import PostingFactory
from xiangtan_jobs.core.selectors import reference_data_forget

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
BODY_FONT_PX = "() => parseFloat(getComputedStyle(document.body).fontSize)"
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)"""


@pytest.fixture
def site(ref, live_server):
    """Two postings a keyword search finds, on a server the browser can reach."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    cache.clear()
    reference_data_forget()
    postings = [
        PostingFactory(title="小区保洁员（日结）", address="雨湖区雨湖路街道韶山路 88 号"),
        PostingFactory(title="商场保洁", older_ok=True, mother_flexible=True),
    ]
    yield live_server.url, postings
    reference_data_forget()


@pytest.fixture
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.set_default_timeout(10_000)
        yield context.new_page()
        browser.close()


def test_phone_pages_fit_and_elder_mode_makes_text_big(site, page):
    base, postings = site
    # Everything the database has to give is created above: from here on only the server (in
    # its own thread) touches it, so Playwright's event loop never meets the ORM.
    for path in ("/", "/jobs/?q=保洁", f"/jobs/{postings[0].pk}/", "/register/"):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "zh-CN", path
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 360 px"
    assert page.url.endswith("/register/account/")
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(BODY_FONT_PX) < 24

    page.goto(base + "/jobs/?q=保洁")
    assert page.locator(".job-card").count() == 2
    page.get_by_role("button", name="长辈版").click()
    page.wait_for_load_state()
    assert page.url.endswith("/jobs/?q=%E4%BF%9D%E6%B4%81")  # back where the reader was
    assert page.evaluate(BODY_FONT_PX) >= 24
    assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.job-card .meta')).fontSize)") >= 24
    apply_height = page.evaluate("() => document.querySelector('.job-card > a').getBoundingClientRect().height")
    assert apply_height >= 60
    assert page.evaluate(OVERFLOW) <= 0, "the elder mode scrolls sideways at 360 px"
    page.goto(base + "/")
    assert page.evaluate(BODY_FONT_PX) >= 24  # the choice sticks from page to page
