"""Recruitment events at a station (sign-up, attendance once, counted as an event held once it has
ended) and startup incubation (services as one person-time per founder; the public showcase shows
only what was agreed); operators act only for their own station."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stations.enums import EventSignupStatus, StationEventStatus
from stations.models import ProjectFounder, StartupProject, StationEvent, StationEventSignup, YouthStation
from stations.services import (
    event_attendance_mark,
    event_signup,
    event_signup_cancel,
    event_sync,
    project_service_record,
)
from tests.clock import NOON, TODAY
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, UserFactory, street
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import EventKind, MembershipRole, ServiceKind, ServicePointKind, UserRole
from xiangtan_jobs.core.models import OperatorMembership, ServiceRecord, SiteEvent
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **kw: None)


def _station(name="测试青年驿站"):
    return YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name=name, area=street(), address="雨湖区", lat=27.87, lng=112.91
    )


@pytest.fixture
def station(ref):
    return _station()


@pytest.fixture
def station_op(station, django_user_model):
    user = django_user_model.objects.create_user("op-st", password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    OperatorMembership.objects.create(user=user, service_point=station, role=MembershipRole.OPERATOR)
    return user


def _event(station, *, capacity=0, start=NOON + dt.timedelta(days=1)):
    event = StationEvent.objects.create(
        station=station,
        kind="talk",
        title="<b>家政企业宣讲会</b>",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="驿站大厅",
        capacity=capacity,
    )
    employer = EmployerFactory(name="湘潭洁美家政有限公司", service_point=station)
    event.employers.set([employer])
    event.postings.set([PostingFactory(employer=employer, service_point=station), PostingFactory(employer=employer)])
    event_sync(event=event)
    return event


def _seeker(**kw):
    user = UserFactory(role=UserRole.SEEKER)
    return SeekerFactory(user=user, **kw), user


@pytest.mark.django_db
def test_event_sign_up_attendance_once_and_counted_as_an_event_held_after_it_ended(station, station_op):
    event = _event(station, capacity=1)
    (a, ua), (b, ub) = _seeker(), _seeker()
    signup = event_signup(event=event, seeker=a, actor=ua, now=NOON)
    with pytest.raises(ValidationError) as exc:
        event_signup(event=event, seeker=b, actor=ub, now=NOON)
    assert exc.value.code == "full"
    with pytest.raises(ValidationError):
        event_signup_cancel(signup=signup, actor=ub)
    assert event_attendance_mark(event=event, signup_ids={signup.pk}, actor=station_op, now=event.starts_at) == 1
    assert event_attendance_mark(event=event, signup_ids={signup.pk}, actor=station_op, now=event.starts_at) == 0
    records = ServiceRecord.objects.filter(seeker=a)
    assert [(r.service_point_id, r.kind) for r in records] == [(station.pk, ServiceKind.CONSULTATION)]
    held = SiteEvent.objects.get(station_event=event)
    assert (held.kind, held.employer_count, held.post_count, held.attendance) == (EventKind.RECRUITMENT, 1, 2, 1)
    day = Period(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=1))
    assert kpi_value("served", day, Scope(site_id=station.pk)) == 1
    # Announced is not held: the KPI counts the event once it has ended (docs/kpis.md).
    import time_machine

    with time_machine.travel(event.starts_at, tick=False):
        assert kpi_value("events", day, Scope(site_id=station.pk)) == 0
    with time_machine.travel(event.ends_at + dt.timedelta(minutes=1), tick=False):
        assert kpi_value("events", day, Scope(site_id=station.pk)) == 1
        event = StationEvent.objects.get(pk=event.pk)  # as the admin's change form loads it
        event.status = StationEventStatus.CANCELLED
        event.save()
        event_sync(event=event)
        assert not SiteEvent.objects.exists()
        assert kpi_value("events", day, Scope(site_id=station.pk)) == 0


@pytest.mark.django_db
def test_events_in_the_past_are_refused_in_the_admin_and_text_is_escaped(client, station, station_op, frozen_clock):
    client.force_login(station_op)
    form = {
        "station": station.pk,
        "kind": "mini_fair",
        "title": "小型招聘会",
        "starts_at_0": (TODAY - dt.timedelta(days=1)).isoformat(),
        "starts_at_1": "09:00:00",
        "ends_at_0": (TODAY - dt.timedelta(days=1)).isoformat(),
        "ends_at_1": "11:00:00",
        "place": "驿站大厅",
        "capacity": "0",
        "status": "published",
        "signups-TOTAL_FORMS": "0",
        "signups-INITIAL_FORMS": "0",
    }
    refused = client.post("/admin/stations/stationevent/add/", form)
    assert refused.status_code == 200 and not StationEvent.objects.exists()
    assert "开始时间已经过去了，请选择以后的时间。" in refused.content.decode()
    form["starts_at_0"] = form["ends_at_0"] = (TODAY + dt.timedelta(days=2)).isoformat()
    created = client.post("/admin/stations/stationevent/add/", form)
    assert created.status_code == 302, created.context["adminform"].form.errors
    event = StationEvent.objects.get()
    assert SiteEvent.objects.get(station_event=event).service_point_id == station.pk
    _event(station)
    html = client.get(f"/stations/{station.pk}/").content.decode()
    assert "&lt;b&gt;家政企业宣讲会&lt;/b&gt;" in html and "<b>家政企业宣讲会</b>" not in html


@pytest.mark.django_db
def test_seeker_signs_up_on_the_station_page_and_cancels_on_my_page(client, station, frozen_clock):
    event = _event(station)
    seeker, user = _seeker()
    client.force_login(user)
    events = page(client.get(f"/stations/{station.pk}/")).find("ul", class_="station-events")
    assert events is not None and "湘潭洁美家政有限公司" in events.text()
    response = client.post(f"/stations/events/{event.pk}/signup/", follow=True)
    assert messages_of(response) == ["报名成功：<b>家政企业宣讲会</b>。"]
    signup = StationEventSignup.objects.get(event=event, seeker=seeker)
    mine = page(client.get("/me/")).find("ul", class_="my-events")
    assert mine is not None and mine.find("form", action=f"/stations/event-signups/{signup.pk}/cancel/")
    client.post(f"/stations/event-signups/{signup.pk}/cancel/", {"next": "/me/"})
    signup.refresh_from_db()
    assert signup.status == EventSignupStatus.CANCELLED


@pytest.mark.django_db
def test_only_the_stations_staff_mark_attendance(client, station, station_op, alice, charlie, dora, frozen_clock):
    event = _event(station)
    seeker, user = _seeker()
    signup = event_signup(event=event, seeker=seeker, actor=user)
    url = f"/stations/events/{event.pk}/attendance/"
    for other in (alice, charlie, dora):
        client.force_login(other)
        assert client.get(url).status_code == 403
        assert client.post(url, {"came": [signup.pk]}).status_code == 403
    assert not ServiceRecord.objects.exists()
    client.force_login(station_op)
    boxes = page(client.get(url)).find_all("input", name="came")
    assert [b["value"] for b in boxes] == [str(signup.pk)]
    response = client.post(url, {"came": [signup.pk]}, follow=True)
    assert messages_of(response) == ["已登记 1 人到场。"]
    assert ServiceRecord.objects.filter(seeker=seeker, service_point=station).count() == 1


@pytest.mark.django_db
def test_project_services_are_one_person_time_per_founder_and_the_showcase_shows_only_what_was_agreed(
    client, station, station_op, frozen_clock
):
    (a, _ua), (b, ub) = _seeker(name="陈志强"), _seeker(name="李晓红")
    shown = StartupProject.objects.create(
        station=station,
        name="莲城米粉",
        summary="内部：贷款 5 万",
        mentor="周老师",
        showcase=True,
        showcase_text="湘潭米粉外卖",
    )
    hidden = StartupProject.objects.create(station=station, name="不公开的项目", showcase=False)
    ProjectFounder.objects.create(project=shown, seeker=a)
    ProjectFounder.objects.create(project=shown, seeker=b)
    with pytest.raises(ValidationError):
        project_service_record(project=hidden, kind="guidance", served_on=TODAY, actor=station_op)  # no founders
    project_service_record(project=shown, kind="financing", served_on=TODAY, note="创业担保贷款", actor=station_op)
    records = ServiceRecord.objects.filter(service_point=station).order_by("seeker_id")
    assert [(r.seeker_id, r.kind) for r in records] == sorted(
        [(a.pk, ServiceKind.ENTREPRENEURSHIP), (b.pk, ServiceKind.ENTREPRENEURSHIP)]
    )
    assert kpi_value("served", Period(TODAY, TODAY), Scope(site_id=station.pk)) == 2
    showcase = page(client.get("/stations/startups/"))
    cards = showcase.find("ul", class_="showcase")
    assert [h.text() for h in cards.find_all("h2")] == ["莲城米粉"]
    text = cards.text()
    assert "湘潭米粉外卖" in text
    for private in ("陈志强", "李晓红", "周老师", "贷款 5 万", "不公开的项目"):
        assert private not in text
    client.force_login(ub)
    mine = page(client.get("/me/")).find("ul", class_="my-projects")
    assert mine is not None and "莲城米粉" in mine.text() and "周老师" in mine.text()


@pytest.mark.django_db
def test_operator_records_a_service_in_the_admin_for_their_own_stations_projects_only(
    client, station, station_op, frozen_clock
):
    other = _station("另一个驿站")
    seeker, _ = _seeker()
    mine = StartupProject.objects.create(station=station, name="我的项目")
    theirs = StartupProject.objects.create(station=other, name="别人的项目")
    ProjectFounder.objects.create(project=mine, seeker=seeker)
    client.force_login(station_op)
    assert client.get(f"/admin/stations/startupproject/{theirs.pk}/change/").status_code == 404
    listing = client.get("/admin/stations/startupproject/").content.decode()
    assert "我的项目" in listing and "别人的项目" not in listing
    founder = ProjectFounder.objects.get(project=mine)
    data = {
        "station": station.pk,
        "name": "我的项目",
        "summary": "",
        "stage": "idea",
        "mentor": "周老师",
        "status": "incubating",
        "showcase_text": "",
        "projectfounder_set-TOTAL_FORMS": "1",
        "projectfounder_set-INITIAL_FORMS": "1",
        "projectfounder_set-0-id": founder.pk,
        "projectfounder_set-0-project": mine.pk,
        "projectfounder_set-0-seeker": seeker.pk,
        "projectfounder_set-0-role": "",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-0-kind": "venue",
        "services-0-served_on": TODAY.isoformat(),
        "services-0-note": "免费工位",
    }
    response = client.post(f"/admin/stations/startupproject/{mine.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    record = ServiceRecord.objects.get(service_point=station)
    assert (record.seeker_id, record.kind, record.served_by_id) == (
        seeker.pk,
        ServiceKind.ENTREPRENEURSHIP,
        station_op.pk,
    )
    assert not ServiceRecord.objects.filter(service_point=other).exists()


@pytest.mark.django_db
def test_a_wrong_came_mark_is_undone_from_the_staff_page_and_its_person_time_goes(client, station, station_op):
    event = _event(station)
    (a, ua), (b, ub) = _seeker(), _seeker()
    right, wrong = (event_signup(event=event, seeker=s, actor=u, now=NOON) for s, u in ((a, ua), (b, ub)))
    event_attendance_mark(event=event, signup_ids={right.pk, wrong.pk}, actor=station_op, now=event.starts_at)
    day = Period(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=1))
    assert kpi_value("served", day, Scope(site_id=station.pk)) == 2
    client.force_login(station_op)
    url = f"/stations/events/{event.pk}/attendance/"
    response = client.post(url, {"undo": str(wrong.pk), "came": [str(right.pk)]}, follow=True)
    assert messages_of(response) == ["已撤销这个人的到场登记。"]
    wrong.refresh_from_db()
    right.refresh_from_db()
    assert (wrong.status, wrong.attended_at, wrong.service_record_id) == (EventSignupStatus.SIGNED_UP, None, None)
    assert right.status == EventSignupStatus.ATTENDED
    assert list(ServiceRecord.objects.values_list("seeker_id", flat=True)) == [a.pk]
    assert kpi_value("served", day, Scope(site_id=station.pk)) == 1
    assert SiteEvent.objects.get(station_event=event).attendance == 1
    # The page offers the tick again, and a second undo (another phone, a double tap) is harmless.
    assert f'name="came" value="{wrong.pk}"' in client.get(url).content.decode()
    again = client.post(url, {"undo": str(wrong.pk)}, follow=True)
    assert any("无需撤销" in m for m in messages_of(again))
    assert kpi_value("served", day, Scope(site_id=station.pk)) == 1
    # Another station's operator cannot undo here.
    other = _station("另一个青年驿站")
    outsider = type(station_op).objects.create_user(
        "op-other", password="pass-12345", role=UserRole.OPERATOR, is_staff=True
    )
    OperatorMembership.objects.create(user=outsider, service_point=other, role=MembershipRole.OPERATOR)
    client.force_login(outsider)
    assert client.post(url, {"undo": str(right.pk)}).status_code == 403
    right.refresh_from_db()
    assert right.status == EventSignupStatus.ATTENDED
