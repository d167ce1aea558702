"""Fixtures of the public portal's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from xiangtan_jobs.core.selectors import reference_data_forget


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    """WhiteNoise warns (an error here) when STATIC_ROOT does not exist yet."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_reference_lists(db):
    """Each test sees the reference lists and counts of its own database (memo and cache dropped)."""
    cache.clear()
    reference_data_forget()
    yield
    reference_data_forget()
