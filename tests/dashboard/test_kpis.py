"""Each KPI of docs/kpis.md on hand-built facts, with its edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import TODAY
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

pytestmark = pytest.mark.django_db

MONTH = Period(TODAY.replace(day=1), TODAY)


@pytest.mark.parametrize(
    ("code", "city", "at_yuhu"),
    [
        ("postings", 3, 2),  # demo posting, demo site's posting and the draft do not count
        ("positions", 2 + 5 + 1, 2 + 5),  # by headcount
        ("events", 2, 2),  # held recruitment events only: not the future one, training or demo
        # mother: DAY1 consultation once (repeat), DAY1 training, DAY2 consultation; older DAY2;
        # two anonymous; 岳塘 1; demo site excluded
        ("served", 7, 6),
        ("intentions", 2, 2),  # the reversed one no longer counts; the hire counts
        ("hires", 1, 1),
        ("registered", 3, 2),  # the demo seeker does not count
        ("active", 3, 2),
        ("applications", 4, 4),
        ("answered", 2, 2),  # in 2 h and in 1 h; one after 4 days is late; one not answered
        ("trained", 1, 1),
        ("fair_checkins", 0, 0),
    ],
)
def test_kpi_values(world, code, city, at_yuhu):
    assert kpi_value(code, MONTH) == city
    assert kpi_value(code, MONTH, Scope(site_id=world.yuhu.pk)) == at_yuhu


def test_demo_included_when_asked(world):
    assert kpi_value("postings", MONTH, Scope(include_demo=True)) == 5
    assert kpi_value("positions", MONTH, Scope(include_demo=True)) == 8 + 9 + 4


def test_key_group_filter(world):
    assert kpi_value("served", MONTH, Scope(group="mother")) == 3
    assert kpi_value("served", MONTH, Scope(group="older")) == 1
    assert kpi_value("intentions", MONTH, Scope(group="mother")) == 2
    assert kpi_value("intentions", MONTH, Scope(group="older")) == 0  # reversed
    assert kpi_value("registered", MONTH, Scope(group="rural")) == 1
    assert kpi_value("postings", MONTH, Scope(group="mother")) == 0  # not about people


def test_district_filter(world):
    district = world.yuhu.area.parent or world.yuhu.area
    assert kpi_value("events", MONTH, Scope(district_id=district.pk)) == 2


def test_period_bounds_and_previous():
    assert Period(dt.date(2026, 1, 1), dt.date(2026, 11, 30)).previous() == Period(
        dt.date(2025, 1, 1), dt.date(2025, 11, 30)
    )
    assert Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)).previous() == Period(
        dt.date(2026, 10, 2), dt.date(2026, 10, 31)
    )


def test_intention_dated_when_reached(world):
    before = Period(TODAY.replace(day=1), TODAY - dt.timedelta(days=6))  # up to the 24th: before DAY2
    assert kpi_value("intentions", before) == 0
