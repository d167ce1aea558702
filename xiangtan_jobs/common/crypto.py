"""Keyed digests of personal data, so that encrypted values can still be looked up and kept unique."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def pii_digest(value: str) -> str:
    """HMAC-SHA256 of a normalised value; equal inputs give equal digests, nothing is reversible."""
    key = (getattr(settings, "PII_HASH_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


# --- Sealed values: personal data kept outside the encrypted columns (the session) ----------------
#
# The registration wizard and the SMS login keep what was typed (phone, ID number) between two
# requests in the session; a session row is readable by anyone who can read the table, so the
# value is sealed (Fernet: AES + HMAC, with a time stamp) under a key derived from SECRET_KEY and
# the field-encryption salt, like the encrypted columns. Old keys (SECRET_KEY_FALLBACKS) still open.

_SEAL_PURPOSE = "xiangtan_jobs.common.crypto.seal"


def _seal_keys() -> list[bytes]:
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        base64.urlsafe_b64encode(salted_hmac(_SEAL_PURPOSE + salt, "", secret=secret, algorithm="sha256").digest())
        for secret in secrets_
        for salt in salts
    ]


def _sealer() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _seal_keys()])


def seal(value: Any) -> str:
    """The JSON-able value encrypted and authenticated, as text a session can hold."""
    return _sealer().encrypt(json.dumps(value).encode()).decode()


def unseal(token: object, *, max_age: int) -> Any:
    """The value sealed by ``seal``, or None if it is older than ``max_age`` seconds, forged, or
    sealed under a key no longer known."""
    if not isinstance(token, str) or not token:
        return None
    try:
        return json.loads(_sealer().decrypt(token.encode(), ttl=max_age))
    except (InvalidToken, ValueError):
        return None
