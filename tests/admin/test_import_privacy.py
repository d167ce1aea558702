"""The import's upload between preview and confirmation: encrypted, never in the system temporary
folder, deleted whatever the outcome; the confirmation takes only its own upload's token (issue 17)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from tests.admin.helpers import admin_url
from tests.admin.test_import import SEEKER_HEADER, _confirm, _upload
from xiangtan_jobs.common import import_storage
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.django_db

PHONE = "13900002001"
ID_NUMBER = "11010519491231002X"
GOOD = SEEKER_HEADER + f"张秀英,{PHONE},{ID_NUMBER},1949,雨湖路街道,保洁员,,\n"
BAD = SEEKER_HEADER + f"张秀英,{PHONE},,1972,火星街道,保洁员,,\n"


@pytest.fixture(autouse=True)
def _own_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def _kept() -> list[Path]:
    return sorted(import_storage.upload_folder().iterdir())


def _files_with_clear_data(since: float) -> list[str]:
    """Files of the system temporary folder (and var/) written since then that hold the phone in clear."""
    found = []
    for root in (Path(tempfile.gettempdir()), import_storage.upload_folder()):
        for path in root.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime >= since and path.stat().st_size < 5_000_000:
                    data = path.read_bytes()
                    if PHONE.encode() in data or ID_NUMBER.encode() in data:
                        found.append(str(path))
            except OSError:
                continue
    return found


def test_upload_is_kept_encrypted_then_deleted_after_confirmation(client, alice, yuhu):
    since = time.time() - 1
    client.force_login(alice)
    dry = _upload(client, "core_seekerregistration", GOOD)
    assert "confirm_form" in dry.context, [(r.number, r.error_dict) for r in dry.context["result"].invalid_rows]
    [kept] = _kept()
    assert kept.stat().st_mode & 0o777 == 0o600
    assert _files_with_clear_data(since) == []
    assert _confirm(client, "core_seekerregistration", dry).status_code == 302
    assert SeekerRegistration.objects.by_phone(PHONE).exists()
    assert _kept() == [] and _files_with_clear_data(since) == []


def test_upload_with_errors_is_deleted_at_once(client, alice, yuhu):
    client.force_login(alice)
    dry = _upload(client, "core_seekerregistration", BAD)
    assert "confirm_form" not in dry.context
    assert _kept() == []


def test_unconfirmed_uploads_are_deleted_once_stale(client, alice, yuhu):
    client.force_login(alice)
    _upload(client, "core_seekerregistration", GOOD)
    [old] = _kept()
    past = time.time() - import_storage.IMPORT_UPLOAD_MAX_AGE - 10
    os.utime(old, (past, past))
    _upload(client, "core_seekerregistration", GOOD)
    assert old not in _kept() and len(_kept()) == 1


@pytest.mark.parametrize(
    "forged",
    [
        "victim.csv",
        "../../../../etc/passwd",
        "/tmp/victim.csv",  # noqa: S108 - the name an attacker would send
        "0" * 32,  # a token's shape, never issued
    ],
)
def test_confirmation_refuses_a_name_that_is_not_its_own_token(client, alice, yuhu, forged):
    victim = Path(tempfile.gettempdir()) / "victim.csv"
    victim.write_text(GOOD)
    try:
        client.force_login(alice)
        dry = _upload(client, "core_seekerregistration", GOOD)
        form = dry.context["confirm_form"]
        data = {k: form.initial[k] for k in form.fields}
        data["import_file_name"] = forged
        response = client.post(admin_url("core_seekerregistration", "process_import"), data)
        assert response.status_code == 403
        assert victim.exists()  # neither read nor deleted
        assert not SeekerRegistration.objects.by_phone(PHONE).exists()
    finally:
        victim.unlink(missing_ok=True)


def test_confirmation_refuses_another_accounts_upload(client, alice, yuhu, bob):
    client.force_login(bob)
    dry = _upload(client, "core_seekerregistration", GOOD)
    form = dry.context["confirm_form"]
    data = {k: form.initial[k] for k in form.fields}
    [bobs] = _kept()
    client.force_login(alice)
    response = client.post(admin_url("core_seekerregistration", "process_import"), data)
    assert response.status_code == 403
    assert _kept() == [bobs] and not SeekerRegistration.objects.by_phone(PHONE).exists()
