"""The one SMS outbox: queued on commit by id, held through the quiet hours, once per key, at most
one a day per key when asked, retried on failure, never sent twice by two workers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import NOON
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core.enums import SmsStatus
from xiangtan_jobs.core.models import SmsOutbox
from xiangtan_jobs.core.services import (
    SMS_DELIVER_TASK,
    SMS_MAX_ATTEMPTS,
    SmsInput,
    quiet_over,
    sms_deliver,
    sms_flush,
    sms_queue,
    sms_queue_many,
)

pytestmark = pytest.mark.django_db
NIGHT = NOON.replace(hour=22)
PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _quiet_hours(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    ConsoleSmsBackend.sent.clear()


@pytest.fixture
def sent_tasks(monkeypatch):
    sent: list[tuple[str, list[object]]] = []
    monkeypatch.setattr("celery.current_app.send_task", lambda name, args=None, **kw: sent.append((name, args)))
    return sent


def test_queued_by_id_on_commit_and_sent_once(sent_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = sms_queue(phone=PHONE, text="您好", purpose="test", now=NOON)
    assert sent_tasks == [(SMS_DELIVER_TASK, [row.pk])]  # the id only: no phone or text in the broker
    assert SmsOutbox.objects.get(pk=row.pk).phone == PHONE
    assert sms_deliver(sms_id=row.pk, now=NOON) is True
    assert sms_deliver(sms_id=row.pk, now=NOON) is False  # a second message for it sends nothing
    assert list(ConsoleSmsBackend.sent) == [(PHONE, "您好")]
    row.refresh_from_db()
    assert row.status == SmsStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_the_phone_is_encrypted_at_rest(django_db_blocker):
    from django.db import connection

    row = sms_queue(phone=PHONE, text="您好", purpose="test", now=NOON)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsoutbox WHERE id = %s", [row.pk])
        (stored,) = cursor.fetchone()
    assert PHONE not in stored


def test_quiet_hours_hold_it_to_the_morning(sent_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = sms_queue(phone=PHONE, text="晚上好", purpose="test", now=NIGHT)
    morning = (NIGHT + dt.timedelta(days=1)).replace(hour=8)
    assert row.send_after == morning
    assert sent_tasks == []  # not due: the flush sends it
    assert sms_flush(now=NIGHT + dt.timedelta(hours=1)) == 0
    assert sms_deliver(sms_id=row.pk, now=morning - dt.timedelta(minutes=1)) is False
    assert sms_flush(now=morning) == 1
    assert list(ConsoleSmsBackend.sent) == [(PHONE, "晚上好")]


def test_quiet_over_edges():
    early = NOON.replace(hour=7, minute=59)
    assert quiet_over(early) == NOON.replace(hour=8)
    assert quiet_over(NOON.replace(hour=8)) == NOON.replace(hour=8)
    assert quiet_over(NOON.replace(hour=20, minute=59)) == NOON.replace(hour=20, minute=59)
    assert quiet_over(NOON.replace(hour=21)) == (NOON + dt.timedelta(days=1)).replace(hour=8)


def test_a_key_is_used_once_and_per_day_keys_allow_one_a_day():
    assert sms_queue(phone=PHONE, text="一", purpose="t", dedupe_key="k", now=NOON) is not None
    assert sms_queue(phone=PHONE, text="二", purpose="t", dedupe_key="k", now=NOON) is None
    assert sms_queue(phone=PHONE, text="a", purpose="t", dedupe_key="d", per_day=True, now=NOON) is not None
    assert sms_queue(phone=PHONE, text="b", purpose="t", dedupe_key="d", per_day=True, now=NOON) is None
    tomorrow = NOON + dt.timedelta(days=1)
    assert sms_queue(phone=PHONE, text="c", purpose="t", dedupe_key="d", per_day=True, now=tomorrow) is not None
    assert SmsOutbox.objects.count() == 3


def test_replace_updates_a_message_not_yet_sent_and_leaves_a_sent_one():
    first = sms_queue(phone=PHONE, text="旧", purpose="t", dedupe_key="r", per_day=True, now=NIGHT)
    again = sms_queue(phone=PHONE, text="新", purpose="t", dedupe_key="r", per_day=True, replace=True, now=NIGHT)
    assert again.pk == first.pk and SmsOutbox.objects.get(pk=first.pk).text == "新"
    sms_flush(now=first.send_after)
    later = first.send_after + dt.timedelta(hours=1)
    again = sms_queue(phone=PHONE, text="再新", purpose="t", dedupe_key="r", per_day=True, replace=True, now=later)
    assert again is None
    assert list(ConsoleSmsBackend.sent) == [(PHONE, "新")]


def test_no_number_no_message():
    assert sms_queue(phone="erased", text="x", purpose="t", now=NOON) is None
    assert sms_queue(phone="", text="x", purpose="t", now=NOON) is None


class BrokenSms:
    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError(f"provider down for {phone}: {text}")


def test_failures_are_retried_later_then_marked_failed(settings, caplog):
    settings.SMS_BACKEND = "tests.core.test_sms_outbox.BrokenSms"
    row = sms_queue(phone=PHONE, text="秘密内容", purpose="t", now=NOON)
    now = NOON
    for attempt in range(1, SMS_MAX_ATTEMPTS + 1):
        assert sms_deliver(sms_id=row.pk, now=now) is False
        row.refresh_from_db()
        assert row.attempts == attempt
        now = max(now, row.send_after)
    assert row.status == SmsStatus.FAILED
    assert "秘密内容" not in caplog.text and PHONE not in caplog.text and "***8000" in caplog.text


def test_a_dead_workers_claim_is_released_by_the_flush():
    row = sms_queue(phone=PHONE, text="x", purpose="t", now=NOON)
    SmsOutbox.objects.filter(pk=row.pk).update(status=SmsStatus.SENDING, claimed_at=NOON)
    assert sms_flush(now=NOON + dt.timedelta(minutes=5)) == 0
    assert sms_flush(now=NOON + dt.timedelta(minutes=11)) == 1


def test_many_at_once_one_insert_and_one_flush_task(sent_tasks, django_capture_on_commit_callbacks):
    items = [SmsInput(phone=f"1390000000{i}", text=f"t{i}", purpose="t", dedupe_key=f"m{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert sms_queue_many(messages=items, now=NOON) == 3
        sms_queue_many(messages=items, now=NOON)  # the same keys again: nothing new
    assert SmsOutbox.objects.count() == 3
    assert [name for name, _args in sent_tasks] == ["core.sms_flush", "core.sms_flush"]
    assert sms_flush(now=NOON) == 3
