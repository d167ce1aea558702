"""Validators and normalisers for the identifiers, wages and places users type in.

Forms call ``normalize_*`` first and then ``validate_*``; model fields only
validate, so what is stored is always the normalised form.  Every error
carries a stable ``code`` that callers and tests may rely on:

* mobile: ``mobile_format``
* resident ID: ``resident_id_format``, ``resident_id_area``,
  ``resident_id_birth_date``, ``resident_id_birth_date_future``,
  ``resident_id_checksum``
* credit code: ``credit_code_format``, ``credit_code_checksum``
* wages: ``wage_invalid``, ``wage_negative``, ``wage_max_below_min``,
  ``wage_too_high``, ``wage_unit``
* location: ``location_invalid``, ``location_outside_xiangtan``,
  ``latitude_outside_xiangtan``, ``longitude_outside_xiangtan``
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CREDIT_CODE_CHARSET",
    "WAGE_CEILINGS",
    "WAGE_UNITS",
    "XIANGTAN_BBOX",
    "BoundingBox",
    "ContactPhoneValidator",
    "CreditCodeValidator",
    "LatitudeValidator",
    "LongitudeValidator",
    "MobileValidator",
    "NameTextValidator",
    "ResidentIdValidator",
    "credit_code_check_char",
    "normalize_credit_code",
    "normalize_mobile",
    "normalize_resident_id",
    "resident_id_birth_date",
    "resident_id_check_char",
    "validate_contact_phone",
    "validate_credit_code",
    "validate_latitude",
    "validate_longitude",
    "validate_mobile",
    "validate_name_text",
    "validate_resident_id",
    "validate_wage_range",
    "validate_xiangtan_coordinates",
]

# Phones and IME input often produce full-width characters (０-９, ＋, －, Ｘ);
# map the whole full-width ASCII block and the ideographic space to ASCII.
_FULLWIDTH_TO_ASCII = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}

# Hyphen, non-breaking hyphen, en/em dash, minus sign: all typed as "dash" by users.
_DASHES_AND_SPACES = re.compile(r"[\s\-\u2010\u2011\u2013\u2014\u2212()]+")
_WHITESPACE = re.compile(r"\s+")


def _as_text(value: object) -> str:
    """The value as a ``str``; ``None`` becomes ``""``."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------- mobile

# [0-9] rather than \d: \d also matches Arabic-Indic and other Unicode digits.
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


def normalize_mobile(value: object) -> str:
    """Strip spaces, dashes, brackets and a +86/0086/86 prefix; convert full-width digits."""
    text = _DASHES_AND_SPACES.sub("", _as_text(value).translate(_FULLWIDTH_TO_ASCII))
    if text.startswith("+86"):
        return text[3:]
    if text.startswith("0086"):
        return text[4:]
    # A bare "86" is only a country code when 11 digits follow; no mainland mobile starts with 8.
    if text.startswith("86") and len(text) == 13:
        return text[2:]
    return text


def is_mobile(value: object) -> bool:
    """Whether the (already normalised) value is a mainland mobile number."""
    return bool(_MOBILE_RE.fullmatch(_as_text(value)))


def validate_mobile(value: object) -> None:
    """Accept an already-normalised mainland mobile number: 11 digits, 1 then 3–9."""
    if not _MOBILE_RE.fullmatch(_as_text(value)):
        raise ValidationError(
            _("手机号应为 11 位数字，以 1 开头、第二位是 3 到 9，请核对后重新填写"),
            code="mobile_format",
        )


# ---------------------------------------------------------------------- names and contact phones

# Bidirectional overrides/isolates and marks (a name that reads 「王五」 but sorts or searches as
# something else, or reverses the text after it), zero-width characters and the BOM, and every
# other control character: none belongs in a person's or an employer's name.
_INVISIBLE_OR_BIDI = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def validate_name_text(value: object) -> None:
    """Accept a name without right-to-left overrides, zero-width or control characters."""
    if _INVISIBLE_OR_BIDI.search(_as_text(value)):
        raise ValidationError(
            _("名称里有看不见的特殊字符（例如从网页复制来的），请删掉后重新输入"),
            code="name_invisible_characters",
        )


