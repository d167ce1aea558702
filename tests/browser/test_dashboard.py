"""The bureau's dashboard in Chromium: charts drawn (canvas), no console error, axe clean, and the
big screen and assessment pages load too."""

from __future__ import annotations

import pytest

from tests.browser.helpers import a11y_violations, check_a11y
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import ServiceRecord

pytestmark = pytest.mark.browser


def test_dashboard_draws_charts_without_errors(server, laptop, yuhu, charlie):
    PostingFactory(service_point=yuhu, headcount=3)
    seeker = SeekerFactory(tags=["mother"], service_point=yuhu)
    from django.utils import timezone

    ServiceRecord.objects.create(
        service_point=yuhu, seeker=seeker, kind=ServiceKind.CONSULTATION, served_at=timezone.now()
    )
    errors: list[str] = []
    laptop.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    laptop.on("pageerror", lambda exc: errors.append(str(exc)))
    laptop.goto(server.url + "/admin/login/")
    laptop.fill("#id_username", "charlie")
    laptop.fill("#id_password", "pass-12345")
    laptop.click("input[type=submit]")
    laptop.wait_for_url("**/admin/")
    errors.clear()  # the admin's own pages are not under test here
    response = laptop.goto(server.url + "/dashboard/")
    assert response is not None and response.status == 200
    laptop.wait_for_load_state("networkidle")
    for chart in ("#chart-months", "#chart-sites", "#chart-where"):
        assert laptop.locator(f"{chart} canvas").count() >= 1, chart
    assert laptop.locator("li[data-kpi=positions] .kpi-value").inner_text() == "3"
    # Sorting a column by its heading (keyboard reachable button) reorders the rows.
    laptop.locator("#table-sites button.sort").nth(4).click()
    assert laptop.locator("#table-sites tbody tr").first.locator("th").inner_text() == "雨湖零工市场"
    check_a11y(laptop)
    # A table exports: the key figures' CSV carries the card's number.
    with laptop.expect_download() as download:
        laptop.get_by_role("link", name="CSV").first.click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert any(row.startswith("招聘人数,3,") for row in rows), rows
    for path in ("/dashboard/assessment/", f"/dashboard/sites/{yuhu.pk}/"):
        response = laptop.goto(server.url + path)
        assert response is not None and response.status == 200, path
        check_a11y(laptop)
    # The big screen refreshes itself on purpose (a display in the service hall, nobody reading
    # it with a screen reader): axe's meta-refresh rule is the one it is allowed to break.
    response = laptop.goto(server.url + "/dashboard/screen/")
    assert response is not None and response.status == 200
    assert [v["id"] for v in a11y_violations(laptop)] in ([], ["meta-refresh"])
    assert errors == []
