"""The dashboard's pages: who may see what, and the same figure on card, table and export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import TODAY
from xiangtan_jobs.core.selectors.reference import reference_data
from xiangtan_jobs.dashboard.kpis import Period, kpi_value
from xiangtan_jobs.dashboard.services import rollup_refresh

pytestmark = pytest.mark.django_db

MONTH_Q = {"start": TODAY.replace(day=1).isoformat(), "end": TODAY.isoformat()}


def _card(html: str, code: str) -> int:
    from html.parser import HTMLParser

    found: dict[str, int] = {}

    class P(HTMLParser):
        current = ""
        in_value = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "li" and "data-kpi" in a:
                self.current = a["data-kpi"]
            if tag == "a" and a.get("class") == "kpi-value":
                self.in_value = True

        def handle_data(self, data):
            if self.in_value and data.strip():
                found[self.current] = int(data.strip())
                self.in_value = False

    P().feed(html)
    return found[code]


def test_anonymous_goes_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_seeker_refused(client, dora):
    client.force_login(dora)
    assert client.get("/dashboard/").status_code == 403


def test_operator_sent_to_own_site(client, world, alice):
    client.force_login(alice)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:site", args=[world.yuhu.pk]))
    assert client.get(reverse("dashboard:site", args=[world.other.pk])).status_code == 403
    assert client.get(reverse("dashboard:export", args=["sites", "csv"])).status_code == 403
    assert client.get(reverse("dashboard:screen")).status_code == 403
    assert client.get(reverse("dashboard:assessment")).status_code == 403
    # Drill-down only into their own site's rows.
    assert client.get(reverse("dashboard:list"), {"kpi": "served"}).status_code == 403
    assert client.get(reverse("dashboard:list"), {"kpi": "served", "site": world.other.pk}).status_code == 403
    assert client.get(reverse("dashboard:list"), {"kpi": "served", "site": world.yuhu.pk, **MONTH_Q}).status_code == 200


def test_operator_page_with_city_median(client, world, alice):
    client.force_login(alice)
    response = client.get(reverse("dashboard:site", args=[world.yuhu.pk]), MONTH_Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert _card(html, "served") == 6
    assert _card(html, "positions") == 7


@pytest.mark.parametrize("rolled", [False, True])
def test_card_table_export_agree(client, world, charlie, rolled):
    if rolled:
        # Everything but today from the roll-up: the figures must not change.
        rollup_refresh(day_from=TODAY.replace(month=1, day=1), day_to=TODAY.replace(day=TODAY.day - 1))
    client.force_login(charlie)
    response = client.get("/dashboard/", MONTH_Q)
    assert response.status_code == 200
    html = response.content.decode()
    period = Period(TODAY.replace(day=1), TODAY)
    for code in ("postings", "positions", "events", "served", "intentions", "hires", "registered", "answered"):
        assert _card(html, code) == kpi_value(code, period), code
    export = client.get(reverse("dashboard:export", args=["sites", "csv"]), MONTH_Q)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header = rows[0]
    yuhu_row = next(r for r in rows if r[0] == "雨湖零工市场")
    assert int(yuhu_row[header.index("服务人次")]) == 6
    assert int(yuhu_row[header.index("招聘人数")]) == 7
    cards = client.get(reverse("dashboard:export", args=["cards", "xlsx"]), MONTH_Q)
    sheet = load_workbook(io.BytesIO(cards.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["服务人次"] == _card(html, "served") == 7
    assert values["达成就业意向"] == 2


def test_bad_dates_are_field_errors(client, world, charlie):
    client.force_login(charlie)
    response = client.get("/dashboard/", {"start": "2026-13-01", "end": "x"})
    assert response.status_code == 200
    assert "开始日期应写成" in response.content.decode()


def test_drill_down_masks_names(client, world, charlie):
    client.force_login(charlie)
    response = client.get(reverse("dashboard:list"), {"kpi": "registered", **MONTH_Q})
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 3 条" in html
    assert "王秀英" not in html and "王**" in html


def test_screen_refreshes_itself(client, world, charlie):
    client.force_login(charlie)
    response = client.get(reverse("dashboard:screen"))
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="60">' in response.content.decode()


def test_dashboard_query_count(client, world, charlie, django_assert_num_queries):
    rollup_refresh(day_from=TODAY.replace(month=1, day=1), day_to=TODAY.replace(day=TODAY.day - 1))
    client.force_login(charlie)
    reference_data()
    client.get("/dashboard/")  # warms the session, the live increment, the stock counts and the skill cache
    with django_assert_num_queries(10):
        assert client.get("/dashboard/").status_code == 200
