"""Supply and demand by skill, wages per trade, and where postings and seekers are (live, cached)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus
from xiangtan_jobs.core.models import JobPosting, PostingSkill, SeekerRegistration, SeekerSkill, Skill
from xiangtan_jobs.core.models.postings import DAYS_PER_MONTH
from xiangtan_jobs.core.selectors.reference import reference_data

CACHE_SECONDS = 300


def _open_postings(include_demo: bool) -> Any:
    qs = JobPosting.objects.filter(status=PostingStatus.PUBLISHED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )
    return qs if include_demo else qs.filter(is_demo=False)


def _active_seekers(include_demo: bool) -> Any:
    qs = SeekerRegistration.objects.filter(status=SeekerStatus.ACTIVE)
    return qs if include_demo else qs.filter(is_demo=False)


def skill_balance(*, include_demo: bool = False) -> list[dict[str, Any]]:
    """Per skill: open positions (headcount of open postings requiring it), active seekers offering
    it, the gap, and the wage median and quartiles (day wage for gig trades, month wage otherwise)."""
    key = f"dashboard:skills:v1:{int(include_demo)}:{timezone.localdate()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    postings = _open_postings(include_demo)
    demand = dict(
        PostingSkill.objects.filter(required=True, posting__in=postings)
        .values_list("skill_id")
        .annotate(n=Sum("posting__headcount"))
        .order_by()
    )
    supply = dict(
        SeekerSkill.objects.filter(registration__in=_active_seekers(include_demo))
        .values_list("skill_id")
        .annotate(n=Count("registration_id"))
        .order_by()
    )
    wages: dict[int, list[float]] = defaultdict(list)  # wage_daily is filtered non-null above
    for skill_id, daily in PostingSkill.objects.filter(
        required=True, posting__in=postings, posting__wage_daily__isnull=False
    ).values_list("skill_id", "posting__wage_daily"):
        if daily is not None:  # (filtered above; the stubs cannot know)
            wages[skill_id].append(daily)
    ref = reference_data()

    gig = set(Skill.objects.filter(is_gig=True).values_list("id", flat=True))
    rows = []
    for skill_id in set(demand) | set(supply):
        row: dict[str, Any] = {
            "skill": ref.skill_name.get(skill_id, str(skill_id)),
            "openings": int(demand.get(skill_id, 0)),
            "seekers": int(supply.get(skill_id, 0)),
            "unit": "元/天" if skill_id in gig else "元/月",
            "q1": None,
            "median": None,
            "q3": None,
        }
        row["gap"] = row["openings"] - row["seekers"]
        if wages.get(skill_id):
            factor = 1.0 if skill_id in gig else DAYS_PER_MONTH
            q1, med, q3 = np.percentile(np.array(wages[skill_id]) * factor, [25, 50, 75])
            row.update(q1=round(float(q1)), median=round(float(med)), q3=round(float(q3)))
        rows.append(row)
    rows.sort(key=lambda r: (-r["gap"], r["skill"]))
    cache.set(key, rows, CACHE_SECONDS)
    return rows


def where(*, include_demo: bool = False) -> list[dict[str, Any]]:
    """Open postings (by headcount) and active seekers per street/town, with its centre point."""
    postings = dict(_open_postings(include_demo).values_list("area_id").annotate(n=Sum("headcount")).order_by())
    seekers = dict(_active_seekers(include_demo).values_list("area_id").annotate(n=Count("id")).order_by())
    ref = reference_data()
    rows: list[dict[str, Any]] = []
    for area_id in set(postings) | set(seekers):
        lat, lng = ref.area_point.get(area_id, (None, None))
        rows.append(
            {
                "area": ref.area_label(area_id),
                "lat": lat,
                "lng": lng,
                "positions": int(postings.get(area_id, 0)),
                "seekers": int(seekers.get(area_id, 0)),
            }
        )
    rows.sort(key=lambda r: (-(r["positions"] + r["seekers"]), r["area"]))
    return rows
