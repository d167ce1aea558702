"""Shared fixtures: reference data loaded once, and the cast of named actors."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from tests.clock import NOON
from xiangtan_jobs.core.enums import MembershipRole, UserRole
from xiangtan_jobs.core.models import OperatorMembership, ServicePoint, Skill
from xiangtan_jobs.seed.reference import reference_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate the test database once and load Xiangtan's reference data into it."""
    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the portal's language: a test (or a request handled in a thread) that
    switched to English must not leave it on for the next test in the same process."""
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def frozen_clock():
    """The clock stopped at tests.clock.NOON for the whole test (time-machine, no ticking)."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ref(db):
    """Reference data present (a transactional test before this one may have flushed it)."""
    if not Skill.objects.exists():
        reference_load()


@pytest.fixture
def yuhu(ref) -> ServicePoint:
    return ServicePoint.objects.get(name="雨湖零工市场")


@pytest.fixture
def yuetang_nursing(ref) -> ServicePoint:
    return ServicePoint.objects.get(name="岳塘区护理行业零工市场")


@pytest.fixture
def alice(yuhu, django_user_model):
    """An operator of 雨湖零工市场."""
    user = django_user_model.objects.create_user("alice", password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    OperatorMembership.objects.create(user=user, service_point=yuhu, role=MembershipRole.OPERATOR)
    return user


@pytest.fixture
def bob(yuetang_nursing, django_user_model):
    """An operator of another site (岳塘区护理行业零工市场)."""
    user = django_user_model.objects.create_user("bob", password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    OperatorMembership.objects.create(user=user, service_point=yuetang_nursing, role=MembershipRole.OPERATOR)
    return user


@pytest.fixture
def charlie(ref, django_user_model):
    """A bureau officer (市人社局)."""
    return django_user_model.objects.create_user("charlie", password="pass-12345", role=UserRole.BUREAU, is_staff=True)


DORA_PHONE = "13800138000"


@pytest.fixture
def dora(ref, django_user_model):
    """A job seeker with an account; she logs in with DORA_PHONE (the phone of the registration a
    test gives her), never her username, which is random like every seeker's."""
    return django_user_model.objects.create_user("s_d0ra0000", password="pass-12345", role=UserRole.SEEKER)