# A mobile, or a landline with its area code (0731-58533441, 0731 5853 3441, with an extension
# after -), or a 400/800 service number.
_LANDLINE_RE = re.compile(r"0[1-9][0-9]{1,2}-?[0-9]{7,8}(?:-[0-9]{1,6})?")
_SERVICE_NUMBER_RE = re.compile(r"[48]00-?[0-9]{3}-?[0-9]{4}")


def validate_contact_phone(value: object) -> None:
    """Accept a contact phone: a mainland mobile, a landline with area code or a 400/800 number."""
    text = _as_text(value).translate(_FULLWIDTH_TO_ASCII).strip()
    if not text:
        return
    compact = re.sub(r"[\s()\u2010-\u2014\u2212]", "", text)
    plain = compact.replace("-", "")
    if _MOBILE_RE.fullmatch(normalize_mobile(text)) or _SERVICE_NUMBER_RE.fullmatch(compact):
        return
    if _LANDLINE_RE.fullmatch(compact) or _LANDLINE_RE.fullmatch(plain):
        return
    raise ValidationError(
        _("联系电话应为手机号（11 位）或带区号的座机号，例如 0731-58533441"),
        code="contact_phone_format",
    )


# ---------------------------------------------------------------------- resident ID

_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK_CHARS = "10X98765432"

# First two digits of the area code (GB/T 2260 provinces) plus 71 Taiwan, 81 Hong Kong,
# 82 Macao and 83 (residence permits of Hong Kong, Macao and Taiwan residents).
# 91–96: the 2023 foreign permanent-resident ID puts "9" before the first digit of the
# issuing province's code, so a card issued in Hunan starts with "943".
_PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {f"3{d}" for d in range(1, 8)}
    | {f"4{d}" for d in range(1, 7)}
    | {f"5{d}" for d in range(5)}
    | {f"6{d}" for d in range(1, 6)}
    | {"71", "81", "82", "83"}
    | {f"9{d}" for d in range(1, 7)}
)

_EARLIEST_BIRTH_YEAR = 1900


def normalize_resident_id(value: object) -> str:
    """Remove whitespace, convert full-width characters and upper-case a trailing x."""
    return _WHITESPACE.sub("", _as_text(value).translate(_FULLWIDTH_TO_ASCII)).upper()


def resident_id_check_char(body: str) -> str:
    """The GB 11643-1999 check character for a 17-digit body."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK_CHARS[total % 11]


def _checked_resident_id(value: object) -> tuple[str, datetime.date]:
    """Validate a resident ID; return it upper-cased together with its birth date."""
    # Upper-casing forgives a lower-case x, the one slip common in otherwise clean input;
    # spaces or full-width digits still fail, as they mean normalize_resident_id was skipped.
    text = _as_text(value).upper()
    if not _RESIDENT_ID_RE.fullmatch(text):
        raise ValidationError(
            _("身份证号应为 18 位：前 17 位是数字，最后一位是数字或字母 X，请核对"),
            code="resident_id_format",
        )
    if text[:2] not in _PROVINCE_PREFIXES:
        raise ValidationError(
            _("身份证号前两位（省份代码）不对，请核对"),
            code="resident_id_area",
        )
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < _EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("身份证号第 7 到 14 位的出生日期不是有效日期，请核对"),
            code="resident_id_birth_date",
        )
    # localdate(), not date.today(): "today" must be Beijing time, not the server's clock.
    if birth > timezone.localdate():
        raise ValidationError(
            _("身份证号中的出生日期晚于今天，请核对"),
            code="resident_id_birth_date_future",
        )
    # Checked last so a mistyped birth date gets the more specific message above.
    if text[17] != resident_id_check_char(text[:17]):
        raise ValidationError(
            _("身份证号最后一位校验码不对，请核对"),
            code="resident_id_checksum",
        )
    return text, birth


def validate_resident_id(value: object) -> None:
    """Accept an 18-character resident ID (GB 11643-1999); a lower-case x is tolerated."""
    _checked_resident_id(value)


def resident_id_birth_date(value: object) -> datetime.date:
    """The birth date inside a resident ID; raise ``ValidationError`` if the ID is invalid."""
    return _checked_resident_id(normalize_resident_id(value))[1]


# ---------------------------------------------------------------------- credit code

# GB 32100-2015 leaves out I, O, Z, S and V because they are easily misread as 1, 0, 2, 5, U.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_RE = re.compile(f"[{CREDIT_CODE_CHARSET}]{{18}}")
# Registration authority (first character): 1–9 and A–G as the standard and its
# amendments allow, N for rural collective economic organisations registered by the
# agriculture departments (common in the countryside), Y for "other".
_CREDIT_CODE_AUTHORITIES = frozenset("123456789ABCDEFGNY")


def normalize_credit_code(value: object) -> str:
    """Remove whitespace, convert full-width characters and upper-case."""
    return _WHITESPACE.sub("", _as_text(value).translate(_FULLWIDTH_TO_ASCII)).upper()


def credit_code_check_char(body: str) -> str:
    """The GB 32100-2015 check character for a 17-character body."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight for char, weight in zip(body, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: object) -> None:
    """Accept an already-normalised 18-character unified social credit code (GB 32100-2015)."""
    text = _as_text(value)
    # Characters 3–8 are the administrative area code, always six digits.
    if not _CREDIT_CODE_RE.fullmatch(text) or text[0] not in _CREDIT_CODE_AUTHORITIES or not text[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V），请对照营业执照核对"),
            code="credit_code_format",
        )
    if text[17] != credit_code_check_char(text[:17]):
        raise ValidationError(
            _("统一社会信用代码最后一位校验码不对，请对照营业执照核对"),
            code="credit_code_checksum",
        )


