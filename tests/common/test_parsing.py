"""The one parser for numbers from people and URLs: a number or None, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.admin.helpers import admin_url
from xiangtan_jobs.common.parsing import MAX_ID, parse_id, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), (" 42 ", 42), ("-3", -3), ("0", 0), (5, 5), ("²", None), ("߁", None), ("１２３", None), ("1_000", None),
     ("1e3", None), ("", None), (None, None), ("9" * 19, None), ("abc", None), ("\x00", None), (True, None)],
)  # fmt: skip
def test_parse_int(text, expected):
    assert parse_int(text) == expected


def test_bounds_and_ids():
    assert parse_int("5", minimum=1, maximum=4) is None and parse_int("4", minimum=1, maximum=4) == 4
    assert parse_id("0") is None and parse_id("-1") is None and parse_id(str(MAX_ID + 1)) is None
    assert parse_id("12") == 12


@given(st.text())
def test_never_raises_and_agrees_with_ascii_int(text):
    value = parse_int(text)
    if value is not None:
        assert str(value) == text.strip().lstrip("+") or int(text.strip()) == value


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["district", "town", "category", "skill", "site", "near", "size", "days"])
@pytest.mark.parametrize("value", ["²", "߁", "１２３", "9" * 40])
def test_odd_digits_in_the_job_list_are_a_field_error_not_a_500(client, ref, param, value):
    assert client.get("/jobs/", {param: value}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["site", "skill_category"])
def test_odd_digits_in_admin_list_filters_are_ignored(client, alice, param):
    client.force_login(alice)
    assert client.get(admin_url("core_jobposting", "changelist"), {param: "²"}).status_code in (200, 302)


@pytest.mark.django_db
def test_nul_bytes_are_refused_at_the_edge(client, alice):
    assert client.get("/jobs/", {"q": "保洁\x00"}).status_code == 400
    client.force_login(alice)
    assert client.get(admin_url("core_jobposting", "changelist"), {"q": "a\x00"}).status_code == 400
    assert client.post("/accounts/login/", {"username": "a\x00", "password": "x"}).status_code == 400
