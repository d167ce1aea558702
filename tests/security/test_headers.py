"""Headers and sessions: `check --deploy` with production settings, Permissions-Policy, no-store on
personal pages, staff sessions that end when idle, no password echoed back."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.api.html import attrs, parse, walk
from tests.factories import SeekerFactory
from xiangtan_jobs.settings.keys import REPOSITORY_KEYS

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


def test_check_deploy_with_production_settings_has_no_warnings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "jobs.xiangtan.example",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    for name in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_PRELOAD"):
        env.pop(name, None)
    result = subprocess.run(  # our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_permissions_policy_refuses_device_features(client, ref):
    policy = client.get("/")["Permissions-Policy"]
    features = dict(item.split("=") for item in policy.split(", "))
    assert features["camera"] == "()" and features["geolocation"] == "()" and features["microphone"] == "()"
    # The job list's "near me" may ask for the location, for the page itself only.
    jobs = dict(item.split("=") for item in client.get("/jobs/")["Permissions-Policy"].split(", "))
    assert jobs["geolocation"] == "(self)" and jobs["camera"] == "()" and jobs["microphone"] == "()"


@pytest.mark.parametrize("url", ["/register/account/", "/accounts/login/", "/admin/login/", "/accounts/login/sms/"])
def test_personal_pages_are_not_stored(client, ref, url):
    cache_control = {part.strip() for part in client.get(url)["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_my_page_is_not_stored_but_the_job_list_may_be(client, ref, dora):
    SeekerFactory(user=dora, phone="13800138000")
    client.force_login(dora)
    response = client.get("/me/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in client.get("/jobs/").get("Cache-Control", "")


def test_staff_session_ends_when_idle_seekers_keep_theirs(client, alice, dora, frozen_clock):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS == 1800
    frozen_clock.shift(dt.timedelta(minutes=20))
    assert client.get("/admin/").status_code == 200  # a request restarts the idle clock
    frozen_clock.shift(dt.timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200
    frozen_clock.shift(dt.timedelta(minutes=31))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # A seeker idle for a day is still logged in.
    client.force_login(dora)
    frozen_clock.shift(dt.timedelta(days=1))
    assert client.get("/me/").status_code != 302


def test_registration_never_echoes_the_typed_password(client, ref):
    response = client.post(
        "/register/account/",
        {"phone": "123", "password1": "Secret-Xiangtan-9", "password2": "Secret-Xiangtan-9", "action": "next"},
    )
    assert response.status_code == 200
    page = parse(response.content)
    inputs = {attrs(el).get("name"): attrs(el) for el in walk(page) if el.name == "input"}
    for name in ("password1", "password2"):
        assert inputs[name]["type"] == "password" and "value" not in inputs[name]
    assert "Secret-Xiangtan-9" not in response.content.decode()


@pytest.mark.parametrize("key", sorted(REPOSITORY_KEYS))
def test_production_refuses_the_repository_key(tmp_path, key):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "x", "VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "xiangtan_jobs.settings.base"
    result = subprocess.run(  # our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "is a key from the repository" in result.stderr
