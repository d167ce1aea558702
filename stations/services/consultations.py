"""Write-side operations of the youth stations: consultation slots, bookings, consultations given
and the day-before reminders. A consultation given is one person-time (docs/kpis.md `served`),
recorded through core's ``service_record_create``, never counted a second way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import SeekerStatus, ServiceKind
from xiangtan_jobs.core.models import InboxMessage, SeekerRegistration, User
from xiangtan_jobs.core.services.registrations import service_record_create
from xiangtan_jobs.core.services.sms import sms_queue

from ..enums import BookingStatus, ConsultationTopic
from ..models import Consultation, ConsultationBooking, ConsultationSlot, YouthStation

# The person-time kind each consultation topic counts as (core.ServiceKind).
TOPIC_SERVICE_KIND = {
    ConsultationTopic.CAREER: ServiceKind.CONSULTATION,
    ConsultationTopic.POLICY: ServiceKind.CONSULTATION,
    ConsultationTopic.STARTUP: ServiceKind.ENTREPRENEURSHIP,
}


@transaction.atomic
def slot_create(
    *,
    station: YouthStation,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int = 1,
    counsellor: str = "",
    now: dt.datetime | None = None,
) -> ConsultationSlot:
    """Publish a consultation time: never in the past, never overlapping another of the station's."""
    # Lock the station's row: two slots created at once cannot both pass the overlap check.
    YouthStation.objects.select_for_update().filter(pk=station.pk).first()
    slot_check(station=station, topic=topic, starts_at=starts_at, ends_at=ends_at, capacity=capacity, now=now)
    return ConsultationSlot.objects.create(
        station=station, topic=topic, starts_at=starts_at, ends_at=ends_at, capacity=capacity, counsellor=counsellor
    )


