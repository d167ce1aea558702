"""Rows to engine inputs, in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from matching.engine.types import PostingIn, SeekerIn, SkillInfo
from matching.enums import MatchStatus
from matching.models import Match
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus, UserRole
from xiangtan_jobs.core.models import (
    JobPosting,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    Skill,
)

POSTING_FLAGS = ("older_ok", "disability_ok", "mother_flexible")


def engine_skills() -> dict[int, SkillInfo]:
    """Every skill with its group (canonical skill) and category: one query."""
    rows = Skill.objects.values_list("id", "alias_of_id", "category_id")
    return {pk: SkillInfo(id=pk, group=alias_of or pk, category=cat) for pk, alias_of, cat in rows}


def matchable_postings() -> QuerySet[JobPosting]:
    """Postings that may receive recommendations: published and not past their expiry date."""
    return JobPosting.objects.public()


def matchable_seekers() -> QuerySet[SeekerRegistration]:
    """Registrations that may receive recommendations: actively seeking (not paused or employed) and
    still someone's (an anonymised registration keeps its status for the KPIs, but nobody is behind it)."""
    return SeekerRegistration.objects.filter(status=SeekerStatus.ACTIVE, anonymised_at__isnull=True)


def engine_postings(postings: QuerySet[JobPosting] | None = None, *, now: dt.datetime | None = None) -> list[PostingIn]:
    """Postings as engine inputs: two queries (postings, their skills)."""
    now = now or timezone.now()
    qs = matchable_postings() if postings is None else postings.filter(status=PostingStatus.PUBLISHED)
    rows = list(
        qs.order_by("id").values_list(
            "id",
            "lat",
            "lng",
            "work_type",
            "wage_min",
            "wage_max",
            "wage_unit",
            "headcount",
            "shifts",
            "published_at",
            *POSTING_FLAGS,
        )
    )
    required: dict[int, list[tuple[int, int]]] = defaultdict(list)
    optional: dict[int, list[int]] = defaultdict(list)
    certificates: dict[int, list[int]] = defaultdict(list)
    # A subquery, not a list of ids: one query whatever the number of postings.
    for posting_id, skill_id, is_required, level, cert in PostingSkill.objects.filter(
        posting_id__in=qs.values("id")
    ).values_list("posting_id", "skill_id", "required", "min_level", "skill__certificate_required"):
        if is_required:
            required[posting_id].append((skill_id, level))
            if cert:
                certificates[posting_id].append(skill_id)
        else:
            optional[posting_id].append(skill_id)
    out = []
    # Whole days by the local calendar: every run on the same day, incremental or nightly, gives
    # the same freshness, so scores (and the stored rows) stay put between runs. The zone is looked
    # up once: timezone.localdate() per row was a third of this function on 42,000 postings.
    zone = timezone.get_current_timezone()
    today = now.astimezone(zone).date()
    for pk, lat, lng, work_type, wmin, wmax, unit, headcount, shifts, published_at, *flags in rows:
        age = (today - published_at.astimezone(zone).date()).days if published_at else 0
        out.append(
            PostingIn(
                id=pk,
                lat=lat,
                lng=lng,
                work_type=work_type,
                wage_min=float(wmin),
                wage_max=float(wmax),
                wage_unit=unit,
                headcount=headcount,
                required_skills=tuple(sorted(required[pk])),
                optional_skills=tuple(sorted(optional[pk])),
                certificates=tuple(sorted(certificates[pk])),
                shifts=frozenset(shifts or ()),
                flags=frozenset(f for f, on in zip(POSTING_FLAGS, flags, strict=True) if on),
                age_days=float(max(0, age)),
            )
        )
    return out


def engine_seekers(seekers: QuerySet[SeekerRegistration] | None = None) -> list[SeekerIn]:
    """Registrations as engine inputs: two queries (registrations, their skills)."""
    qs = (
        matchable_seekers()
        if seekers is None
        else seekers.filter(status=SeekerStatus.ACTIVE, anonymised_at__isnull=True)
    )
    rows = list(
        qs.order_by("id").values_list(
            "id", "home_lat", "home_lng", "travel_km", "work_types", "shifts", "expected_wage", "expected_unit", "tags"
        )
    )
    skills: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for reg_id, skill_id, level, cert in SeekerSkill.objects.filter(registration_id__in=qs.values("id")).values_list(
        "registration_id", "skill_id", "level", "has_certificate"
    ):
        skills[reg_id].append((skill_id, level, cert))
    return [
        SeekerIn(
            id=pk,
            lat=lat,
            lng=lng,
            travel_km=float(travel),
            skills=tuple(sorted(skills[pk])),
            work_types=frozenset(work_types or ()),
            available=frozenset(shifts or ()),
            expected_wage=float(wage) if wage else None,
            expected_unit=unit or None,
            tags=frozenset(tags or ()),
        )
        for pk, lat, lng, travel, work_types, shifts, wage, unit, tags in rows
    ]


def match_contact_visible(*, match: Match, user: Any) -> bool:
    """Whether this user may see the applicant's name and full phone on the match: an operator of
    the posting's own site, once the seeker has applied (and not withdrawn). Nobody else, ever:
    not another site, not the bureau, not a superuser (PIPL: only who will call needs the number)."""
    if not match.contact_allowed:
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    if user.role != UserRole.OPERATOR or user.is_superuser:
        return False
    return OperatorMembership.objects.filter(user_id=user.pk, service_point_id=match.posting.service_point_id).exists()


def operator_work_queue(*, site_ids: Iterable[int] | None, limit: int = 30) -> list[Match]:
    """The operators' work queue: open applications (new, and answers to invitations), oldest first,
    of these sites (None: every site, for the bureau)."""
    qs = Match.objects.filter(status=MatchStatus.APPLIED)
    if site_ids is not None:
        qs = qs.filter(posting__service_point_id__in=list(site_ids))
    return list(qs.select_related("posting", "posting__service_point", "seeker").order_by("applied_at", "id")[:limit])


def operator_queue_counts(*, site_ids: Iterable[int] | None, since: dt.datetime) -> dict[str, int]:
    """Counts beside the queue: open applications, of them answers to invitations, invitations
    still open, and applications closed unanswered since ``since`` (the site's response figure)."""
    qs = Match.objects.all()
    if site_ids is not None:
        qs = qs.filter(posting__service_point_id__in=list(site_ids))
    return qs.aggregate(
        open=Count("id", filter=Q(status=MatchStatus.APPLIED)),
        answered=Count("id", filter=Q(status=MatchStatus.APPLIED, invited_at__isnull=False)),
        invited=Count("id", filter=Q(status=MatchStatus.INVITED)),
        no_reply=Count("id", filter=Q(status=MatchStatus.NO_REPLY, status_changed_at__gte=since)),
    )
