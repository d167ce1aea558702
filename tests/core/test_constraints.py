"""Every model invariant is enforced by the database itself: a violating write fails there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fairs.models import FairSession, FairSignup, JobFair
from matching.models import Match
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, ServicePointFactory, street
from xiangtan_jobs.core.models import (
    Area,
    InboxMessage,
    JobPosting,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServiceRecord,
    SiteEvent,
    Skill,
    User,
)

pytestmark = pytest.mark.usefixtures("ref")


def violates(fn) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def update(model, pk, **values) -> None:
    model.objects.filter(pk=pk).update(**values)


def test_posting_wage_min_le_max():
    p = PostingFactory()
    violates(lambda: update(JobPosting, p.pk, wage_min=300, wage_max=200))


def test_posting_headcount_at_least_one():
    p = PostingFactory()
    violates(lambda: update(JobPosting, p.pk, headcount=0))


@pytest.mark.parametrize("field", ["status", "work_type", "wage_unit", "channel"])
def test_posting_choice_fields_hold_known_values(field):
    p = PostingFactory()
    violates(lambda: update(JobPosting, p.pk, **{field: "bogus"}))


@pytest.mark.parametrize("status", ["published", "filled"])
def test_published_posting_has_publish_date(status):
    p = PostingFactory(status="draft", published_at=None)
    violates(lambda: update(JobPosting, p.pk, status=status))


def test_draft_posting_without_publish_date_is_fine():
    p = PostingFactory(status="draft", published_at=None)
    assert JobPosting.objects.get(pk=p.pk).published_at is None


def test_posting_skill_once_and_level_range():
    p = PostingFactory()
    cleaning = Skill.objects.get(name="保洁员")
    violates(lambda: PostingSkill.objects.create(posting=p, skill=cleaning))
    other = Skill.objects.get(name="电工")
    violates(lambda: PostingSkill.objects.create(posting=p, skill=other, min_level=6))


def test_one_current_registration_per_phone():
    s = SeekerFactory(phone="13812345678")
    violates(lambda: SeekerFactory(phone="13812345678"))
    update(SeekerRegistration, s.pk, status="withdrawn")
    SeekerFactory(phone="13812345678")  # a withdrawn registration frees the person to register again


def test_one_current_registration_per_user_and_per_id_number(dora):
    SeekerFactory(user=dora, id_number="11010519491231002X")
    violates(lambda: SeekerFactory(user=dora))
    violates(lambda: SeekerFactory(id_number="11010519491231002X"))


def test_registration_ranges_and_consent():
    s = SeekerFactory()
    violates(lambda: update(SeekerRegistration, s.pk, birth_year=1800))
    violates(lambda: update(SeekerRegistration, s.pk, travel_km=0))
    violates(lambda: update(SeekerRegistration, s.pk, status="lost"))
    violates(lambda: update(SeekerRegistration, s.pk, consent_version=""))


def test_seeker_skill_once_level_and_years():
    s = SeekerFactory()
    cleaning = Skill.objects.get(name="保洁员")
    violates(lambda: SeekerSkill.objects.create(registration=s, skill=cleaning))
    welder = Skill.objects.get(name="焊工")
    violates(lambda: SeekerSkill.objects.create(registration=s, skill=welder, level=0))
    violates(lambda: SeekerSkill.objects.create(registration=s, skill=welder, years=99))


def test_phone_and_id_number_are_encrypted_at_rest():
    s = SeekerFactory(phone="13812345678", id_number="11010519491231002X")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT phone, id_number FROM core_seekerregistration WHERE id = %s", [s.pk])
        phone, id_number = cur.fetchone()
    assert "13812345678" not in phone and "1231002X" not in id_number
    fresh = SeekerRegistration.objects.get(pk=s.pk)
    assert fresh.phone == "13812345678" and fresh.masked_phone == "138****5678"
    assert SeekerRegistration.objects.by_phone("13812345678").get() == fresh


def test_one_match_per_posting_and_seeker_and_valid_status():
    p, s = PostingFactory(), SeekerFactory()
    Match.objects.create(posting=p, seeker=s, score=50)
    violates(lambda: Match.objects.create(posting=p, seeker=s, score=60))
    s2 = SeekerFactory()
    violates(lambda: Match.objects.create(posting=p, seeker=s2, score=50, status="maybe"))
    violates(lambda: Match.objects.create(posting=p, seeker=s2, score=101))


def test_membership_once_per_user_and_site(alice, yuhu):
    violates(lambda: OperatorMembership.objects.create(user=alice, service_point=yuhu))


def test_user_role_valid():
    u = User.objects.create_user("someone", password="x-12345678")
    violates(lambda: update(User, u.pk, role="king"))


def test_area_hierarchy_matches_kind():
    district = Area.objects.get(name="雨湖区")
    violates(lambda: Area.objects.create(code="999", name="某街道", kind="street", lat=27.8, lng=112.9))
    violates(
        lambda: Area.objects.create(code="998", name="某区", kind="district", parent=district, lat=27.8, lng=112.9)
    )
    violates(
        lambda: Area.objects.create(code="997", name="雨湖路街道", kind="street", parent=district, lat=27.8, lng=112.9)
    )


def test_employer_credit_code_unique_and_verified_has_time():
    EmployerFactory(credit_code="91350100M000100Y43")
    violates(lambda: EmployerFactory(credit_code="91350100M000100Y43"))
    violates(lambda: EmployerFactory(verified=True, verified_at=None))


def test_service_record_kind_and_event_invariants(yuhu):
    now = timezone.now()
    violates(lambda: ServiceRecord.objects.create(service_point=yuhu, kind="magic", served_at=now))
    violates(
        lambda: SiteEvent.objects.create(
            service_point=yuhu, title="x", starts_at=now, ends_at=now - dt.timedelta(hours=1)
        )
    )
    violates(
        lambda: SiteEvent.objects.create(
            service_point=yuhu, title="x", starts_at=now, ends_at=now, attendance=10, intentions=11
        )
    )


def test_fair_invariants():
    area = street()
    fair = JobFair.objects.create(
        title="测试招聘会", organiser="湘潭市人力资源和社会保障局", venue="v", address="a", area=area, lat=27.8,
        lng=112.9, contact_phone="0731-58533441", starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 1),
    )  # fmt: skip
    violates(lambda: update(JobFair, fair.pk, ends_on=dt.date(2025, 2, 1)))
    session = FairSession.objects.create(fair=fair, date=dt.date(2025, 3, 1))
    violates(lambda: FairSession.objects.create(fair=fair, date=dt.date(2025, 3, 1)))
    violates(
        lambda: FairSession.objects.create(
            fair=fair, date=dt.date(2025, 3, 2), starts_at=dt.time(12), ends_at=dt.time(9)
        )
    )
    seeker = SeekerFactory()
    FairSignup.objects.create(session=session, seeker=seeker)
    violates(lambda: FairSignup.objects.create(session=session, seeker=seeker))
    violates(lambda: FairSignup.objects.create(session=session, seeker=SeekerFactory(), status="checked_in"))


def test_inbox_dedupe_key(dora):
    InboxMessage.objects.create(user=dora, title="新岗位", dedupe_key="match:1")
    violates(lambda: InboxMessage.objects.create(user=dora, title="新岗位", dedupe_key="match:1"))
    InboxMessage.objects.create(user=dora, title="无键消息")
    InboxMessage.objects.create(user=dora, title="无键消息")


def test_service_point_kind_valid():
    sp = ServicePointFactory()
    from xiangtan_jobs.core.models import ServicePoint

    violates(lambda: update(ServicePoint, sp.pk, kind="shop"))
