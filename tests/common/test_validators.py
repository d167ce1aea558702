"""Tests of the identifier, wage and location validators."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import django
from django.conf import settings

# Lets this module run without the project's settings (pytest -p no:django); harmless
# once pytest-django has configured the real settings first.
if not settings.configured:
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        django.setup()
    else:
        settings.configure(USE_TZ=True, TIME_ZONE="Asia/Shanghai", USE_I18N=True, LANGUAGE_CODE="zh-hans")
        django.setup()

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.migrations.writer import MigrationWriter
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from xiangtan_jobs.common.validators import (
    XIANGTAN_BBOX,
    CreditCodeValidator,
    LatitudeValidator,
    LongitudeValidator,
    MobileValidator,
    ResidentIdValidator,
    normalize_credit_code,
    normalize_mobile,
    normalize_resident_id,
    resident_id_birth_date,
    validate_credit_code,
    validate_latitude,
    validate_longitude,
    validate_mobile,
    validate_resident_id,
    validate_wage_range,
    validate_xiangtan_coordinates,
)

# ----------------------------------------------------------- independent reference algorithms

# Re-implemented here on purpose, so a bug in the module cannot also hide in its tests.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83", "91",
]  # fmt: skip


def id_check(body: str) -> str:
    """Check character of a 17-digit resident ID body."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def make_id(area: str = "430302", birth: str = "19900101", seq: str = "123") -> str:
    """A resident ID with a correct check character."""
    body = area + birth + seq
    return body + id_check(body)


def credit_check(body: str) -> str:
    """Check character of a 17-character credit code body."""
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def make_credit(body: str = "91430300MA4L12345") -> str:
    """A credit code with a correct check character."""
    return body + credit_check(body)


def code_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    """The code of a single-message ValidationError."""
    return excinfo.value.code  # type: ignore[return-value]


def codes_by_field(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    """Field name -> error codes of a dict-shaped ValidationError."""
    return {field: [e.code for e in errors] for field, errors in excinfo.value.error_dict.items()}


# ------------------------------------------------------------------------------ mobile


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "8613812345678",
        "(+86) 138-1234-5678",
        "１３８１２３４５６７８",
        "＋８６　１３８－１２３４－５６７８",
        " 138 1234 5678 ",
    ],
)
def test_normalize_mobile_gives_plain_11_digits(raw: str) -> None:
    assert normalize_mobile(raw) == "13812345678"
    validate_mobile(normalize_mobile(raw))


def test_normalize_mobile_tolerates_none_and_keeps_short_86_numbers() -> None:
    assert normalize_mobile(None) == ""
    # Only 13 characters starting with 86 are read as country code + mobile.
    assert normalize_mobile("86123") == "86123"


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "16612345678", "15000000000"])
def test_valid_mobiles(value: str) -> None:
    validate_mobile(value)
    MobileValidator()(value)


@pytest.mark.parametrize(
    "value",
    [
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "23812345678",  # starts with 2
        "12812345678",  # second digit 2
        "10812345678",  # second digit 0
        "138 1234 5678",  # not normalised
        "+8613812345678",  # not normalised
        "１３８１２３４５６７８",  # full-width, not normalised
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits match \d but are not a phone number
        "1381234567a",
        "",
        None,
    ],
)
def test_invalid_mobiles(value: str | None) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(value)
    assert code_of(excinfo) == "mobile_format"
    assert "手机号" in str(excinfo.value.messages[0])


def test_normalising_does_not_rescue_a_12_digit_mobile() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(normalize_mobile("+86 138 1234 56789"))
    assert code_of(excinfo) == "mobile_format"


# ------------------------------------------------------------------------- resident ID


def test_published_gb11643_sample_is_valid() -> None:
    validate_resident_id("11010519491231002X")