def slot_check(
    *,
    station: YouthStation,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    now: dt.datetime | None = None,
) -> None:
    """The rules of a slot (also run by the admin's form, so a refusal is a field error)."""
    now = now or timezone.now()
    if topic not in ConsultationTopic.values:
        raise ValidationError({"topic": _("请选择咨询类型。")}, code="topic")
    if starts_at < now:
        raise ValidationError({"starts_at": _("开始时间已经过去了，请选择以后的时间。")}, code="past")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间要晚于开始时间。")}, code="order")
    if capacity < 1:
        raise ValidationError({"capacity": _("可约人数至少为 1。")}, code="capacity")
    if ConsultationSlot.objects.filter(station=station, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError(_("这个时间和本驿站已有的咨询时段重叠了。"), code="overlap")


@transaction.atomic
def booking_create(
    *, slot: ConsultationSlot, seeker: SeekerRegistration, actor: User, now: dt.datetime | None = None
) -> ConsultationBooking:
    """Book a place in a slot for oneself, while places last (the slot row is locked, so two
    bookings for the last place cannot both win)."""
    now = now or timezone.now()
    if seeker.user_id != actor.pk:
        raise ValidationError(_("只能给自己预约。"), code="not_yours")
    if seeker.status == SeekerStatus.WITHDRAWN:
        raise ValidationError(_("您的求职登记已注销，请先重新登记。"), code="seeker_withdrawn")
    slot = ConsultationSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.starts_at <= now:
        raise ValidationError(_("这个时段已经开始或过去了，请选其他时间。"), code="past")
    existing = ConsultationBooking.objects.filter(slot=slot, seeker=seeker).first()
    if existing is not None and existing.status == BookingStatus.BOOKED:
        raise ValidationError(_("您已经预约了这个时段。"), code="duplicate")
    taken = ConsultationBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count()
    if taken >= slot.capacity:
        raise ValidationError(_("这个时段已经约满了，请选其他时间。"), code="full")
    if existing is not None:
        existing.status = BookingStatus.BOOKED
        existing.cancelled_at = None
        existing.reminded_at = None
        existing.save(update_fields=["status", "cancelled_at", "reminded_at", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return ConsultationBooking.objects.create(slot=slot, seeker=seeker)
    except IntegrityError as exc:
        raise ValidationError(_("您已经预约了这个时段。"), code="duplicate") from exc


@transaction.atomic
def booking_cancel(*, booking: ConsultationBooking, actor: User, now: dt.datetime | None = None) -> ConsultationBooking:
    """The seeker cancels their booking before the consultation; the place is free again."""
    now = now or timezone.now()
    booking = ConsultationBooking.objects.select_for_update().select_related("seeker").get(pk=booking.pk)
    if booking.seeker.user_id != actor.pk:
        raise ValidationError(_("只能取消自己的预约。"), code="not_yours")
    if booking.status == BookingStatus.DONE:
        raise ValidationError(_("这次咨询已经完成，不能取消。"), code="done")
    if booking.status == BookingStatus.BOOKED:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    return booking


def consultation_check(*, station: YouthStation, booking: ConsultationBooking | None) -> None:
    """A booked consultation is recorded once, at the booking's own station, if not cancelled."""
    if booking is None:
        return
    if booking.slot.station_id != station.pk:
        raise ValidationError(_("这个预约不属于本驿站。"), code="other_station")
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("这个预约已经取消了。"), code="cancelled")
    if Consultation.objects.filter(booking=booking).exists():
        raise ValidationError(_("这个预约已经记录过咨询了。"), code="recorded")


@transaction.atomic
def consultation_record(
    *,
    station: YouthStation,
    actor: User | None,
    topic: str,
    subject: str,
    outcome: str = "",
    booking: ConsultationBooking | None = None,
    seeker: SeekerRegistration | None = None,
    served_at: dt.datetime | None = None,
) -> Consultation:
    """Record a consultation given, booked or walk-in: one person-time (core.ServiceRecord) at the
    station. A booking is recorded once and must belong to this station."""
    if topic not in ConsultationTopic.values:
        raise ValidationError({"topic": _("请选择咨询类型。")}, code="topic")
    if booking is not None:
        booking = ConsultationBooking.objects.select_for_update().select_related("slot", "seeker").get(pk=booking.pk)
        consultation_check(station=station, booking=booking)
        seeker = booking.seeker
        served_at = served_at or booking.slot.starts_at
    served_at = served_at or timezone.now()
    record = service_record_create(
        service_point=station,
        kind=TOPIC_SERVICE_KIND[ConsultationTopic(topic)],
        actor=actor,
        seeker=seeker,
        served_at=served_at,
        note=subject[:200],
    )
    consultation = Consultation.objects.create(
        station=station,
        booking=booking,
        seeker=seeker,
        topic=topic,
        subject=subject,
        outcome=outcome,
        served_at=served_at,
        recorded_by=actor,
        service_record=record,
    )
    if booking is not None:
        booking.status = BookingStatus.DONE
        booking.save(update_fields=["status", "updated_at"])
    return consultation


@transaction.atomic
def consultation_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every seeker booked for tomorrow (local day), once: an inbox message and a text
    message through the SMS outbox (which holds it back in the quiet hours). Returns how many."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    bookings = (
        ConsultationBooking.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__station", "seeker")
        .filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + dt.timedelta(days=1),
        )
    )
    sent = 0
    for booking in bookings:
        slot, seeker = booking.slot, booking.seeker
        when = timezone.localtime(slot.starts_at).strftime("%m月%d日 %H:%M")
        text = _("提醒：您预约了%(when)s在%(station)s的%(topic)s，请准时到达。") % {
            "when": when,
            "station": slot.station.name,
            "topic": slot.get_topic_display(),
        }
        key = f"consultation-reminder:{booking.pk}"
        if seeker.user_id:
            InboxMessage.objects.get_or_create(
                user_id=seeker.user_id,
                dedupe_key=key,
                defaults={"title": _("明天的咨询预约"), "body": text, "link": f"/stations/{slot.station_id}/"},
            )
        sms_queue(phone=seeker.phone, text=text, purpose="consultation_reminder", dedupe_key=key, now=now)
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at", "updated_at"])
        sent += 1
    return sent
