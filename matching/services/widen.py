"""What would widen a seeker's choice when nothing suitable is in range (issue 18).

With the reach guarantee, a seeker is shown nothing only when no posting in their range suits them
(or, rarely, every one that does is at its hard cap). Their page then says so and what would help:
a longer commute, every work type, and the nearest service point, whose staff register walk-ins,
run courses and know the jobs not yet online. Computed on that page only (a few milliseconds: the
same ranking as one seeker's matching, with the wider wishes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from matching.engine.index import PostingIndex
from matching.engine.ranking import rank_for_seeker
from matching.engine.skills import SkillTable
from matching.engine.types import DEFAULT_WEIGHTS, SeekerIn
from matching.selectors import engine_seekers, engine_skills
from xiangtan_jobs.core.models import SeekerRegistration, ServicePoint
from xiangtan_jobs.core.selectors.geo import km_between

from .pipeline import ENGINE_PARAMS, _postings_near_skills

# A wider range worth suggesting: twice today's, at least 10 km more, at most the city's 50 km.
WIDEST_KM = 50.0


@dataclass(frozen=True)
class WidenHints:
    """How many suitable postings there are now, and with wider wishes; the nearest service point."""

    suitable: int
    wider_km: float | None
    wider_count: int
    any_type_count: int | None  # None: the seeker already takes every work type
    nearest: ServicePoint | None
    nearest_km: float | None


def _suitable(seeker: SeekerIn, now: dt.datetime | None) -> int:
    table = SkillTable.build(engine_skills().values())
    index = PostingIndex.build(_postings_near_skills(seeker, now), table)
    return len(rank_for_seeker(seeker, index, ENGINE_PARAMS, DEFAULT_WEIGHTS))


def seeker_widen_hints(*, seeker: SeekerRegistration, now: dt.datetime | None = None) -> WidenHints | None:
    """The hints for an active seeker (None when the registration is not matchable)."""
    found = engine_seekers(SeekerRegistration.objects.filter(pk=seeker.pk))
    if not found:
        return None
    me = found[0]
    wider_km = min(WIDEST_KM, max(me.travel_km * 2, me.travel_km + 10))
    wider = _suitable(dataclasses.replace(me, travel_km=wider_km), now) if wider_km > me.travel_km else 0
    any_type = _suitable(dataclasses.replace(me, work_types=frozenset()), now) if me.work_types else None
    points = [(km_between(me.lat, me.lng, p.lat, p.lng), p.pk, p) for p in ServicePoint.objects.active()]
    nearest = min(points, default=None)
    return WidenHints(
        suitable=_suitable(me, now),
        wider_km=wider_km if wider_km > me.travel_km else None,
        wider_count=wider,
        any_type_count=any_type,
        nearest=nearest[2] if nearest else None,
        nearest_km=round(nearest[0], 1) if nearest else None,
    )
