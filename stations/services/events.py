"""Recruitment events at a station (宣讲会, 小型招聘会): sign-ups, attendance, and the event as held.

The shared noun of "an event held at a site" is core.SiteEvent, which the fairs' days also point
at; each station event keeps one in step (employers, posts, attendance), so the KPI `events`
counts it once it has ended and never a second way (docs/kpis.md). Attending is one person-time.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import EventKind, SeekerStatus, ServiceKind
from xiangtan_jobs.core.models import SeekerRegistration, SiteEvent, User
from xiangtan_jobs.core.services.registrations import service_record_create

from ..enums import EventSignupStatus, StationEventStatus
from ..models import StationEvent, StationEventSignup

# The person-time attending a station's recruitment event counts as: core has no kind for
# "attended a recruitment event"; 就业咨询 is the nearest, as for the fairs' check-ins.
EVENT_SERVICE_KIND = ServiceKind.CONSULTATION


def event_check(*, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """A new event is announced for later, and ends after it starts (the admin's form runs this)."""
    now = now or timezone.now()
    if starts_at < now:
        raise ValidationError({"starts_at": _("开始时间已经过去了，请选择以后的时间。")}, code="past")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间要晚于开始时间。")}, code="order")


@transaction.atomic
def event_sync(*, event: StationEvent) -> SiteEvent | None:
    """Keep the event's core.SiteEvent in step: employers, posts (its postings), attendance; none
    for a cancelled event."""
    given = event
    locked = StationEvent.objects.select_for_update(of=("self",)).select_related("station", "site_event")
    event = locked.get(pk=given.pk)
    held = event.site_event
    if event.status != StationEventStatus.PUBLISHED:
        if held is not None:
            event.site_event = None
            event.save(update_fields=["site_event", "updated_at"])
            held.delete()
        given.site_event_id = None
        return None
    values = {
        "service_point_id": event.station_id,
        "title": event.title[:100],
        "kind": EventKind.RECRUITMENT,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.place[:128],
        "employer_count": event.employers.count(),
        "post_count": event.postings.count(),
        "attendance": event.signups.filter(status=EventSignupStatus.ATTENDED).count(),
        "is_demo": event.station.is_demo,
    }
    if held is None:
        held = SiteEvent.objects.create(**values)
        event.site_event = held
        event.save(update_fields=["site_event", "updated_at"])
        given.site_event_id = held.pk  # a caller saving its instance later keeps the link
        return held
    values["intentions"] = min(held.intentions, values["attendance"])
    for name, value in values.items():
        setattr(held, name, value)
    held.save()
    return held


@transaction.atomic
def event_signup(
    *, event: StationEvent, seeker: SeekerRegistration, actor: User, now: dt.datetime | None = None
) -> StationEventSignup:
    """Sign oneself up for an event still to come, while places last (the event row is locked)."""
    now = now or timezone.now()
    if seeker.user_id != actor.pk:
        raise ValidationError(_("只能给自己报名。"), code="not_yours")
    if seeker.status == SeekerStatus.WITHDRAWN:
        raise ValidationError(_("您的求职登记已注销，请先重新登记。"), code="seeker_withdrawn")
    event = StationEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != StationEventStatus.PUBLISHED:
        raise ValidationError(_("这场活动已经取消了。"), code="cancelled")
    if event.starts_at <= now:
        raise ValidationError(_("这场活动已经开始或结束了，看看其他活动吧。"), code="past")
    existing = StationEventSignup.objects.filter(event=event, seeker=seeker).first()
    if existing is not None and existing.status != EventSignupStatus.CANCELLED:
        raise ValidationError(_("您已经报名了这场活动。"), code="duplicate")
    taken = StationEventSignup.objects.filter(event=event, status=EventSignupStatus.SIGNED_UP).count()
    if event.capacity and taken >= event.capacity:
        raise ValidationError(_("这场活动报名已满，可以直接到驿站问问。"), code="full")
    if existing is not None:
        existing.status = EventSignupStatus.SIGNED_UP
        existing.save(update_fields=["status", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return StationEventSignup.objects.create(event=event, seeker=seeker)
    except IntegrityError as exc:
        raise ValidationError(_("您已经报名了这场活动。"), code="duplicate") from exc


@transaction.atomic
def event_signup_cancel(*, signup: StationEventSignup, actor: User) -> StationEventSignup:
    """The seeker cancels their sign-up (before attending)."""
    signup = StationEventSignup.objects.select_for_update().select_related("seeker").get(pk=signup.pk)
    if signup.seeker.user_id != actor.pk:
        raise ValidationError(_("只能取消自己的报名。"), code="not_yours")
    if signup.status == EventSignupStatus.ATTENDED:
        raise ValidationError(_("您已经参加过这场活动，不能取消。"), code="attended")
    if signup.status == EventSignupStatus.SIGNED_UP:
        signup.status = EventSignupStatus.CANCELLED
        signup.save(update_fields=["status", "updated_at"])
    return signup


@transaction.atomic
def event_attendance_mark(
    *, event: StationEvent, signup_ids: set[int], actor: User | None, now: dt.datetime | None = None
) -> int:
    """The operator marks who came: each newly attended sign-up is one person-time at the station,
    once (marking again adds nothing). Returns how many were newly marked."""
    now = now or timezone.now()
    event = StationEvent.objects.select_for_update().get(pk=event.pk)
    signups = list(
        StationEventSignup.objects.select_for_update()
        .select_related("seeker")
        .filter(event=event, pk__in=signup_ids)
        .exclude(status=EventSignupStatus.CANCELLED)
    )
    if len(signups) != len(signup_ids):
        raise ValidationError(_("名单里有没报名这场活动的人。"), code="not_signed_up")
    marked = 0
    for signup in signups:
        if signup.status == EventSignupStatus.ATTENDED:
            continue
        signup.service_record = service_record_create(
            service_point=event.station,
            kind=EVENT_SERVICE_KIND,
            actor=actor,
            seeker=signup.seeker,
            served_at=max(min(now, event.ends_at), event.starts_at),
            note=_("参加驿站招聘活动：%(title)s") % {"title": event.title[:150]},
        )
        signup.status = EventSignupStatus.ATTENDED
        signup.attended_at = now
        signup.save(update_fields=["status", "attended_at", "service_record", "updated_at"])
        marked += 1
    event_sync(event=event)
    return marked


@transaction.atomic
def event_attendance_undo(*, event: StationEvent, signup_id: int, actor: User | None) -> bool:
    """A wrong tick put right: the sign-up is back to signed up and its person-time is gone (the
    service record made by the tick is deleted, so the KPI no longer counts it). False if that
    sign-up was not marked as attended (a second tap, or another phone undid it first)."""
    event = StationEvent.objects.select_for_update().get(pk=event.pk)
    signup = (
        StationEventSignup.objects.select_for_update(of=("self",))
        .filter(event=event, pk=signup_id, status=EventSignupStatus.ATTENDED)
        .select_related("service_record")
        .first()
    )
    if signup is None:
        return False
    record = signup.service_record
    signup.status = EventSignupStatus.SIGNED_UP
    signup.attended_at = None
    signup.service_record = None
    signup.save(update_fields=["status", "attended_at", "service_record", "updated_at"])
    if record is not None:
        record.delete()
    event_sync(event=event)
    return True
