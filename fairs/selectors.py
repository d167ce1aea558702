"""Read-side queries of job fairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from matching.enums import MatchStatus
from matching.models import Match
from matching.presenters import reasons_in_words
from matching.services.shortlist import seeker_rank_postings
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, staff_role
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, Skill
from xiangtan_jobs.core.selectors.search import keyword_filter

from .enums import FairStatus, SignupStatus
from .models import Exhibitor, FairInvitation, FairSession, FairSignup, JobFair

# docs/kpis.md: an intention is a match now 达成意向 or 已录用 (a hire went further).
INTENTION_STATUSES = (MatchStatus.INTENTION, MatchStatus.HIRED)
# The statuses that hold a place on the day (a cancelled sign-up frees its place).
HOLDING = (SignupStatus.SIGNED_UP, SignupStatus.CHECKED_IN)


def fair_next() -> JobFair | None:
    """The next fair that has not ended yet, or None."""
    return (
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__gte=timezone.localdate())
        .order_by("starts_on", "id")
        .first()
    )


# --- public pages ---------------------------------------------------------------------------


def fair_upcoming() -> list[JobFair]:
    """Fairs that have not ended, soonest first, with their sessions."""
    return list(
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__gte=timezone.localdate())
        .select_related("area")
        .prefetch_related("sessions")
        .order_by("starts_on", "id")
    )


def fair_past(*, limit: int = 30) -> list[JobFair]:
    """Fairs that have ended, most recent first, with their sessions."""
    return list(
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__lt=timezone.localdate())
        .select_related("area")
        .prefetch_related("sessions")
        .order_by("-starts_on", "-id")[:limit]
    )


@dataclass
class SeriesGroup:
    """A series (e.g. 2025年春风行动) with its fairs in the order given; "" for fairs of no series."""

    series: str
    fairs: list[JobFair] = field(default_factory=list)


def fairs_by_series(fairs: Iterable[JobFair]) -> list[SeriesGroup]:
    """Fairs grouped by series, each group where its first fair stands."""
    groups: dict[str, SeriesGroup] = {}
    for fair in fairs:
        groups.setdefault(fair.series, SeriesGroup(fair.series)).fairs.append(fair)
    return list(groups.values())


def fair_get(*, pk: int) -> JobFair | None:
    """One published (or cancelled) fair with its sessions, or None."""
    if not 0 < pk < 2**62:
        return None
    return (
        JobFair.objects.filter(pk=pk, status__in=[FairStatus.PUBLISHED, FairStatus.CANCELLED])
        .select_related("area", "service_point")
        .prefetch_related("sessions")
        .first()
    )


def fair_postings(*, fair: JobFair) -> QuerySet[JobPosting]:
    """The open postings the fair's exhibitors bring."""
    return JobPosting.objects.public().filter(
        pk__in=Exhibitor.postings.through.objects.filter(exhibitor__fair=fair).values("jobposting_id")
    )


def fair_exhibitors(*, fair: JobFair, skill: str = "", work_type: str = "") -> list[Exhibitor]:
    """The fair's exhibitors by booth, each with its open postings (``shown_postings``) narrowed to
    a skill or keyword and a work type;
    when narrowed, exhibitors with no such posting are left out."""
    postings: QuerySet[JobPosting] = JobPosting.objects.public().select_related("area").order_by("title", "id")
    if work_type:
        postings = postings.filter(work_type=work_type)
    if skill:
        # The job search's own keyword match: title, employer and skill names, with skill groups
        # (护工 finds 养老护理员).
        postings = keyword_filter(postings, skill)
    exhibitors: list[Exhibitor] = list(
        Exhibitor.objects.filter(fair=fair)
        .select_related("employer")
        .prefetch_related(Prefetch("postings", queryset=postings, to_attr="shown_postings"))
        .order_by("booth", "id")
    )
    if skill or work_type:
        exhibitors = [e for e in exhibitors if e.shown_postings]  # type: ignore[attr-defined]
    return exhibitors


@dataclass(frozen=True)
class SessionPlaces:
    session: FairSession
    taken: int

    @property
    def left(self) -> int | None:
        """Places left, None when unlimited."""
        cap = self.session.capacity
        return None if not cap else max(0, cap - self.taken)

    @property
    def full(self) -> bool:
        return self.left == 0


def session_places(*, sessions: Iterable[FairSession]) -> list[SessionPlaces]:
    """Each session with the number of places taken: one query."""
    sessions = list(sessions)
    taken = dict(
        FairSignup.objects.filter(session__in=sessions, status__in=HOLDING)
        .values("session")
        .annotate(n=Count("id"))
        .values_list("session", "n")
    )
    return [SessionPlaces(s, taken.get(s.pk, 0)) for s in sessions]


def seeker_fair_signups(*, seeker: SeekerRegistration | None, fair: JobFair | None = None) -> list[FairSignup]:
    """A seeker's sign-ups (not cancelled), soonest day first; of one fair if given."""
    if seeker is None:
        return []
    qs = FairSignup.objects.filter(seeker=seeker, status__in=HOLDING).select_related("session__fair")
    if fair is not None:
        qs = qs.filter(session__fair=fair)
    return list(qs.order_by("session__date", "id"))


def seeker_tickets(*, seeker: SeekerRegistration | None, today: dt.date | None = None) -> list[FairSignup]:
    """The tickets a seeker's page shows: days not yet past, soonest first."""
    today = today or timezone.localdate()
    return [s for s in seeker_fair_signups(seeker=seeker) if s.session.date >= today]


def signup_for_seeker(*, pk: int, user: Any) -> FairSignup | None:
    """One of the user's own sign-ups, or None (someone else's is as good as missing)."""
    if not 0 < pk < 2**62 or not getattr(user, "is_authenticated", False):
        return None
    return FairSignup.objects.filter(pk=pk, seeker__user=user).select_related("session__fair", "seeker").first()


