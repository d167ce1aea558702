"""A real browser on a 360-px phone screen: the main pages fit without sideways scrolling, have no
serious accessibility violations (axe-core), the registration's first screen has a label for every
field, and the elder mode (长辈版) switch in the header makes the main text at least 24 px (18 pt).
And on an operator's laptop: publishing a posting in the admin reaches stored matches through a
real Celery worker.

Run with `make e2e` (see conftest.py for the fixtures).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matching.models import Match
from tests.browser.helpers import check_a11y
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import PostingStatus

pytestmark = pytest.mark.browser

# The layout viewport (clientWidth), not innerWidth: a phone zooms out to show a too-wide page,
# which makes innerWidth grow with it.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
BODY_FONT_PX = "() => parseFloat(getComputedStyle(document.body).fontSize)"
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)"""


@pytest.fixture
def postings(server):
    """Two postings a keyword search for 保洁 finds."""
    return [
        PostingFactory(title="小区保洁员（日结）", address="雨湖区雨湖路街道韶山路 88 号"),
        PostingFactory(title="商场保洁", older_ok=True, mother_flexible=True),
    ]


def test_phone_pages_fit_and_elder_mode_makes_text_big(server, postings, phone):
    base = server.url
    for path in ("/", "/jobs/?q=保洁", f"/jobs/{postings[0].pk}/", "/register/"):
        response = phone.goto(base + path)
        assert response is not None and response.status == 200, path
        assert phone.locator("html").get_attribute("lang") == "zh-CN", path
        assert phone.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 360 px"
    assert phone.url.endswith("/register/account/")
    assert phone.evaluate(UNLABELLED) == []
    assert phone.evaluate(BODY_FONT_PX) < 24

    phone.goto(base + "/jobs/?q=保洁")
    assert phone.locator(".job-card").count() == 2
    phone.get_by_role("button", name="长辈版").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/jobs/?q=%E4%BF%9D%E6%B4%81")  # back where the reader was
    assert phone.evaluate(BODY_FONT_PX) >= 24
    meta_px = "() => parseFloat(getComputedStyle(document.querySelector('.job-card .meta')).fontSize)"
    assert phone.evaluate(meta_px) >= 24
    apply_height = phone.evaluate("() => document.querySelector('.job-card > a').getBoundingClientRect().height")
    assert apply_height >= 60
    assert phone.evaluate(OVERFLOW) <= 0, "the elder mode scrolls sideways at 360 px"
    phone.goto(base + "/")
    assert phone.evaluate(BODY_FONT_PX) >= 24  # the choice sticks from page to page


# What the page and everything it loaded weigh (bytes as sent, before decompression), and when it
# finished loading (Navigation Timing), read in the browser.
WEIGHT = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)"""
LOAD_MS = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
PAGES = {
    "home": "/",
    "job list": "/jobs/?q=保洁",
    "job detail": "/jobs/{pk}/",
    "registration": "/register/",
    "login": "/accounts/login/?next=/me/",
    "fairs": "/fairs/",
    "markets": "/markets/",
    "stations": "/stations/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_page_has_no_serious_accessibility_violations(server, postings, phone, name):
    response = phone.goto(server.url + PAGES[name].format(pk=postings[0].pk))
    assert response is not None and response.status == 200
    check_a11y(phone)
    phone.wait_for_load_state("load")
    # Smoke alarms, not benchmarks: a public page over 150 KB or a load over 5 s (the 2 s,
    # widened for a CI machine shared with the suite) means something grew or hung.
    weight = phone.evaluate(WEIGHT)
    assert weight <= 150 * 1024, f"{name} weighs {weight / 1024:.0f} KB (ceiling 150 KB)"
    load_ms = phone.evaluate(LOAD_MS)
    assert 0 < load_ms < 5000, f"{name} took {load_ms:.0f} ms to load"


def test_publishing_in_the_admin_reaches_matches_through_the_real_worker(server, worker, alice, yuhu, laptop):
    employer = EmployerFactory(name="雨湖保洁服务有限公司", service_point=yuhu)  # verified: publishes at once
    posting = PostingFactory(
        employer=employer, service_point=yuhu, title="雨湖家政保洁", status=PostingStatus.DRAFT, published_at=None
    )
    seeker = SeekerFactory(skills=[("保洁员", 4, False)])

    laptop.goto(f"{server.url}/admin/login/?next=/admin/core/jobposting/")
    laptop.get_by_label("用户名").fill("alice")
    laptop.get_by_label("密码").fill("pass-12345")
    laptop.get_by_role("button", name="登录").click()
    laptop.locator(f"input[name=_selected_action][value='{posting.pk}']").check()
    laptop.locator("select[name=action]").select_option("publish")
    laptop.get_by_role("button", name="执行").click()
    expect(laptop.get_by_text("已发布或送审：1 个岗位")).to_be_visible()

    # The request committed the publication and queued matching.match_posting on commit; the
    # worker process, not this one, writes the match.
    match = worker.wait_until(
        lambda: Match.objects.filter(posting=posting, seeker=seeker, is_current=True).first(),
        what="the worker to store the match of the published posting",
    )
    assert match.reasons
    assert Match.objects.filter(posting=posting).count() == 1
    assert "matching.match_posting" in worker.log_tail(20_000)


def test_every_page_a_journey_visits_reports_its_load_time(server, postings, phone, request):
    """The page fixture hears each visited page's load time (the alarm of every journey)."""
    from tests.browser.conftest import LOADS

    phone.goto(server.url + "/")
    phone.goto(server.url + f"/jobs/{postings[0].pk}/")
    phone.wait_for_load_state("load")
    phone.wait_for_timeout(200)  # the report is logged just after the load event
    paths = [line.split(" ", 2)[2] for line in request.node.stash[LOADS]]
    assert paths == ["/", f"/jobs/{postings[0].pk}/"]
    assert all(0 < int(line.split(" ")[1]) < 5000 for line in request.node.stash[LOADS])


@pytest.mark.slow_load_expected
def test_a_public_page_slower_than_the_alarm_is_a_fault_of_the_journey(server, phone, request):
    """A stylesheet held back 5.5 s makes the home page load past the alarm: the fixture would fail
    the journey (this test only, marked, records it instead)."""
    from tests.browser.conftest import LOAD_ALARM_MS, LOADS, _slow_page

    def late(route):
        phone.wait_for_timeout(LOAD_ALARM_MS + 500)
        route.continue_()

    phone.route("**/*.css", late)
    phone.goto(server.url + "/", timeout=30_000)
    phone.wait_for_timeout(200)
    (report,) = request.node.stash[LOADS]
    assert int(report.split(" ")[1]) > LOAD_ALARM_MS
    assert _slow_page(report) == f"/ took {report.split(' ')[1]} ms to load (smoke alarm at 5000 ms)"
