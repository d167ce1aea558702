"""Read-side queries of the gig markets (public pages)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.enums import MatchStatus
from matching.models import Match
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus, ServicePointKind, ServicePointStatus
from xiangtan_jobs.core.models import (
    Employer,
    JobPosting,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    Skill,
)
from xiangtan_jobs.core.selectors.geo import KM_PER_DEGREE, km_between

from .enums import (
    FOCUS_CATEGORIES,
    GATED_FOCUSES,
    HOLDING_STATUSES,
    AssignmentSource,
    DayGigStatus,
    SettlementStatus,
)
from .models import DayGig, GigAssignment, GigMarket, GigPost, InsuranceEnrolment, WageSettlement


def _open_postings() -> Q:
    today = timezone.localdate()
    return Q(postings__status=PostingStatus.PUBLISHED) & (
        Q(postings__expires_on__isnull=True) | Q(postings__expires_on__gte=today)
    )


def market_list() -> QuerySet[GigMarket]:
    """Operating gig markets with their count of open postings (named sites first, then demo)."""
    # The manager is inherited from ServicePoint, so the stubs type its rows as ServicePoint.
    return cast(
        "QuerySet[GigMarket]",
        GigMarket.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .annotate(open_postings=Count("postings", filter=_open_postings()))
        .order_by("is_demo", "name"),
    )


def market_get(*, pk: int) -> GigMarket | None:
    """One gig market for its public page, or None."""
    if not 0 < pk < 2**62:
        return None
    return cast(
        "GigMarket | None",
        GigMarket.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .filter(pk=pk)
        .first(),
    )


# --- today's gigs (今日零工), the big screen, the day's figures ------------------------------------

# "Nearby" on a market's board: the day gigs of other sites whose workplace is this close.
NEARBY_KM = 5.0


@dataclass(frozen=True)
class GigRow:
    """One day gig as the board and the big screen show it (no personal data)."""

    id: int
    posting_id: int
    title: str
    employer: str
    market: str
    work_date: dt.date
    starts_at: dt.time
    place: str
    day_wage: Decimal
    headcount: int
    left: int
    km: float | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "employer": self.employer,
            "work_date": self.work_date.isoformat(),
            "starts_at": self.starts_at.strftime("%H:%M"),
            "place": self.place,
            "day_wage": str(self.day_wage),
            "headcount": self.headcount,
            "left": self.left,
        }


@dataclass(frozen=True)
class Board:
    today: dt.date
    own: list[GigRow]
    nearby: list[GigRow]


def _current_gigs(today: dt.date) -> QuerySet[DayGig]:
    """Open day gigs of today and tomorrow whose posting is still public, with places held."""
    return (
        DayGig.objects.filter(
            status=DayGigStatus.OPEN,
            work_date__gte=today,
            work_date__lte=today + dt.timedelta(days=1),
            posting__status=PostingStatus.PUBLISHED,
        )
        .filter(Q(posting__expires_on__isnull=True) | Q(posting__expires_on__gte=today))
        .exclude(market__status=ServicePointStatus.CLOSED)
        .select_related("posting__employer", "posting__area", "market")
        .annotate(held=Count("assignments", filter=Q(assignments__status__in=HOLDING_STATUSES)))
        .order_by("work_date", "starts_at", "id")
    )


def _row(gig: Any, km: float | None = None) -> GigRow:
    posting = gig.posting
    return GigRow(
        id=gig.pk,
        posting_id=posting.pk,
        title=posting.title,
        employer=posting.employer.name,
        market=gig.market.name,
        work_date=gig.work_date,
        starts_at=gig.starts_at,
        place=gig.place or posting.address or posting.area.name,
        day_wage=gig.day_wage,
        headcount=gig.headcount,
        left=max(gig.headcount - gig.held, 0),
        km=km,
    )


def market_board(*, market: GigMarket, today: dt.date | None = None, with_nearby: bool = True) -> Board:
    """Today's and tomorrow's day gigs at a market, and (``with_nearby``) other sites' within NEARBY_KM."""
    today = today or timezone.localdate()
    gigs = _current_gigs(today)
    own = [_row(g) for g in gigs.filter(market=market)]
    if not with_nearby:  # the big screen shows the market's own gigs only
        return Board(today=today, own=own, nearby=[])
    box = NEARBY_KM / KM_PER_DEGREE
    lng_box = box / max(math.cos(math.radians(market.lat)), 0.1)
    others = gigs.exclude(market=market).filter(
        posting__lat__range=(market.lat - box, market.lat + box),
        posting__lng__range=(market.lng - lng_box, market.lng + lng_box),
    )
    if not market.is_demo:
        others = others.filter(market__is_demo=False, posting__is_demo=False)
    categories = FOCUS_CATEGORIES.get(market.focus)
    if categories:  # an industry market's board: nearby gigs of its trade only
        others = others.filter(
            Exists(PostingSkill.objects.filter(posting_id=OuterRef("posting_id"), skill__category__code__in=categories))
        )
    nearby = []
    for g in others:
        km = km_between(market.lat, market.lng, g.posting.lat, g.posting.lng)
        if km <= NEARBY_KM:
            nearby.append(_row(g, round(km, 1)))
    nearby.sort(key=lambda r: (r.work_date, r.km or 0, r.starts_at))
    return Board(today=today, own=own, nearby=nearby)


