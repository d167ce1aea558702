"""A fair's results against hand-counted fixtures: per day, by key group (a seeker with two tags in
both) and by the seekers' home district: sign-ups, check-ins, people met at booths, intentions and
hires; the whole series; CSV (with BOM) and Excel exports with the page's numbers, each export on
record in the fair's admin history; only the fair's staff and the bureau read them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.models import LogEntry
from openpyxl import load_workbook

from fairs.services import booth_outcome_record, signup_cancel, signup_check_in, signup_create
from tests.clock import NOON
from tests.factories import SeekerFactory, UserFactory, street
from tests.fairs.conftest import make_fair
from tests.fairs.html import page
from xiangtan_jobs.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(frozen_clock, fair, alice):
    """Day 1 (TODAY+3): five sign-ups, one cancelled; three came. Day 2: two sign-ups, one came.
    Who: a (graduate, 雨湖区) came, intention at A01 then hired; b (graduate + mother, 岳塘区) came,
    intention at A01 and talked at B12; c (rural, 湘潭县) came, interview at B12; d (mother, 雨湖区)
    did not come; e cancelled. Day 2: f (older, 雨湖区) came, talked at A01; g (no tag) did not come."""

    def person(tags, area):
        return SeekerFactory(user=UserFactory(), tags=tags, area=street(area))

    a, b = person(["graduate"], "雨湖路街道"), person(["graduate", "mother"], "岳塘街道")
    c, d, e = person(["rural"], "易俗河镇"), person(["mother"], "城正街街道"), person(["migrant"], "云塘街道")
    f, g = person(["older"], "雨湖路街道"), person([], "雨湖路街道")
    d1, d2 = fair.sessions.all()
    tickets = {
        x: signup_create(session=d1, seeker=s, actor=s.user) for x, s in zip("abcde", (a, b, c, d, e), strict=True)
    }
    tickets |= {x: signup_create(session=d2, seeker=s, actor=s.user) for x, s in zip("fg", (f, g), strict=True)}
    signup_cancel(signup=tickets["e"], actor=e.user)
    a01, b12 = fair.exhibitors.get(booth="A01"), fair.exhibitors.get(booth="B12")

    def booth(x, exhibitor, result, post=None):
        booth_outcome_record(
            fair=fair,
            exhibitor=exhibitor,
            code=tickets[x].code,
            result=result,
            posting_id=fair.p[post].pk if post else None,
            actor=alice,
        )

    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    for x in "abc":
        signup_check_in(fair=fair, code=tickets[x].code, actor=alice)
    booth("a", a01, "intention", "clean")
    booth("a", a01, "hired", "clean")
    booth("b", a01, "intention", "day")
    booth("b", b12, "talked")
    booth("c", b12, "interview", "welder")
    frozen_clock.move_to(NOON + dt.timedelta(days=4))
    signup_check_in(fair=fair, code=tickets["f"].code, actor=alice)
    booth("f", a01, "talked")
    return fair


def _table(p, title: str) -> list[list[str]]:
    heading = next(h for h in p.find_all("h2") if h.text() == title)
    tables = p.find_all("table", class_="fair-results")
    titles = [h.text() for h in p.find_all("h2")]
    table = tables[titles.index(heading.text())]
    return [[c.text() for c in tr.find_all() if c.el.name in ("th", "td")] for tr in table.find_all("tr")]


def test_results_by_day_group_and_district_as_counted_by_hand(client, held, alice):
    client.force_login(alice)
    p = page(client.get(f"/fairs/{held.pk}/results/"))
    d1, d2 = (f"{s.date:%Y-%m-%d}" for s in held.sessions.all())
    # signed up, came, no-show, met, intentions, hires
    assert _table(p, "每天")[1:] == [
        [d1, "4", "3", "25%", "3", "2", "1"],
        [d2, "2", "1", "50%", "1", "0", "0"],
        ["合计", "6", "4", "33%", "4", "2", "1"],
    ]
    groups = {(r[0], r[1]): r[2:] for r in _table(p, "按重点群体")[1:]}
    assert groups[(d1, "离校未就业高校毕业生")] == ["2", "2", "0%", "2", "2", "1"]
    assert groups[(d1, "宝妈")] == ["2", "1", "50%", "1", "1", "0"]
    assert groups[(d1, "农村转移劳动力")] == ["1", "1", "0%", "1", "0", "0"]
    assert groups[(d1, "外来劳动力")] == ["0", "0", "—", "0", "0", "0"]  # e cancelled
    assert groups[(d2, "大龄劳动者")] == ["1", "1", "0%", "1", "0", "0"]
    assert groups[("合计", "宝妈")] == ["2", "1", "50%", "1", "1", "0"]
    districts = {(r[0], r[1]): r[2:] for r in _table(p, "按居住区县")[1:]}
    assert districts == {
        (d1, "雨湖区"): ["2", "1", "50%", "1", "1", "1"],
        (d1, "岳塘区"): ["1", "1", "0%", "1", "1", "0"],
        (d1, "湘潭县"): ["1", "1", "0%", "1", "0", "0"],
        (d2, "雨湖区"): ["2", "1", "50%", "1", "0", "0"],
        ("合计", "雨湖区"): ["4", "2", "50%", "2", "1", "1"],
        ("合计", "岳塘区"): ["1", "1", "0%", "1", "1", "0"],
        ("合计", "湘潭县"): ["1", "1", "0%", "1", "0", "0"],
    }
    # per exhibitor: posts, positions, met, intentions, hires
    assert _table(p, "参会单位")[1:] == [
        ["A01", "湘潭洁美家政有限公司", "2", "4", "3", "2", "1"],
        ["B12", "湘潭电机配件厂", "1", "2", "2", "0", "0"],
    ]


def test_whole_series(client, held, alice, yuhu):
    other = make_fair(site=yuhu, title="雨湖秋季专场", days=(10,))
    s = other.sessions.get()
    x = SeekerFactory(user=UserFactory())
    signup_create(session=s, seeker=x, actor=x.user)
    client.force_login(alice)
    p = page(client.get(f"/fairs/{held.pk}/results/?series=1"))
    rows = _table(p, "每天")
    assert rows[-1] == ["合计", "7", "4", "43%", "4", "2", "1"]
    assert rows[-2][0] == f"{s.date:%Y-%m-%d} 雨湖秋季专场"


def test_exports_have_the_pages_numbers_and_are_logged(client, held, alice):
    client.force_login(alice)
    response = client.get(f"/fairs/{held.pk}/results/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese right
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["每天"]
    assert rows[1] == ["日期", "报名", "签到", "未到", "洽谈人数", "达成意向", "录用"]
    assert ["合计", "6", "4", "33%", "4", "2", "1"] in rows
    response = client.get(f"/fairs/{held.pk}/results/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["每天", "按重点群体", "按居住区县", "参会单位"]
    days = list(book["每天"].iter_rows(values_only=True))
    assert days[-1] == ("合计", 6, 4, "33%", 4, 2, 1)
    log = list(LogEntry.objects.filter(object_id=str(held.pk)).order_by("action_time", "id"))
    # 3 day rows, 7 groups × (2 days + total), 4 + 3 district rows, 2 exhibitors.
    assert [(e.user, e.change_message) for e in log] == [
        (alice, "导出成果 CSV，33 行"),
        (alice, "导出成果 XLSX，33 行"),
    ]
    # And in the append-only audit log, like every export (who, what, how many rows).
    exports = AccessLog.objects.filter(action="export").order_by("id")
    assert [(e.user, e.rows, e.detail) for e in exports] == [
        (alice, 33, f"fairs.JobFair {held.pk} results CSV"),
        (alice, 33, f"fairs.JobFair {held.pk} results XLSX"),
    ]


def test_only_the_fairs_staff_and_the_bureau_read_results(client, held, bob, charlie, dora):
    client.force_login(charlie)
    assert client.get(f"/fairs/{held.pk}/results/").status_code == 200
    for user in (bob, dora):
        client.force_login(user)
        assert client.get(f"/fairs/{held.pk}/results/").status_code == 403
        assert client.get(f"/fairs/{held.pk}/results/?format=csv").status_code == 403
    client.logout()
    assert client.get(f"/fairs/{held.pk}/results/").status_code == 302
    assert not LogEntry.objects.exists()
