"""Masking of personal information for display (PIPL): keep just enough to recognise one's own.

Every function accepts anything, including ``None``, and never raises: a
masking helper that crashes a page, or falls back to showing the raw value,
is worse than one that hides too much.  Masked output keeps the length of
the normalised value so people can still tell what kind of value it was.
"""

from __future__ import annotations

from xiangtan_jobs.common.validators import normalize_mobile, normalize_resident_id

__all__ = ["MASK_CHAR", "mask_name", "mask_phone", "mask_resident_id"]

MASK_CHAR = "*"


def _as_text(value: object) -> str:
    """The value as a stripped ``str``; ``""`` for ``None`` or values that cannot be shown."""
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:  # never raise, whatever odd object is passed in
        return ""


def _mask_middle(text: str, head: int, tail: int, min_hidden: int) -> str:
    """Keep ``head`` and ``tail`` characters; mask everything if fewer than ``min_hidden`` would be hidden."""
    hidden = len(text) - head - tail
    if hidden < min_hidden:
        # Too short to reveal anything safely (e.g. a typo or a partial number).
        return MASK_CHAR * len(text)
    # Not text[-tail:]: with tail=0 that would be the whole string.
    return text[:head] + MASK_CHAR * hidden + text[len(text) - tail :]


def mask_phone(value: object) -> str:
    """``"13812345678"`` -> ``"138****5678"``; shorter values are masked entirely."""
    # Normalise so "+86 138-1234-5678" masks like "13812345678" and no prefix leaks.
    text = normalize_mobile(_as_text(value))
    return _mask_middle(text, head=3, tail=4, min_hidden=4)


def mask_resident_id(value: object) -> str:
    """``"430302199001011234"`` -> ``"430***********1234"``; shorter values are masked entirely."""
    # First 3 + last 4 rather than the common "first 6, last 4": the first 6 digits name
    # the county of registration, which with the name narrows a person down far more
    # than the province prefix, and staff only need the tail to tell two cards apart.
    text = normalize_resident_id(_as_text(value))
    # min_hidden=8 still masks the birth date of an old 15-digit ID.
    return _mask_middle(text, head=3, tail=4, min_hidden=8)


def mask_name(value: object) -> str:
    """``"张三丰"`` -> ``"张**"``, ``"欧阳娜娜"`` -> ``"欧***"``; a one-character name is fully masked."""
    text = _as_text(value)
    # Showing the single character of a one-character value would show all of it.
    return _mask_middle(text, head=1, tail=0, min_hidden=1)
