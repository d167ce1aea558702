"""Fixtures of the gig markets' tests: the markets as GigMarkets, a day gig maker, a seeker who can log in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from markets.models import DayGig, GigMarket
from markets.services import day_gig_create
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.selectors import reference_data_forget


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    """WhiteNoise warns (an error here) when STATIC_ROOT does not exist yet."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh(db):
    cache.clear()
    reference_data_forget()
    yield
    reference_data_forget()


@pytest.fixture
def market(yuhu) -> GigMarket:
    return GigMarket.objects.get(pk=yuhu.pk)


@pytest.fixture
def nursing_market(yuetang_nursing) -> GigMarket:
    return GigMarket.objects.get(pk=yuetang_nursing.pk)


@pytest.fixture
def make_gig(alice):
    """make_gig(market, day=TODAY, headcount=3, ...) -> a DayGig put on the board by the service."""

    def make(
        market: GigMarket,
        day: dt.date,
        *,
        headcount: int = 3,
        wage: str = "200",
        starts: dt.time = dt.time(7, 30),
        title: str = "搬运装卸（日结）",
        lat: float | None = None,
        lng: float | None = None,
        place: str = "雨湖区湘潭汽车站北广场",
        posting=None,
        unpaid_acknowledged: bool = False,
        **posting_fields,
    ) -> DayGig:
        if posting is None:
            posting = PostingFactory(
                service_point=market,
                title=title,
                lat=market.lat if lat is None else lat,
                lng=market.lng if lng is None else lng,
                **posting_fields,
            )
        return day_gig_create(
            market=market,
            posting=posting,
            work_date=day,
            starts_at=starts,
            headcount=headcount,
            day_wage=Decimal(wage),
            place=place,
            actor=alice,
            unpaid_acknowledged=unpaid_acknowledged,
        )

    return make


@pytest.fixture
def dora_seeker(dora):
    """Dora's own registration (she logs in with her phone number)."""
    return SeekerFactory(user=dora, name="李春花", phone="13800138000")
