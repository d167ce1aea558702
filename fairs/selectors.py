"""Read-side queries of job fairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching.enums import MatchStatus
from matching.presenters import reasons_in_words
from matching.services.shortlist import seeker_rank_postings
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, staff_role
from xiangtan_jobs.core.enums import KeyGroup
from xiangtan_jobs.core.models import Area, JobPosting, SeekerRegistration, Skill
from xiangtan_jobs.core.selectors.search import keyword_filter

from .enums import BoothResult, FairStatus, SignupStatus
from .models import BoothOutcome, Exhibitor, FairInvitation, FairSession, FairSignup, JobFair

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


# The fair page shows exhibitors a page at a time, and at most this many posts of each: 春风行动
# brings 100+ employers with 10,000+ posts (about 100 each), far too many for one phone page.
EXHIBITORS_PER_PAGE = 20
POSTS_PER_EXHIBITOR = 8


def _fair_postings_shown(*, skill: str, work_type: str) -> QuerySet[JobPosting]:
    postings: QuerySet[JobPosting] = JobPosting.objects.public()
    if work_type:
        postings = postings.filter(work_type=work_type)
    if skill:
        # The job search's own keyword match: title, employer and skill names, with skill groups
        # (护工 finds 养老护理员).
        postings = keyword_filter(postings, skill)
    return postings


def fair_exhibitors_page(
    *,
    fair: JobFair,
    skill: str = "",
    work_type: str = "",
    page: str | int | None = 1,
    exhibitor_id: int | None = None,
    per_page: int = EXHIBITORS_PER_PAGE,
    posts_each: int = POSTS_PER_EXHIBITOR,
) -> Page[Exhibitor]:
    """One page of the fair's exhibitors by booth, each with ``shown_postings`` (its first open
    postings narrowed to a skill or keyword and a work type, at most ``posts_each``; all of them
    for the one exhibitor of ``exhibitor_id``) and ``posts_count`` (how many such postings it has).
    When narrowed, exhibitors with no such posting are left out. Three queries, whatever the
    number of exhibitors and posts (the count, the page, its posts)."""
    shown = _fair_postings_shown(skill=skill, work_type=work_type)
    exhibitors = (
        Exhibitor.objects.filter(fair=fair)
        .select_related("employer")
        .annotate(posts_count=Count("postings", filter=Q(postings__in=shown.values("pk")), distinct=True))
    )
    if exhibitor_id is not None:
        exhibitors = exhibitors.filter(pk=exhibitor_id)
    if skill or work_type:
        exhibitors = exhibitors.filter(posts_count__gt=0)
    # Only what a card shows: a posting row carries its search text and more, ten times the size.
    listed = shown.only("id", "title", "work_type", "headcount", "wage_min", "wage_max", "wage_unit").order_by(
        "title", "id"
    )
    if exhibitor_id is None:
        listed = listed[:posts_each]  # one query for the page: a window per exhibitor (Django 4.2+)
    # (the annotated model is still an Exhibitor for callers)
    result = cast("Page[Exhibitor]", Paginator(exhibitors.order_by("booth", "id"), per_page).get_page(page))
    result.object_list = rows = list(result.object_list)
    prefetch_related_objects(rows, Prefetch("postings", queryset=listed, to_attr="shown_postings"))
    return result


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


@dataclass
class Figures:
    """One line of a fair's results: sign-ups (not cancelled), check-ins, people met at a booth,
    intentions and hires reached there (matches now 达成意向/已录用, resp. 已录用: docs/kpis.md)."""

    signed_up: int = 0
    checked_in: int = 0
    met: int = 0
    intentions: int = 0
    hires: int = 0

    @property
    def no_show_percent(self) -> int | None:
        """Of those signed up, the share who did not come (None: nobody signed up)."""
        if not self.signed_up:
            return None
        return round(100 * (self.signed_up - min(self.checked_in, self.signed_up)) / self.signed_up)

    def add(self, other: Figures) -> None:
        self.signed_up += other.signed_up
        self.checked_in += other.checked_in
        self.met += other.met
        self.intentions += other.intentions
        self.hires += other.hires


@dataclass(frozen=True)
class DayResult:
    session: FairSession
    figures: Figures
    # (key group code, figures): every group, in the dashboard's order; a seeker with two tags in both.
    groups: list[tuple[str, Figures]]
    # (district id, figures) of the seekers' home districts, those with anyone signed up.
    districts: list[tuple[int, Figures]]

    @property
    def signed_up(self) -> int:
        return self.figures.signed_up

    @property
    def checked_in(self) -> int:
        return self.figures.checked_in

    @property
    def no_show_percent(self) -> int | None:
        return self.figures.no_show_percent


@dataclass(frozen=True)
class ExhibitorResult:
    exhibitor: Exhibitor
    posts: int
    positions: int
    met: int
    intentions: int
    hires: int


@dataclass(frozen=True)
class FairResults:
    fairs: list[JobFair]
    days: list[DayResult]
    total: Figures
    groups: list[tuple[str, Figures]]
    districts: list[tuple[int, Figures]]
    district_names: dict[int, str]
    exhibitors: list[ExhibitorResult]


def _outcome_counts(signup_filter: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """Per sign-up: (intentions, hires) of its booth records, by their matches' status now."""
    counts: dict[int, tuple[int, int]] = {}
    rows = (
        BoothOutcome.objects.filter(**signup_filter, match__status__in=INTENTION_STATUSES)
        .exclude(result=BoothResult.REMOVED)
        .values_list("signup_id", "match__status")
    )
    for signup_id, status in rows:
        i, h = counts.get(signup_id, (0, 0))
        counts[signup_id] = (i + 1, h + (status == MatchStatus.HIRED))
    return counts


