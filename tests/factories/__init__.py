"""factory_boy factories over the reference data (areas and skills must be loaded)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.conf import settings
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus, ServicePointKind, UserRole, WageUnit, WorkType
from xiangtan_jobs.core.models import (
    Area,
    Employer,
    JobPosting,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    Skill,
    User,
)
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.search import posting_search_text

_phones = itertools.count(13900000000)


def street(name: str = "雨湖路街道") -> Area:
    return Area.objects.get(name=name)


def skill(name: str) -> Skill:
    return Skill.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = UserRole.SEEKER
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    kind = ServicePointKind.GIG_MARKET
    name = factory.Sequence(lambda n: f"测试服务点{n}")
    area = factory.LazyFunction(street)
    address = "雨湖区测试路1号"
    lat = 27.87
    lng = 112.91


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"湘潭测试用工单位{n}有限公司")
    credit_code = None
    verified = True
    verified_at = factory.LazyFunction(timezone.now)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    service_point = factory.SubFactory(ServicePointFactory)
    title = "家庭保洁（日结）"
    area = factory.LazyFunction(street)
    district = factory.LazyAttribute(lambda o: o.area.parent or o.area)
    lat = 27.87
    lng = 112.91
    work_type = WorkType.DAY
    wage_min = 180
    wage_max = 220
    wage_unit = WageUnit.DAY
    wage_daily = factory.LazyAttribute(lambda o: daily_equivalent(o.wage_max, o.wage_unit))
    headcount = 2
    status = PostingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        """skills=[("保洁员", True, 1), ...] as (name, required, min_level)."""
        if not create:
            return
        items = [skill(n) for n, *_ in (extracted or [("保洁员", True, 1)])]
        for (_name, required, level), s in zip(extracted or [("保洁员", True, 1)], items, strict=True):
            PostingSkill.objects.create(posting=obj, skill=s, required=required, min_level=level)
        obj.search_text = posting_search_text(title=obj.title, employer_name=obj.employer.name, skills=items)
        obj.save(update_fields=["search_text"])


class SeekerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeekerRegistration
        skip_postgeneration_save = True

    name = "王秀英"
    phone = factory.LazyFunction(lambda: str(next(_phones)))
    birth_year = 1985
    area = factory.LazyFunction(street)
    home_lat = 27.87
    home_lng = 112.91
    travel_km = 10
    consent_version = factory.LazyFunction(lambda: settings.PRIVACY_NOTICE_VERSION)
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        """skills=[("保洁员", level, has_certificate), ...]."""
        if not create:
            return
        for name, level, cert in extracted or [("保洁员", 3, False)]:
            SeekerSkill.objects.create(registration=obj, skill=skill(name), level=level, has_certificate=cert)
