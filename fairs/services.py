"""Write-side operations of job fairs: sign-up, cancel, check-in, and the day as an event held."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matching.enums import UNTOUCHED_STATUSES, MatchStatus
from matching.models import Match
from matching.services import match_record_in_person
from matching.services.news import WALK_IN_LOGIN_HINT
from xiangtan_jobs.common.spreadsheet import tables_export_response
from xiangtan_jobs.core.enums import EventKind, SeekerStatus, ServiceKind
from xiangtan_jobs.core.models import InboxMessage, SeekerRegistration, ServiceRecord, SiteEvent, User
from xiangtan_jobs.core.services import SkillInput, audit_export, registration_create_walk_in
from xiangtan_jobs.core.services.sms import sms_queue

from .enums import BoothResult, FairStatus, InvitationStatus, SignupStatus
from .models import (
    BoothOutcome,
    Exhibitor,
    FairInvitation,
    FairInvitationEvent,
    FairSession,
    FairSignup,
    JobFair,
    ticket_code_new,
    ticket_code_normalise,
)
from .presenters import results_tables
from .selectors import HOLDING

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The person-time a fair check-in counts as (docs/kpis.md `served`). core has no service kind for
# "attended a job fair" yet; 就业咨询 is the nearest of the measures' kinds. One line to change
# when core gains ServiceKind.FAIR.
FAIR_SERVICE_KIND = ServiceKind.CONSULTATION


def _local_day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


# --- sign-up --------------------------------------------------------------------------------


@transaction.atomic
def signup_create(
    *, session: FairSession, seeker: SeekerRegistration, actor: User, now: dt.datetime | None = None
) -> FairSignup:
    """Sign a seeker up for one fair day: once per day, while places last (the session row is
    locked, so two sign-ups for the last place cannot both win), never for a past or cancelled day."""
    now = now or timezone.now()
    if seeker.user_id != actor.pk:
        raise ValidationError(_("只能给自己报名。"), code="not_yours")
    if seeker.status == SeekerStatus.WITHDRAWN:
        raise ValidationError(_("您的求职登记已注销，请先重新登记。"), code="seeker_withdrawn")
    # The lock that serialises sign-ups of this day: count and insert under it.
    session = FairSession.objects.select_for_update().select_related("fair").get(pk=session.pk)
    fair = session.fair
    if fair.status != FairStatus.PUBLISHED:
        raise ValidationError(_("这场招聘会已取消或还没发布，不能报名。"), code="fair_closed")
    if session.date < _local_day(now):
        raise ValidationError(_("这一天的招聘会已经过去了，看看其他场次吧。"), code="past")
    existing = FairSignup.objects.filter(session=session, seeker=seeker).first()
    if existing is not None and existing.status in HOLDING:
        raise ValidationError(_("您已经报名了这一天，入场码在「我的」页面。"), code="duplicate")
    if session.capacity:
        taken = FairSignup.objects.filter(session=session, status__in=HOLDING).count()
        if taken >= session.capacity:
            raise ValidationError(_("这一天的名额已经报满了，可以选其他日期或直接到现场。"), code="full")
    if existing is not None:
        # Signing up again after cancelling: the same row, a new code (the old ticket stays void).
        existing.status = SignupStatus.SIGNED_UP
        existing.code = ticket_code_new()
        existing.cancelled_at = None
        existing.save(update_fields=["status", "code", "cancelled_at", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return FairSignup.objects.create(session=session, seeker=seeker)
    except IntegrityError as exc:  # the once-per-day constraint, if a request raced past the check
        raise ValidationError(_("您已经报名了这一天，入场码在「我的」页面。"), code="duplicate") from exc


@transaction.atomic
def signup_cancel(*, signup: FairSignup, actor: User, now: dt.datetime | None = None) -> FairSignup:
    """The seeker cancels a sign-up before checking in; the place is free again."""
    now = now or timezone.now()
    signup = FairSignup.objects.select_for_update().select_related("seeker", "session").get(pk=signup.pk)
    if signup.seeker.user_id != actor.pk:
        raise ValidationError(_("只能取消自己的报名。"), code="not_yours")
    if signup.status == SignupStatus.CHECKED_IN:
        raise ValidationError(_("已经签到入场，不能再取消。"), code="checked_in")
    if signup.status == SignupStatus.CANCELLED:
        return signup
    signup.status = SignupStatus.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    return signup


# --- check-in -------------------------------------------------------------------------------


class CheckInOutcome(enum.Enum):
    OK = "ok"
    ALREADY = "already"
    WRONG_DAY = "wrong_day"
    OTHER_FAIR = "other_fair"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    NOT_TODAY = "not_today"


@dataclass(frozen=True)
class CheckInResult:
    outcome: CheckInOutcome
    signup: FairSignup | None = None
    session: FairSession | None = None


@transaction.atomic
def signup_check_in(*, fair: JobFair, code: str, actor: User, now: dt.datetime | None = None) -> CheckInResult:
    """Check a ticket in at the door of today's session of this fair, once: a repeat, a ticket of
    another day or fair, a cancelled or unknown code each come back as such and change nothing.
    The check-in is a person-time served at the organising site (a core.ServiceRecord)."""
    now = now or timezone.now()
    today = _local_day(now)
    session = fair.sessions.filter(date=today).first()
    if session is None:
        return CheckInResult(CheckInOutcome.NOT_TODAY)
    normalised = ticket_code_normalise(code)
    signup = (
        FairSignup.objects.select_for_update(of=("self",))
        .select_related("session__fair", "seeker")
        .filter(code=normalised)
        .first()
        if normalised
        else None
    )
    if signup is None:
        return CheckInResult(CheckInOutcome.UNKNOWN, session=session)
    if signup.session.fair_id != fair.pk:
        return CheckInResult(CheckInOutcome.OTHER_FAIR, signup, session)
    if signup.status == SignupStatus.CANCELLED:
        return CheckInResult(CheckInOutcome.CANCELLED, signup, session)
    if signup.session_id != session.pk:
        return CheckInResult(CheckInOutcome.WRONG_DAY, signup, session)
    if signup.status == SignupStatus.CHECKED_IN:
        return CheckInResult(CheckInOutcome.ALREADY, signup, session)
    signup.status = SignupStatus.CHECKED_IN
    signup.checked_in_at = now
    signup.checked_in_by = actor
    fields = ["status", "checked_in_at", "checked_in_by", "updated_at"]
    # A person-time served (docs/kpis.md `served`): at the organising site, or for a city fair at
    # no site, in the fair's district.
    signup.service_record = ServiceRecord.objects.create(
        service_point_id=fair.service_point_id,
        area_id=None if fair.service_point_id else fair.area_id,
        seeker=signup.seeker,
        kind=FAIR_SERVICE_KIND,
        served_at=now,
        served_by=actor,
        note=_("招聘会入场：%(title)s") % {"title": fair.title},
        is_demo=fair.is_demo,
    )
    fields.append("service_record")
    signup.save(update_fields=fields)
    session_event_sync(session=session)
    # An invited seeker who came: attended (whether or not they had answered).
    invitation = (
        FairInvitation.objects.select_for_update()
        .filter(fair=fair, seeker=signup.seeker, status__in=INVITATION_NEXT_TO_ATTENDED)
        .first()
    )
    if invitation is not None:
        _invitation_move(invitation, InvitationStatus.ATTENDED, actor, now)
    return CheckInResult(CheckInOutcome.OK, signup, session)


# --- the day as an event held ----------------------------------------------------------------


def _session_bounds(session: FairSession) -> tuple[dt.datetime, dt.datetime]:
    # The announcement gives dates only: without times the day counts as held once it is over.
    start = dt.datetime.combine(session.date, session.starts_at or dt.time.min, tzinfo=SHANGHAI)
    end = (
        dt.datetime.combine(session.date, session.ends_at, tzinfo=SHANGHAI)
        if session.ends_at
        else dt.datetime.combine(session.date + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
        - dt.timedelta(minutes=1)
    )
    return start, end


@transaction.atomic
def session_event_sync(*, session: FairSession) -> SiteEvent | None:
    """Keep the day's core.SiteEvent (docs/kpis.md: events held are SiteEvents) in step with the
    fair: employers, posts, attendance (check-ins); at the organising site, or for a city fair at
    no site, in the fair's district; none for a fair not published."""
    session = FairSession.objects.select_related("fair", "site_event").get(pk=session.pk)
    fair = session.fair
    event = session.site_event
    if fair.status != FairStatus.PUBLISHED:
        if event is not None:
            session.site_event = None
            session.save(update_fields=["site_event"])
            event.delete()
        return None
    start, end = _session_bounds(session)
    exhibitors = fair.exhibitors.aggregate(n=Count("id", distinct=True), posts=Count("postings", distinct=True))
    attendance = session.signups.filter(status=SignupStatus.CHECKED_IN).count()
    values: dict[str, Any] = {
        "service_point_id": fair.service_point_id,
        "area_id": None if fair.service_point_id else fair.area_id,
        "title": f"{fair.title} {session.date:%m-%d}",
        "kind": EventKind.RECRUITMENT,
        "starts_at": start,
        "ends_at": end,
        "venue": fair.venue,
        "employer_count": exhibitors["n"] or 0,
        "post_count": exhibitors["posts"] or 0,
        "attendance": attendance,
        "is_demo": fair.is_demo,
    }
    if event is None:
        event = SiteEvent.objects.create(**values)
        session.site_event = event
        session.save(update_fields=["site_event"])
        return event
    values["intentions"] = min(event.intentions, attendance)
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    return event


