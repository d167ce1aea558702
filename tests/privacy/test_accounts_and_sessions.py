"""Nothing personal in clear outside the encrypted columns: usernames are not phones, sessions hold
no phone or ID number (issue 17, PIPL)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core import signing
from django.db import connection
from django.test import TestCase

from tests.api.html import find_all, parse, text
from tests.factories import SeekerFactory
from tests.portal.test_register import good, post, register
from xiangtan_jobs.common.crypto import pii_digest, seal, unseal
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core.enums import UserRole
from xiangtan_jobs.core.models import SeekerRegistration, User

pytestmark = pytest.mark.django_db

PHONE = "13800138111"
ID_NUMBER = "11010519491231002X"


def _raw_sessions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def _opened(raw: str) -> str:
    """What anyone who reads the table sees: the session's payload, decoded without any key."""
    payload = raw.split(":")[0]
    data = signing.b64_decode(payload.lstrip(".").encode())
    if payload.startswith("."):
        import zlib

        data = zlib.decompress(data)
    return data.decode()


def _leaks(needles: list[str]) -> list[str]:
    found = []
    for raw in _raw_sessions():
        opened = _opened(raw)
        found += [n for n in needles if n in raw or n in opened]
    return found


# --- usernames ----------------------------------------------------------------------------------


def test_registering_online_gives_a_random_username_and_the_phone_still_logs_in(client, ref):
    register(client)
    user = SeekerRegistration.objects.by_phone(PHONE).get().user
    assert PHONE not in user.username and user.username.startswith("s_") and len(user.username) > 10
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "+86 138-0013-8111", "password": "Xiangtan-2025"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_no_table_holds_the_phone_as_a_username(client, ref, yuhu, alice):
    register(client)
    SeekerFactory(phone="13900139001")
    usernames = set(User.objects.values_list("username", flat=True))
    assert PHONE not in usernames and "13900139001" not in usernames


def test_the_wrong_password_for_a_phone_is_refused(client, ref):
    register(client)
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": PHONE, "password": "Wrong-2025x"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_staff_username_logs_in_as_before(client, alice):
    response = client.post("/admin/login/", {"username": "alice", "password": "pass-12345", "next": "/admin/"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_lockout_counts_per_phone_and_unlocks_by_phone(client, ref):
    from axes.models import AccessAttempt
    from django.core.management import call_command

    register(client)
    client.post("/accounts/logout/")
    for i in range(5):
        client.post("/accounts/login/", {"username": PHONE, "password": f"wrong-{i}"}, REMOTE_ADDR=f"10.9.0.{i}")
    # The right password from a new address: the account is locked.
    response = client.post("/accounts/login/", {"username": PHONE, "password": "Xiangtan-2025"}, REMOTE_ADDR="10.9.1.1")
    assert response.status_code == 429
    assert not AccessAttempt.objects.filter(username__contains=PHONE).exists()
    call_command("login_unlock", "138 0013 8111", stdout=__import__("io").StringIO())
    response = client.post("/accounts/login/", {"username": PHONE, "password": "Xiangtan-2025"}, REMOTE_ADDR="10.9.1.1")
    assert response.status_code == 302


def test_the_sms_code_logs_in_through_the_digest(client, dora, broker):
    SeekerFactory(user=dora, phone="13800138000")
    ConsoleSmsBackend.sent.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": "13800138000"})
    [code] = [t.split("验证码是 ")[1][:6] for to, t in ConsoleSmsBackend.sent if to == "13800138000"]
    response = client.post("/accounts/login/sms/code/", {"code": code})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(dora.pk)


def test_data_migration_replaces_phone_usernames(ref, django_user_model):
    seeker = django_user_model.objects.create_user("13700137000", role=UserRole.SEEKER)
    staff = django_user_model.objects.create_user("yuhu_op2", role=UserRole.OPERATOR, is_staff=True)
    migration = importlib.import_module("xiangtan_jobs.core.migrations.0012_privacy_seeker_usernames")
    migration.opaque_usernames(apps, None)
    seeker.refresh_from_db()
    staff.refresh_from_db()
    assert seeker.username.startswith("s_") and "13700137000" not in seeker.username
    assert staff.username == "yuhu_op2"


def test_superusers_user_list_shows_no_phone_and_finds_a_seeker_by_phone(client, ref, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-12345", role=UserRole.BUREAU)
    register(client)
    client.post("/accounts/logout/")
    client.force_login(admin)
    page = client.get("/admin/core/user/").content.decode()
    assert PHONE not in page and "138****8111" not in page and "李桂英" not in page
    assert "李**" in page or "李*英" in page
    found = parse(client.get("/admin/core/user/", {"q": "138 0013 8111"}).content.decode())
    rows = [text(r) for r in find_all(found, "tr")][1:]
    user = SeekerRegistration.objects.by_phone(PHONE).get().user
    assert len(rows) == 1 and user.username in rows[0]


# --- sessions -----------------------------------------------------------------------------------


def test_registration_wizard_keeps_no_phone_or_id_number_in_the_session(client, ref):
    assert post(client, "account", good("account")).status_code == 302
    assert post(client, "person", {**good("person"), "id_number": ID_NUMBER, "birth_year": "1949"}).status_code == 302
    assert _raw_sessions(), "the wizard keeps its state in the session"
    assert _leaks([PHONE, "138 0013 8111", ID_NUMBER, "李桂英"]) == []
    # The state still comes back: going back shows the phone typed.
    assert PHONE in client.get("/register/account/").content.decode().replace(" ", "")


def test_registration_state_lapses(client, ref, settings):
    from xiangtan_jobs.portal.views import register as wizard

    post(client, "account", good("account"))
    token = client.session[wizard.SESSION_KEY]
    assert unseal(token, max_age=wizard.WIZARD_MAX_AGE)["data"]["account"]["phone"] == "138 0013 8111"
    forged = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    assert unseal(forged, max_age=3600) is None
    settings.SECRET_KEY = "another-key-" + "y" * 40
    assert unseal(token, max_age=3600) is None


def test_sms_login_keeps_no_phone_in_the_session(client, dora, broker):
    SeekerFactory(user=dora, phone="13800138000")
    client.post("/accounts/login/sms/", {"phone": "13800138000"})
    assert _leaks(["13800138000", pii_digest("13800138000")]) == []
    assert "138****8000" in client.get("/accounts/login/sms/code/").content.decode()


def test_seal_round_trip():
    assert unseal(seal({"a": [1, "二"]}), max_age=60) == {"a": [1, "二"]}
