"""Public fair pages: the list by series with days, the fair's exhibitors with booths and posts,
searchable by skill and work type; the 2025 春风行动 fairs as the facts give them."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.enums import FairStatus
from fairs.models import JobFair
from tests.clock import TODAY
from tests.fairs.conftest import make_fair
from tests.fairs.html import page

pytestmark = pytest.mark.django_db


def _series_sections(p):
    return p.find_all("section", class_="fair-series")


def test_list_groups_upcoming_fairs_by_series_with_days(client, fair):
    make_fair(title="往期专场", days=(-10,), series="往期系列")
    p = page(client.get("/fairs/"))
    upcoming, past, spring = _series_sections(p)
    assert upcoming.find("h3", class_="series-title").text() == "测试系列"
    card = upcoming.find("li", class_="card")
    link = card.find("a")
    assert (link.text(), link["href"]) == ("雨湖春季专场招聘会", f"/fairs/{fair.pk}/")
    d3, d4 = TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=4)
    assert card.find("p", class_="meta").text() == f"共 2 场：{d3.month}月{d3.day}日、{d4.month}月{d4.day}日"
    assert card.find("a", href="tel:0731-58533441") is not None
    assert past.find("h3", class_="series-title").text() == "往期系列"
    assert [a.text() for a in past.find_all("a") if a["href"].startswith("/fairs/")] == ["往期专场"]
    # The reference series, most recent fair first.
    assert spring.find("h3", class_="series-title").text() == "2025年春风行动"
    assert [a.text() for a in spring.find_all("a") if a["href"].startswith("/fairs/")] == [
        "2025年春节招聘周",
        "2025年春风行动启动仪式暨首场大型招聘会",
    ]


def test_fair_page_shows_exhibitors_booths_and_posts_as_job_links(client, fair):
    p = page(client.get(f"/fairs/{fair.pk}/"))
    cards = [li for li in p.find("ul", class_="exhibitors").find_all("li", class_="card")]
    assert [c.find("h3").text() for c in cards] == ["湘潭洁美家政有限公司 展位 A01", "湘潭电机配件厂 展位 B12"]
    links = {c.find("h3").text(): c.find("a")["href"] for c in cards[0].find_all("li", class_="job-card")}
    assert links == {"家庭保洁员": f"/jobs/{fair.p['clean'].pk}/", "日结开荒保洁": f"/jobs/{fair.p['day'].pk}/"}
    assert client.get(links["家庭保洁员"]).status_code == 200
    facts = p.find("dl", class_="facts").text()
    assert "雨湖零工市场大厅" in facts and "雨湖区湘潭汽车站旁" in facts and "0731-58533441" in facts


def test_search_by_skill_and_work_type(client, fair):
    def shown(query: str) -> list[str]:
        ul = page(client.get(f"/fairs/{fair.pk}/{query}")).find("ul", class_="exhibitors")
        return [] if ul is None else [li.find("h3").text() for li in ul.find_all("li", class_="job-card")]

    assert shown("?q=焊工") == ["焊工"]
    assert shown("?q=保洁") == ["家庭保洁员", "日结开荒保洁"]
    assert shown("?q=保洁&work_type=day") == ["日结开荒保洁"]
    assert shown("?work_type=full") == ["焊工"]
    assert shown("?q=厨师") == []
    p = page(client.get(f"/fairs/{fair.pk}/?q=厨师"))
    assert p.find("a", href=f"/fairs/{fair.pk}/#exhibitors").text() == "去掉筛选看全部参会单位"


def test_bad_search_input_never_fails(client, fair):
    assert client.get(f"/fairs/{fair.pk}/?work_type=bogus&q=" + "长" * 200).status_code == 200
    assert client.get("/fairs/99999999999999999999999/").status_code == 404


def test_cancelled_fair_says_so_and_offers_no_signup(client, fair):
    JobFair.objects.filter(pk=fair.pk).update(status=FairStatus.CANCELLED)
    p = page(client.get(f"/fairs/{fair.pk}/"))
    assert p.find(role="alert").text() == "这场招聘会已取消"
    assert p.find("form", action=f"/fairs/{fair.pk}/signup/") is None


def test_spring_breeze_fairs_as_the_facts_give_them(client, ref):
    launch = JobFair.objects.get(title="2025年春风行动启动仪式暨首场大型招聘会")
    week = JobFair.objects.get(title="2025年春节招聘周")
    assert (launch.starts_on, launch.ends_on) == (dt.date(2025, 2, 6), dt.date(2025, 2, 6))
    assert launch.series == week.series == "2025年春风行动"
    assert [s.date for s in week.sessions.all()] == [dt.date(2025, 2, d) for d in (7, 8, 9)]
    p = page(client.get(f"/fairs/{week.pk}/"))
    facts = p.find("dl", class_="facts").text()
    assert "市人社局一院湘潭人才市场" in facts and "岳塘区湘潭大道157号" in facts and "0731-58533441" in facts
    assert "演示数据" not in p.text()
    assert len(p.find("ul", class_="fair-days").find_all("li", class_="card")) == 3
    facts = page(client.get(f"/fairs/{launch.pk}/")).find("dl", class_="facts").text()
    assert "湘潭经开区创新创业大楼" in facts and "湘潭经开区和平街道东风西路9号" in facts