@dataclass(frozen=True)
class DayFigures:
    served: int
    filled: int


def market_day_figures(*, market: GigMarket, day: dt.date | None = None) -> DayFigures:
    """The market's figures of one local day: person-times served (docs/kpis.md `served`: a seeker's
    repeated service of the same kind that day counts once) and workers placed on its day gigs."""
    day = day or timezone.localdate()
    lo = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    records = ServiceRecord.objects.filter(
        service_point_id=market.pk, served_at__gte=lo, served_at__lt=lo + dt.timedelta(days=1)
    )
    if not market.is_demo:
        records = records.filter(is_demo=False).exclude(seeker__is_demo=True)
    anonymous = records.filter(seeker__isnull=True).count()
    named = records.filter(seeker__isnull=False).values("seeker_id", "kind").distinct().count()
    filled = GigAssignment.objects.filter(
        day_gig__market=market, day_gig__work_date=day, status__in=HOLDING_STATUSES
    ).count()
    return DayFigures(served=anonymous + named, filled=filled)


def settlements_overdue(*, today: dt.date | None = None) -> QuerySet[WageSettlement]:
    """Wages not paid by the day after the agreed date: the operators' follow-up list."""
    today = today or timezone.localdate()
    return WageSettlement.objects.exclude(status=SettlementStatus.PAID).filter(due_on__lt=today)


def posting_day_gigs(*, posting_id: int, today: dt.date | None = None, limit: int = 5) -> list[GigRow]:
    """A posting's coming open day gigs (date, start, place, headcount left): its poster lists them."""
    today = today or timezone.localdate()
    gigs = (
        DayGig.objects.filter(posting_id=posting_id, status=DayGigStatus.OPEN, work_date__gte=today)
        .select_related("posting__employer", "posting__area", "market")
        .annotate(held=Count("assignments", filter=Q(assignments__status__in=HOLDING_STATUSES)))
        .order_by("work_date", "starts_at", "id")[:limit]
    )
    return [_row(g) for g in gigs]


# --- who may fill a gig order: its posting's applicants and recommendations ---------------------

# Applicants: the seeker asked for the work (apply = consent to be contacted by the site).
APPLICANT_STATUSES = (
    MatchStatus.APPLIED,
    MatchStatus.CONTACTED,
    MatchStatus.INTERVIEW,
    MatchStatus.INTENTION,
    MatchStatus.HIRED,
)
# Recommendations the engine keeps for the posting and nobody has closed.
RECOMMENDED_STATUSES = (MatchStatus.RECOMMENDED, MatchStatus.VIEWED, MatchStatus.INVITED)


@dataclass(frozen=True)
class Candidate:
    """A seeker who could take a place of a gig order, and where they come from (派工来源)."""

    match: Match
    source: str

    @property
    def seeker(self) -> SeekerRegistration:
        return self.match.seeker