def fairs_results(*, fairs: list[JobFair]) -> FairResults:
    """Results of one fair or a whole series: per day, by key group and by the seekers' home
    district (sign-ups, check-ins, people met at booths, intentions, hires), and per exhibitor.
    A handful of queries, whatever the number of sign-ups."""
    sessions = list(FairSession.objects.filter(fair__in=fairs).select_related("fair").order_by("date", "fair_id"))
    met_ids = set(
        BoothOutcome.objects.filter(signup__session__in=sessions)
        .exclude(result=BoothResult.REMOVED)
        .values_list("signup_id", flat=True)
    )
    reached = _outcome_counts({"signup__session__in": sessions})
    rows = (
        FairSignup.objects.filter(session__in=sessions, status__in=HOLDING)
        .annotate(_district=Coalesce("seeker__area__parent_id", "seeker__area_id"))
        .values_list("pk", "session_id", "status", "seeker__tags", "_district")
    )
    by_day: dict[int, Figures] = {s.pk: Figures() for s in sessions}
    by_day_group: dict[tuple[int, str], Figures] = {}
    by_day_district: dict[tuple[int, int], Figures] = {}
    for pk, session_id, status, tags, district in rows:
        intentions, hires = reached.get(pk, (0, 0))
        one = Figures(1, int(status == SignupStatus.CHECKED_IN), int(pk in met_ids), intentions, hires)
        by_day[session_id].add(one)
        for tag in set(tags or ()):
            by_day_group.setdefault((session_id, tag), Figures()).add(one)
        by_day_district.setdefault((session_id, district), Figures()).add(one)
    district_ids = sorted({d for _s, d in by_day_district if d is not None})
    names = dict(Area.objects.filter(pk__in=district_ids).values_list("pk", "name"))
    days = []
    total, groups_total = Figures(), {g.value: Figures() for g in KeyGroup}
    districts_total: dict[int, Figures] = {}
    for session in sessions:
        figures = by_day[session.pk]
        total.add(figures)
        groups = [(g.value, by_day_group.get((session.pk, g.value), Figures())) for g in KeyGroup]
        for code, f in groups:
            groups_total[code].add(f)
        districts = [(d, by_day_district[(session.pk, d)]) for d in district_ids if (session.pk, d) in by_day_district]
        for d, f in districts:
            districts_total.setdefault(d, Figures()).add(f)
        days.append(DayResult(session, figures, groups, districts))
    return FairResults(
        fairs=list(fairs),
        days=days,
        total=total,
        groups=list(groups_total.items()),
        districts=[(d, districts_total[d]) for d in district_ids if d in districts_total],
        district_names=names,
        exhibitors=_exhibitor_results(fairs),
    )


