"""Every export is in the append-only audit log (who, what, how many rows): the insurer's list of a
gig market (masked or full) and every dashboard export (tables, a site's figures, the assessment and a
site's monthly report as Excel or PDF), like the admin's exports (issue 17, PIPL accountability)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from markets.enums import AssignmentStatus
from markets.models import InsuranceEnrolment
from markets.services import gig_assign, gig_assignment_finish, insurance_enrol
from tests.clock import TODAY
from tests.factories import SeekerFactory
from tests.markets.conftest import make_gig, market  # noqa: F401 - the markets' fixtures
from xiangtan_jobs.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def insured(frozen_clock, market, make_gig, alice):  # noqa: F811 - the imported fixtures
    """Two workers insured for today's gig at 雨湖."""
    gig = make_gig(market, TODAY, wage="200")
    out = []
    for phone in ("13911112222", "13911113333"):
        worker = SeekerFactory(name="张大山", phone=phone, service_point=market)
        a = gig_assign(day_gig=gig, seeker=worker, source="walk_in", actor=alice)
        a = gig_assignment_finish(assignment=a, status=AssignmentStatus.DONE, actor=alice)
        out.append(insurance_enrol(assignment=a, insurer="人保财险", policy_ref="P", premium=Decimal("3"), actor=alice))
    return out


@pytest.mark.parametrize(("fmt", "full"), [("csv", False), ("xlsx", True)])
def test_the_insurers_list_is_in_the_audit_log(insured, client, alice, fmt, full):
    client.force_login(alice)
    form = {"action": "export_list", ACTION_CHECKBOX_NAME: [e.pk for e in insured], "apply": "1", "fmt": fmt}
    if full:
        form["full"] = "on"
    response = client.post(reverse("admin:markets_insuranceenrolment_changelist"), form)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    (log,) = AccessLog.objects.filter(action="export")
    assert (log.user, log.rows, log.seeker) == (alice, 2, None)
    assert "markets.InsuranceEnrolment" in log.detail and fmt.upper() in log.detail
    assert ("完整" if full else "脱敏") in log.detail
    assert log.path == reverse("admin:markets_insuranceenrolment_changelist")
    # The full list also names each worker whose data went out; the masked one names nobody.
    assert AccessLog.objects.filter(action="export_insurance").count() == (2 if full else 0)
    assert InsuranceEnrolment.objects.count() == 2


def _one_export(client, url: str) -> AccessLog:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Disposition"].split(";")[0] in ("attachment", "inline")
    (log,) = AccessLog.objects.filter(action="export")
    AccessLog.objects.filter(pk=log.pk)  # (kept: the log is append-only; the next call adds its own)
    return log


@pytest.mark.parametrize("slug", ["cards", "months", "sites", "districts", "groups", "skills", "where"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dashboard_table_export_is_logged(client, charlie, frozen_clock, slug, fmt):
    client.force_login(charlie)
    url = reverse("dashboard:export", args=[slug, fmt]) + "?start=2026-11-01&end=2026-11-30"
    log = _one_export(client, url)
    assert log.user == charlie and log.seeker is None
    assert log.detail == f"dashboard {slug}-2026-11-01-2026-11-30 {fmt.upper()}"
    assert log.rows is not None and log.rows >= 0 and log.path == url


def test_a_sites_figures_export_is_logged(client, alice, yuhu, frozen_clock):
    client.force_login(alice)
    log = _one_export(client, reverse("dashboard:site", args=[yuhu.pk]) + "?format=xlsx")
    assert log.user == alice and log.detail.startswith(f"dashboard site-{yuhu.pk}-") and log.rows and log.rows > 5


def test_the_assessment_and_a_sites_report_exports_are_logged(client, charlie, yuhu, frozen_clock):
    client.force_login(charlie)
    month = (TODAY.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    log = _one_export(client, reverse("dashboard:assessment") + f"?month={month}&format=xlsx")
    assert log.detail == f"dashboard assessment-{month} XLSX" and log.rows and log.rows > 1
    for fmt in ("xlsx", "pdf"):
        AccessLog.objects.filter(action="export").delete()  # (test only: each export on its own)
        log = _one_export(client, reverse("dashboard:report", args=[yuhu.pk]) + f"?month={month}&format={fmt}")
        assert log.detail == f"dashboard report-{yuhu.pk}-{month} {fmt.upper()}" and log.rows and log.rows >= 5


def test_looking_at_the_dashboard_is_not_an_export(client, charlie, frozen_clock):
    client.force_login(charlie)
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert not AccessLog.objects.exists()
