"""Consultations at a youth station: slots, booking, cancelling, recording, reminders, KPIs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from stations.enums import BookingStatus, ConsultationTopic
from stations.models import ConsultationBooking, ConsultationSlot, YouthStation
from stations.services import (
    booking_cancel,
    booking_create,
    consultation_record,
    consultation_reminders_send,
    slot_create,
)
from tests.clock import NOON
from tests.factories import SeekerFactory, UserFactory, street
from xiangtan_jobs.core.enums import ServiceKind, ServicePointKind, UserRole
from xiangtan_jobs.core.models import InboxMessage, ServiceRecord, SmsOutbox

TOMORROW_10 = NOON + dt.timedelta(days=1) - dt.timedelta(hours=2)


@pytest.fixture
def station(ref):
    return YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION,
        name="测试青年驿站",
        area=street(),
        address="雨湖区测试路2号",
        lat=27.87,
        lng=112.91,
    )


def _seeker():
    user = UserFactory(role=UserRole.SEEKER)
    return SeekerFactory(user=user), user


def _slot(station, capacity=1, start=TOMORROW_10):
    return slot_create(
        station=station,
        topic=ConsultationTopic.CAREER,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        capacity=capacity,
        now=NOON,
    )


@pytest.mark.django_db
def test_slots_in_the_past_or_overlapping_are_refused(station):
    _slot(station)
    with pytest.raises(ValidationError) as exc:
        _slot(station, start=TOMORROW_10 + dt.timedelta(minutes=15))
    assert exc.value.code == "overlap"
    with pytest.raises(ValidationError) as exc:
        _slot(station, start=NOON - dt.timedelta(hours=1))
    assert exc.value.message_dict == {"starts_at": ["开始时间已经过去了，请选择以后的时间。"]}
    _slot(station, start=TOMORROW_10 + dt.timedelta(minutes=30))  # touching, not overlapping
    assert ConsultationSlot.objects.filter(station=station).count() == 2


@pytest.mark.django_db
def test_full_slot_refuses_and_cancelling_frees_the_place(station):
    slot = _slot(station, capacity=1)
    first, first_user = _seeker()
    second, second_user = _seeker()
    booking = booking_create(slot=slot, seeker=first, actor=first_user, now=NOON)
    with pytest.raises(ValidationError) as exc:
        booking_create(slot=slot, seeker=second, actor=second_user, now=NOON)
    assert exc.value.code == "full"
    with pytest.raises(ValidationError) as exc:
        booking_cancel(booking=booking, actor=second_user, now=NOON)
    assert exc.value.code == "not_yours"
    booking_cancel(booking=booking, actor=first_user, now=NOON)
    assert booking_create(slot=slot, seeker=second, actor=second_user, now=NOON).status == BookingStatus.BOOKED


@pytest.mark.django_db
def test_recorded_consultation_is_one_person_time_at_the_station(station):
    slot = _slot(station)
    seeker, user = _seeker()
    booking = booking_create(slot=slot, seeker=seeker, actor=user, now=NOON)
    consultation = consultation_record(
        station=station, actor=None, topic=ConsultationTopic.CAREER, subject="简历修改", booking=booking
    )
    record = ServiceRecord.objects.get(pk=consultation.service_record_id)
    assert (record.service_point_id, record.seeker_id, record.kind) == (station.pk, seeker.pk, ServiceKind.CONSULTATION)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DONE
    with pytest.raises(ValidationError):
        consultation_record(station=station, actor=None, topic=ConsultationTopic.CAREER, subject="又", booking=booking)
    walk_in = consultation_record(station=station, actor=None, topic=ConsultationTopic.STARTUP, subject="创业贷款")
    assert walk_in.is_walk_in
    assert ServiceRecord.objects.get(pk=walk_in.service_record_id).kind == ServiceKind.ENTREPRENEURSHIP
    assert ServiceRecord.objects.filter(service_point=station).count() == 2


@pytest.mark.django_db
def test_booking_of_another_station_cannot_be_recorded_here(station, yuhu):
    other = YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name="另一个驿站", area=street(), address="岳塘区", lat=27.86, lng=112.95
    )
    seeker, user = _seeker()
    booking = booking_create(slot=_slot(station), seeker=seeker, actor=user, now=NOON)
    with pytest.raises(ValidationError) as exc:
        consultation_record(station=other, actor=None, topic=ConsultationTopic.CAREER, subject="x", booking=booking)
    assert exc.value.code == "other_station"
    assert not ServiceRecord.objects.filter(service_point=other).exists()


@pytest.mark.django_db
def test_reminder_goes_once_the_day_before_to_inbox_and_sms(station):
    seeker, user = _seeker()
    booking = booking_create(slot=_slot(station), seeker=seeker, actor=user, now=NOON)
    later_slot = _slot(station, start=TOMORROW_10 + dt.timedelta(days=1))
    other, other_user = _seeker()
    booking_create(slot=later_slot, seeker=other, actor=other_user, now=NOON)
    assert consultation_reminders_send(now=NOON) == 1
    assert consultation_reminders_send(now=NOON + dt.timedelta(hours=1)) == 0
    assert InboxMessage.objects.filter(user=user).count() == 1
    assert not InboxMessage.objects.filter(user=other_user).exists()
    sms = SmsOutbox.objects.get(purpose="consultation_reminder")
    assert sms.phone == seeker.phone
    assert "测试青年驿站" in sms.text
    booking.refresh_from_db()
    assert booking.reminded_at is not None


@pytest.mark.django_db
def test_reminder_in_quiet_hours_waits_in_the_outbox(station):
    seeker, user = _seeker()
    booking_create(slot=_slot(station), seeker=seeker, actor=user, now=NOON)
    late = NOON.replace(hour=23)
    assert consultation_reminders_send(now=late) == 1
    sms = SmsOutbox.objects.get(purpose="consultation_reminder")
    assert sms.send_after > late


@pytest.mark.django_db(transaction=True)
def test_last_place_is_not_given_twice_under_concurrent_booking(station):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    slot = _slot(station, capacity=1)
    people = [_seeker() for _ in range(4)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def book(seeker, user):
        try:
            barrier.wait()
            booking_create(slot=slot, seeker=seeker, actor=user, now=NOON)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code or "")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "full", "full", "ok"]
    assert ConsultationBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 1
