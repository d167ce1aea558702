"""Filling a gig order from its online applicants and its posting's recommendations: one tap per
worker, the headcount never exceeded (also by concurrent operators), the worker told once by
inbox and SMS, an answered application moved on to 已联系."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentSource, AssignmentStatus
from markets.models import GigAssignment
from markets.selectors import day_gig_candidates
from markets.services import gig_assign
from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_apply
from tests.clock import TODAY
from tests.factories import SeekerFactory
from xiangtan_jobs.core.enums import SeekerStatus, UserRole
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox

pytestmark = pytest.mark.django_db

TOMORROW = TODAY + dt.timedelta(days=1)


def _applicant(posting, phone: str, name: str = "王秀英"):
    user = get_user_model().objects.create_user(phone, password="pass-12345", role=UserRole.SEEKER)
    seeker = SeekerFactory(user=user, phone=phone, name=name)
    match_apply(seeker=seeker, posting=posting, actor=user)
    return seeker


def _recommended(posting, score: float, **kw):
    seeker = SeekerFactory(**kw)
    Match.objects.create(posting=posting, seeker=seeker, score=score, reasons=[])
    return seeker


def _texts_to(phone: str) -> list[SmsOutbox]:
    return [m for m in SmsOutbox.objects.all() if m.phone == phone]  # the phone is encrypted at rest


def _assign_url(gig) -> str:
    return reverse("admin:markets_daygig_assign", args=[gig.pk])


def test_candidates_are_applicants_first_then_recommendations(frozen_clock, market, make_gig, alice):
    gig = make_gig(market, TOMORROW, headcount=5)
    posting = gig.posting
    first = _applicant(posting, "13600000001")
    second = _applicant(posting, "13600000002")
    best = _recommended(posting, 91)
    good = _recommended(posting, 75)
    # Not candidates: dropped from the posting's list, withdrawn, paused, already holding a place.
    Match.objects.create(posting=posting, seeker=SeekerFactory(), score=99, reasons=[], kept=False)
    Match.objects.create(posting=posting, seeker=SeekerFactory(), score=99, reasons=[], status=MatchStatus.WITHDRAWN)
    _recommended(posting, 98, status=SeekerStatus.PAUSED)
    placed = _recommended(posting, 97)
    gig_assign(day_gig=gig, seeker=placed, source=AssignmentSource.RECOMMENDATION, actor=alice)

    found = [(c.seeker.pk, c.source) for c in day_gig_candidates(day_gig=gig)]

    assert found == [
        (first.pk, AssignmentSource.APPLICANT),
        (second.pk, AssignmentSource.APPLICANT),
        (best.pk, AssignmentSource.RECOMMENDATION),
        (good.pk, AssignmentSource.RECOMMENDATION),
    ]


def test_operator_assigns_an_applicant_with_one_tap_and_the_worker_is_told_once(
    frozen_clock, client, market, make_gig, alice
):
    gig = make_gig(market, TOMORROW, headcount=2, wage="220", starts=dt.time(7, 30), title="搬运装卸（日结）")
    seeker = _applicant(gig.posting, "13911112222", name="王秀英")
    client.force_login(alice)

    page = client.get(_assign_url(gig))
    assertContains(page, '<th scope="row">王** 139****2222</th>', html=True)
    assertNotContains(page, "13911112222")
    assertNotContains(page, "王秀英")
    done = client.post(_assign_url(gig), {"seeker": seeker.pk}, follow=True)

    assertContains(done, "已派工：王**，已发站内信和短信通知。")
    assignment = GigAssignment.objects.get()
    assert (assignment.seeker, assignment.source, assignment.status, assignment.assigned_by) == (
        seeker,
        AssignmentSource.APPLICANT,
        AssignmentStatus.ASSIGNED,
        alice,
    )
    # The application is answered: it will not be closed as 未获回复.
    assert Match.objects.get(seeker=seeker).status == MatchStatus.CONTACTED
    told = f"雨湖零工市场给您派了零工「搬运装卸（日结）」：{TOMORROW.month}月{TOMORROW.day}日 07:30 开工"
    inbox = InboxMessage.objects.get(user=seeker.user, title="派工通知")
    assert inbox.body.startswith(told) and "约定工资 220 元" in inbox.body
    # One SMS: the assignment's text took the place of the 已联系 one queued in the same step.
    (sms,) = _texts_to("13911112222")
    assert sms.text.startswith("【湘潭就业】" + told)


def test_a_recommended_walk_in_hears_by_sms_how_to_log_in(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TOMORROW)
    seeker = _recommended(gig.posting, 80, phone="13922223333")
    client.force_login(alice)

    client.post(_assign_url(gig), {"seeker": seeker.pk})

    assert GigAssignment.objects.get().source == AssignmentSource.RECOMMENDATION
    (sms,) = _texts_to("13922223333")
    assert "派了零工" in sms.text and "用短信验证码登录" in sms.text
    assert Match.objects.get(seeker=seeker).status == MatchStatus.RECOMMENDED


def test_a_seeker_who_is_not_a_candidate_is_refused(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TOMORROW)
    stranger = SeekerFactory()
    client.force_login(alice)
    response = client.post(_assign_url(gig), {"seeker": stranger.pk}, follow=True)
    assertContains(response, "这位求职者不在这个订单的候选名单里")
    assert not GigAssignment.objects.exists()
    assert not SmsOutbox.objects.exists()


def test_a_full_order_says_so(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TOMORROW, headcount=1)
    one, two = _recommended(gig.posting, 90), _recommended(gig.posting, 80)
    client.force_login(alice)
    client.post(_assign_url(gig), {"seeker": one.pk})
    response = client.post(_assign_url(gig), {"seeker": two.pk}, follow=True)
    assertContains(response, "这个零工订单已经派满 1 人了。")
    assert list(GigAssignment.objects.values_list("seeker", flat=True)) == [one.pk]
    assert SmsOutbox.objects.count() == 1


def test_bureau_looks_but_does_not_assign_and_other_markets_see_nothing(
    frozen_clock, client, market, make_gig, bob, charlie
):
    gig = make_gig(market, TOMORROW)
    seeker = _recommended(gig.posting, 80)
    client.force_login(charlie)
    page = client.get(_assign_url(gig))
    assert page.status_code == 200
    assertNotContains(page, 'name="seeker"')
    assert client.post(_assign_url(gig), {"seeker": seeker.pk}).status_code == 403
    client.force_login(bob)
    assert client.get(_assign_url(gig)).status_code == 404
    assert client.post(_assign_url(gig), {"seeker": seeker.pk}).status_code == 404
    assert not GigAssignment.objects.exists()


def test_the_order_links_to_its_assignment_page(frozen_clock, client, market, make_gig, alice):
    gig = make_gig(market, TOMORROW, headcount=3)
    client.force_login(alice)
    link = f'<a href="{_assign_url(gig)}">派工（还差 3 人）</a>'
    assertContains(client.get(reverse("admin:markets_daygig_changelist")), link, html=True)
    assertContains(client.get(reverse("admin:markets_daygig_change", args=[gig.pk])), link, html=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_of_applicants_never_exceeds_headcount(frozen_clock, ref, market, make_gig, alice):
    """Six applicants assigned at once by as many operators' requests for two places: two
    assignments, two workers told, four applications still waiting (PostgreSQL row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers anyway")
    gig = make_gig(market, TOMORROW, headcount=2)
    seekers = [_applicant(gig.posting, f"1360000{n:04d}") for n in range(6)]
    barrier = threading.Barrier(len(seekers))
    results: list[str] = []

    def worker(seeker):
        try:
            barrier.wait()
            gig_assign(day_gig=gig, seeker=seeker, source=AssignmentSource.APPLICANT, actor=alice)
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

    assert sorted(results) == ["full"] * 4 + ["ok"] * 2
    assert GigAssignment.objects.filter(day_gig=gig, status=AssignmentStatus.ASSIGNED).count() == 2
    assert InboxMessage.objects.filter(title="派工通知").count() == 2
    assert SmsOutbox.objects.filter(text__contains="派了零工").count() == 2
    statuses = sorted(Match.objects.filter(posting=gig.posting).values_list("status", flat=True))
    assert statuses == [MatchStatus.APPLIED] * 4 + [MatchStatus.CONTACTED] * 2
