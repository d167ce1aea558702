"""Lockout after repeated wrong passwords (django-axes) on both logins, per account and per address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import override_settings

from tests.api.html import find, parse, text
from tests.conftest import DORA_PHONE
from tests.factories import SeekerFactory

pytestmark = pytest.mark.django_db

SEEKER_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def dora(dora):
    """Dora with her registration: seekers log in with its phone (usernames are random)."""
    SeekerFactory(user=dora, phone=DORA_PHONE)
    return dora


def _seeker_try(client, password, *, phone="138 0013 8000", ip="10.0.0.1"):
    return client.post(SEEKER_LOGIN, {"username": phone, "password": password}, REMOTE_ADDR=ip)


def _alert(response) -> str:
    return text(find(parse(response.content), "p", role="alert"))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_seeker_account_locked_after_wrong_passwords_even_with_the_right_one(client, dora):
    for _ in range(3):
        _seeker_try(client, "wrong-password")
    # From another address and with the right password: the account itself is locked.
    response = _seeker_try(client, "pass-12345", phone="+86 13800138000", ip="10.0.0.2")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "密码输错的次数太多" in _alert(response)
    # The attempt table keeps a digest, never the phone.
    assert not AccessAttempt.objects.filter(username__contains="13800138000").exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_address_locked_after_failures_on_many_accounts(client, dora):
    for n in range(3):
        _seeker_try(client, "wrong-password", phone=f"1390000000{n}", ip="10.0.0.9")
    response = _seeker_try(client, "pass-12345", ip="10.0.0.9")
    assert response.status_code == 429
    # Another address may still log dora in.
    assert _seeker_try(client, "pass-12345", ip="10.0.0.3").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_below_the_limit_the_right_password_works(client, dora):
    for _ in range(2):
        assert _seeker_try(client, "wrong-password").status_code == 200
    assert _seeker_try(client, "pass-12345").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_admin_login_locked(client, alice):
    for _ in range(3):
        client.post(ADMIN_LOGIN, {"username": "alice", "password": "nope"}, REMOTE_ADDR="10.0.1.1")
    response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "pass-12345"}, REMOTE_ADDR="10.0.1.2")
    assert response.status_code == 429
    assert "请联系系统管理员解除锁定" in text(parse(response.content))
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_staff_unlock_by_phone(client, dora):
    for _ in range(3):
        _seeker_try(client, "wrong-password")
    assert _seeker_try(client, "pass-12345", ip="10.0.0.5").status_code == 429
    call_command("login_unlock", "138-0013-8000", "--ip", "10.0.0.1")
    assert _seeker_try(client, "pass-12345", ip="10.0.0.5").status_code == 302
