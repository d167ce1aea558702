"""Wage settlement, the unpaid follow-up list and its rights case, day insurance and its export,
and that each service counts as one person-time of its kind at its market."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentStatus, PaymentMethod, RightsCaseStatus, SettlementStatus
from markets.models import RightsCase
from markets.selectors import settlements_overdue
from markets.services import (
    gig_assign,
    gig_assignment_finish,
    insurance_enrol,
    rights_case_from_settlement,
    rights_case_set_status,
    settlement_dispute,
    settlement_open,
    settlement_pay,
)
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import ServiceRecord
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_gig(frozen_clock, market, make_gig, alice):
    """A worker who did today's gig at 雨湖 for an agreed 200 yuan."""
    gig = make_gig(market, TODAY, wage="200")
    worker = SeekerFactory(name="张大山", phone="13911112222", service_point=market)
    a = gig_assign(day_gig=gig, seeker=worker, source="walk_in", actor=alice)
    return gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)


def test_settlement_takes_the_agreed_wage_and_cannot_be_paid_twice(done_gig, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    assert (st.agreed_amount, st.paid_amount, st.status) == (Decimal("200"), Decimal("0"), SettlementStatus.UNPAID)

    st = settlement_pay(settlement=st, amount=Decimal("150"), method=PaymentMethod.WECHAT, actor=alice)
    assert (st.paid_amount, st.status) == (Decimal("150"), SettlementStatus.UNPAID)
    st = settlement_pay(settlement=st, amount=Decimal("50"), method=PaymentMethod.CASH, actor=alice)
    assert (st.paid_amount, st.status, st.method) == (Decimal("200"), SettlementStatus.PAID, PaymentMethod.CASH)
    assert st.paid_at == NOON
    with pytest.raises(ValidationError, match="不能重复支付"):
        settlement_pay(settlement=st, amount=Decimal("1"), method=PaymentMethod.CASH, actor=alice)
    with pytest.raises(ValidationError, match="已经有结算记录"):
        settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)


