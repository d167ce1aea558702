"""Login with an SMS code (验证码登录): the two steps, the code's rules, no account enumeration,
rate limits answered in words, and the code kept out of pages and logs.

The SMS itself goes from a Celery task queued on commit; here the real ``enqueue`` registers the
on-commit callback and the broker is replaced by a call of the task, run once the request is over.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from tests.factories import SeekerFactory
from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core import services, tasks
from xiangtan_jobs.core.enums import UserRole
from xiangtan_jobs.core.models import LoginCode
from xiangtan_jobs.core.services import login_codes
from xiangtan_jobs.portal.views.accounts import SMS_PHONE_SESSION_KEY
from xiangtan_jobs.portal.views.jobs import HOME_SESSION_KEY

pytestmark = pytest.mark.django_db

START = "/accounts/login/sms/"
CODE = "/accounts/login/sms/code/"
KNOWN = "13800138000"
UNKNOWN = "13700137000"


@pytest.fixture(autouse=True)
def _no_sms_yet():
    ConsoleSmsBackend.sent.clear()
    yield
    ConsoleSmsBackend.sent.clear()


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    """Tasks sent to the "broker": recorded, then run at once like a worker (by their name)."""
    sent: list[tuple[str, list[object]]] = []
    known = {tasks.send_login_code.name: tasks.send_login_code}

    def send_task(name: str, args: list[object] | None = None, **options: object) -> None:
        sent.append((name, args or []))
        # The message carries the row's id only: no code, no phone (issue 17).
        assert len(args or []) == 1 and isinstance((args or [0])[0], int), args
        known[name](*(args or []))

    monkeypatch.setattr("celery.current_app.send_task", send_task)
    return sent


def after_commit():
    """Run the on-commit callbacks of the block when it ends, i.e. after the response is made
    (pytest-django's ``django_capture_on_commit_callbacks``; the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone=KNOWN)


def sms_codes(phone: str = KNOWN) -> list[str]:
    return [re.search(r"\d{6}", text).group() for to, text in ConsoleSmsBackend.sent if to == phone]


def ask(client, phone: str = KNOWN, **extra):
    with after_commit():
        return client.post(START, {"phone": phone, **extra})


def resend(client):
    with after_commit():
        return client.post(CODE, {"action": "resend"})


def give(client, code: str, **extra):
    return client.post(CODE, {"code": code, **extra})


def body(response) -> str:
    return response.content.decode()


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_page_links_to_the_sms_login(client, ref):
    page = body(client.get("/accounts/login/?next=/me/"))
    assert "用短信验证码登录" in page and 'href="/accounts/login/sms/?next=/me/"' in page


def test_good_code_logs_in_like_the_password_login(client, dora, seeker):
    response = ask(client, "+86 138-0013-8000", next="/me/")
    assert response.status_code == 302 and response["Location"] == f"{CODE}?next=%2Fme%2F"
    page = body(client.get(response["Location"]))
    assert "138****8000" in page and "验证码短信马上就到" in page
    [code] = sms_codes()
    response = give(client, code, next="/me/")
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert logged_in_as(client) == str(dora.pk)
    assert client.session[HOME_SESSION_KEY] == [seeker.home_lat, seeker.home_lng]
    assert SMS_PHONE_SESSION_KEY not in client.session
    dora.refresh_from_db()
    assert dora.last_login is not None
    assert client.get("/me/").status_code == 200


def test_full_width_code_and_default_redirect(client, dora, seeker):
    ask(client)
    [code] = sms_codes()
    response = give(client, code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}))
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_as(client) == str(dora.pk)


def test_wrong_code_is_refused_with_tries_left(client, dora, seeker):
    ask(client)
    [code] = sms_codes()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = give(client, wrong)
    assert response.status_code == 200 and logged_in_as(client) is None
    assert "验证码不对，请核对短信里的 6 位数字。还可以再试 4 次。" in body(response)
    assert 'aria-describedby="id_code-error' in body(response)


def test_malformed_code_says_six_digits(client, dora, seeker):
    ask(client)
    response = give(client, "12a45")
    assert "验证码是 6 位数字" in body(response)
    assert LoginCode.objects.get().attempts == 0  # not a guess


def test_expired_code_is_refused(client, dora, seeker):
    ask(client)
    [code] = sms_codes()
    LoginCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = give(client, code)
    assert logged_in_as(client) is None
    assert "验证码已过期（5 分钟内有效）" in body(response)


def test_code_is_valid_five_minutes(client, dora, seeker):
    ask(client)
    row = LoginCode.objects.get()
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)


def test_used_code_cannot_be_reused(client, dora, seeker):
    ask(client)
    [code] = sms_codes()
    give(client, code)
    client.post("/accounts/logout/")
    assert logged_in_as(client) is None
    ask(client)  # within the minute: no new code, the same one stands
    assert sms_codes() == [code]
    response = give(client, code)
    assert logged_in_as(client) is None
    assert "这个验证码已经用过了" in body(response)


