"""Gig orders (派工): headcount never exceeded (also by concurrent operators), done or no-show,
the nursing market's certificate gate, and the operators' scope."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from pytest_django.asserts import assertContains

from markets.enums import AssignmentSource, AssignmentStatus, DayGigStatus
from markets.models import DayGig, GigAssignment
from markets.services import day_gig_cancel, day_gig_create, gig_assign, gig_assignment_finish
from tests.clock import TODAY
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import SeekerStatus, WorkType

pytestmark = pytest.mark.django_db


def test_headcount_is_never_exceeded(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=2)
    for _ in range(2):
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.WALK_IN, actor=alice)
    with pytest.raises(ValidationError, match="已经派满 2 人"):
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source=AssignmentSource.WALK_IN, actor=alice)
    assert gig.assignments.count() == 2


def test_same_worker_once_and_again_after_a_no_show(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=2)
    worker = SeekerFactory()
    first = gig_assign(day_gig=gig, seeker=worker, source=AssignmentSource.APPLICANT, actor=alice)
    with pytest.raises(ValidationError, match="已经派到这个订单"):
        gig_assign(day_gig=gig, seeker=worker, source=AssignmentSource.APPLICANT, actor=alice)
    gig_assignment_finish(assignment=first, status=AssignmentStatus.NO_SHOW, actor=alice)
    again = gig_assign(day_gig=gig, seeker=worker, source=AssignmentSource.BOARD, actor=alice)
    assert (again.pk, again.status, again.source) == (first.pk, AssignmentStatus.ASSIGNED, AssignmentSource.BOARD)


def test_done_or_no_show_once(frozen_clock, market, make_gig, alice):
    a = gig_assign(day_gig=make_gig(market, TODAY), seeker=SeekerFactory(), source="walk_in", actor=alice)
    gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)
    with pytest.raises(ValidationError, match="已经登记过结果"):
        gig_assignment_finish(assignment=a, status=AssignmentStatus.NO_SHOW, actor=alice)
    with pytest.raises(ValidationError):
        gig_assignment_finish(assignment=a, status=AssignmentStatus.CANCELLED, actor=alice)


def test_refusals(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY)
    paused = SeekerFactory(status=SeekerStatus.PAUSED)
    with pytest.raises(ValidationError, match="暂停求职"):
        gig_assign(day_gig=gig, seeker=paused, source="walk_in", actor=alice)
    with pytest.raises(ValidationError):
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source="bogus", actor=alice)
    day_gig_cancel(day_gig=gig, actor=alice)
    with pytest.raises(ValidationError, match="已取消"):
        gig_assign(day_gig=gig, seeker=SeekerFactory(), source="walk_in", actor=alice)


def test_cancel_releases_assigned_workers(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY)
    a = gig_assign(day_gig=gig, seeker=SeekerFactory(), source="walk_in", actor=alice)
    day_gig_cancel(day_gig=gig, actor=alice)
    a.refresh_from_db()
    gig.refresh_from_db()
    assert (gig.status, a.status) == (DayGigStatus.CANCELLED, AssignmentStatus.CANCELLED)


def test_day_gig_rules(frozen_clock, market, nursing_market, alice):
    def create(posting, day=TODAY, headcount=1, wage="200"):
        return day_gig_create(
            market=market,
            posting=posting,
            work_date=day,
            starts_at=dt.time(8),
            headcount=headcount,
            day_wage=Decimal(wage),
            actor=alice,
        )

    with pytest.raises(ValidationError, match="只有日结零工"):
        create(PostingFactory(service_point=market, work_type=WorkType.FULL))
    with pytest.raises(ValidationError, match="本市场登记的岗位"):
        create(PostingFactory(service_point=nursing_market))
    ok = PostingFactory(service_point=market, expires_on=TODAY + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="早于今天"):
        create(ok, day=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="截止日期"):
        create(ok, day=TODAY + dt.timedelta(days=4))
    with pytest.raises(ValidationError) as bad:
        create(ok, headcount=0, wage="0")
    assert set(bad.value.error_dict) == {"headcount", "day_wage"}
    create(ok)
    with pytest.raises(ValidationError, match="已经有零工订单"):
        create(ok)


def test_nursing_gigs_need_the_certificate(frozen_clock, nursing_market, make_gig, bob):
    gig = make_gig(nursing_market, TODAY, title="养老护理（日结）", skills=[("养老护理员", True, 1)])
    without = SeekerFactory(skills=[("养老护理员", 3, False)])
    certified = SeekerFactory(skills=[("养老护理员", 3, True)])
    with pytest.raises(ValidationError, match="证书"):
        gig_assign(day_gig=gig, seeker=without, source="walk_in", actor=bob)
    assert gig_assign(day_gig=gig, seeker=certified, source="walk_in", actor=bob).status == AssignmentStatus.ASSIGNED


def test_general_market_has_no_certificate_gate(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TODAY, skills=[("养老护理员", True, 1)])
    assert gig_assign(day_gig=gig, seeker=SeekerFactory(skills=[("保洁员", 1, False)]), source="walk_in", actor=alice)


def test_operator_assigns_in_the_admin_with_errors_in_words(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TODAY, headcount=1)
    first, second = SeekerFactory(service_point=market), SeekerFactory(service_point=market)
    client.force_login(alice)
    url = reverse("admin:markets_gigassignment_add")

    ok = client.post(url, {"day_gig": gig.pk, "seeker": first.pk, "source": "walk_in"}, follow=True)
    full = client.post(url, {"day_gig": gig.pk, "seeker": second.pk, "source": "walk_in"})

    assert ok.status_code == 200
    assert GigAssignment.objects.get().seeker == first
    assertContains(full, "这个零工订单已经派满 1 人了。")
    assert GigAssignment.objects.count() == 1


def test_operator_cannot_touch_another_markets_orders(frozen_clock, client, market, nursing_market, make_gig, bob):
    gig = make_gig(market, TODAY)
    client.force_login(bob)
    assert client.get(reverse("admin:markets_daygig_change", args=[gig.pk])).status_code == 404
    response = client.post(
        reverse("admin:markets_gigassignment_add"),
        {"day_gig": gig.pk, "seeker": SeekerFactory(service_point=nursing_market).pk, "source": "walk_in"},
    )
    assert response.status_code == 200  # the form refuses the order: not one of bob's choices
    assert not GigAssignment.objects.exists()


def test_operator_creates_a_day_gig_in_the_admin(frozen_clock, client, market, alice):
    posting = PostingFactory(service_point=market)
    client.force_login(alice)
    data = {
        "market": market.pk,
        "posting": posting.pk,
        "work_date": TODAY.isoformat(),
        "starts_at": "07:30",
        "place": "",
        "headcount": "3",
        "day_wage": "200",
    }
    client.post(reverse("admin:markets_daygig_add"), data, follow=True)
    gig = DayGig.objects.get()
    assert (gig.headcount, gig.day_wage, gig.created_by) == (3, Decimal("200"), alice)
    again = client.post(reverse("admin:markets_daygig_add"), data)
    assertContains(again, "这个岗位在这一天的这个时间已经有零工订单了。")
    past = client.post(reverse("admin:markets_daygig_add"), {**data, "work_date": "2020-01-01"})
    assertContains(past, "用工日期不能早于今天。")


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_never_exceed_headcount(frozen_clock, ref, market, make_gig, alice):
    """Eight operators' requests at once for three places: exactly three assignments (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers anyway")
    gig = make_gig(market, TODAY + dt.timedelta(days=1), headcount=3)
    seekers = [SeekerFactory() for _ in range(8)]
    barrier = threading.Barrier(len(seekers))
    results: list[str] = []

    def worker(seeker):
        try:
            barrier.wait()
            gig_assign(day_gig=gig, seeker=seeker, source=AssignmentSource.WALK_IN, actor=alice)
            results.append("ok")
        except ValidationError:
            results.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(s,)) for s in seekers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == ["full"] * 5 + ["ok"] * 3
    assert GigAssignment.objects.filter(day_gig=gig).count() == 3
