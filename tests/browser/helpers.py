"""Helpers of the browser tests: where Chromium is, the accessibility check, waiting on the real
worker. The fixtures that use them are in conftest.py.

Playwright and axe are imported inside the functions that need them: this module (and conftest.py)
is also imported by a plain `pytest` run, which must not depend on them.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

T = TypeVar("T")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags Debian's chromium needs in a container without a screen or a user namespace. Playwright adds a fresh
# --user-data-dir (a temporary profile) of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A phone as the seekers have: it honours <meta name="viewport"> and zooms out a too-wide page
# (measure sideways scrolling with clientWidth, not innerWidth, which grows with that zoom).
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# An operator's counter.
LAPTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
# Every context: the language and clock of a reader in Xiangtan.
LOCALE: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TIMEOUT_MS = 10_000


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return (
            f"no Chromium at {CHROMIUM} (scripts/install-browser installs Debian's chromium; CHROMIUM=path for another)"
        )
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (it comes from requirements-dev.lock)"
    return None


# --- accessibility ----------------------------------------------------------------------------

# WCAG 2.0 and 2.1, levels A and AA (GB/T 37668 follows WCAG 2.0 AA): the rules axe-core tags so.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
TARGETS_SHOWN = 3

_axe: Any = None


def _axe_instance() -> Any:
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def _selector(target: Any) -> str:
    # A node inside an iframe or a shadow root has a list of selectors, outermost first.
    return " >> ".join(_selector(t) for t in target) if isinstance(target, list) else str(target)


def a11y_violations(page: Page, *, context: Any = None, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of the WCAG 2.0/2.1 A and AA rules on the page
    as it is now (``context``: a CSS selector, or axe's include/exclude dict, to check a part;
    ``rules``: only these rule ids, e.g. to check that one known violation is gone)."""
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    results = _axe_instance().run(page, context=context, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]


def format_violations(violations: list[dict[str, Any]], where: str) -> str:
    lines = [f"{len(violations)} serious/critical accessibility violation(s) (axe-core, WCAG 2.x A/AA) on {where}:"]
    for v in violations:
        nodes = v["nodes"]
        shown = ", ".join(_selector(n["target"]) for n in nodes[:TARGETS_SHOWN])
        more = f" (+{len(nodes) - TARGETS_SHOWN} more)" if len(nodes) > TARGETS_SHOWN else ""
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        lines.append(f"    {shown}{more}")
        summary = (nodes[0].get("failureSummary") or "").replace("\n", " ").strip()
        if summary:
            lines.append(f"    first: {summary[:300]}")
    return "\n".join(lines)


def check_a11y(page: Page, *, context: Any = None, rules: list[str] | None = None) -> None:
    """Fail with a readable list (rule, impact, help, the first elements) when axe-core finds
    serious or critical WCAG 2.0/2.1 A/AA violations on the page as it is now."""
    violations = a11y_violations(page, context=context, rules=rules)
    if violations:
        pytest.fail(format_violations(violations, page.url), pytrace=False)


# --- waiting on the worker -----------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 60.0,
    *,
    interval: float = 0.2,
    what: str = "the condition",
    diagnose: Callable[[], str] | None = None,
) -> T:
    """Call ``predicate`` (typically a database query) until it returns something truthy, and return
    that; fail after ``timeout`` seconds with ``what`` and ``diagnose()`` (e.g. the worker's log)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{diagnose()}" if diagnose else ""
            pytest.fail(f"waited {timeout:.0f} s for {what}{detail}", pytrace=False)
        time.sleep(interval)


@dataclass
class Worker:
    """A real Celery worker process consuming ``queue``, where the portal's tasks go during the test."""

    queue: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-chars:]

    def diagnose(self) -> str:
        state = "running" if self.process.poll() is None else f"exited with {self.process.returncode}"
        return f"worker on queue {self.queue} ({state}); the end of its log:\n{self.log_tail()}"

    def wait_until(self, predicate: Callable[[], T], timeout: float = 60.0, *, what: str = "the condition") -> T:
        """``wait_until`` that also fails at once if the worker died, both times with its log."""

        def alive_and(predicate: Callable[[], T] = predicate) -> T:
            if self.process.poll() is not None:
                pytest.fail(f"the worker died while waiting for {what}\n{self.diagnose()}", pytrace=False)
            return predicate()

        return wait_until(alive_and, timeout, what=what, diagnose=self.diagnose)
