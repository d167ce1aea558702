"""Hand-built KPI facts: every edge case of docs/kpis.md, dated relative to tests.clock.TODAY."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from matching.enums import MatchStatus
from matching.models import Match
from matching.services.statuses import match_set_status
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.core.enums import EventKind, ServiceKind, UserRole
from xiangtan_jobs.core.models import ServicePoint, ServiceRecord, SiteEvent

# Earlier days of the same month as TODAY (2026-11-30), so "this month" and "this year" hold them.
DAY1 = NOON - dt.timedelta(days=10)  # 2026-11-20
DAY2 = NOON - dt.timedelta(days=5)  # 2026-11-25


@dataclass
class World:
    yuhu: ServicePoint
    other: ServicePoint
    demo_site: ServicePoint


def _move(match: Match, status: str, when: dt.datetime, actor) -> Match:
    with time_machine.travel(when, tick=False):
        return match_set_status(match=match, status=status, actor=actor)


@pytest.fixture
def world(frozen_clock, yuhu, yuetang_nursing, alice):
    """At 雨湖零工市场 (yuhu): 3 postings (headcount 2, 5 and a demo one of 9); 2 held recruitment
    events, 1 future one, 1 training event; served records with a repeated check-in; matches with an
    intention, a hire, a reversed intention, an application answered in time and one answered late.
    At 岳塘护理 (other): 1 posting of headcount 1 and 1 served record."""
    officer = UserFactory(role=UserRole.OPERATOR)
    demo_site = ServicePoint.objects.create(
        kind=yuhu.kind, name="演示零工市场", area=yuhu.area, address="x", lat=yuhu.lat, lng=yuhu.lng, is_demo=True
    )
    with time_machine.travel(DAY1, tick=False):
        p1 = PostingFactory(service_point=yuhu, headcount=2)
        p2 = PostingFactory(service_point=yuhu, headcount=5, title="护工", skills=[("养老护理员", True, 1)])
        PostingFactory(service_point=yuhu, headcount=9, is_demo=True)
        PostingFactory(service_point=demo_site, headcount=4)
        PostingFactory(service_point=yuhu, headcount=3, status="draft", published_at=None)
        PostingFactory(service_point=yuetang_nursing, headcount=1)
        s_mother = SeekerFactory(tags=["mother"], service_point=yuhu)
        s_older = SeekerFactory(tags=["older", "rural"], service_point=yuhu)
        s_plain = SeekerFactory(service_point=None)
        SeekerFactory(is_demo=True, service_point=yuhu)
    for days, kind in ((-12, EventKind.RECRUITMENT), (-3, EventKind.RECRUITMENT), (-1, EventKind.TRAINING)):
        start = NOON + dt.timedelta(days=days)
        SiteEvent.objects.create(service_point=yuhu, title="招聘", kind=kind, starts_at=start, ends_at=start)
    future = NOON + dt.timedelta(days=1)
    SiteEvent.objects.create(service_point=yuhu, title="将来", starts_at=future, ends_at=future)
    SiteEvent.objects.create(service_point=yuhu, title="演示", starts_at=DAY1, ends_at=DAY1, is_demo=True)

    def served(site, seeker, when, kind=ServiceKind.CONSULTATION):
        ServiceRecord.objects.create(service_point=site, seeker=seeker, kind=kind, served_at=when)

    served(yuhu, s_mother, DAY1)
    served(yuhu, s_mother, DAY1 + dt.timedelta(hours=2))  # repeated check-in: counts once
    served(yuhu, s_mother, DAY1 + dt.timedelta(hours=3), ServiceKind.TRAINING)  # another service
    served(yuhu, s_mother, DAY2)  # another day
    served(yuhu, s_older, DAY2)
    served(yuhu, None, DAY2)  # anonymous walk-ins count one each
    served(yuhu, None, DAY2)
    served(yuetang_nursing, s_plain, DAY2)
    served(demo_site, s_plain, DAY2)

    def match(posting, seeker, when):
        with time_machine.travel(when, tick=False):
            m = Match.objects.create(posting=posting, seeker=seeker, score=80)
            m.status = MatchStatus.APPLIED
            m.status_changed_at = when
            m.save()
        return m

    m1 = match(p1, s_mother, DAY1)  # answered 2 h later, intention, hired
    _move(m1, MatchStatus.INTERVIEW, DAY1 + dt.timedelta(hours=2), officer)
    _move(m1, MatchStatus.INTENTION, DAY2, officer)
    _move(m1, MatchStatus.HIRED, DAY2 + dt.timedelta(hours=1), officer)
    m2 = match(p2, s_older, DAY1)  # answered 4 days later (late); intention, then reversed
    _move(m2, MatchStatus.INTERVIEW, DAY1 + dt.timedelta(days=4), officer)
    _move(m2, MatchStatus.INTENTION, DAY2, officer)
    _move(m2, MatchStatus.DECLINED, DAY2 + dt.timedelta(hours=1), officer)
    m3 = match(p2, s_mother, DAY2)  # intention still standing
    _move(m3, MatchStatus.INTERVIEW, DAY2 + dt.timedelta(hours=1), officer)
    _move(m3, MatchStatus.INTENTION, DAY2 + dt.timedelta(hours=2), officer)
    match(p1, s_plain, DAY2)  # not answered yet
    return World(yuhu=yuhu, other=yuetang_nursing, demo_site=demo_site)
