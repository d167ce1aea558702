"""The station's page: a seeker books and cancels a consultation from the phone; the admin's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from stations.enums import BookingStatus, ConsultationTopic
from stations.models import ConsultationBooking, ConsultationSlot, YouthStation
from stations.services import slot_create
from tests.clock import NOON
from tests.factories import SeekerFactory, UserFactory, street
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import MembershipRole, ServicePointKind, UserRole
from xiangtan_jobs.core.models import OperatorMembership

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


def _station(name: str) -> YouthStation:
    return YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name=name, area=street(), address="雨湖区", lat=27.87, lng=112.91
    )


@pytest.fixture
def station(ref):
    return _station("测试青年驿站")


@pytest.fixture
def slot(station, frozen_clock):
    start = NOON + dt.timedelta(days=1)
    return slot_create(
        station=station, topic=ConsultationTopic.POLICY, starts_at=start, ends_at=start + dt.timedelta(minutes=30)
    )


@pytest.mark.django_db
def test_seeker_books_and_cancels_from_the_phone(client, slot):
    user = UserFactory(role=UserRole.SEEKER)
    seeker = SeekerFactory(user=user)
    url = f"/stations/{slot.station_id}/"
    anonymous = client.post(f"/stations/slots/{slot.pk}/book/", **PHONE)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    client.force_login(user)
    response = client.post(f"/stations/slots/{slot.pk}/book/", follow=True, **PHONE)
    assert response.redirect_chain[-1][0] == url
    assert any(m.startswith("预约成功") for m in messages_of(response))
    booking = ConsultationBooking.objects.get(slot=slot, seeker=seeker)
    html = page(response)
    mine = html.find("ul", class_="my-bookings")
    assert mine is not None and mine.find("form", action=f"/stations/bookings/{booking.pk}/cancel/") is not None
    slots = html.find("ul", class_="slots")
    assert slots is not None and slots.text().endswith("已约满")
    response = client.post(f"/stations/bookings/{booking.pk}/cancel/", follow=True, **PHONE)
    assert "预约已取消。" in messages_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.django_db
def test_full_slot_says_so_and_someone_elses_booking_is_404(client, slot):
    first = UserFactory(role=UserRole.SEEKER)
    SeekerFactory(user=first)
    client.force_login(first)
    client.post(f"/stations/slots/{slot.pk}/book/")
    booking = ConsultationBooking.objects.get(slot=slot)
    second = UserFactory(role=UserRole.SEEKER)
    SeekerFactory(user=second)
    client.force_login(second)
    response = client.post(f"/stations/slots/{slot.pk}/book/", follow=True)
    assert "这个时段已经约满了，请选其他时间。" in messages_of(response)
    assert client.post(f"/stations/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


@pytest.mark.django_db
def test_operator_sees_only_their_own_stations_slots(client, station, slot, django_user_model):
    other = _station("另一个驿站")
    start = NOON + dt.timedelta(days=2)
    theirs = slot_create(
        station=other, topic=ConsultationTopic.CAREER, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    operator = django_user_model.objects.create_user(
        "op-station", password="pass-12345", role=UserRole.OPERATOR, is_staff=True
    )
    OperatorMembership.objects.create(user=operator, service_point=station, role=MembershipRole.OPERATOR)
    client.force_login(operator)
    listing = client.get("/admin/stations/consultationslot/")
    assert listing.status_code == 200
    assert client.get(f"/admin/stations/consultationslot/{slot.pk}/change/").status_code == 200
    assert client.get(f"/admin/stations/consultationslot/{theirs.pk}/change/").status_code in (302, 404)
    assert ConsultationSlot.objects.count() == 2


@pytest.mark.django_db
def test_station_page_lists_its_own_courses(client, station, frozen_clock):
    from stations.models import Course
    from tests.clock import TODAY
    from tests.factories import skill

    Course.objects.create(
        service_point=station,
        title="电工入门",
        skill=skill("电工"),
        starts_on=TODAY + dt.timedelta(days=2),
        ends_on=TODAY + dt.timedelta(days=5),
        seats=10,
        place="驿站教室",
    )
    html = page(client.get(f"/stations/{station.pk}/"))
    courses = html.find("ul", class_="station-courses")
    assert courses is not None and courses.text().startswith("电工入门")


@pytest.mark.django_db
def test_operator_records_a_walk_in_at_their_station_only(client, station, django_user_model, frozen_clock):
    from stations.models import Consultation
    from xiangtan_jobs.core.models import ServiceRecord

    other = _station("另一个驿站")
    operator = django_user_model.objects.create_user(
        "op-walkin", password="pass-12345", role=UserRole.OPERATOR, is_staff=True
    )
    OperatorMembership.objects.create(user=operator, service_point=station, role=MembershipRole.OPERATOR)
    client.force_login(operator)
    form = {
        "station": other.pk,
        "topic": ConsultationTopic.POLICY,
        "subject": "<b>社保补贴</b>",
        "outcome": "已告知",
        "served_at_0": "2026-11-30",
        "served_at_1": "10:00:00",
    }
    refused = client.post("/admin/stations/consultation/add/", form)
    assert refused.status_code == 200 and not Consultation.objects.exists()
    form["station"] = station.pk
    done = client.post("/admin/stations/consultation/add/", form)
    assert done.status_code == 302
    consultation = Consultation.objects.get()
    record = ServiceRecord.objects.get(pk=consultation.service_record_id)
    assert (record.service_point_id, record.kind, record.served_by_id) == (station.pk, "consultation", operator.pk)
