"""The one "now" of the tests that need a fixed moment: noon (outside quiet hours) of a fixed day.

Tests that build dated data take the `frozen_clock` fixture (tests/conftest.py), which stops the
clock here, and build their data relative to TODAY; code they call without `now=` then reads
the same moment, so the test passes on any real date and at any hour.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

NOON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOON.date()
