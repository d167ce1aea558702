"""Journey 2 (issue 16): the seeker's pages in elder mode (长辈版) at 200 % zoom on a 1280-wide
window — a 640-px layout viewport at twice the pixel density, which is what the browser's zoom
gives — fit without sideways scrolling, and no text is clipped or lies on top of other text
(checked by script over every text leaf of the page, not by eye).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import LOCALE
from tests.factories import PostingFactory

pytestmark = pytest.mark.browser

ZOOMED = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Visible elements (checkVisibility: not in a closed <details>, not hidden) with text of their
# own and no element children: their boxes must not overlap
# (1 px of slack for borders), and none may hide its text (scroll size beyond its box with
# overflow hidden).
LAYOUT_FAULTS = """() => {
  const leaves = [...document.body.querySelectorAll('*')].filter(e =>
    e.children.length === 0 && e.textContent.trim() && e.getClientRects().length &&
    e.checkVisibility({visibilityProperty: true, opacityProperty: true}) && !e.closest('.sr-only'));
  // Line boxes, not the bounding box: a link wrapped over two lines covers the width of both.
  const boxes = leaves.map(e => [e, [...e.getClientRects()]]);
  const hit = (r, s) => Math.min(r.right, s.right) - Math.max(r.left, s.left) > 1 &&
    Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 1;
  const faults = [];
  for (let i = 0; i < boxes.length; i++) {
    const [a, rs] = boxes[i];
    const style = getComputedStyle(a);
    if ((style.overflow === 'hidden' || style.textOverflow === 'ellipsis') &&
        (a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > a.clientHeight + 1))
      faults.push('clipped: ' + a.textContent.trim().slice(0, 30));
    for (let j = i + 1; j < boxes.length; j++) {
      const [b, ss] = boxes[j];
      if (rs.some(r => ss.some(s => hit(r, s))))
        faults.push('overlap: ' + a.textContent.trim().slice(0, 20) + ' / ' + b.textContent.trim().slice(0, 20));
    }
  }
  return faults;
}"""


def test_elder_mode_at_200_percent_fits_and_nothing_overlaps(server, browser):
    posting = PostingFactory(title="小区保洁员（日结）", address="雨湖区雨湖路街道韶山路 88 号", older_ok=True)
    context = browser.new_context(**LOCALE, **ZOOMED)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.get_by_role("button", name="长辈版").click()
        page.wait_for_load_state()
        for path in ("/", "/jobs/?q=保洁", f"/jobs/{posting.pk}/", "/register/", "/accounts/login/", "/fairs/"):
            response = page.goto(server.url + path)
            assert response is not None and response.status == 200, path
            assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 24, path
            assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways in elder mode at 200 %"
            faults = page.evaluate(LAYOUT_FAULTS)
            assert faults == [], f"{path}: {faults}"
    finally:
        context.close()