def test_sixth_try_is_refused_even_with_the_right_code(client, dora, seeker):
    ask(client)
    [code] = sms_codes()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        assert f"还可以再试 {left} 次" in body(give(client, wrong))
    assert "输错了 5 次，这个验证码已作废" in body(give(client, wrong))
    response = give(client, code)
    assert logged_in_as(client) is None
    assert "输错了 5 次，这个验证码已作废" in body(response)


def test_a_new_code_once_a_minute_and_it_replaces_the_old(client, dora, seeker, monkeypatch):
    # Two known codes in turn, so the old one is certainly not the new one.
    codes = iter([111111, 222222])
    monkeypatch.setattr(login_codes.secrets, "randbelow", lambda _n: next(codes))
    ask(client)
    response = ask(client)
    assert response.status_code == 302
    assert "秒后才能重新获取" in body(client.get(response["Location"]))
    assert len(sms_codes()) == 1
    LoginCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    response = resend(client)
    assert response.status_code == 302
    assert sms_codes() == ["111111", "222222"]
    assert "还可以再试" in body(give(client, "111111"))
    assert logged_in_as(client) is None
    give(client, "222222")
    assert logged_in_as(client) == str(dora.pk)


def _same_page(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r"\d+ 秒后", "N 秒后", text)
    return re.sub(r"1\d\d\*\*\*\*\d{4}", "PHONE", text)


def test_the_request_only_queues_the_sms(client, dora, seeker, queued, django_capture_on_commit_callbacks):
    for phone, expected in ((UNKNOWN, 0), (KNOWN, 1)):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(START, {"phone": phone})
            # The response is made before anything talks to the SMS provider, or even to the broker.
            assert response.status_code == 302 and not ConsoleSmsBackend.sent and not queued
        assert len(callbacks) == len(queued) == len(ConsoleSmsBackend.sent) == expected
    # The message names the code's row only: neither the phone nor the code is in the broker.
    [(name, [row_id])] = queued
    assert name == "core.send_login_code" and row_id == LoginCode.objects.get(phone_digest=pii_digest(KNOWN)).pk
    [code] = sms_codes()
    assert KNOWN not in str(queued) and code not in str(queued)


def test_unknown_phone_gets_the_same_answers_and_no_sms(client, dora, seeker, django_user_model, queued):
    known, unknown = client, client.__class__()
    answers = []
    for c, phone in ((known, KNOWN), (unknown, UNKNOWN)):
        response = ask(c, phone)
        page = c.get(response["Location"])
        wrong = give(c, "000000" if phone == UNKNOWN or sms_codes() != ["000000"] else "111111")
        answers.append((response.status_code, response["Location"], page.status_code, _same_page(body(page))))
        answers.append((wrong.status_code, _same_page(body(wrong))))
        again = ask(c, phone)
        answers.append((again.status_code, _same_page(body(c.get(again["Location"])))))
    assert answers[:3] == answers[3:]
    assert sms_codes(UNKNOWN) == [] and len(ConsoleSmsBackend.sent) == 1
    assert len(queued) == 1  # for the known number only
    # The unknown number's row holds no account and is never a way in.
    assert LoginCode.objects.get(phone_digest=pii_digest(UNKNOWN)).user_id is None


