"""A seeker at the door without a ticket: registered in under a minute (name, phone, birth year,
skills; paper consent) at the organising site and checked in; someone already registered is found
by phone; errors in words beside the field."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.enums import SignupStatus
from fairs.models import FairSignup
from tests.clock import NOON
from tests.factories import SeekerFactory, skill
from tests.fairs.conftest import make_fair
from tests.fairs.html import page
from xiangtan_jobs.core.enums import ConsentMethod, ServiceKind
from xiangtan_jobs.core.models import SeekerRegistration, ServiceRecord

pytestmark = pytest.mark.django_db


def _walk_in(client, fair, **data):
    response = client.post(f"/fairs/{fair.pk}/checkin/walk-in/", data)
    p = page(response)
    box = p.find("div", class_="checkin-result")
    return (box.find("p", class_="checkin-words").text() if box else None), p


def test_new_walk_in_registered_and_checked_in(client, frozen_clock, fair, alice, yuhu):
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    client.force_login(alice)
    cleaner = skill("保洁员")
    door = page(client.get(f"/fairs/{fair.pk}/checkin/"))
    labels = [lab.text() for lab in door.find("form", class_="walk-in-form").find_all("label", class_="choice")]
    assert "保洁员" in labels and "焊工" in labels  # the skills this fair's posts ask for
    words, p = _walk_in(
        client, fair, name="刘 建国", phone="139 0731 2345", birth_year="1968", skills=[str(cleaner.pk)], consent="on"
    )
    assert words == "签到成功"
    assert "已为这位求职者现场登记。" in p.find("div", class_="checkin-result").text()
    reg = SeekerRegistration.objects.by_phone("13907312345").get()
    assert (reg.name, reg.birth_year, reg.service_point) == ("刘建国", 1968, yuhu)
    assert reg.consent_method == ConsentMethod.PAPER
    assert list(reg.seeker_skills.values_list("skill", flat=True)) == [cleaner.pk]
    signup = FairSignup.objects.get(seeker=reg)
    assert signup.status == SignupStatus.CHECKED_IN and signup.session.date == NOON.date() + dt.timedelta(days=3)
    assert sorted(ServiceRecord.objects.filter(seeker=reg).values_list("kind", flat=True)) == sorted(
        [ServiceKind.REGISTRATION, ServiceKind.CONSULTATION]
    )


def test_registered_seeker_found_by_phone_and_repeat_refused(client, frozen_clock, fair, alice):
    known = SeekerFactory(phone="13911119999", name="周大姐")
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    client.force_login(alice)
    assert _walk_in(client, fair, name="周大姐", phone="13911119999")[0] == "签到成功"
    assert SeekerRegistration.objects.by_phone("13911119999").count() == 1
    assert FairSignup.objects.get(seeker=known).status == SignupStatus.CHECKED_IN
    assert _walk_in(client, fair, name="周大姐", phone="13911119999")[0] == "这张入场码已经签到过了"


def test_errors_in_words(client, frozen_clock, fair, alice):
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    client.force_login(alice)
    words, p = _walk_in(client, fair, name="", phone="12345", birth_year="19x5")
    assert words is None
    errors = [e.text() for e in p.find("form", class_="walk-in-form").find_all("p", class_="error")]
    assert errors == [
        "请填写姓名",
        "手机号应为 11 位数字，以 1 开头、第二位是 3 到 9，请核对后重新填写",
        f"出生年份应是 1930 到 {NOON.year - 16} 之间的 4 位数字（年满 16 岁才能登记）",
    ]
    words, p = _walk_in(client, fair, name="新人", phone="13912340000", birth_year="1990")
    errors = [e.text() for e in p.find("form", class_="walk-in-form").find_all("p", class_="error")]
    assert errors == ["新登记的人要先在纸质登记表上签字同意"]
    assert not SeekerRegistration.objects.by_phone("13912340000").exists()


def test_bureau_fair_does_not_register_at_the_door(client, frozen_clock, charlie):
    fair = make_fair(title="全市专场", days=(3,))
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    client.force_login(charlie)
    _words, p = _walk_in(client, fair, name="新人", phone="13912340001", birth_year="1990", consent="on")
    assert p.find("p", class_="error-box").text() == "全市招聘会现场不能新登记，请到登记台或用手机登记后再签到。"


def test_walk_in_only_for_the_organising_site(client, frozen_clock, fair, bob):
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    client.force_login(bob)
    response = client.post(f"/fairs/{fair.pk}/checkin/walk-in/", {"name": "x", "phone": "13912340002"})
    assert response.status_code == 403
    assert not SeekerRegistration.objects.by_phone("13912340002").exists()