# ---------------------------------------------------------------------------- wages

WAGE_UNITS = ("hour", "day", "month", "piece")

# Upper bounds in yuan that catch an extra zero typed by mistake, not a wage policy.
WAGE_CEILINGS: dict[str, Decimal] = {
    "hour": Decimal(1000),
    "day": Decimal(5000),
    "month": Decimal(200000),
    "piece": Decimal(10000),
}

_WAGE_UNIT_LABELS = {
    "hour": _("小时"),
    "day": _("天"),
    "month": _("月"),
    "piece": _("件"),
}


def _as_amount(value: object) -> Decimal | None:
    """The value as a finite ``Decimal``; ``None`` if it is not a usable amount."""
    try:
        # str() first so a float like 0.1 becomes Decimal("0.1"), not its binary expansion.
        amount = Decimal(value if isinstance(value, (Decimal, int)) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() else None


def validate_wage_range(minimum: object, maximum: object, unit: str) -> None:
    """Check a posting's wage range; errors are keyed by ``wage_min``/``wage_max``/``wage_unit``."""
    # A None bound is skipped: whether a bound is required is the field's business.
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).append(error)

    labels = {"wage_min": _("最低工资"), "wage_max": _("最高工资")}
    amounts: dict[str, Decimal | None] = {}
    for field, raw in (("wage_min", minimum), ("wage_max", maximum)):
        if raw is None:
            amounts[field] = None
            continue
        amount = _as_amount(raw)
        amounts[field] = amount
        if amount is None:
            add(
                field,
                ValidationError(
                    _("%(field)s请填写有效的金额"),
                    code="wage_invalid",
                    params={"field": labels[field]},
                ),
            )
        elif amount < 0:
            add(
                field,
                ValidationError(
                    _("%(field)s不能是负数，请重新填写"),
                    code="wage_negative",
                    params={"field": labels[field]},
                ),
            )

    if unit not in WAGE_CEILINGS:
        add(
            "wage_unit",
            ValidationError(_("请选择计薪方式：按小时、按天、按月或按件"), code="wage_unit"),
        )
    else:
        ceiling = WAGE_CEILINGS[unit]
        for field, amount in amounts.items():
            if amount is not None and amount > ceiling:
                add(
                    field,
                    ValidationError(
                        _("按%(unit)s计薪时，%(field)s不能超过 %(limit)s 元，请检查是否多填了 0"),
                        code="wage_too_high",
                        params={
                            "unit": _WAGE_UNIT_LABELS[unit],
                            "field": labels[field],
                            "limit": int(ceiling),
                        },
                    ),
                )

    low, high = amounts["wage_min"], amounts["wage_max"]
    if low is not None and high is not None and high < low:
        add(
            "wage_max",
            ValidationError(_("最高工资不能低于最低工资，请重新填写"), code="wage_max_below_min"),
        )

    if errors:
        raise ValidationError(errors)


# ------------------------------------------------------------------------- location


