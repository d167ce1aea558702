"""Fixtures of the security tests: each test counts its rate limits from zero."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from xiangtan_jobs.core.selectors import reference_data_forget


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    cache.clear()
    reference_data_forget()
    yield
    reference_data_forget()
