"""The day's insured workers for the insurer: Excel or CSV (with a BOM), masked unless the
exporter may see the workers in full and asks for it, every full row in the access log."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import AssignmentStatus
from markets.models import InsuranceEnrolment
from markets.services import gig_assign, gig_assignment_finish, insurance_enrol
from tests.clock import TODAY
from tests.factories import SeekerFactory
from xiangtan_jobs.core.models import AccessLog

pytestmark = pytest.mark.django_db

ID_NUMBER = "43030219850101002X"


@pytest.fixture
def insured(frozen_clock, market, make_gig, alice):
    """A worker insured for today's gig at 雨湖 (人保财险, 3 yuan)."""
    gig = make_gig(market, TODAY, wage="200")
    worker = SeekerFactory(name="张大山", phone="13911112222", id_number=ID_NUMBER, service_point=market)
    a = gig_assign(day_gig=gig, seeker=worker, source="walk_in", actor=alice)
    a = gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)
    return insurance_enrol(
        assignment=a, insurer="人保财险湘潭分公司", policy_ref="PICC-1", premium=Decimal("3"), actor=alice
    )


def _export(client, **form):
    return client.post(
        reverse("admin:markets_insuranceenrolment_changelist"),
        {
            "action": "export_list",
            ACTION_CHECKBOX_NAME: [e.pk for e in InsuranceEnrolment.objects.all()],
            "apply": "1",
            **form,
        },
    )


def _csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:])))


def _row(insured, name, phone, id_number):
    gig = insured.assignment.day_gig
    return [
        *(TODAY.isoformat(), "07:30", "雨湖零工市场", "搬运装卸（日结）", gig.posting.employer.name),
        *(name, phone, id_number, "人保财险湘潭分公司", "PICC-1", "3.00"),
    ]


def test_masked_csv_by_default_and_nothing_logged(insured, client, alice):
    client.force_login(alice)
    response = _export(client, fmt="csv")
    assert response["Content-Disposition"] == f'attachment; filename="insurance-{TODAY.isoformat()}.csv"'
    rows = _csv_rows(response)
    assert rows[0][5:8] == ["姓名", "手机号", "身份证号"]
    assert rows[1:] == [_row(insured, "张**", "139****2222", "430***********002X")]
    assert not AccessLog.objects.exclude(action="export").exists()  # only the export's own row


def test_the_markets_operator_exports_in_full_for_the_insurer_and_it_is_logged(insured, client, alice):
    client.force_login(alice)
    rows = _csv_rows(_export(client, fmt="csv", full="on"))
    assert rows[1:] == [_row(insured, "张大山", "13911112222", ID_NUMBER)]
    (log,) = AccessLog.objects.exclude(action="export")
    assert (log.user, log.seeker, log.action) == (alice, insured.assignment.seeker, "export_insurance")


def test_xlsx_has_the_same_rows(insured, client, alice):
    client.force_login(alice)
    response = _export(client, fmt="xlsx", full="on")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][5:8] == ["姓名", "手机号", "身份证号"]
    assert values[1][5:8] == ["张大山", "13911112222", ID_NUMBER]
    assert values[1][-1] == 3


def test_the_bureau_gets_the_masked_list_only(insured, client, charlie):
    client.force_login(charlie)
    form = client.post(
        reverse("admin:markets_insuranceenrolment_changelist"),
        {"action": "export_list", ACTION_CHECKBOX_NAME: [insured.pk]},
    )
    assertContains(form, "Excel（.xlsx）")
    assertNotContains(form, "身份证号")  # no "full" choice offered
    rows = _csv_rows(_export(client, fmt="csv", full="on"))
    assert rows[1][5:8] == ["张**", "139****2222", "430***********002X"]
    assert not AccessLog.objects.exclude(action="export").exists()  # only the export's own row


def test_another_markets_operator_cannot_export_these_workers(insured, client, bob):
    client.force_login(bob)
    assert _export(client, fmt="csv", full="on").status_code == 403
    assert not AccessLog.objects.exclude(action="export").exists()  # only the export's own row


def test_formula_text_is_made_inert(insured, client, alice):
    InsuranceEnrolment.objects.filter(pk=insured.pk).update(policy_ref="=HYPERLINK(1)")
    client.force_login(alice)
    assert _csv_rows(_export(client, fmt="csv"))[1][9] == "'=HYPERLINK(1)"
