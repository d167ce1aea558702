"""Fixtures of the browser tests: one Chromium for the package, a phone or laptop page per test, the
live server, a real Celery worker, and screenshots of what the page showed when a test failed.

Run them with `make e2e` (which installs Debian's chromium first and sets E2E_REQUIRED=1, so that a
missing browser fails instead of skipping). Every test under tests/browser is marked ``browser``;
the ones that use ``worker`` are marked ``worker`` too.

The ORM and Playwright's event loop: Playwright's sync API runs its asyncio loop in this thread
(in a greenlet), so while the browser is open ``asyncio.get_running_loop()`` finds a running loop
here and Django refuses every ORM call (SynchronousOnlyOperation). The calls are not made from a
coroutine, though: they are plain synchronous calls of the test thread between browser steps, and
the loop is Playwright's own, running none of our code. So ``browser`` sets
DJANGO_ALLOW_ASYNC_UNSAFE for exactly as long as Playwright runs, which is this package's tests
(package scope: the rest of a whole-suite run gets neither the loop nor the variable), and the real
worker is started with the variable empty. Tests can thus create data and query the database at
any point, before, between and after browser steps.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer

from tests.browser import helpers
from tests.test_celery_worker import start_worker
from xiangtan_jobs.core.selectors import reference_data_forget

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HERE = Path(__file__).resolve().parent
ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# The worker runs with the real clock: no quiet hours, so what it does cannot depend on the hour.
WORKER_ENV = {"NOTIFY_QUIET_HOURS": "", ALLOW_ASYNC_UNSAFE: ""}
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
LOADS = pytest.StashKey[list[str]]()
# A page's own files: one of them failing to load fails the journey (issue 16).
ASSET_TYPES = frozenset({"stylesheet", "script", "image", "font", "media"})
# A public page with all it loads stays under 150 KB (issue 16); the staff's door page with its
# camera scanner, the admin and the bureau's pages are not public pages.
PUBLIC_PAGE_BYTES = 150 * 1024
NOT_PUBLIC = ("/admin/", "/dashboard/", "/api/")
CHECKIN_PAGE = re.compile(r"^/fairs/\d+/checkin/")
# Every page a journey visits reports when it finished loading (Navigation Timing's loadEventEnd)
# through the console; any page slower than this fails the journey (admin and bureau pages too). A smoke alarm, not a
# benchmark: the 2 s widened for a CI machine shared with the suite (a hung asset, a page
# that waits on something, shows as tens of seconds).
LOAD_ALARM_MS = 5000
LOAD_MARK = "xt-load-ms"
# Added by the DevTools protocol before any page script, so the pages' CSP does not apply to it.
LOAD_REPORTER = f"""addEventListener("load", () => setTimeout(() => {{
  const n = performance.getEntriesByType("navigation")[0];
  if (n && window === window.top) console.debug("{LOAD_MARK} " + Math.round(n.loadEventEnd) + " " + location.pathname);
}}, 0));"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "worker_env(**env): settings of the worker fixture's Celery process, e.g. NOTIFY_MIN_SCORE='0'",
    )
    config.addinivalue_line(
        "markers", "slow_load_expected: a test that makes a page slow on purpose (its load is recorded, not a fault)"
    )


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if "worker" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.worker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures can tell at teardown that the test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def _failed(node: pytest.Item) -> bool:
    return any(r.failed for r in node.stash.get(REPORTS, {}).values())


# --- the browser and its pages ------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright, once for all of tests/browser."""
    missing = helpers.browser_missing()
    if missing:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {missing}", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ALLOW_ASYNC_UNSAFE)
    os.environ[ALLOW_ASYNC_UNSAFE] = "true"  # see the module's docstring
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=helpers.CHROMIUM, args=helpers.CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ALLOW_ASYNC_UNSAFE, None)
        else:
            os.environ[ALLOW_ASYNC_UNSAFE] = previous


@pytest.fixture
def artifacts_dir(request: pytest.FixtureRequest) -> Path:
    """Where this test's screenshots, pages and logs go if it fails: var/e2e-artifacts/<test>/."""
    name = re.sub(r"[^\w.\-\[\]]+", "_", f"{request.node.module.__name__.rsplit('.', 1)[-1]}.{request.node.name}")
    path = Path(settings.VAR_DIR) / "e2e-artifacts" / name
    shutil.rmtree(path, ignore_errors=True)  # an earlier run's, no longer true
    return path


def _save(page: Page, where: Path, label: str, log: list[str]) -> None:
    where.mkdir(parents=True, exist_ok=True)
    (where / f"{label}.url.txt").write_text(page.url + "\n")
    (where / f"{label}.console.txt").write_text("\n".join(log) + "\n")
    try:
        page.screenshot(path=where / f"{label}.png", full_page=True)
        (where / f"{label}.html").write_text(page.content())
    except Exception as exc:  # the page may be gone; the test's own error matters more
        (where / f"{label}.error.txt").write_text(f"could not save the page: {exc!r}\n")


def _heavy_public_pages(responses: list[Any]) -> list[str]:
    """Public pages that weighed more than 150 KB with everything they loaded (bytes as sent).
    The staff's QR scanner page, the admin and the bureau's pages are not public pages."""
    groups: list[tuple[str, int]] = []
    for response in responses:
        req = response.request
        try:
            size = max(0, req.sizes()["responseBodySize"])
        except Exception:  # a response whose body is gone (a page left early) weighs nothing here
            size = 0
        if req.resource_type == "document" and req.frame.parent_frame is None:
            groups.append((response.url, size))
        elif groups:
            url, total = groups[-1]
            groups[-1] = (url, total + size)
    heavy = []
    for url, assets in groups:
        path = urlsplit(url).path
        if path.startswith(NOT_PUBLIC) or CHECKIN_PAGE.search(path):
            continue
        if assets > PUBLIC_PAGE_BYTES:
            heavy.append(f"{url} weighs {assets / 1024:.0f} KB with its assets (ceiling 150 KB)")
    return heavy


