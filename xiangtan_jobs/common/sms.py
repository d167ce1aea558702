"""Outgoing text messages through a pluggable backend (settings.SMS_BACKEND)."""

from __future__ import annotations

import logging
from collections import deque
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Writes the message to the log instead of sending it (development and tests)."""

    # The last messages, for tests and a developer's look; bounded, since a worker runs for weeks.
    sent: deque[tuple[str, str]] = deque(maxlen=100)

    def send(self, *, phone: str, text: str) -> None:
        # Only the last four digits reach the log: logs are not a place for personal data.
        logger.info("SMS to ***%s: %s", phone[-4:], text)
        ConsoleSmsBackend.sent.append((phone, text))


def sms_send(*, phone: str, text: str) -> None:
    """Send one text message through the configured backend."""
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone=phone, text=text)