def day_gig_candidates(*, day_gig: DayGig, limit: int = 50) -> list[Candidate]:
    """The gig order's online applicants (oldest application first), then its posting's
    recommendations (best score first); active seekers without a place on it yet."""
    holding = GigAssignment.objects.filter(day_gig=day_gig, seeker=OuterRef("seeker"), status__in=HOLDING_STATUSES)
    base = (
        Match.objects.filter(posting_id=day_gig.posting_id, seeker__status=SeekerStatus.ACTIVE)
        .filter(~Exists(holding))
        .select_related("seeker")
    )
    applicants = list(base.filter(status__in=APPLICANT_STATUSES).order_by("applied_at", "id")[:limit])
    room = max(limit - len(applicants), 0)
    recommended = list(base.filter(status__in=RECOMMENDED_STATUSES, kept=True).order_by("-score", "id")[:room])
    return [Candidate(m, AssignmentSource.APPLICANT) for m in applicants] + [
        Candidate(m, AssignmentSource.RECOMMENDATION) for m in recommended
    ]


# --- employers with unpaid wages (欠薪): flagged to every market's operators --------------------


@dataclass(frozen=True)
class UnpaidFlag:
    """An employer's overdue wages, as operators see them before taking a new order (no personal data)."""

    employer_id: int
    workers: int
    owed: Decimal
    oldest_due: dt.date
    markets: tuple[str, ...]


def _overdue_of_employer(today: dt.date) -> QuerySet[WageSettlement]:
    return settlements_overdue(today=today).filter(assignment__day_gig__posting__employer_id=OuterRef("pk"))


def employers_unpaid(*, today: dt.date | None = None) -> QuerySet[Employer]:
    """Employers with a wage unpaid the day after its agreed date, with how many workers, how much
    is owed and since when (each figure one subquery: no row multiplied by a join)."""
    today = today or timezone.localdate()
    overdue = _overdue_of_employer(today)
    owed = ExpressionWrapper(F("agreed_amount") - F("paid_amount"), output_field=DecimalField())

    def agg(expr: Any) -> Subquery:
        return Subquery(
            overdue.order_by().values("assignment__day_gig__posting__employer_id").annotate(v=expr).values("v")
        )

    return (
        Employer.objects.filter(Exists(overdue))
        .annotate(
            unpaid_workers=agg(Count("pk")),
            owed=agg(Sum(owed)),
            oldest_due=agg(Min("due_on")),
        )
        .order_by("oldest_due", "name")
    )


def employer_unpaid_flag(*, employer_id: int, today: dt.date | None = None) -> UnpaidFlag | None:
    """The unpaid-wage flag of one employer, or None when it owes nothing overdue."""
    today = today or timezone.localdate()
    rows = list(
        settlements_overdue(today=today)
        .filter(assignment__day_gig__posting__employer_id=employer_id)
        .values_list("agreed_amount", "paid_amount", "due_on", "assignment__day_gig__market__name")
    )
    if not rows:
        return None
    return UnpaidFlag(
        employer_id=employer_id,
        workers=len(rows),
        owed=sum((max(a - p, Decimal("0")) for a, p, _d, _m in rows), Decimal("0")),
        oldest_due=min(d for _a, _p, d, _m in rows),
        markets=tuple(sorted({m for *_x, m in rows})),
    )


# --- the day's insured workers, for the insurer -----------------------------------------------

INSURANCE_EXPORT_HEADERS = (
    *("用工日期", "开工时间", "零工市场", "岗位", "用工单位"),
    *("姓名", "手机号", "身份证号", "保险公司", "保单号", "保费(元)"),
)


def insurance_export_rows(
    enrolments: QuerySet[InsuranceEnrolment], *, full_sites: frozenset[int] | None
) -> list[tuple[InsuranceEnrolment, bool, list[object]]]:
    """Each enrolment as an export row (docs/markets.md): name, phone and ID number in full only
    where the gig's market is one of ``full_sites`` (None: every market, for a superuser),
    masked otherwise; returns (enrolment, shown in full, row)."""
    rows = []
    qs = enrolments.select_related(
        "assignment__day_gig__market", "assignment__day_gig__posting__employer", "assignment__seeker"
    ).order_by("assignment__day_gig__work_date", "assignment__day_gig__starts_at", "id")
    for e in qs:
        gig, seeker = e.assignment.day_gig, e.assignment.seeker
        full = full_sites is None or gig.market_id in full_sites
        person = (
            [seeker.name, seeker.phone, seeker.id_number or ""]
            if full
            else [seeker.masked_name, seeker.masked_phone, seeker.masked_id_number or ""]
        )
        row: list[object] = [
            gig.work_date.isoformat(),
            gig.starts_at.strftime("%H:%M"),
            gig.market.name,
            gig.posting.title,
            gig.posting.employer.name,
            *person,
            e.insurer,
            e.policy_ref,
            e.premium,
        ]
        rows.append((e, full, row))
    return rows