def fair_events_sync(*, fair: JobFair) -> int:
    """Every day of a fair as its event (after the fair, its days or exhibitors changed)."""
    n = 0
    for session in fair.sessions.all():
        n += session_event_sync(session=session) is not None
    return n


# --- telling the signed-up of a change ------------------------------------------------------


@dataclass(frozen=True)
class FairSnapshot:
    """What a seeker who signed up relies on: status, place and each day's date and times."""

    status: str
    venue: str
    address: str
    days: dict[int, tuple[dt.date, dt.time | None, dt.time | None]]


def fair_snapshot(*, fair_id: int) -> FairSnapshot | None:
    """The fair as stored now (before an edit), or None for a new fair."""
    fair = JobFair.objects.filter(pk=fair_id).first()
    if fair is None:
        return None
    return FairSnapshot(
        fair.status,
        fair.venue,
        fair.address,
        {s.pk: (s.date, s.starts_at, s.ends_at) for s in fair.sessions.all()},
    )


def _day_words(session: FairSession) -> str:
    words = f"{session.date.month}月{session.date.day}日"
    if session.starts_at:
        words += f" {session.starts_at:%H:%M}"
        if session.ends_at:
            words += f"–{session.ends_at:%H:%M}"
    return words


def _tell(seeker: SeekerRegistration, *, title: str, text: str, link: str, key: str, now: dt.datetime) -> None:
    if seeker.user_id is not None:
        InboxMessage.objects.get_or_create(
            user_id=seeker.user_id, dedupe_key=key, defaults={"title": title, "body": text, "link": link}
        )
    sms_queue(phone=seeker.phone, text=text, purpose="fair", dedupe_key=key, now=now)