def test_computed_ids_are_valid() -> None:
    validate_resident_id(make_id())
    validate_resident_id(make_id(area="430381", birth="20000229", seq="456"))  # leap day, Xiangxiang
    validate_resident_id(make_id(area="810000", birth="19800101", seq="001"))  # Hong Kong permit
    # Foreign permanent-resident ID (2023): 9 + Hunan's "43"... prefix.
    validate_resident_id(make_id(area="943156", birth="19850615", seq="002"))
    ResidentIdValidator()(make_id())


def test_lower_case_x_is_accepted_and_normalised() -> None:
    validate_resident_id("11010519491231002x")
    assert normalize_resident_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalize_resident_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_resident_id(None) == ""


@pytest.mark.parametrize("wrong", sorted(set("0123456789X") - {"X"}))
def test_wrong_check_character(wrong: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("11010519491231002" + wrong)
    assert code_of(excinfo) == "resident_id_checksum"
    assert str(excinfo.value.messages[0]) == "身份证号最后一位校验码不对，请核对"


@pytest.mark.parametrize("birth", ["19990230", "19990229", "19991301", "19990000", "18991231"])
def test_impossible_birth_date(birth: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(make_id(birth=birth))
    assert code_of(excinfo) == "resident_id_birth_date"


def test_future_birth_date() -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(make_id(birth=tomorrow.strftime("%Y%m%d")))
    assert code_of(excinfo) == "resident_id_birth_date_future"


def test_today_is_read_from_localdate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2030, 6, 15))
    validate_resident_id(make_id(birth="20300615"))  # born "today"
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(make_id(birth="20300616"))
    assert code_of(excinfo) == "resident_id_birth_date_future"


@pytest.mark.parametrize("area", ["000000", "100000", "190000", "240000", "380000", "470000", "720000", "900000"])
def test_bad_area_code(area: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(make_id(area=area))
    assert code_of(excinfo) == "resident_id_area"


@pytest.mark.parametrize(
    "value",
    [
        "1101051949123100",  # 16
        "11010519491231002",  # 17
        "11010519491231002X1",  # 19
        "110105491231002",  # old 15-digit ID
        "1101051949123100XX",
        "11010519491A31002X",
        "11010519491231002Y",
        "110105 19491231002X",  # not normalised
        "",
        None,
    ],
)
def test_wrong_length_or_characters(value: str | None) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(value)
    assert code_of(excinfo) == "resident_id_format"


def test_resident_id_birth_date() -> None:
    assert resident_id_birth_date("11010519491231002x") == datetime.date(1949, 12, 31)
    assert resident_id_birth_date(make_id(birth="20000229")) == datetime.date(2000, 2, 29)
    with pytest.raises(ValidationError) as excinfo:
        resident_id_birth_date(make_id(birth="19990230"))
    assert code_of(excinfo) == "resident_id_birth_date"


@given(
    province=st.sampled_from(PROVINCES),
    area_rest=st.from_regex(r"[0-9]{4}", fullmatch=True),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=timezone.localdate()),
    seq=st.from_regex(r"[0-9]{3}", fullmatch=True),
)
def test_exactly_one_check_character_is_accepted(province: str, area_rest: str, birth: datetime.date, seq: str) -> None:
    body = province + area_rest + birth.strftime("%Y%m%d") + seq
    accepted = []
    for check in "0123456789X":
        try:
            validate_resident_id(body + check)
        except ValidationError as exc:
            assert exc.code == "resident_id_checksum"
        else:
            accepted.append(check)
    assert accepted == [id_check(body)]


# ------------------------------------------------------------------------- credit code


def test_real_sample_credit_code_is_valid() -> None:
    validate_credit_code("91350100M000100Y43")
    CreditCodeValidator()("91350100M000100Y43")


@pytest.mark.parametrize(
    "body",
    [
        "91430300MA4L12345",  # company registered in Xiangtan
        "12430300444885212",  # public institution
        "51430302MJ0000001",  # social organisation
        "N2430381MF1234567",  # rural collective economic organisation
        "Y1430300X00000001",
    ],
)
def test_computed_credit_codes_are_valid(body: str) -> None:
    validate_credit_code(make_credit(body))