def test_staff_with_a_phone_username_get_no_code(client, ref, django_user_model, queued):
    django_user_model.objects.create_user(KNOWN, password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    ask(client)
    assert queued == []
    assert ConsoleSmsBackend.sent == type(ConsoleSmsBackend.sent)(maxlen=100)


class BrokenSms:
    def send(self, *, phone: str, text: str) -> None:
        raise RuntimeError(f"provider down: {text}")


def test_sms_provider_failure_is_no_500_and_leaks_nothing(client, dora, seeker, settings, caplog, monkeypatch):
    monkeypatch.setattr(login_codes.secrets, "randbelow", lambda n: 424242)
    settings.SMS_BACKEND = "tests.portal.test_login_sms.BrokenSms"
    with caplog.at_level(logging.INFO), pytest.raises(services.LoginCodeSmsFailed) as failed, after_commit():
        response = client.post(START, {"phone": KNOWN})
    # The request was over before the SMS was tried: the seeker sees the usual next step. The
    # worker's error (Celery retries it) names the number by its last 4 digits, nothing more.
    assert response.status_code == 302
    assert "验证码短信马上就到" in body(client.get(response["Location"]))
    assert str(failed.value) == "***8000" and failed.value.__context__ is None
    assert "Login code SMS to ***8000 failed" in caplog.text
    assert "provider down" not in caplog.text and "424242" not in caplog.text


@pytest.mark.parametrize("phone", ["", "12345", "abc", "1" * 300, "\u202e13800138000", "１３８００１３８０００x"])
def test_bad_phone_is_explained_beside_the_field(client, ref, phone, queued):
    response = ask(client, phone)
    assert response.status_code == 200
    assert re.search(r"请填写登记时用的手机号|手机号应为 11 位数字", body(response))
    assert not ConsoleSmsBackend.sent and not queued


@pytest.mark.parametrize("code", ["", "1", "x" * 5000, "12345\x00", "<script>", "١٢٣٤٥٦"])
def test_bad_codes_never_500(client, dora, seeker, code):
    ask(client)
    response = give(client, code)
    assert response.status_code < 500
    assert logged_in_as(client) is None


def test_code_step_without_a_phone_goes_back_to_step_one(client, ref):
    response = client.get(f"{CODE}?next=/me/")
    assert response.status_code == 302 and response["Location"] == f"{START}?next=%2Fme%2F"
    assert client.post(CODE, {"code": "123456"})["Location"] == START


def test_foreign_next_is_ignored(client, dora, seeker):
    ask(client, next="https://evil.example/")
    [code] = sms_codes()
    response = give(client, code, next="https://evil.example/")
    assert response["Location"] == "/"


def test_logged_in_users_are_sent_on(client, dora):
    client.force_login(dora)
    assert client.get(START)["Location"] == "/"
    assert client.get(f"{CODE}?next=/me/")["Location"] == "/me/"


def _rates(**changes: str) -> dict[str, str]:
    # Per day: a window boundary inside one short test is then all but impossible.
    return {**settings.SMS_LOGIN_RATES, **changes}


def test_asking_too_often_for_one_phone_gets_a_friendly_429(client, dora, seeker, settings):
    settings.SMS_LOGIN_RATES = _rates(send_phone="2/d")
    for _ in range(2):
        assert ask(client).status_code == 302
        LoginCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    response = ask(client)
    assert response.status_code == 429
    assert "操作太频繁了，请 1 小时后再试" in body(response) and 'role="alert"' in body(response)
    assert len(sms_codes()) == 2
    # The resend button counts against the same limit.
    assert resend(client).status_code == 429


def test_one_address_asking_for_many_phones_is_limited(client, dora, seeker, settings, queued):
    settings.SMS_LOGIN_RATES = _rates(send_ip="2/d")
    assert ask(client, "13700000001").status_code == 302
    assert ask(client, "13700000002").status_code == 302
    response = ask(client, KNOWN)
    assert response.status_code == 429 and "操作太频繁了" in body(response)
    assert not ConsoleSmsBackend.sent and not queued
    # Another address is not held back.
    assert client.post(START, {"phone": KNOWN}, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_proxy_header_names_the_address(client, dora, seeker, settings):
    settings.SMS_LOGIN_RATES = _rates(send_ip="1/d")
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client.post(START, {"phone": "13700000001"}, HTTP_X_REAL_IP="10.1.1.1").status_code == 302
    assert client.post(START, {"phone": "13700000002"}, HTTP_X_REAL_IP="10.1.1.2").status_code == 302
    assert client.post(START, {"phone": "13700000003"}, HTTP_X_REAL_IP="10.1.1.2").status_code == 429
    # A forged or broken header falls back to the connection's address; never a 500.
    assert client.post(START, {"phone": "13700000004"}, HTTP_X_REAL_IP="not an ip, ").status_code in (302, 429)


def test_trying_codes_too_often_is_limited(client, dora, seeker, settings):
    settings.SMS_LOGIN_RATES = _rates(check_phone="2/d")
    ask(client)
    [code] = sms_codes()
    give(client, "000000" if code != "000000" else "111111")
    give(client, "000000" if code != "000000" else "111111")
    response = give(client, code)
    assert response.status_code == 429 and "操作太频繁了" in body(response)
    assert logged_in_as(client) is None


def test_the_code_appears_only_in_the_sms(client, dora, seeker, caplog, monkeypatch, queued):
    monkeypatch.setattr(login_codes.secrets, "randbelow", lambda n: 424242)
    code = "424242"
    pages = []
    with caplog.at_level(logging.DEBUG):
        response = ask(client, next="/me/")
        pages.append(client.get(response["Location"]))
        pages.append(give(client, "000000", next="/me/"))
        pages.append(give(client, code, next="/me/"))
        pages.append(client.get("/me/"))
        # Refused although right (used up): the page must not echo what was typed either.
        client.post("/accounts/logout/")
        ask(client)
        pages.append(give(client, code))
        assert "这个验证码已经用过了" in body(pages[-1])
    assert sms_codes() == [code]
    for page in pages:
        assert code not in body(page)
    in_logs = [r for r in caplog.records if code in r.getMessage()]
    assert [r.name for r in in_logs] == ["xiangtan_jobs.common.sms"]
    row = LoginCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert code not in str(dict(client.session))
    # Not even the task's message holds it (only the row's id); the row's copy is erased once sent.
    assert code not in str(queued) and row.code_sealed is None