def _slow_page(report: str) -> str | None:
    """The fault of a page whose load (a LOAD_REPORTER line: mark, ms, path) took too long."""
    _mark, ms, path = report.split(" ", 2)
    if int(ms) < LOAD_ALARM_MS:
        return None
    return f"{path} took {int(ms)} ms to load (smoke alarm at {LOAD_ALARM_MS} ms)"


def _page(
    browser: Browser, request: pytest.FixtureRequest, where: Path, label: str, options: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(**helpers.LOCALE, **options)
    context.set_default_timeout(helpers.TIMEOUT_MS)
    context.set_default_navigation_timeout(helpers.TIMEOUT_MS)
    context.add_init_script(LOAD_REPORTER)
    page = context.new_page()
    log: list[str] = []
    loads: list[str] = request.node.stash.setdefault(LOADS, [])  # every page's load report, in order
    faults: list[str] = []  # what fails every journey: script errors and assets that did not load

    def on_console(message: Any) -> None:
        if message.text.startswith(LOAD_MARK):
            loads.append(message.text)
            slow = _slow_page(message.text)
            if slow and request.node.get_closest_marker("slow_load_expected") is None:
                faults.append(slow)
            return
        log.append(f"console.{message.type}: {message.text}")
        # A failed page (a 404 a test asks for) is logged too; assets are checked by their responses.
        # axe-core's own checks set inline styles, which the CSP refuses: the pages' own CSP is
        # test_csp.py's subject (every page loaded with no violation at all).
        if (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and "Applying inline style violates" not in message.text
        ):
            faults.append(f"console error: {message.text}")

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            faults.append(f"asset {response.url} answered {response.status}")

    responses: list[Any] = []  # every response, in order: documents start a page's group

    page.on("response", lambda r: responses.append(r))
    page.on("console", on_console)
    page.on("pageerror", lambda e: (log.append(f"page error: {e}"), faults.append(f"page error: {e}")))
    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda r: faults.append(f"asset {r.url} failed: {r.failure}") if r.resource_type in ASSET_TYPES else None,
    )
    try:
        yield page
        faults.extend(_heavy_public_pages(responses))
        if faults and not _failed(request.node):
            pytest.fail("the page had faults:\n" + "\n".join(faults), pytrace=False)
    finally:
        if _failed(request.node) or faults:
            _save(page, where, label, log)
        context.close()


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest, artifacts_dir: Path) -> Iterator[Page]:
    """A page on a 360 × 740 phone screen (touch, zh-CN, Asia/Shanghai), in a context of its own."""
    yield from _page(browser, request, artifacts_dir, "phone", helpers.PHONE)


@pytest.fixture
def laptop(browser: Browser, request: pytest.FixtureRequest, artifacts_dir: Path) -> Iterator[Page]:
    """A page on a 1280 × 800 screen (an operator's counter), zh-CN, Asia/Shanghai, its own context."""
    yield from _page(browser, request, artifacts_dir, "laptop", helpers.LAPTOP)


# --- the server and the worker ------------------------------------------------------------------


@pytest.fixture
def server(ref, transactional_db, live_server: LiveServer) -> Iterator[LiveServer]:
    """pytest-django's live server (``.url``) on a transactional test database with the reference
    data, fresh caches and a STATIC_ROOT (WhiteNoise warns, an error here, when it is missing).

    Transactional: the server's thread and the worker process must see what the test commits."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    cache.clear()
    reference_data_forget()
    yield live_server
    reference_data_forget()


@pytest.fixture
def worker(server, request: pytest.FixtureRequest, tmp_path: Path, artifacts_dir: Path) -> Iterator[helpers.Worker]:
    """A real Celery worker process on a queue of its own, on the configured broker and the test
    database; while the test runs, the tasks the live server queues go to that queue.

    ``@pytest.mark.worker_env(NAME="value")`` passes settings to the worker process. Poll the
    database for its work with ``worker.wait_until(lambda: ...)``."""
    from xiangtan_jobs.celery import app as celery_app

    marker = request.node.get_closest_marker("worker_env")
    env = {**WORKER_ENV, **(marker.kwargs if marker else {})}
    queue = f"e2e-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log_file:
        process = start_worker(queue, log_file, **env)
    handle = helpers.Worker(queue=queue, process=process, log_path=log_path)
    # The portal queues by task name without a queue (common/tasks.py), so the default queue is the
    # one to move; the server's thread shares this process's Celery app and sees the change.
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        routed = celery_app.amqp.router.route({}, "matching.match_posting")["queue"].name
        assert routed == queue, f"tasks would go to {routed!r}, not the worker's {queue!r} (task_routes?)"
        yield handle
    finally:
        celery_app.conf.task_default_queue = previous
        # Killed, not stopped warmly: the test has read what it needed from the database, and a
        # warm shutdown costs 2.5-4.5 s a test (the solo pool notices SIGTERM only at its next
        # broker poll, then takes seconds to exit). A task cut short rolls back; its message is
        # purged below; the log is complete (the handler flushes every line).
        process.kill()
        process.wait(timeout=30)
        _purge(celery_app, queue)
        if _failed(request.node):
            artifacts_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy(log_path, artifacts_dir / "worker.log")


def _purge(celery_app: Any, queue: str) -> None:
    """Drop what the test left on its queue (nothing consumes it again)."""
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)