def _change_words(
    fair: JobFair, session: FairSession, *, cancelled: bool, changed: bool
) -> tuple[str, str, str] | None:
    """(what changed, title, text) of the news for someone expecting this day, or None."""
    if cancelled:
        text = _("您报名的「%(title)s」（%(day)s）已取消，入场码作废。咨询电话 %(phone)s。") % {
            "title": fair.title,
            "day": _day_words(session),
            "phone": fair.contact_phone,
        }
        return "cancelled", _("招聘会取消"), text
    if fair.status == FairStatus.PUBLISHED and changed:
        what = f"changed:{session.date}:{session.starts_at}:{session.ends_at}:{fair.venue}:{fair.address}"
        text = _("您报名的「%(title)s」有变动：现在是 %(day)s，地点 %(venue)s（%(address)s）。入场码不变。") % {
            "title": fair.title,
            "day": _day_words(session),
            "venue": fair.venue,
            "address": fair.address,
        }
        return what, _("招聘会时间或地点有变"), text
    return None


@transaction.atomic
def fair_tell_changes(*, fair: JobFair, before: FairSnapshot | None, now: dt.datetime | None = None) -> int:
    """After an edit: everyone signed up for a day not yet over, and every invited seeker who said
    yes, hears by inbox and SMS that the fair was cancelled or that their day's date, time or place
    changed (once per change)."""
    now = now or timezone.now()
    if before is None:
        return 0
    fair = JobFair.objects.get(pk=fair.pk)
    cancelled = fair.status == FairStatus.CANCELLED and before.status != FairStatus.CANCELLED
    place_changed = (fair.venue, fair.address) != (before.venue, before.address)
    sessions = {s.pk: s for s in fair.sessions.all()}

    def day_changed(session: FairSession) -> bool:
        old = before.days.get(session.pk)
        return old is not None and old != (session.date, session.starts_at, session.ends_at)

    told: set[int] = set()
    signups = FairSignup.objects.filter(
        session__fair=fair, status=SignupStatus.SIGNED_UP, session__date__gte=_local_day(now)
    ).select_related("seeker")
    for signup in signups:
        session = sessions[signup.session_id]
        news = _change_words(fair, session, cancelled=cancelled, changed=place_changed or day_changed(session))
        if news is None:
            continue
        what, title, text = news
        # The key names the change: a second, different change is told again; a re-save is not.
        key = f"fair:{signup.pk}:{hashlib.sha256(what.encode()).hexdigest()[:16]}"
        _tell(signup.seeker, title=title, text=text, link=f"/fairs/{fair.pk}/", key=key, now=now)
        told.add(signup.seeker_id)
    coming = [s for s in sessions.values() if s.date >= _local_day(now)]
    if coming:
        changed = place_changed or any(day_changed(s) for s in coming)
        news = _change_words(fair, coming[0], cancelled=cancelled, changed=changed)
        for invitation in FairInvitation.objects.filter(fair=fair, status=InvitationStatus.YES).select_related(
            "seeker"
        ):
            if news is None or invitation.seeker_id in told:
                continue
            what, title, text = news
            key = f"fairinv:{invitation.pk}:{hashlib.sha256(what.encode()).hexdigest()[:16]}"
            _tell(invitation.seeker, title=title, text=text, link=f"/fairs/{fair.pk}/", key=key, now=now)
            told.add(invitation.seeker_id)
    return len(told)


