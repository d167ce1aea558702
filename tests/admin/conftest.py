"""Objects of two sites for the admin tests: site A (雨湖, alice's) and site B (岳塘护理, bob's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fairs.models import Exhibitor, FairInvitation, FairSession, FairSignup, JobFair
from matching.models import Match
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, street
from xiangtan_jobs.core.enums import MembershipRole, PostingStatus, ServiceKind, UserRole
from xiangtan_jobs.core.models import AccessLog, InboxMessage, OperatorMembership, ServiceRecord, SiteEvent


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Tasks queued on commit are recorded instead of sent to a broker."""
    sent: list[tuple[str, list[object]]] = []
    monkeypatch.setattr("celery.current_app.send_task", lambda name, args=None, **kw: sent.append((name, args)))
    return sent


@pytest.fixture
def sent_tasks(_no_broker):
    return _no_broker


@pytest.fixture
def erin(yuhu, django_user_model):
    """A reviewer (审核员) of 雨湖零工市场."""
    user = django_user_model.objects.create_user("erin", password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    OperatorMembership.objects.create(user=user, service_point=yuhu, role=MembershipRole.REVIEWER)
    return user


@pytest.fixture
def root(ref, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pass-12345", role=UserRole.BUREAU)


@pytest.fixture
def site_a(yuhu, alice):
    """Everything site A (alice's) has: employer, draft + published posting, seeker, records, match."""
    employer = EmployerFactory(name="雨湖保洁服务有限公司", service_point=yuhu)
    draft = PostingFactory(
        employer=employer, service_point=yuhu, title="雨湖家政保洁", status=PostingStatus.DRAFT, published_at=None
    )
    published = PostingFactory(employer=employer, service_point=yuhu, title="雨湖搬运工")
    seeker = SeekerFactory(name="李桂兰", phone="13911112222", service_point=yuhu, id_number="430302199001011234")
    record = ServiceRecord.objects.create(
        service_point=yuhu, seeker=seeker, kind=ServiceKind.CONSULTATION, served_at=timezone.now()
    )
    now = timezone.now()
    event = SiteEvent.objects.create(
        service_point=yuhu, title="雨湖春季招聘会", starts_at=now, ends_at=now + dt.timedelta(hours=3)
    )
    match = Match.objects.create(
        posting=published,
        seeker=seeker,
        score=80,
        reasons=[{"name": "skills", "points": 40.0, "detail": {"matched": [{"skill": "搬运工", "how": "exact"}]}}],
    )
    fair = JobFair.objects.create(
        title="雨湖专场招聘会",
        organiser="雨湖零工市场",
        venue="雨湖零工市场",
        address="湘潭汽车站旁",
        area=street(),
        lat=27.87,
        lng=112.91,
        contact_phone="0731-58533441",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        service_point=yuhu,
    )
    session = FairSession.objects.create(fair=fair, date=timezone.localdate())
    exhibitor = Exhibitor.objects.create(fair=fair, employer=employer, booth="A1")
    signup = FairSignup.objects.create(session=session, seeker=seeker)
    invitation = FairInvitation.objects.create(fair=fair, seeker=seeker)
    access = AccessLog.objects.create(user=alice, seeker=seeker, action="view_phone")
    inbox = InboxMessage.objects.create(user=alice, title="测试消息")
    return {
        "employer": employer,
        "draft": draft,
        "published": published,
        "seeker": seeker,
        "record": record,
        "event": event,
        "match": match,
        "fair": fair,
        "session": session,
        "exhibitor": exhibitor,
        "signup": signup,
        "invitation": invitation,
        "access": access,
        "inbox": inbox,
        "membership": OperatorMembership.objects.get(user=alice),
    }


@pytest.fixture
def site_b(yuetang_nursing, bob):
    employer = EmployerFactory(name="岳塘护理服务有限公司", service_point=yuetang_nursing)
    posting = PostingFactory(employer=employer, service_point=yuetang_nursing, title="岳塘护工")
    seeker = SeekerFactory(name="赵秀珍", phone="13933334444", service_point=yuetang_nursing)
    return {"employer": employer, "posting": posting, "seeker": seeker}