def seeker_invitation(*, seeker: SeekerRegistration | None, fair: JobFair) -> FairInvitation | None:
    """The seeker's invitation to this fair, if any."""
    if seeker is None:
        return None
    return FairInvitation.objects.filter(fair=fair, seeker=seeker).first()


def invitation_for_seeker(*, pk: int, user: Any) -> FairInvitation | None:
    """One of the user's own invitations, or None."""
    if not 0 < pk < 2**62 or not getattr(user, "is_authenticated", False):
        return None
    return FairInvitation.objects.filter(pk=pk, seeker__user=user).select_related("fair", "seeker").first()


@dataclass(frozen=True)
class Pick:
    """A post worth seeing at the fair: the engine's score and reasons, and where its booth is."""

    posting: JobPosting
    exhibitor: Exhibitor
    score: float
    reasons: list[str]


def fair_picks(*, fair: JobFair, seeker: SeekerRegistration, limit: int = 5) -> list[Pick]:
    """「到场重点看这几家」: the fair's posts that suit the seeker, ranked by the matching engine."""
    ranked = seeker_rank_postings(seeker_id=seeker.pk, postings=fair_postings(fair=fair), limit=limit * 3)
    if not ranked:
        return []
    postings = JobPosting.objects.select_related("employer", "area").in_bulk([r.posting_id for r in ranked])
    booth_of: dict[int, Exhibitor] = {}
    for exhibitor in Exhibitor.objects.filter(fair=fair, postings__in=list(postings)).select_related("employer"):
        booth_of.setdefault(exhibitor.employer_id, exhibitor)
    picks: list[Pick] = []
    seen: set[int] = set()
    # One line per exhibitor: "these booths" — its best post stands for it.
    for r in ranked:
        posting = postings[r.posting_id]
        at = booth_of.get(posting.employer_id)
        if at is None or at.pk in seen:
            continue
        seen.add(at.pk)
        picks.append(Pick(posting, at, r.score, reasons_in_words(r.reasons)))
        if len(picks) == limit:
            break
    return picks


# --- staff ----------------------------------------------------------------------------------


def fair_staff_may_check_in(*, fair: JobFair, request: Any) -> bool:
    """Who works the door: operators of the organising site; for the bureau's own fairs (no site),
    bureau officers; superusers everywhere."""
    role = staff_role(request.user)
    if role is StaffRole.SUPERUSER:
        return True
    if fair.service_point_id is None:
        return role is StaffRole.BUREAU
    return role is StaffRole.OPERATOR and fair.service_point_id in operator_site_ids(request)


def session_today(*, fair: JobFair, today: dt.date | None = None) -> FairSession | None:
    """The fair's session held today, or None."""
    today = today or timezone.localdate()
    return fair.sessions.filter(date=today).first()


def fair_skill_choices(*, fair: JobFair) -> list[tuple[str, str]]:
    """The skills the fair's posts ask for, as choices of the door's walk-in form (a short list)."""
    rows = (
        Skill.objects.filter(postings__in=fair_postings(fair=fair))
        .distinct()
        .order_by("name")
        .values_list("pk", "name")[:30]
    )
    return [(str(pk), name) for pk, name in rows]


def session_checkin_counts(*, session: FairSession) -> dict[str, int]:
    """Signed up (holding a place) and checked in, for the door page."""
    rows = dict(
        FairSignup.objects.filter(session=session).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    checked = rows.get(SignupStatus.CHECKED_IN, 0)
    return {"signed_up": rows.get(SignupStatus.SIGNED_UP, 0) + checked, "checked_in": checked}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayResult:
    session: FairSession
    signed_up: int
    checked_in: int

    @property
    def no_show_percent(self) -> int | None:
        """Of those signed up, the share who did not come (None: nobody signed up)."""
        if not self.signed_up:
            return None
        return round(100 * (self.signed_up - min(self.checked_in, self.signed_up)) / self.signed_up)


@dataclass(frozen=True)
class ExhibitorResult:
    exhibitor: Exhibitor
    posts: int
    positions: int
    intentions: int
    hires: int


def fair_results(*, fair: JobFair) -> tuple[list[DayResult], list[ExhibitorResult]]:
    """Per day: sign-ups (not cancelled) and check-ins; per exhibitor: posts, positions, and the
    intentions and hires (matching.Match, the rows the bureau's KPIs count) of seekers who came."""
    days = []
    counts: dict[tuple[int, str], int] = {
        (s, st): n
        for s, st, n in FairSignup.objects.filter(session__fair=fair)
        .values("session", "status")
        .annotate(n=Count("id"))
        .values_list("session", "status", "n")
    }
    for session in fair.sessions.all():
        checked = counts.get((session.pk, SignupStatus.CHECKED_IN), 0)
        days.append(DayResult(session, counts.get((session.pk, SignupStatus.SIGNED_UP), 0) + checked, checked))
    came = FairSignup.objects.filter(session__fair=fair, status=SignupStatus.CHECKED_IN).values("seeker")
    out = []
    for e in Exhibitor.objects.filter(fair=fair).select_related("employer").prefetch_related("postings"):
        postings = list(e.postings.all())
        matches = Match.objects.filter(posting__in=postings, seeker__in=came)
        out.append(
            ExhibitorResult(
                exhibitor=e,
                posts=len(postings),
                positions=sum(p.headcount for p in postings),
                intentions=matches.filter(status__in=INTENTION_STATUSES).count(),
                hires=matches.filter(status=MatchStatus.HIRED).count(),
            )
        )
    return days, sorted(out, key=lambda r: (r.exhibitor.booth, r.exhibitor.pk))