# --- invitations ----------------------------------------------------------------------------

# Where an invitation may go from each status. Every step can be taken back (the log keeps them
# all); attendance needs no answer first.
INVITATION_NEXT: dict[str, tuple[str, ...]] = {
    InvitationStatus.INVITED: (InvitationStatus.YES, InvitationStatus.NO, InvitationStatus.ATTENDED),
    InvitationStatus.YES: (InvitationStatus.NO, InvitationStatus.ATTENDED, InvitationStatus.INVITED),
    InvitationStatus.NO: (InvitationStatus.YES, InvitationStatus.ATTENDED, InvitationStatus.INVITED),
    InvitationStatus.ATTENDED: (InvitationStatus.HIRED,),
    InvitationStatus.HIRED: (InvitationStatus.ATTENDED,),
}


INVITATION_NEXT_TO_ATTENDED = tuple(s for s, nxt in INVITATION_NEXT.items() if InvitationStatus.ATTENDED in nxt)


def invitation_allowed(*, invitation: FairInvitation) -> list[str]:
    """Where this invitation may move next: forward steps, plus back to the status before."""
    allowed = list(INVITATION_NEXT[invitation.status])
    if invitation.status == InvitationStatus.ATTENDED:
        previous = (
            invitation.events.filter(to_status=InvitationStatus.ATTENDED)
            .exclude(from_status=InvitationStatus.HIRED)
            .order_by("-at", "-id")
            .values_list("from_status", flat=True)
            .first()
        )
        allowed.append(previous or InvitationStatus.INVITED)
    return allowed


