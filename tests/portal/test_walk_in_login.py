"""A seeker registered at a counter (walk-in desk, 铁脚板) can get in: the first SMS says how, the
SMS-code login works for their phone (the account is made then), the first login asks them to
confirm the registration and set a password if they wish; /register/ sends them to the SMS login."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import TestCase
from pytest_django.asserts import assertContains, assertNotContains

from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory, skill, street
from tests.portal.test_login_sms import queued  # noqa: F401 (tasks run like a worker)
from tests.portal.test_register import good, post
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core.enums import ConsentMethod, SmsStatus, UserRole
from xiangtan_jobs.core.models import SeekerSkill, SmsOutbox, User
from xiangtan_jobs.core.services import registration_create_walk_in

pytestmark = pytest.mark.django_db

PHONE = "13900001111"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    settings.PUBLIC_URL = "https://jobs.example.cn"
    ConsoleSmsBackend.sent.clear()


def _walk_in(yuhu, alice, when=NOON):
    registration = SeekerFactory.build(name="周建国", phone=PHONE, area=street(), consent_method=ConsentMethod.PAPER)
    with time_machine.travel(when, tick=False):
        registration = registration_create_walk_in(registration=registration, service_point=yuhu, actor=alice)
    SeekerSkill.objects.create(registration=registration, skill=skill("保洁员"), level=2)
    return registration


def _codes() -> list[str]:
    return [re.search(r"\d{6}", text).group() for to, text in ConsoleSmsBackend.sent if to == PHONE]


def test_the_first_sms_says_how_to_log_in(yuhu, alice):
    registration = _walk_in(yuhu, alice)
    sms = SmsOutbox.objects.get(purpose="walk_in")
    assert sms.phone == PHONE and sms.dedupe_key == f"walk-in:{registration.pk}"
    assert sms.text == (
        "【湘潭就业】您已在雨湖零工市场完成求职登记。第一次登录请在网站选“用短信验证码登录”，填这个手机号；"
        "登录后请核对登记信息，也可以设置密码。网址：https://jobs.example.cn/accounts/login/sms/"
    )
    assert sms.send_after == NOON


def test_the_first_sms_waits_for_the_morning_at_night(yuhu, alice):
    night = NOON.replace(hour=22)
    _walk_in(yuhu, alice, when=night)
    sms = SmsOutbox.objects.get(purpose="walk_in")
    assert sms.status == SmsStatus.PENDING and sms.send_after == (night + dt.timedelta(days=1)).replace(hour=8)


def test_first_sms_login_makes_the_account_and_asks_to_confirm(client, yuhu, alice):
    registration = _walk_in(yuhu, alice)
    assert registration.user_id is None
    posting = PostingFactory(service_point=yuhu, title="小区保洁员")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": PHONE, "next": f"/me/apply/{posting.pk}/"})
    [code] = _codes()
    registration.refresh_from_db()
    user = registration.user
    assert user.username.startswith("s_") and PHONE not in user.username
    assert user.role == UserRole.SEEKER and not user.has_usable_password()
    assert not user.is_staff
    response = client.post("/accounts/login/sms/code/", {"code": code, "next": f"/me/apply/{posting.pk}/"})
    assert response["Location"] == f"/me/confirm/?next=%2Fme%2Fapply%2F{posting.pk}%2F"
    page = client.get(response["Location"])
    assertContains(page, "<h1>确认登记信息</h1>", html=True)
    assertContains(page, "您在雨湖零工市场（2026年11月30日）由工作人员帮您做了求职登记。")
    assertContains(page, "<dd>周建国</dd>", html=True)
    assertContains(page, "<dd>139****1111</dd>", html=True)
    assertContains(page, "<dd>保洁员</dd>", html=True)
    assertNotContains(page, PHONE)
    # Without the tick nothing is confirmed; a password is optional but checked when given.
    refused = client.post("/me/confirm/", {"next": f"/me/apply/{posting.pk}/"})
    assertContains(refused, "请勾选确认。信息不对的话，先点「修改登记信息」改好")
    weak = client.post("/me/confirm/", {"consent": "on", "password1": "12345678", "password2": "12345678"})
    assertContains(weak, "密码只包含数字")
    registration.refresh_from_db()
    assert registration.needs_online_confirmation
    response = client.post(
        "/me/confirm/",
        {
            "consent": "on",
            "password1": "Zhou-jianguo-1",
            "password2": "Zhou-jianguo-1",
            "next": f"/me/apply/{posting.pk}/",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/me/apply/{posting.pk}/", 302)]
    assertContains(response, "已确认登记，密码也设好了。")
    assertContains(response, "<h1>确认申请</h1>", html=True)  # still logged in, on with the application
    registration.refresh_from_db()
    assert registration.confirmed_online_at is not None and not registration.needs_online_confirmation
    assert registration.consent_method == ConsentMethod.PAPER  # what was signed stays on record
    user.refresh_from_db()
    assert user.check_password("Zhou-jianguo-1")
    # Confirmed once: the page is not asked again.
    assert client.get("/me/confirm/")["Location"] == "/me/"


def test_confirming_without_a_password_keeps_the_sms_login(client, yuhu, alice):
    registration = _walk_in(yuhu, alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": PHONE})
    [code] = _codes()
    client.post("/accounts/login/sms/code/", {"code": code})
    me = client.get("/me/")
    assertContains(
        me,
        '<p class="notice" role="status">您是在服务点登记的，请核对一下登记信息。 '
        '<a href="/me/confirm/">核对并确认</a></p>',
        html=True,
    )
    response = client.post("/me/confirm/", {"consent": "on"}, follow=True)
    assert response.redirect_chain == [("/me/", 302)]
    assertContains(response, "已确认登记。以后用短信验证码登录就行。")
    assertNotContains(response, "核对并确认")
    registration.refresh_from_db()
    assert registration.confirmed_online_at is not None and not registration.user.has_usable_password()


def test_registering_a_walk_in_phone_again_points_to_the_sms_login(client, yuhu, alice):
    # The security issue (filed later) rules that no screen says who is registered: the walk-in's
    # phone gets the one answer every registered number gets, and that answer names the SMS login.
    registration = _walk_in(yuhu, alice)
    for step in ["account", "person", "skills", "wishes"]:
        overrides = {"phone": PHONE} if step == "account" else {}
        assert post(client, step, {**good(step), **overrides}).status_code == 302, step
    response = client.post("/register/confirm/", {**good("confirm"), "action": "next"}, follow=True)
    assertContains(response, "这个手机号或身份证号不能用于新的登记")
    assertContains(response, "短信验证码登录")
    registration.refresh_from_db()
    assert registration.user_id is None and not User.objects.filter(role=UserRole.SEEKER).exists()


def test_no_account_is_made_for_an_unknown_phone_and_a_staff_account_is_never_opened(
    client, yuhu, alice, django_user_model
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": "13700137000"})
    assert not User.objects.filter(role=UserRole.SEEKER).exists()
    # A walk-in registration whose phone is an operator's (old-style) username: the walk-in gets an
    # account of their own (usernames are never phones), and the code opens that one, not the admin.
    staff = django_user_model.objects.create_user(PHONE, password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    registration = _walk_in(yuhu, alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": PHONE})
    [code] = _codes()
    registration.refresh_from_db()
    assert registration.user_id is not None and registration.user != staff
    assert registration.user.role == UserRole.SEEKER and not registration.user.is_staff
    client.post("/accounts/login/sms/code/", {"code": code})
    assert int(client.session["_auth_user_id"]) == registration.user_id
    staff.refresh_from_db()
    assert staff.check_password("pass-12345") and staff.is_staff
