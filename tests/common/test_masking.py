"""Tests of the personal-information masking helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiangtan_jobs.common.masking import mask_name, mask_phone, mask_resident_id


class Unprintable:
    """An object whose str() fails."""

    def __str__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        (13812345678, "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("07315812345", "073****2345"),  # landline with area code
        ("5812345", "*******"),  # too short to show a head and a tail
        ("1234", "****"),
        ("", ""),
        (None, ""),
        (Unprintable(), ""),
    ],
)
def test_mask_phone(value: object, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("430302199001011234", "430***********1234"),
        ("11010519491231002x", "110***********002X"),
        (" 430302 19900101 1234 ", "430***********1234"),
        ("430302900101123", "430********1123"),  # old 15-digit ID: birth date still hidden
        ("4303021990", "**********"),
        ("", ""),
        (None, ""),
        (Unprintable(), ""),
    ],
)
def test_mask_resident_id(value: object, masked: str) -> None:
    assert mask_resident_id(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        ("张三", "张*"),
        ("  李四 ", "李*"),
        ("张", "*"),
        ("阿依古丽·买买提", "阿*******"),
        ("", ""),
        (None, ""),
        (Unprintable(), ""),
    ],
)
def test_mask_name(value: object, masked: str) -> None:
    assert mask_name(value) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mobile_hides_exactly_the_middle_four(mobile: str) -> None:
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[7:]


@given(st.one_of(st.none(), st.text(), st.integers(), st.floats()))
def test_masking_never_raises_and_never_shows_more(value: object) -> None:
    for mask in (mask_phone, mask_resident_id, mask_name):
        masked = mask(value)
        assert isinstance(masked, str)
        # At least one character is hidden whenever there is anything to show.
        assert masked == "" or "*" in masked