def _invitation_move(invitation: FairInvitation, status: str, actor: User | None, now: dt.datetime) -> None:
    FairInvitationEvent.objects.create(
        invitation=invitation, from_status=invitation.status, to_status=status, at=now, actor=actor
    )
    invitation.status = status
    invitation.save(update_fields=["status", "updated_at"])


@transaction.atomic
def invitation_set_status(
    *, invitation: FairInvitation, status: str, actor: User, now: dt.datetime | None = None
) -> FairInvitation:
    """Move an invitation one step (by staff, or the seeker's own yes/no), logged with who and when."""
    now = now or timezone.now()
    invitation = FairInvitation.objects.select_for_update().select_related("seeker").get(pk=invitation.pk)
    if status not in invitation_allowed(invitation=invitation):
        raise ValidationError(
            _("不能从「%(a)s」改为「%(b)s」")
            % {"a": InvitationStatus(invitation.status).label, "b": InvitationStatus(status).label},
            code="transition",
        )
    is_seeker = invitation.seeker.user_id == actor.pk
    if is_seeker and status not in (InvitationStatus.YES, InvitationStatus.NO):
        raise ValidationError(_("您只能回复参加或不参加。"), code="seeker_answer_only")
    _invitation_move(invitation, status, actor, now)
    return invitation


@transaction.atomic
def fair_invite_recommended(*, fair: JobFair, actor: User, now: dt.datetime | None = None) -> int:
    """Invite, by inbox and SMS, the active seekers whose current recommendations include this
    fair's posts (each seeker once per fair). Returns how many were invited now."""
    now = now or timezone.now()
    if fair.status != FairStatus.PUBLISHED or fair.ends_on < _local_day(now):
        raise ValidationError(_("只能为已发布、还没结束的招聘会发邀请。"), code="fair_closed")
    postings = Exhibitor.postings.through.objects.filter(exhibitor__fair=fair).values("jobposting_id")
    seekers = (
        SeekerRegistration.objects.filter(
            status=SeekerStatus.ACTIVE,
            matches__posting__in=postings,
            matches__is_current=True,
            matches__status__in=UNTOUCHED_STATUSES,
        )
        .exclude(fair_invitations__fair=fair)
        .distinct()
    )
    first = fair.sessions.order_by("date").first()
    day = _day_words(first) if first else f"{fair.starts_on.month}月{fair.starts_on.day}日"
    text = _("邀请您参加「%(title)s」（%(day)s，%(venue)s），有适合您的岗位。网上报名：/fairs/%(pk)s/") % {
        "title": fair.title,
        "day": day,
        "venue": fair.venue,
        "pk": fair.pk,
    }
    n = 0
    for seeker in seekers:
        invitation = FairInvitation.objects.create(fair=fair, seeker=seeker, invited_by=actor)
        FairInvitationEvent.objects.create(
            invitation=invitation, from_status="", to_status=InvitationStatus.INVITED, at=now, actor=actor
        )
        key = f"fairinvite:{invitation.pk}"
        if seeker.user_id is not None:
            InboxMessage.objects.get_or_create(
                user_id=seeker.user_id,
                dedupe_key=key,
                defaults={"title": _("招聘会邀请"), "body": text, "link": f"/fairs/{fair.pk}/"},
            )
        sms_queue(phone=seeker.phone, text=text, purpose="fair_invitation", dedupe_key=key, now=now)
        n += 1
    return n


# --- walk-ins at the door -------------------------------------------------------------------


@dataclass(frozen=True)
class WalkInInput:
    name: str
    phone: str
    birth_year: int | None
    skill_ids: tuple[int, ...]
    paper_consent: bool


