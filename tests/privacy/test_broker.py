"""The broker carries no secret in clear: every message of a seeker's way through the portal holds
ids only (no phone, ID number or login code) (issue 17)."""

from __future__ import annotations

import json

import pytest
from django.test import TestCase

from tests.portal.test_register import good, post
from xiangtan_jobs.common.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db


def _ids_only(value: object) -> bool:
    if isinstance(value, list | tuple):
        return all(_ids_only(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def test_registration_and_sms_login_send_ids_only(client, ref, broker, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    ConsoleSmsBackend.sent.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        for step in ["account", "person", "skills", "wishes", "confirm"]:
            data = (
                {**good(step), "id_number": "11010519491231002X", "birth_year": "1949"}
                if step == "person"
                else good(step)
            )
            assert post(client, step, data).status_code == 302
    client.post("/accounts/logout/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/login/sms/", {"phone": "13800138111"})
    [code] = [t.split("验证码是 ")[1][:6] for to, t in ConsoleSmsBackend.sent if to == "13800138111"]
    names = {name for name, _a, _k in broker}
    assert {"matching.match_seeker", "core.send_login_code"} <= names, names
    for name, args, kwargs in broker:
        assert _ids_only(args) and not kwargs, (name, args, kwargs)
        message = json.dumps([args, kwargs])
        for secret in ("13800138111", "11010519491231002X", code, "李桂英"):
            assert secret not in message, name