# --- 今日零工 near the seeker (the home page's button) -------------------------------------------

# How far "near" reaches when the seeker has not said how far they travel.
NEAR_DEFAULT_KM = 10
NEAR_MAX_KM = 30


def gigs_near(
    *, lat: float, lng: float, km: float = NEAR_DEFAULT_KM, today: dt.date | None = None, limit: int = 60
) -> list[GigRow]:
    """Today's and tomorrow's open day gigs whose workplace is within ``km`` of a point, today's
    first, then the nearest (a bounding box on the indexed coordinates, then the exact circle)."""
    today = today or timezone.localdate()
    box = km / KM_PER_DEGREE
    lng_box = box / max(math.cos(math.radians(lat)), 0.1)
    gigs = _current_gigs(today).filter(
        posting__lat__range=(lat - box, lat + box), posting__lng__range=(lng - lng_box, lng + lng_box)
    )
    rows = []
    for g in gigs:
        d = km_between(lat, lng, g.posting.lat, g.posting.lng)
        if d <= km:
            rows.append(_row(g, round(d, 1)))
    rows.sort(key=lambda r: (r.work_date, r.km or 0, r.starts_at))
    return rows[:limit]


@dataclass(frozen=True)
class MarketToday:
    market: GigMarket
    gigs: int
    left: int


def markets_today(*, today: dt.date | None = None) -> list[MarketToday]:
    """Each operating market with its count of current day gigs and places left (for a seeker who
    has not said where they are: pick a market, or a district)."""
    today = today or timezone.localdate()
    counts: dict[int, tuple[int, int]] = {}
    for g in _current_gigs(today):
        n, left = counts.get(g.market_id, (0, 0))
        counts[g.market_id] = (n + 1, left + max(g.headcount - cast(Any, g).held, 0))
    # Not market_list(): its count of open postings over the whole table cost 0.4 s (bench_markets).
    markets = GigMarket.objects.exclude(status=ServicePointStatus.CLOSED).order_by("is_demo", "name")
    return [MarketToday(cast(GigMarket, m), *counts.get(m.pk, (0, 0))) for m in markets]


def posting_unpaid_hold(posting: Any) -> str:
    """The reason a new posting of an employer with overdue wages waits for review (a check
    registered with core's posting_publish, markets/apps.py), or "" when it owes nothing overdue."""
    flag = employer_unpaid_flag(employer_id=posting.employer_id)
    if flag is None:
        return ""
    return _(
        "欠薪待审：该单位还欠 %(n)s 位零工的工资（共 %(owed)s 元，最早应在 %(due)s 付清），新岗位须审核后才能发布。"
    ) % {
        "n": flag.workers,
        "owed": flag.owed,
        "due": flag.oldest_due.isoformat(),
    }


# --- industry markets: the market's trade, and the certificate-or-training gate ------------------


def market_focus_skills(*, market: GigMarket) -> list[Skill]:
    """The skills of an industry market's trade (its page names them); [] for a general market."""
    categories = FOCUS_CATEGORIES.get(market.focus)
    if not categories:
        return []
    return list(
        Skill.objects.filter(category__code__in=categories, alias_of__isnull=True).order_by("category__code", "code")
    )


@dataclass(frozen=True)
class MissingSkill:
    skill_id: int
    name: str
    certificate: str


