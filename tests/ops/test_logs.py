"""Structured logs: one JSON line per request, a request id that follows the request into the tasks
it queues, no phone or ID number in clear; Sentry only with SENTRY_DSN and without personal data."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app

from tests.test_celery_worker import start_worker
from xiangtan_jobs.common.logs import JsonFormatter, request_id_scope, sentry_before_send
from xiangtan_jobs.common.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"
RESIDENT_ID = "430302199001011234"


@pytest.fixture
def log_lines():
    """What the configured console handler writes, as parsed JSON lines."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler.formatter, JsonFormatter)
    buffer = io.StringIO()
    old = handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    lines.raw = buffer.getvalue  # type: ignore[attr-defined]
    yield lines
    handler.setStream(old)


def request_lines(lines) -> list[dict]:
    return [line for line in lines() if line["logger"] == "xiangtan_jobs.request"]


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_proxy_request_id(client, log_lines):
    response = client.get("/jobs/", {"district": "1"}, HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert response["X-Request-ID"] == "lb-0123456789abcdef"
    [line] = request_lines(log_lines)
    assert line["request_id"] == "lb-0123456789abcdef"
    assert (line["method"], line["path"], line["status"], line["query_keys"]) == ("GET", "/jobs/", 200, ["district"])
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and "timestamp" in line


@pytest.mark.django_db
@pytest.mark.parametrize("given", [None, "short", "bad id\nforged line", "<script>alert(1)</script>", "x" * 300])
def test_request_id_made_here_when_missing_or_malformed(client, log_lines, given):
    extra = {"HTTP_X_REQUEST_ID": given} if given is not None else {}
    response = client.get("/healthz/", **extra)
    request_id = response["X-Request-ID"]
    assert request_id != given and len(request_id) == 32 and int(request_id, 16) >= 0
    assert request_lines(log_lines)[0]["request_id"] == request_id


@pytest.mark.django_db
def test_phone_and_id_number_in_the_url_are_not_logged_in_clear(client, log_lines):
    client.get("/jobs/", {"q": PHONE, "keyword": RESIDENT_ID})
    client.get(f"/jobs/{PHONE}/")  # a 404: Django logs the path
    client.get("/register/", {"phone": f"+86{PHONE}"})
    raw = log_lines.raw()
    assert len(request_lines(log_lines)) == 3
    assert "Not Found" in raw  # the 404's own log line is there, masked
    assert PHONE not in raw and RESIDENT_ID not in raw
    assert "138****5678" in raw


def test_phone_and_id_number_masked_in_any_log_line_and_traceback(log_lines):
    logger = logging.getLogger("xiangtan_jobs.anything")
    logger.warning("sending to %s for %s", PHONE, RESIDENT_ID)
    try:
        raise ValueError(f"duplicate {RESIDENT_ID}")
    except ValueError:
        logger.exception("import failed for %s", PHONE)
    raw = log_lines.raw()
    assert PHONE not in raw and RESIDENT_ID not in raw
    assert "430***********1234" in raw and "ValueError" in raw


def test_request_id_travels_in_the_task_message(settings):
    queue = f"logs-test-{uuid.uuid4().hex[:8]}"
    with request_id_scope("req-0123456789"):
        current_app.send_task("common.heartbeat", queue=queue)
    current_app.send_task("common.heartbeat", queue=queue)  # outside a request: no id
    with current_app.connection_for_write() as conn:
        simple = conn.SimpleQueue(queue)
        try:
            first = simple.get(timeout=5)
            second = simple.get(timeout=5)
            first.ack()
            second.ack()
        finally:
            simple.close()
            conn.default_channel.queue_purge(queue)
    assert first.headers["request_id"] == "req-0123456789"
    assert "request_id" not in second.headers


def test_task_logs_carry_the_request_id_from_its_headers(log_lines, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    heartbeat.apply(headers={"request_id": "req-0123456789"})
    heartbeat.apply()
    beats = [line for line in log_lines() if line["message"] == "worker heartbeat"]
    assert beats[0]["request_id"] == "req-0123456789"
    assert beats[1]["request_id"].startswith("task-")  # beat's own: the task is its origin


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_request_id_of_the_request_that_queued(tmp_path):
    queue = f"logs-worker-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    with log.open("wb") as log_file:
        worker = start_worker(queue, log_file, LOG_FORMAT="json")
        try:
            with request_id_scope("req-fromtheweb01"):
                current_app.send_task("common.heartbeat", queue=queue)
            deadline = time.monotonic() + 90
            found = None
            while time.monotonic() < deadline and found is None:
                assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
                for raw in log.read_text(errors="replace").splitlines():
                    if raw.startswith("{") and '"worker heartbeat"' in raw:
                        found = json.loads(raw)
                time.sleep(0.3)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert found is not None, log.read_text(errors="replace")[-3000:]
    assert found["request_id"] == "req-fromtheweb01"


def test_sentry_report_masks_phones_and_id_numbers():
    event = {
        "message": f"failed for {PHONE}",
        "exception": {"values": [{"type": "IntegrityError", "value": f"Key (id_number)=({RESIDENT_ID})"}]},
        "request": {"url": f"http://x/jobs/?q={PHONE}", "query_string": f"q={PHONE}"},
    }
    cleaned = json.dumps(sentry_before_send(event, {}))
    assert PHONE not in cleaned and RESIDENT_ID not in cleaned and "IntegrityError" in cleaned


def _sentry_options(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "DEBUG", "SECRET_KEY"}}
    code = (
        "import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['max_request_body_size'])"
    )
    env = {**clean, "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.base", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sentry_only_with_a_dsn_and_without_personal_data():
    assert _sentry_options({}).startswith("False")
    # A DSN on loopback's discard port: initialised, nothing is sent by this check.
    assert _sentry_options({"SENTRY_DSN": "http://public@127.0.0.1:9/1"}) == "True False never"