def _exhibitor_results(fairs: list[JobFair]) -> list[ExhibitorResult]:
    met: dict[int, int] = {}
    intentions: dict[int, int] = {}
    hires: dict[int, int] = {}
    rows = (
        BoothOutcome.objects.filter(exhibitor__fair__in=fairs)
        .exclude(result=BoothResult.REMOVED)
        .values_list("exhibitor_id", "match__status")
    )
    for exhibitor_id, status in rows:
        met[exhibitor_id] = met.get(exhibitor_id, 0) + 1
        if status in INTENTION_STATUSES:
            intentions[exhibitor_id] = intentions.get(exhibitor_id, 0) + 1
        if status == MatchStatus.HIRED:
            hires[exhibitor_id] = hires.get(exhibitor_id, 0) + 1
    out = []
    for e in Exhibitor.objects.filter(fair__in=fairs).select_related("employer", "fair").prefetch_related("postings"):
        postings = list(e.postings.all())
        out.append(
            ExhibitorResult(
                exhibitor=e,
                posts=len(postings),
                positions=sum(p.headcount for p in postings),
                met=met.get(e.pk, 0),
                intentions=intentions.get(e.pk, 0),
                hires=hires.get(e.pk, 0),
            )
        )
    return sorted(out, key=lambda r: (r.exhibitor.fair.starts_on, r.exhibitor.booth, r.exhibitor.pk))


def fair_results(*, fair: JobFair) -> tuple[list[DayResult], list[ExhibitorResult]]:
    """One fair's results per day and per exhibitor (the admin's summary)."""
    results = fairs_results(fairs=[fair])
    return results.days, results.exhibitors


def fair_series(*, fair: JobFair) -> list[JobFair]:
    """The published fairs of this fair's series (the fair alone when it has none), by date."""
    if not fair.series:
        return [fair]
    return list(JobFair.objects.filter(series=fair.series).exclude(status=FairStatus.DRAFT).order_by("starts_on", "id"))


def fair_staff_may_read_results(*, fair: JobFair, request: Any) -> bool:
    """Results are read by the fair's own staff and by the bureau (which reads every site)."""
    return staff_role(request.user) in (StaffRole.BUREAU, StaffRole.SUPERUSER) or fair_staff_may_check_in(
        fair=fair, request=request
    )


# --- booths ---------------------------------------------------------------------------------


def fair_exhibitor_choices(*, fair: JobFair) -> list[Exhibitor]:
    """The fair's exhibitors with their posts, by booth: the booth page's choices."""
    return list(
        Exhibitor.objects.filter(fair=fair)
        .select_related("employer")
        .prefetch_related(Prefetch("postings", queryset=JobPosting.objects.order_by("title", "id")))
        .order_by("booth", "id")
    )


def booth_outcomes_recent(*, exhibitor: Exhibitor, limit: int = 10) -> list[BoothOutcome]:
    """The latest records of one booth (names masked on the page)."""
    return list(
        BoothOutcome.objects.filter(exhibitor=exhibitor)
        .select_related("signup__seeker", "posting")
        .order_by("-updated_at", "-id")[:limit]
    )


def seeker_booth_outcomes(*, seeker: SeekerRegistration | None) -> list[BoothOutcome]:
    """The booths a seeker met at fairs and what came of it, latest fair day first; the result
    shown is the match's now when the record set one (an employer may have moved it on since)."""
    if seeker is None:
        return []
    return list(
        BoothOutcome.objects.filter(signup__seeker=seeker)
        .exclude(result=BoothResult.REMOVED)
        .select_related("signup__session__fair", "exhibitor__employer", "posting", "match")
        .order_by("-signup__session__date", "exhibitor__booth", "id")
    )
