"""A fair of 雨湖零工市场 (alice's site) on TODAY + 3 and TODAY + 4, with two exhibitors and their
posts; a seeker (dora) with a registration; the bureau's own fair (no site)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from fairs.models import Exhibitor, FairSession, JobFair
from tests.clock import TODAY
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, street
from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.selectors import reference_data_forget


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh(db, monkeypatch):
    cache.clear()
    reference_data_forget()
    # Tasks queued on commit (matching) are recorded, not sent to a broker.
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **kw: None)
    yield
    reference_data_forget()


def make_fair(*, site=None, title="雨湖春季专场招聘会", days=(3, 4), capacity=0, **kw) -> JobFair:
    first, last = TODAY + dt.timedelta(days=days[0]), TODAY + dt.timedelta(days=days[-1])
    fair = JobFair.objects.create(
        series=kw.pop("series", "测试系列"),
        title=title,
        organiser="雨湖零工市场" if site else "湘潭市人力资源和社会保障局",
        venue=kw.pop("venue", "雨湖零工市场大厅"),
        address=kw.pop("address", "雨湖区湘潭汽车站旁"),
        area=street(),
        lat=27.87,
        lng=112.91,
        contact_phone="0731-58533441",
        starts_on=first,
        ends_on=last,
        service_point=site,
        **kw,
    )
    for d in days:
        FairSession.objects.create(fair=fair, date=TODAY + dt.timedelta(days=d), capacity=capacity)
    return fair


@pytest.fixture
def fair(frozen_clock, yuhu):
    fair = make_fair(site=yuhu)
    cleaning = EmployerFactory(name="湘潭洁美家政有限公司")
    factory_co = EmployerFactory(name="湘潭电机配件厂")
    clean = PostingFactory(employer=cleaning, service_point=yuhu, title="家庭保洁员", work_type=WorkType.PART)
    day = PostingFactory(employer=cleaning, service_point=yuhu, title="日结开荒保洁", work_type=WorkType.DAY)
    welder = PostingFactory(
        employer=factory_co,
        service_point=yuhu,
        title="焊工",
        work_type=WorkType.FULL,
        wage_min=5000,
        wage_max=6500,
        wage_unit="month",
        skills=[("焊工", True, 1)],
    )
    e1 = Exhibitor.objects.create(fair=fair, employer=cleaning, booth="A01")
    e1.postings.set([clean, day])
    e2 = Exhibitor.objects.create(fair=fair, employer=factory_co, booth="B12")
    e2.postings.set([welder])
    fair.p = {"clean": clean, "day": day, "welder": welder}  # type: ignore[attr-defined]
    return fair


@pytest.fixture
def seeker(dora):
    """dora's registration: a cleaner near 雨湖 (the factories' default skills)."""
    return SeekerFactory(user=dora, name="赵翠兰", expected_wage=150, expected_unit="day")