@transaction.atomic
def fair_walk_in(
    *, fair: JobFair, data: WalkInInput, actor: User, now: dt.datetime | None = None
) -> tuple[CheckInResult, bool]:
    """A seeker at the door without a ticket: found by phone, or registered on their behalf at the
    organising site (paper consent), then signed up for today (the person is here: no capacity
    check) and checked in like any ticket. Returns (the check-in, whether a registration was made)."""
    now = now or timezone.now()
    session = FairSession.objects.select_for_update().filter(fair=fair, date=_local_day(now)).first()
    if session is None:
        return CheckInResult(CheckInOutcome.NOT_TODAY), False
    seeker = SeekerRegistration.objects.current().by_phone(data.phone).first()
    created = False
    if seeker is None:
        if fair.service_point is None:
            raise ValidationError(_("全市招聘会现场不能新登记，请到登记台或用手机登记后再签到。"), code="no_site")
        if not data.paper_consent:
            raise ValidationError({"consent": _("新登记的人要先在纸质登记表上签字同意")}, code="consent")
        if data.birth_year is None:
            raise ValidationError({"birth_year": _("新登记的人请填写出生年份")}, code="birth_year")
        registration = SeekerRegistration(
            name=data.name,
            phone=data.phone,
            birth_year=data.birth_year,
            area=fair.area,
            # Where they live is not asked at the door: the fair's place until they edit it.
            home_lat=fair.lat,
            home_lng=fair.lng,
            note=_("招聘会现场登记：%(title)s") % {"title": fair.title},
            is_demo=fair.is_demo,
        )
        seeker = registration_create_walk_in(
            registration=registration,
            service_point=fair.service_point,
            actor=actor,
            skills=[SkillInput(skill_id=pk) for pk in data.skill_ids],
        )
        created = True
    signup = FairSignup.objects.filter(session=session, seeker=seeker).first()
    if signup is None:
        signup = FairSignup.objects.create(session=session, seeker=seeker)
    elif signup.status == SignupStatus.CANCELLED:
        signup.status, signup.code, signup.cancelled_at = SignupStatus.SIGNED_UP, ticket_code_new(), None
        signup.save(update_fields=["status", "code", "cancelled_at", "updated_at"])
    return signup_check_in(fair=fair, code=signup.code, actor=actor, now=now), created


# --- outcomes at the booths -----------------------------------------------------------------

# The match status each booth result stands for (talked, or a record taken back, sets none).
BOOTH_MATCH_STATUS: dict[str, str] = {
    BoothResult.INTERVIEW: MatchStatus.INTERVIEW,
    BoothResult.INTENTION: MatchStatus.INTENTION,
    BoothResult.HIRED: MatchStatus.HIRED,
}


# What the seeker is told of a booth's record: good news ranks, and only a record's best news so
# far is told (talked tells nothing; a later, better result tells again).
BOOTH_NEWS_RANK: dict[str, int] = {BoothResult.INTERVIEW: 1, BoothResult.INTENTION: 2, BoothResult.HIRED: 3}


def _booth_told_level(results: list[str]) -> int:
    """The news a seeker stands told of, after a record went through these results in turn: each
    better result was told as good news, each lower one (a take-back) as a correction."""
    level = 0
    for result in results:
        rank = BOOTH_NEWS_RANK.get(result, 0)
        if rank > level or (level and rank < level):
            level = rank
    return level


def _booth_told_before(outcome: BoothOutcome) -> int:
    """What the seeker was told of this record so far, replayed from its history (a row a save)."""
    if outcome.pk is None:
        return 0
    results = outcome.history.order_by("history_date", "history_id").values_list("result", flat=True)
    return _booth_told_level(list(results))


def _booth_words(outcome: BoothOutcome, fair: JobFair) -> tuple[str, str]:
    """(title, text) of the news of this record's result, in plain Chinese."""
    employer = outcome.exhibitor.employer.name
    where = {
        "fair": fair.title,
        "employer": employer,
        "post": outcome.posting.title if outcome.posting else "",
        "phone": fair.contact_phone,
    }
    if outcome.result == BoothResult.HIRED:
        return _("招聘会录用通知"), _(
            "恭喜！%(employer)s在「%(fair)s」录用了您，岗位「%(post)s」。上岗前有问题，请打 %(phone)s。"
        ) % where
    if outcome.result == BoothResult.INTENTION:
        return _("招聘会达成就业意向"), _(
            "您在「%(fair)s」和%(employer)s初步达成了就业意向，岗位「%(post)s」。上岗时间等事项，工作人员会和您确认。"
        ) % where
    return _("招聘会面试已记录"), _(
        "您在「%(fair)s」参加了%(employer)s的面试，岗位「%(post)s」。有结果会再告诉您；有问题请打 %(phone)s。"
    ) % where