def test_normalize_credit_code() -> None:
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert normalize_credit_code(None) == ""


@pytest.mark.parametrize("wrong", sorted(set(CREDIT_CHARSET) - {"3"}))
def test_wrong_credit_check_character(wrong: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y4" + wrong)
    assert code_of(excinfo) == "credit_code_checksum"
    assert "校验码" in str(excinfo.value.messages[0])


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters(letter: str) -> None:
    # Rejected as a format error both inside the body and as the check character.
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100" + letter + "000100Y43")
    assert code_of(excinfo) == "credit_code_format"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y4" + letter)
    assert code_of(excinfo) == "credit_code_format"


@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y4",  # 17
        "91350100M000100Y433",  # 19
        "91350100m000100y43",  # lower case, not normalised
        " 91350100M000100Y43",
        "H1350100M000100Y43",  # H is in the charset but no registration authority
        "913A0100M000100Y43",  # area code must be digits
        "",
        None,
    ],
)
def test_credit_code_wrong_length_or_characters(value: str | None) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)
    assert code_of(excinfo) == "credit_code_format"


# ------------------------------------------------------------------------------- wages


@pytest.mark.parametrize(
    ("minimum", "maximum", "unit"),
    [
        (3000, 5000, "month"),
        (0, 0, "hour"),
        (Decimal("20.5"), Decimal("25"), "hour"),
        (18.5, 18.5, "hour"),
        (150, 200, "day"),
        (1, 2, "piece"),
        (1000, 1000, "hour"),  # ceilings are inclusive
        (5000, 5000, "day"),
        (200000, 200000, "month"),
        (10000, 10000, "piece"),
        (None, 5000, "month"),  # required-ness is the field's business
        (3000, None, "month"),
        ("3000", "4500.50", "month"),
    ],
)
def test_valid_wage_ranges(minimum: object, maximum: object, unit: str) -> None:
    validate_wage_range(minimum, maximum, unit)


def test_negative_minimum() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(-1, 100, "day")
    assert codes_by_field(excinfo) == {"wage_min": ["wage_negative"]}
    assert "最低工资" in excinfo.value.message_dict["wage_min"][0]


def test_maximum_below_minimum() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(5000, 3000, "month")
    assert codes_by_field(excinfo) == {"wage_max": ["wage_max_below_min"]}
    assert "最高工资" in excinfo.value.message_dict["wage_max"][0]