def test_more_than_agreed_only_with_a_reason(done_gig, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    with pytest.raises(ValidationError, match="超过约定的 200"):
        settlement_pay(settlement=st, amount=Decimal("230"), method=PaymentMethod.CASH, actor=alice)
    st.refresh_from_db()
    assert st.paid_amount == 0
    st = settlement_pay(settlement=st, amount=Decimal("230"), method="cash", over_reason="加班 1 小时", actor=alice)
    assert (st.paid_amount, st.over_reason, st.status) == (Decimal("230"), "加班 1 小时", SettlementStatus.PAID)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_payment_must_be_positive(done_gig, alice, amount):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    with pytest.raises(ValidationError):
        settlement_pay(settlement=st, amount=amount, method="cash", actor=alice)


def test_settlement_only_after_the_work_is_done(frozen_clock, market, make_gig, alice):
    a = gig_assign(day_gig=make_gig(market, TODAY), seeker=SeekerFactory(), source="walk_in", actor=alice)
    with pytest.raises(ValidationError, match="完工后"):
        settlement_open(assignment=a, due_on=TODAY, actor=alice)


def test_unpaid_the_day_after_the_agreed_date_is_on_the_follow_up_list(done_gig, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    assert st not in settlements_overdue()
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert list(settlements_overdue()) == [st]
        settlement_pay(settlement=st, amount=Decimal("200"), method="cash", actor=alice)
        assert not settlements_overdue().exists()


def test_rights_case_from_the_follow_up_list_has_the_facts(done_gig, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    settlement_pay(settlement=st, amount=Decimal("50"), method="cash", actor=alice)
    case = rights_case_from_settlement(settlement=st, actor=alice)
    gig = done_gig.day_gig
    assert case.facts == (
        f"{TODAY.isoformat()} 在「搬运装卸（日结）」（{gig.posting.employer.name}）做零工，约定工资 200.00 元，"
        f"约定 {TODAY.isoformat()} 前支付，已付 50.00 元，尚欠 150.00 元。"
    )
    assert (case.market_id, case.seeker_id) == (gig.market_id, done_gig.seeker_id)
    assert case.employer_id == gig.posting.employer_id
    assert "13911112222" not in case.facts
    # One tap twice gives the same open case; closing needs an outcome, then it is closed for good.
    assert rights_case_from_settlement(settlement=st, actor=alice) == case
    with pytest.raises(ValidationError, match="处理结果"):
        rights_case_set_status(case=case, status=RightsCaseStatus.CLOSED, actor=alice)
    case = rights_case_set_status(case=case, status=RightsCaseStatus.CLOSED, outcome="单位已补发", actor=alice)
    assert (case.status, case.closed_at) == (RightsCaseStatus.CLOSED, NOON)
    with pytest.raises(ValidationError, match="已经办结"):
        rights_case_set_status(case=case, status=RightsCaseStatus.IN_PROGRESS, actor=alice)


def test_dispute_is_recorded(done_gig, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    with pytest.raises(ValidationError):
        settlement_dispute(settlement=st, note="  ", actor=alice)
    st = settlement_dispute(settlement=st, note="单位说只干了半天", actor=alice)
    assert (st.status, st.dispute) == (SettlementStatus.DISPUTED, "单位说只干了半天")


def test_insurance_enrolment_once_per_worker_and_gig(done_gig, alice):
    e = insurance_enrol(assignment=done_gig, insurer="人保财险湘潭分公司", premium=Decimal("3.00"), actor=alice)
    assert (e.insurer, e.premium) == ("人保财险湘潭分公司", Decimal("3.00"))
    with pytest.raises(ValidationError, match="已经参保"):
        insurance_enrol(assignment=done_gig, insurer="人保", premium=Decimal("3"), actor=alice)
    with pytest.raises(ValidationError):
        insurance_enrol(assignment=done_gig, insurer=" ", premium=Decimal("3"), actor=alice)


def test_every_service_counts_once_as_its_kind_at_its_market(done_gig, alice, market, nursing_market):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    rights_case_from_settlement(settlement=st, actor=alice)
    insurance_enrol(assignment=done_gig, insurer="人保", premium=Decimal("3"), actor=alice)

    records = ServiceRecord.objects.filter(seeker=done_gig.seeker)
    kinds = sorted(records.values_list("kind", flat=True))
    assert kinds == [ServiceKind.INSURANCE, ServiceKind.RIGHTS, ServiceKind.SETTLEMENT]
    assert set(records.values_list("service_point_id", flat=True)) == {market.pk}
    today = Period(TODAY, TODAY)
    assert kpi_value("served", today, Scope(site_id=market.pk)) == 3
    assert kpi_value("served", today, Scope(site_id=nursing_market.pk)) == 0


def _act(client, model, action, ids, **extra):
    url = reverse(f"admin:markets_{model}_changelist")
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: ids, **extra}, follow=True)


def test_follow_up_list_and_one_tap_rights_case_in_the_admin(done_gig, client, alice, bob):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        client.force_login(alice)
        listing = client.get(reverse("admin:markets_wagesettlement_changelist") + "?follow_up=overdue")
        assertContains(listing, '<td class="field-worker">张** 139****2222</td>', html=True)
        assertNotContains(listing, "13911112222")

        response = _act(client, "wagesettlement", "open_rights_case", [st.pk])
        assertContains(response, "已转维权咨询：1 条")
        case = RightsCase.objects.get()
        assert case.settlement == st and "尚欠 200.00 元" in case.facts

        client.force_login(bob)  # another market's operator sees none of it
        other = client.get(reverse("admin:markets_wagesettlement_changelist") + "?follow_up=overdue")
        assertNotContains(other, "张**")
        assert client.get(reverse("admin:markets_rightscase_change", args=[case.pk])).status_code == 404


def test_payment_in_the_admin_says_what_is_wrong(done_gig, client, alice):
    st = settlement_open(assignment=done_gig, due_on=TODAY, actor=alice)
    client.force_login(alice)

    form = _act(client, "wagesettlement", "record_payment", [st.pk])
    assertContains(form, "本次支付金额(元)")
    over = _act(client, "wagesettlement", "record_payment", [st.pk], apply="1", amount="260", method="cash")
    assertContains(over, "付款合计 260.00 元超过约定的 200.00 元，请写明原因（如加班）。")
    paid = _act(client, "wagesettlement", "record_payment", [st.pk], apply="1", amount="200", method="wechat")
    assertContains(paid, "已登记支付：1 条")
    st.refresh_from_db()
    assert (st.status, st.paid_amount) == (SettlementStatus.PAID, Decimal("200"))
    twice = _act(client, "wagesettlement", "record_payment", [st.pk], apply="1", amount="200", method="wechat")
    assertContains(twice, "这笔工资已经结清，不能重复支付。")