def _booth_correction_words(outcome: BoothOutcome, fair: JobFair) -> tuple[str, str]:
    where = {"fair": fair.title, "employer": outcome.exhibitor.employer.name, "phone": fair.contact_phone}
    if outcome.result in BOOTH_NEWS_RANK:
        where["now"] = outcome.get_result_display()
        text = _("更正：您在「%(fair)s」和%(employer)s的洽谈结果记错了，现在是「%(now)s」。有疑问请打 %(phone)s。")
    else:
        text = _(
            "更正：您在「%(fair)s」和%(employer)s的洽谈结果记错了，已撤销，以工作人员联系您的为准。"
            "有疑问请打 %(phone)s。"
        )
    return _("招聘会洽谈结果更正"), text % where


def _booth_tell(
    outcome: BoothOutcome, fair: JobFair, *, told_before: int, match_before: int | None, now: dt.datetime
) -> bool:
    """Tell the seeker (inbox and SMS) of a record's better news than they were told, or that the
    news they were told was taken back or lowered (never as a second good news); True if told.
    The SMS goes through the one outbox as an application's status news does
    (matching/services/news.py): keyed by the match, so at most one a day for one post (a later
    change the same day replaces a text not yet sent), held through the quiet hours."""
    rank = BOOTH_NEWS_RANK.get(outcome.result, 0)
    if rank > told_before:
        title, text = _booth_words(outcome, fair)
        match_id = outcome.match_id
    elif told_before and rank < told_before:
        # Recorded by mistake, or lowered: no second good news; the seeker hears it no longer holds
        # (and the good news's text, if not yet sent today, is replaced: it never goes out).
        title, text = _booth_correction_words(outcome, fair)
        match_id = match_before
    else:
        return False
    key = f"fairbooth:{outcome.pk}:{outcome.history.count()}"  # one row a save: this save's number
    seeker = outcome.signup.seeker
    link = "/me/#fair-met"
    if seeker.user_id is not None:
        _msg, created = InboxMessage.objects.get_or_create(
            user_id=seeker.user_id, dedupe_key=key, defaults={"title": title, "body": text, "link": link}
        )
        if not created:
            return False
    sms = f"【湘潭就业】{text}" + _("详情：%(url)s") % {"url": f"{settings.PUBLIC_URL}{link}"}
    if seeker.user_id is None:
        sms += WALK_IN_LOGIN_HINT
    sms_queue(
        phone=seeker.phone,
        text=sms,
        purpose="fair_outcome",
        dedupe_key=f"match:{match_id}" if match_id else key,
        per_day=True,
        replace=True,
        now=now,
    )
    return True


def _match_restore(outcome: BoothOutcome, actor: User, now: dt.datetime, why: str) -> None:
    """Give the match this record moved back the status it had before (none: recommended, which
    counts nowhere and which the next rematch may replace)."""
    if outcome.match_id is None:
        return
    match = Match.objects.get(pk=outcome.match_id)
    match_record_in_person(
        posting=match.posting,
        seeker=match.seeker,
        status=outcome.match_status_before or MatchStatus.RECOMMENDED,
        actor=actor,
        reason=why,
        now=now,
    )
    outcome.match = None
    outcome.match_status_before = ""


