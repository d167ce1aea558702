"""One parser for numbers typed by people or sent in URLs.

``str.isdigit()`` accepts digits that ``int()`` refuses (「²」, 「߁」) and ``int()`` accepts what no
form means (「１２３」 full-width, 「 7 」, 「1_000」, a 4,300-digit number that takes seconds): both
reached a 500. Every numeric query parameter and form value goes through here and gets a number
or ``None``, never an exception.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

# ASCII digits only, an optional minus; at most 18 digits (fits a 64-bit column).
_INT = re.compile(r"-?[0-9]{1,18}")
MAX_ID = 2**62


def parse_int(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """The integer ``value`` spells in ASCII digits, within [minimum, maximum]; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not _INT.fullmatch(text):
            return None
        number = int(text)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


def parse_id(value: Any) -> int | None:
    """A primary key: a positive integer that fits the database's id column; else None."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


# ASCII digits, at most two decimals ("0.5", "210", "12.35"); no exponent, no sign but minus.
_DECIMAL = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,2})?")
_CENT = Decimal("0.01")


def parse_decimal(
    value: Any, *, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None
) -> Decimal | None:
    """The amount ``value`` spells in ASCII digits with at most two decimals (piece rates such as
    0.5 元/件), within [minimum, maximum]; else None. Integers and finite floats are taken too."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        exact = value.is_finite() and abs(value) < 10**12 and value == value.quantize(_CENT)
        text = format(value.quantize(_CENT), "f") if exact else ""
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) else ""
    else:
        text = str(value).strip()
    if text.endswith(".0") and isinstance(value, float):
        text = text[:-2]
    if not _DECIMAL.fullmatch(text):
        return None
    number = Decimal(text)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number
