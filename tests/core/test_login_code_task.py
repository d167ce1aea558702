"""The task that texts a login code (core.send_login_code): only the live code goes out, to its
account's phone; a provider's failure goes back to Celery for a retry, named by 4 digits only."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone

from tests.factories import SeekerFactory
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core import services, tasks
from xiangtan_jobs.core.models import LoginCode, SeekerRegistration, User
from xiangtan_jobs.core.services import login_codes

pytestmark = pytest.mark.django_db

KNOWN = "13800138000"


class BrokenSms:
    calls = 0

    def send(self, *, phone: str, text: str) -> None:
        BrokenSms.calls += 1
        raise RuntimeError(f"provider down: {phone} {text}")


@pytest.fixture(autouse=True)
def _no_sms_yet():
    ConsoleSmsBackend.sent.clear()
    yield
    ConsoleSmsBackend.sent.clear()


@pytest.fixture
def dora(dora):
    """dora with her registration: its phone (KNOWN) is how her account is found."""
    SeekerFactory(user=dora, phone=KNOWN)
    return dora


@pytest.fixture
def queued(monkeypatch):
    """What login_code_send queues, recorded (as (name, args)) instead of sent after commit."""
    sent: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(login_codes, "enqueue", lambda name, *args, secret=False: sent.append((name, args)))
    return sent


def ask(queued, now: dt.datetime | None = None) -> tuple[int, str]:
    """Ask for a code for dora's phone; the task's arguments (row id, code)."""
    services.login_code_send(phone=KNOWN, now=now)
    name, (row_id,) = queued[-1]  # the row's id only: no code, no phone in the broker
    assert name == tasks.send_login_code.name == "core.send_login_code"
    return row_id, LoginCode.objects.get(pk=row_id).code_sealed


def test_a_live_code_is_sent_to_the_accounts_phone(dora, queued):
    row_id, code = ask(queued)
    assert tasks.send_login_code(row_id) is True
    [(phone, text)] = ConsoleSmsBackend.sent
    assert phone == KNOWN and f"验证码是 {code}，5 分钟内有效" in text
    # Once sent, the code is kept only as its hash; a redelivered message sends nothing.
    assert LoginCode.objects.get(pk=row_id).code_sealed is None
    assert tasks.send_login_code(row_id) is False and len(ConsoleSmsBackend.sent) == 1


def test_the_code_waits_encrypted_in_its_row(dora, queued):
    from django.db import connection

    row_id, code = ask(queued)
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_sealed FROM core_logincode WHERE id = %s", [row_id])
        [(stored,)] = cursor.fetchall()
    assert stored and code not in stored


def _used(row_id: int, code: str) -> None:
    assert services.login_code_check(phone=KNOWN, code=code).user is not None


def _expired(row_id: int, code: str) -> None:
    LoginCode.objects.filter(pk=row_id).update(expires_at=timezone.now() - dt.timedelta(seconds=1))


def _voided(row_id: int, code: str) -> None:
    LoginCode.objects.filter(pk=row_id).update(attempts=services.LOGIN_CODE_MAX_TRIES)


def _cleaned_up(row_id: int, code: str) -> None:
    LoginCode.objects.filter(pk=row_id).delete()


def _account_closed(row_id: int, code: str) -> None:
    User.objects.filter(pk=LoginCode.objects.get(pk=row_id).user_id).update(is_active=False)


def _number_changed(row_id: int, code: str) -> None:
    registration = SeekerRegistration.objects.by_phone(KNOWN).get()
    registration.phone = "13900139000"
    registration.save()


@pytest.mark.parametrize(
    "spoil", [_used, _expired, _voided, _cleaned_up, _account_closed, _number_changed], ids=lambda f: f.__name__[1:]
)
def test_a_code_that_can_no_longer_log_in_is_not_sent(dora, queued, spoil):
    row_id, code = ask(queued)
    spoil(row_id, code)
    assert tasks.send_login_code(row_id) is False
    assert not ConsoleSmsBackend.sent


def test_a_code_replaced_by_a_newer_one_is_not_sent(dora, queued, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(login_codes.secrets, "randbelow", lambda n: next(codes))
    now = timezone.now()
    old = ask(queued, now - dt.timedelta(seconds=61))
    new = ask(queued, now)
    assert old[0] == new[0] and new[1] == "222222"  # one row per phone, its code replaced
    # The first message reaches a worker late (a busy queue, a retry): only the newer code goes
    # out, once, whichever of the two messages comes first.
    assert tasks.send_login_code(old[0]) is True
    assert tasks.send_login_code(new[0]) is False
    assert [text[text.index("是 ") + 2 :][:6] for _, text in ConsoleSmsBackend.sent] == ["222222"]


def test_a_kept_code_that_does_not_match_its_hash_is_not_sent(dora, queued):
    row_id, code = ask(queued)
    row = LoginCode.objects.get(pk=row_id)
    row.code_sealed = f"{(int(code) + 1) % 10**6:06d}"
    row.save(update_fields=["code_sealed"])
    assert tasks.send_login_code(row_id) is False
    assert not ConsoleSmsBackend.sent


def test_a_provider_failure_goes_back_to_celery_naming_4_digits_only(dora, queued, settings, caplog):
    settings.SMS_BACKEND = "tests.core.test_login_code_task.BrokenSms"
    row_id, code = ask(queued)
    with caplog.at_level(logging.DEBUG), pytest.raises(services.LoginCodeSmsFailed) as failed:
        tasks.send_login_code(row_id)
    # Raised outside the handler: no chained traceback quotes the provider's error.
    assert str(failed.value) == "***8000" and failed.value.__context__ is None
    assert "Login code SMS to ***8000 failed" in caplog.text
    for secret in (code, KNOWN, "provider down", "验证码"):
        assert secret not in caplog.text


def test_celery_retries_a_provider_failure_a_few_times(dora, queued, settings, caplog):
    settings.SMS_BACKEND = "tests.core.test_login_code_task.BrokenSms"
    BrokenSms.calls = 0
    row_id, code = ask(queued)
    with caplog.at_level(logging.DEBUG):
        result = tasks.send_login_code.apply(args=[row_id])  # eager: the retries run at once
    assert result.failed() and isinstance(result.result, services.LoginCodeSmsFailed)
    assert BrokenSms.calls == 1 + tasks.send_login_code.max_retries == 4
    assert "retry: Retry in" in caplog.text  # Celery's own lines name the number by 4 digits too
    for secret in (code, KNOWN, "provider down", "验证码"):
        assert secret not in caplog.text
    assert not ConsoleSmsBackend.sent


def test_no_message_for_a_number_without_an_account(ref, queued):
    services.login_code_send(phone=KNOWN)
    assert queued == [] and LoginCode.objects.get().user_id is None