@transaction.atomic
def booth_outcome_record(
    *,
    fair: JobFair,
    exhibitor: Exhibitor,
    code: str,
    result: str,
    actor: User,
    posting_id: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[BoothOutcome, bool]:
    """Record (or change) what came of a checked-in seeker's visit to a booth, found by the ticket
    code: talked, interviewed, intention reached, hired, or taken back. The last three are the
    seeker's match with the exhibitor's post, so they count as intentions and hires (docs/kpis.md);
    a change or a take-back moves the match accordingly. Returns (the record, whether it is new)."""
    now = now or timezone.now()
    if exhibitor.fair_id != fair.pk:
        raise ValidationError(_("这个单位不在本场招聘会。"), code="other_fair")
    if result not in BoothResult.values:
        raise ValidationError({"result": _("请选择洽谈结果")}, code="result")
    normalised = ticket_code_normalise(code)
    signup = (
        (
            FairSignup.objects.select_for_update(of=("self",))
            .select_related("session", "seeker")
            .filter(code=normalised)
        ).first()
        if normalised
        else None
    )
    if signup is None:
        raise ValidationError({"code": _("没有这个入场码，请核对后再输入")}, code="unknown")
    if signup.session.fair_id != fair.pk:
        raise ValidationError({"code": _("这张入场码不是本场招聘会的")}, code="other_fair")
    if signup.status != SignupStatus.CHECKED_IN:
        raise ValidationError({"code": _("这张入场码还没有在入口签到，请先签到")}, code="not_checked_in")
    posting = None
    if posting_id is not None:
        posting = exhibitor.postings.filter(pk=posting_id).first()
        if posting is None:
            raise ValidationError({"posting": _("请选择这家单位在本场的岗位")}, code="posting")
    wanted = BOOTH_MATCH_STATUS.get(result)
    if wanted is not None and posting is None:
        raise ValidationError(
            {"posting": _("面试、意向和录用要选是哪个岗位；这家单位还没有登记岗位的，请先在后台添加")},
            code="posting_required",
        )
    outcome = BoothOutcome.objects.select_for_update().filter(signup=signup, exhibitor=exhibitor).first()
    created = outcome is None
    if outcome is None:
        outcome = BoothOutcome(signup=signup, exhibitor=exhibitor, met_at=now)
    told_before, match_before = _booth_told_before(outcome), outcome.match_id
    why = _("招聘会展位：%(fair)s %(booth)s") % {"fair": fair.title, "booth": exhibitor.booth or exhibitor.employer_id}
    # Another post, or no match status any more: the match moved before goes back first.
    if outcome.match_id is not None and (wanted is None or outcome.posting_id != (posting.pk if posting else None)):
        _match_restore(outcome, actor, now, why)
    if wanted is not None and posting is not None:
        match, before = match_record_in_person(
            posting=posting, seeker=signup.seeker, status=wanted, actor=actor, reason=why, now=now
        )
        if outcome.match_id is None:
            outcome.match_status_before = before
        outcome.match = match
    outcome.result = result
    outcome.posting = posting
    outcome.recorded_by = actor
    outcome._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    outcome.save()
    with translation.override(settings.LANGUAGE_CODE):  # the seeker reads Chinese, whatever the staff's page
        _booth_tell(outcome, fair, told_before=told_before, match_before=match_before, now=now)
    return outcome, created


# --- results exports ------------------------------------------------------------------------


def results_export(*, fair: JobFair, results: Any, fmt: str, series: bool, actor: User) -> HttpResponse:
    """The results' tables as CSV or Excel, logged in the fair's admin history (who, when, which
    format and how many rows): an export leaves the portal, so it is on record."""
    tables = results_tables(results)
    rows = sum(len(t) - 1 for _title, t in tables)
    what = _("导出%(which)s成果 %(fmt)s，%(rows)d 行") % {
        "which": _("系列") if series else "",
        "fmt": fmt.upper(),
        "rows": rows,
    }
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=JobFair.objects.filter(pk=fair.pk),
        action_flag=CHANGE,
        change_message=what,
        single_object=True,
    )
    # And in the audit log, like every export (who, what, how many rows).
    audit_export(
        user=actor, what=f"fairs.JobFair {fair.pk} {'series ' if series else ''}results {fmt.upper()}", rows=rows
    )
    name = f"fair-{fair.pk}{'-series' if series else ''}-results"
    return tables_export_response(tables, fmt, name)
