"""Keyed digests of personal data, so that encrypted values can still be looked up and kept unique."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pii_digest(value: str) -> str:
    """HMAC-SHA256 of a normalised value; equal inputs give equal digests, nothing is reversible."""
    key = (getattr(settings, "PII_HASH_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