@pytest.mark.parametrize(
    ("unit", "too_much"),
    [("hour", 1001), ("day", 5001), ("month", 200001), ("piece", Decimal("10000.01"))],
)
def test_implausibly_high_wage_per_unit(unit: str, too_much: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(1, too_much, unit)
    assert codes_by_field(excinfo) == {"wage_max": ["wage_too_high"]}

    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(too_much, too_much, unit)
    assert codes_by_field(excinfo) == {"wage_min": ["wage_too_high"], "wage_max": ["wage_too_high"]}


def test_too_high_message_names_unit_and_limit() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(3000, 2000000, "month")
    message = excinfo.value.message_dict["wage_max"][0]
    assert "按月" in message
    assert "200000" in message
    assert "最高工资" in message


def test_unknown_unit() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(1, 2, "year")
    assert codes_by_field(excinfo) == {"wage_unit": ["wage_unit"]}


@pytest.mark.parametrize("bad", ["abc", float("nan"), float("inf"), Decimal("NaN")])
def test_unusable_amounts(bad: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(bad, 100, "day")
    assert codes_by_field(excinfo) == {"wage_min": ["wage_invalid"]}


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_wage_range(-5, -10, "month")
    assert codes_by_field(excinfo) == {
        "wage_min": ["wage_negative"],
        "wage_max": ["wage_negative", "wage_max_below_min"],
    }


# ---------------------------------------------------------------------------- location


@pytest.mark.parametrize(
    ("lat", "lng"),
    [
        (27.83, 112.94),  # Xiangtan city centre
        (27.91, 112.53),  # Shaoshan
        (27.73, 112.53),  # Xiangxiang
        (27.86, 112.86),  # Jiuhua
        (Decimal("27.778"), Decimal("112.905")),  # Yisuhe, as a DecimalField gives it
        (XIANGTAN_BBOX.min_lat, XIANGTAN_BBOX.min_lng),  # edges are inclusive
        (XIANGTAN_BBOX.max_lat, XIANGTAN_BBOX.max_lng),
        ("27.83", "112.94"),
    ],
)
def test_inside_xiangtan(lat: object, lng: object) -> None:
    validate_xiangtan_coordinates(lat, lng)
    validate_latitude(lat)
    validate_longitude(lng)
    LatitudeValidator()(lat)
    LongitudeValidator()(lng)


@pytest.mark.parametrize(
    ("lat", "lng"),
    [
        (28.23, 112.94),  # Changsha
        (26.89, 112.57),  # Hengyang
        (39.90, 116.40),  # Beijing
        (112.94, 27.83),  # lat and lng swapped
        (0, 0),  # an unset map picker
        (float("nan"), 112.94),
    ],
)
def test_outside_xiangtan(lat: float, lng: float) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_xiangtan_coordinates(lat, lng)
    assert code_of(excinfo) == "location_outside_xiangtan"
    assert str(excinfo.value.messages[0]) == "位置不在湘潭市范围内，请重新选择"


@pytest.mark.parametrize(("lat", "lng"), [(None, 112.94), (27.83, "abc"), ("", "")])
def test_unreadable_coordinates(lat: object, lng: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_xiangtan_coordinates(lat, lng)
    assert code_of(excinfo) == "location_invalid"


@pytest.mark.parametrize("lat", [28.23, 26.89, 0, 112.94, float("nan"), "abc"])
def test_latitude_outside(lat: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_latitude(lat)
    assert code_of(excinfo) == "latitude_outside_xiangtan"
    assert "纬度" in str(excinfo.value.messages[0])


@pytest.mark.parametrize("lng", [113.5, 111.5, 0, 27.83, float("inf"), "abc"])
def test_longitude_outside(lng: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_longitude(lng)
    assert code_of(excinfo) == "longitude_outside_xiangtan"
    assert "经度" in str(excinfo.value.messages[0])


# ------------------------------------------------------------------- validator classes

VALIDATOR_CLASSES = [MobileValidator, ResidentIdValidator, CreditCodeValidator, LatitudeValidator, LongitudeValidator]


@pytest.mark.parametrize("cls", VALIDATOR_CLASSES)
def test_validator_classes_deconstruct_for_migrations(cls: type) -> None:
    validator = cls()
    path, args, kwargs = validator.deconstruct()
    assert path == f"xiangtan_jobs.common.validators.{cls.__name__}"
    assert (args, kwargs) == ((), {})
    assert validator == cls()
    assert hash(validator) == hash(cls())
    assert all(validator != other() for other in VALIDATOR_CLASSES if other is not cls)
    source, imports = MigrationWriter.serialize(validator)
    assert source == f"xiangtan_jobs.common.validators.{cls.__name__}()"
    assert imports == {"import xiangtan_jobs.common.validators"}


def test_functions_serialise_for_migrations() -> None:
    source, _imports = MigrationWriter.serialize(validate_mobile)
    assert source == "xiangtan_jobs.common.validators.validate_mobile"


def test_validator_class_in_a_form_field() -> None:
    field = forms.CharField(validators=[MobileValidator()])
    assert field.clean("13812345678") == "13812345678"
    with pytest.raises(ValidationError) as excinfo:
        field.clean("23812345678")
    assert excinfo.value.error_list[0].code == "mobile_format"
