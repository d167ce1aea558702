"""The bureau's KPI endpoints answer exactly the figures of /dashboard/ (the same selectors over
dashboard.kpis): cards, previous period, months, districts, key groups and the site table, both
live and after the nightly roll-up."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import issue, session_client, token_client
from tests.clock import TODAY
from tests.dashboard.conftest import world  # noqa: F401  (the dashboard's hand-built KPI facts)
from tests.dashboard.test_views import _card
from xiangtan_jobs.dashboard.kpis import CARD_KPIS
from xiangtan_jobs.dashboard.services import rollup_refresh

pytestmark = pytest.mark.django_db

MONTH = {"start": TODAY.replace(day=1).isoformat(), "end": TODAY.isoformat()}


def _dashboard(charlie, params):
    client = Client()
    client.force_login(charlie)
    response = client.get("/dashboard/", params)
    assert response.status_code == 200
    return response


def _compare(charlie, params, api_client):
    page = _dashboard(charlie, params)
    summary = api_client.get("/api/v1/bureau/kpis/", params)
    assert summary.status_code == 200, summary.content
    body = summary.json()
    html = page.content.decode()
    cards = {c["code"]: c for c in page.context["cards"]}
    assert [c["code"] for c in body["cards"]] == list(CARD_KPIS)
    for card in body["cards"]:
        shown = cards[card["code"]]
        assert (card["value"], card["previous"], card["change"]) == (shown["value"], shown["previous"], shown["change"])
        assert card["value"] == _card(html, card["code"]), card["code"]  # what the page shows
    assert body["period"] == {
        "start": page.context["period"].start.isoformat(),
        "end": page.context["period"].end.isoformat(),
    }
    # Months, districts, groups: each table of the page, cell by cell.
    tables = page.context["tables"]
    month_table = tables["months"]
    api_months = [[m["month"], *m["values"].values()] for m in body["months"]]
    assert api_months == [[c.value for c in row] for row in month_table.rows]
    api_districts = [[d["name"], *d["values"].values()] for d in body["districts"]]
    assert api_districts == [[c.value for c in row] for row in tables["districts"].rows]
    api_groups = [[g["label"], *g["values"].values()] for g in body["groups"]]
    assert api_groups == [[c.value for c in row] for row in tables["groups"].rows]
    answered_row = tables["cards"].rows[-1]
    assert body["answered_rate"] == answered_row[1].value
    # The site table.
    sites = api_client.get("/api/v1/bureau/kpis/sites/", params).json()["results"]
    assert [[r["name"], *r["values"].values()] for r in sites] == [
        [row[0].value, *[c.value for c in row[2:]]] for row in tables["sites"].rows
    ]
    return body, sites


def test_the_same_numbers_as_the_dashboard_live_and_rolled_up(world, charlie):  # noqa: F811
    client = token_client(issue(charlie))
    body, sites = _compare(charlie, MONTH, client)
    values = {c["code"]: c["value"] for c in body["cards"]}
    # Not a comparison of zeros: the hand-built facts of tests/dashboard/conftest.py.
    assert values["served"] == 7 and values["positions"] == 8 and values["intentions"] == 2
    yuhu = next(r for r in sites if r["id"] == world.yuhu.pk)
    assert yuhu["values"]["served"] == 6 and yuhu["values"]["positions"] == 7
    rollup_refresh(day_from=TODAY.replace(day=1), day_to=TODAY)
    again, _sites = _compare(charlie, MONTH, client)
    assert again == body
    # Other periods and the demo switch.
    _compare(charlie, {"preset": "30d"}, client)
    _compare(charlie, {"preset": "lastyear"}, client)
    _compare(charlie, {**MONTH, "demo": "1"}, client)
    _compare(charlie, {}, client)


def test_a_bureau_session_reads_them_too(world, charlie):  # noqa: F811
    assert session_client(charlie).get("/api/v1/bureau/kpis/", MONTH).status_code == 200


def test_operators_and_seekers_are_refused(world, alice, dora):  # noqa: F811
    for client in (token_client(issue(alice, site=world.yuhu)), session_client(alice), session_client(dora)):
        response = client.get("/api/v1/bureau/kpis/")
        assert response.status_code == 403
        assert response.json() == {"detail": "只有人社局工作人员可以查看全市指标。", "code": "permission_denied"}
        assert client.get("/api/v1/bureau/kpis/sites/").status_code == 403


def test_a_site_limited_bureau_token_reads_that_site(world, charlie):  # noqa: F811
    client = token_client(issue(charlie, site=world.yuhu))
    body = client.get("/api/v1/bureau/kpis/", MONTH).json()
    assert body["site"] == world.yuhu.pk
    assert {c["code"]: c["value"] for c in body["cards"]}["served"] == 6
    assert [r["id"] for r in client.get("/api/v1/bureau/kpis/sites/", MONTH).json()["results"]] == [world.yuhu.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-13-01"}, "start"),
        ({"start": "2026-11-30", "end": "2026-11-01"}, "end"),
        ({"start": "1990-01-01", "end": "1990-02-01"}, "start"),
        ({"preset": "week"}, "preset"),
        ({"demo": "2"}, "demo"),
    ],
)
def test_bad_periods_are_400_not_quietly_this_year(params, field, world, charlie):  # noqa: F811
    response = token_client(issue(charlie)).get("/api/v1/bureau/kpis/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