@dataclass(frozen=True)
class IndustryGap:
    """What a seeker lacks to take an industry market's gig: the required skills with neither a
    certificate nor a completed training on their registration, and the market to go to."""

    market_id: int
    market_name: str
    market_phone: str
    missing: tuple[MissingSkill, ...]

    @property
    def reason(self) -> str:
        names = "、".join(f"「{m.certificate}」" if m.certificate else f"「{m.name}」的证书" for m in self.missing)
        return _(
            "这是护理类零工，需要持有%(certs)s，或参加过相应的技能培训并结业，才能报名。"
            "您的求职登记里还没有这个证书，也没有培训结业记录。"
        ) % {"certs": names}

    @property
    def what_to_do(self) -> str:
        phone = _("（电话 %(p)s）") % {"p": self.market_phone} if self.market_phone else ""
        return _(
            "有证书的：在「我的」页面修改登记，勾选“有证书”，或带证书到%(market)s%(phone)s登记。"
            "没有证书的：报名下面的培训课程，结业后就能报名这类零工。"
        ) % {"market": self.market_name, "phone": phone}


def _gated_market(posting: JobPosting) -> GigMarket | None:
    if posting.work_type != "day" or posting.service_point_id is None:
        return None
    market = GigMarket.objects.filter(pk=posting.service_point_id, focus__in=GATED_FOCUSES).first()
    return cast("GigMarket | None", market)


def industry_gap(
    *, posting: JobPosting, seeker: SeekerRegistration, market: GigMarket | None = None
) -> IndustryGap | None:
    """Why a seeker may not take a day gig of a nursing-care market (None: they may). Each required
    skill needs its certificate or a completed training on the registration (the stations record a
    course's completion on the seeker's skill, core's registration_skill_trained); a skill held
    under an alias (护工 = 陪护) counts. ``market``: the gig's market when known (派工)."""
    if market is None:
        market = _gated_market(posting)
    elif market.focus not in GATED_FOCUSES:
        market = None
    if market is None:
        return None
    required = list(
        PostingSkill.objects.filter(posting=posting, required=True).select_related("skill").order_by("skill__code")
    )
    if not required:
        return None
    qualified = (
        SeekerSkill.objects.filter(registration=seeker)
        .filter(Q(has_certificate=True) | ~Q(trained_evidence=""))
        .values_list("skill_id", "skill__alias_of_id")
    )
    held = {s for pair in qualified for s in pair if s is not None}
    missing = tuple(
        MissingSkill(ps.skill_id, ps.skill.name, ps.skill.certificate_name)
        for ps in required
        if ps.skill_id not in held and (ps.skill.alias_of_id is None or ps.skill.alias_of_id not in held)
    )
    if not missing:
        return None
    return IndustryGap(market_id=market.pk, market_name=market.name, market_phone=market.phone, missing=missing)


# --- the "1+3+N" network: gig posts of a market, the smart HR market -----------------------------


def _open_postings_count() -> Count:
    return Count("postings", filter=_open_postings())


def _gig_posts() -> QuerySet[GigPost]:
    # The manager is inherited from ServicePoint, so the stubs type its rows as ServicePoint.
    return cast("QuerySet[GigPost]", GigPost.objects.all())


def gig_post_list(*, market: GigMarket | None = None) -> QuerySet[GigPost]:
    """Operating gig posts (零工驿站), of one market or all, named sites first, then demo."""
    qs = (
        _gig_posts()
        .exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent", "market")
        .annotate(open_postings=_open_postings_count())
        .order_by("is_demo", "name")
    )
    return qs.filter(market=market) if market is not None else qs


def gig_post_get(*, pk: int) -> GigPost | None:
    """One gig post for its public page and its check-in, or None."""
    if not 0 < pk < 2**62:
        return None
    return (
        _gig_posts()
        .exclude(status=ServicePointStatus.CLOSED)
        .exclude(market__status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent", "market")
        .filter(pk=pk)
        .first()
    )


def hr_market_list() -> QuerySet[ServicePoint]:
    """The smart HR markets (智慧人力资源市场) still operating."""
    return (
        ServicePoint.objects.filter(kind=ServicePointKind.HR_MARKET)
        .exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .annotate(open_postings=_open_postings_count())
        .order_by("is_demo", "name")
    )


def hr_market_get(*, pk: int) -> ServicePoint | None:
    if not 0 < pk < 2**62:
        return None
    return hr_market_list().filter(pk=pk).first()
