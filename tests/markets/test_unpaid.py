"""Employers with unpaid wages (欠薪): flagged to every market's operators with the figures only,
seen before a new order is taken from them, and a rights case opened from the flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentStatus, PaymentMethod
from markets.models import DayGig, RightsCase
from markets.selectors import employer_unpaid_flag, employers_unpaid
from markets.services import day_gig_create, gig_assign, gig_assignment_finish, settlement_open, settlement_pay
from tests.clock import NOON, TODAY
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory

pytestmark = pytest.mark.django_db

THREE_DAYS_AGO = TODAY - dt.timedelta(days=3)


@pytest.fixture
def debtor(frozen_clock, market, make_gig, alice):
    """An employer whose two workers of a gig three days ago are owed 200 and 120 yuan (due two days ago)."""
    employer = EmployerFactory(name="湘潭某装修工程有限公司")
    with time_machine.travel(NOON - dt.timedelta(days=3), tick=False):
        gig = make_gig(market, THREE_DAYS_AGO, wage="200", employer=employer)
        for name, phone, paid in (("张大山", "13911112222", "0"), ("李小河", "13933334444", "80")):
            a = gig_assign(day_gig=gig, seeker=SeekerFactory(name=name, phone=phone), source="walk_in", actor=alice)
            a = gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)
            st = settlement_open(assignment=a, due_on=THREE_DAYS_AGO + dt.timedelta(days=1), actor=alice)
            if paid != "0":
                settlement_pay(settlement=st, amount=Decimal(paid), method=PaymentMethod.CASH, actor=alice)
    return employer


def test_the_flag_counts_overdue_wages_only(frozen_clock, debtor, market, make_gig, alice):
    # An employer whose wage is due only tomorrow, and one who paid: not flagged.
    fine = EmployerFactory(name="按时付款的单位")
    gig = make_gig(market, TODAY, employer=fine)
    a = gig_assign(day_gig=gig, seeker=SeekerFactory(), source="walk_in", actor=alice)
    a = gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)
    settlement_open(assignment=a, due_on=TODAY + dt.timedelta(days=1), actor=alice)

    flagged = list(employers_unpaid())
    assert [(e.pk, e.unpaid_workers, e.owed, e.oldest_due) for e in flagged] == [
        (debtor.pk, 2, Decimal("320"), TODAY - dt.timedelta(days=2))
    ]
    flag = employer_unpaid_flag(employer_id=debtor.pk)
    assert (flag.workers, flag.owed, flag.markets) == (2, Decimal("320"), ("雨湖零工市场",))
    assert employer_unpaid_flag(employer_id=fine.pk) is None
    # Paid in full: no longer flagged.
    for st in debtor_settlements(debtor):
        settlement_pay(settlement=st, amount=st.outstanding, method=PaymentMethod.BANK, actor=alice)
    assert employer_unpaid_flag(employer_id=debtor.pk) is None


def debtor_settlements(employer):
    from markets.models import WageSettlement

    return list(WageSettlement.objects.filter(assignment__day_gig__posting__employer=employer))


def test_a_new_order_from_a_debtor_needs_the_operator_to_say_they_saw_it(frozen_clock, debtor, market, alice):
    posting = PostingFactory(service_point=market, employer=debtor)

    def create(**kw):
        return day_gig_create(
            market=market,
            posting=posting,
            work_date=TODAY,
            starts_at=dt.time(8),
            headcount=2,
            day_wage=Decimal("200"),
            actor=alice,
            **kw,
        )

    with pytest.raises(ValidationError, match=r"还欠 2 位零工的工资（共 320\.00 元") as refused:
        create()
    assert refused.value.code == "unpaid"
    assert create(unpaid_acknowledged=True).pk


def test_the_admin_form_shows_the_debt_and_takes_the_order_once_acknowledged(
    frozen_clock, client, debtor, market, alice
):
    posting = PostingFactory(service_point=market, employer=debtor)
    data = {
        "market": market.pk,
        "posting": posting.pk,
        "work_date": TODAY.isoformat(),
        "starts_at": "07:30",
        "place": "",
        "headcount": "2",
        "day_wage": "200",
    }
    client.force_login(alice)
    refused = client.post(reverse("admin:markets_daygig_add"), data)
    assertContains(refused, "「湘潭某装修工程有限公司」还欠 2 位零工的工资（共 320.00 元")
    assert not DayGig.objects.filter(posting=posting).exists()
    client.post(reverse("admin:markets_daygig_add"), {**data, "unpaid_acknowledged": "on"})
    assert DayGig.objects.filter(posting=posting).exists()


def test_the_assignment_page_warns_of_the_debt(frozen_clock, client, debtor, market, make_gig, alice):
    gig = make_gig(market, TODAY, employer=debtor, unpaid_acknowledged=True)
    client.force_login(alice)
    page = client.get(reverse("admin:markets_daygig_assign", args=[gig.pk]))
    assertContains(page, "欠薪提醒：「湘潭某装修工程有限公司」还欠 2 位零工的工资，共 320.00 元")


def test_every_market_sees_the_flag_but_not_who_is_owed(frozen_clock, client, debtor, bob, charlie):
    for user in (bob, charlie):
        client.force_login(user)
        page = client.get(reverse("admin:markets_unpaidwageemployer_changelist"))
        assertContains(page, "湘潭某装修工程有限公司")
        assertContains(page, '<td class="field-unpaid_workers">2</td>', html=True)
        assertContains(page, '<td class="field-owed">320.00</td>', html=True)
        for hidden in ("张", "李小河", "13911112222", "139****2222"):
            assertNotContains(page, hidden)


def _open_cases(client, employer):
    return client.post(
        reverse("admin:markets_unpaidwageemployer_changelist"),
        {"action": "open_rights_cases", ACTION_CHECKBOX_NAME: [employer.pk]},
        follow=True,
    )


def test_a_rights_case_is_opened_from_the_flag_for_the_markets_own_workers(
    frozen_clock, client, debtor, alice, bob, charlie
):
    client.force_login(bob)  # another market: none of its workers is owed
    assertContains(_open_cases(client, debtor), "本市场没有这些单位的逾期未付工资。")
    assert not RightsCase.objects.exists()
    client.force_login(charlie)
    assert _open_cases(client, debtor).status_code == 403
    client.force_login(alice)

    response = _open_cases(client, debtor)

    assertContains(response, "已转维权咨询：2 条")
    cases = RightsCase.objects.order_by("id")
    assert [c.employer for c in cases] == [debtor, debtor]
    assert "约定工资 200.00 元" in cases[0].facts and "尚欠 120.00 元" in cases[1].facts
    _open_cases(client, debtor)  # the same tap again: the cases already being handled
    assert RightsCase.objects.count() == 2


def test_a_debtors_new_posting_waits_for_review_with_the_reason(frozen_clock, debtor, market, alice):
    """A verified employer's posting goes public at once, unless it owes overdue wages: then the
    publish service holds it for the site's reviewer, who reads why in the review note."""
    from xiangtan_jobs.core.enums import PostingStatus
    from xiangtan_jobs.core.services import posting_publish

    held = posting_publish(posting=PostingFactory(service_point=market, employer=debtor, status="draft"), actor=alice)
    assert held.status == PostingStatus.PENDING_REVIEW
    assert "欠 2 位零工的工资" in held.review_note and "320" in held.review_note
    fine = PostingFactory(service_point=market, employer=EmployerFactory(name="按时付款的单位"), status="draft")
    assert posting_publish(posting=fine, actor=alice).status == PostingStatus.PUBLISHED
    # Once the wages are paid, the employer's next posting goes public again without review.
    for st in debtor_settlements(debtor):
        settlement_pay(settlement=st, amount=st.outstanding, method=PaymentMethod.BANK, actor=alice)
    again = posting_publish(posting=PostingFactory(service_point=market, employer=debtor, status="draft"), actor=alice)
    assert again.status == PostingStatus.PUBLISHED