class BoundingBox(NamedTuple):
    """A latitude/longitude rectangle in degrees."""

    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float


# Xiangtan spans about 27°20′–28°05′ N and 111°58′–113°05′ E; the western edge is
# Xiangxiang (湘乡), whose western townships lie west of 112.25°E.  The margin also
# absorbs the few hundred metres GCJ-02 map coordinates differ from WGS-84.  A box
# is coarse: it also admits parts of Changsha, Zhuzhou and Loudi — it catches
# picks in the wrong city, not every wrong pick.
XIANGTAN_BBOX = BoundingBox(min_lat=27.30, max_lat=28.10, min_lng=111.90, max_lng=113.15)


def _as_degrees(value: object) -> float | None:
    """The value as a float; ``None`` if it cannot be read as a number."""
    try:
        return float(value)  # type: ignore[arg-type]  # any object: the except below is the check
    except (TypeError, ValueError):
        return None


def validate_latitude(value: object) -> None:
    """Accept a latitude inside Xiangtan's bounding box."""
    degrees = _as_degrees(value)
    # Written as "not inside" so NaN, which fails every comparison, is rejected.
    if degrees is None or not XIANGTAN_BBOX.min_lat <= degrees <= XIANGTAN_BBOX.max_lat:
        raise ValidationError(
            _("纬度不在湘潭市范围内（%(low)s 到 %(high)s），请在地图上重新选择位置"),
            code="latitude_outside_xiangtan",
            params={"low": XIANGTAN_BBOX.min_lat, "high": XIANGTAN_BBOX.max_lat},
        )


def validate_longitude(value: object) -> None:
    """Accept a longitude inside Xiangtan's bounding box."""
    degrees = _as_degrees(value)
    if degrees is None or not XIANGTAN_BBOX.min_lng <= degrees <= XIANGTAN_BBOX.max_lng:
        raise ValidationError(
            _("经度不在湘潭市范围内（%(low)s 到 %(high)s），请在地图上重新选择位置"),
            code="longitude_outside_xiangtan",
            params={"low": XIANGTAN_BBOX.min_lng, "high": XIANGTAN_BBOX.max_lng},
        )


def validate_xiangtan_coordinates(lat: object, lng: object) -> None:
    """Accept a point inside Xiangtan's bounding box; one non-field error otherwise."""
    lat_degrees, lng_degrees = _as_degrees(lat), _as_degrees(lng)
    if lat_degrees is None or lng_degrees is None:
        raise ValidationError(_("位置坐标无效，请在地图上重新选择"), code="location_invalid")
    box = XIANGTAN_BBOX
    if not (box.min_lat <= lat_degrees <= box.max_lat and box.min_lng <= lng_degrees <= box.max_lng):
        raise ValidationError(_("位置不在湘潭市范围内，请重新选择"), code="location_outside_xiangtan")


# ------------------------------------------------------- model-field validator classes


@deconstructible
class _FunctionValidator:
    """Base for argument-free validator classes that delegate to a module function."""

    # Subclasses wrap the function in staticmethod so it is not bound to the instance.
    function: Callable[[object], None]

    def __call__(self, value: object) -> None:
        self.function(value)

    # Equal instances keep makemigrations from seeing a change on every run.
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class MobileValidator(_FunctionValidator):
    """Model-field validator for mainland mobile numbers."""

    function = staticmethod(validate_mobile)


class ResidentIdValidator(_FunctionValidator):
    """Model-field validator for 18-character resident IDs."""

    function = staticmethod(validate_resident_id)


class NameTextValidator(_FunctionValidator):
    """Model-field validator for names: no bidi overrides, zero-width or control characters."""

    function = staticmethod(validate_name_text)


class ContactPhoneValidator(_FunctionValidator):
    """Model-field validator for contact phones (mobile, landline with area code, 400/800)."""

    function = staticmethod(validate_contact_phone)


class CreditCodeValidator(_FunctionValidator):
    """Model-field validator for unified social credit codes."""

    function = staticmethod(validate_credit_code)


class LatitudeValidator(_FunctionValidator):
    """Model-field validator for latitudes inside Xiangtan."""

    function = staticmethod(validate_latitude)


class LongitudeValidator(_FunctionValidator):
    """Model-field validator for longitudes inside Xiangtan."""

    function = staticmethod(validate_longitude)
