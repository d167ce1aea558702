"""The fair page a page at a time: 20 exhibitors a page by booth, at most 8 posts each (the rest
one link away), the search by skill and work type kept across pages, and a fixed number of
queries whatever the number of exhibitors and posts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from fairs.models import Exhibitor
from fairs.selectors import EXHIBITORS_PER_PAGE, POSTS_PER_EXHIBITOR
from tests.factories import EmployerFactory, PostingFactory
from tests.fairs.html import page
from xiangtan_jobs.core.enums import WorkType

pytestmark = pytest.mark.django_db


def _exhibitors(fair, yuhu, n: int, *, posts: int = 1, start: int = 0, **posting) -> list[Exhibitor]:
    out = []
    for i in range(start, start + n):
        employer = EmployerFactory(name=f"参会单位{i:03d}")
        e = Exhibitor.objects.create(fair=fair, employer=employer, booth=f"C{i:03d}")
        e.postings.set(
            [
                PostingFactory(employer=employer, service_point=yuhu, title=f"岗位{i:03d}-{k:02d}", **posting)
                for k in range(posts)
            ]
        )
        out.append(e)
    return out


def _cards(p) -> list[str]:
    ul = p.find("ul", class_="exhibitors")
    return [] if ul is None else [li.find("h3").text() for li in ul.find_all("li", class_="card")]


def _pager_link(p, rel: str) -> str | None:
    nav = p.find("nav", class_="pager")
    a = nav.find("a", rel=rel) if nav else None
    return a["href"] if a else None


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_exhibitors_come_twenty_a_page_by_booth(client, fair, yuhu):
    _exhibitors(fair, yuhu, 25)  # + the fixture's A01 and B12: 27 exhibitors, booths A01 < B12 < C000 …
    first = page(client.get(f"/fairs/{fair.pk}/"))
    cards = _cards(first)
    assert len(cards) == EXHIBITORS_PER_PAGE
    assert cards[:3] == ["湘潭洁美家政有限公司 展位 A01", "湘潭电机配件厂 展位 B12", "参会单位000 展位 C000"]
    assert first.find("p", class_="count").text() == "共 27 家参会单位，第 1 / 2 页"
    nxt = _pager_link(first, "next")
    assert _query(nxt) == {"page": ["2"]} and _pager_link(first, "prev") is None
    second = page(client.get(f"/fairs/{fair.pk}/{nxt.split('#')[0]}"))
    assert _cards(second) == [f"参会单位{i:03d} 展位 C{i:03d}" for i in range(18, 25)]
    assert _pager_link(second, "next") is None and _query(_pager_link(second, "prev")) == {"page": ["1"]}
    # A page past the end or not a number is the nearest real page, never an error.
    assert _cards(page(client.get(f"/fairs/{fair.pk}/?page=99"))) == _cards(second)
    assert _cards(page(client.get(f"/fairs/{fair.pk}/?page=abc"))) == cards


def test_a_small_fair_has_no_pager(client, fair):
    p = page(client.get(f"/fairs/{fair.pk}/"))
    assert p.find("nav", class_="pager") is None
    assert p.find("p", class_="count").text() == "共 2 家参会单位"


def test_search_is_kept_across_pages_and_counts_only_exhibitors_with_such_posts(client, fair, yuhu):
    welders = _exhibitors(fair, yuhu, 23, work_type=WorkType.FULL)  # every one a full-time post
    _exhibitors(fair, yuhu, 5, start=100, work_type=WorkType.DAY)  # day work only: left out
    # 23 + the fixture's 湘潭电机配件厂 (焊工, full time) = 24 exhibitors with a full-time post.
    first = page(client.get(f"/fairs/{fair.pk}/?work_type=full"))
    assert first.find("p", class_="count").text() == "共 24 家参会单位，第 1 / 2 页"
    nxt = _pager_link(first, "next")
    assert _query(nxt) == {"work_type": ["full"], "page": ["2"]}
    second = page(client.get(f"/fairs/{fair.pk}/{nxt.split('#')[0]}"))
    assert _cards(second) == [f"{w.employer.name} 展位 {w.booth}" for w in welders[19:]]
    # A keyword and a work type together, across pages as well.
    both = page(client.get(f"/fairs/{fair.pk}/?q=岗位&work_type=full&page=2"))
    assert _cards(both) == [f"{w.employer.name} 展位 {w.booth}" for w in welders[20:]]
    assert _query(_pager_link(both, "prev")) == {"q": ["岗位"], "work_type": ["full"], "page": ["1"]}


def test_an_exhibitor_with_many_posts_shows_eight_and_links_to_all(client, fair, yuhu):
    (big,) = _exhibitors(fair, yuhu, 1, posts=11, work_type=WorkType.FULL)
    p = page(client.get(f"/fairs/{fair.pk}/?work_type=full"))
    card = next(li for li in p.find("ul", class_="exhibitors").find_all("li", class_="card") if "C000" in li.text())
    titles = [h.find("h3").text() for h in card.find_all("li", class_="job-card")]
    assert titles == [f"岗位000-{k:02d}" for k in range(POSTS_PER_EXHIBITOR)]
    more = card.find("p", class_="more").find("a")
    assert more.text() == "还有 3 个岗位，点这里看这家单位的全部岗位"
    assert _query(more["href"]) == {"work_type": ["full"], "exhibitor": [str(big.pk)]}
    alone = page(client.get(f"/fairs/{fair.pk}/{more['href'].split('#')[0]}"))
    assert _cards(alone) == ["参会单位000 展位 C000"]
    titles = [h.find("h3").text() for h in alone.find_all("li", class_="job-card")]
    assert titles == [f"岗位000-{k:02d}" for k in range(11)]
    assert alone.find("p", class_="more") is None
    assert alone.find("a", href="?work_type=full#exhibitors").text() == "看全部参会单位"


@pytest.mark.parametrize("query", ["", "?q=岗位&work_type=full&page=2"])
def test_queries_do_not_grow_with_exhibitors_or_posts(client, fair, yuhu, query, django_assert_num_queries):
    url = f"/fairs/{fair.pk}/{query}"
    _exhibitors(fair, yuhu, 21, work_type=WorkType.FULL)
    client.get(url)  # reference data cached, as on a running site
    # The fair and its days (2), the places taken (1), the exhibitors' count, page and posts (3).
    with django_assert_num_queries(6):
        small = client.get(url)
    _exhibitors(fair, yuhu, 40, posts=10, start=200, work_type=WorkType.FULL)
    with django_assert_num_queries(6):
        big = client.get(url)
    counts = [page(r).find("p", class_="count").text().split("，")[0] for r in (small, big)]
    expected = ["共 23 家参会单位", "共 63 家参会单位"] if not query else ["共 21 家参会单位", "共 61 家参会单位"]
    assert counts == expected
    assert len(_cards(page(big))) == EXHIBITORS_PER_PAGE


def test_the_pager_in_english(client, fair, yuhu):
    (big,) = _exhibitors(fair, yuhu, 1, posts=9)
    _exhibitors(fair, yuhu, 19, start=1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    p = page(client.get(f"/fairs/{fair.pk}/"))
    assert p.find("p", class_="count").text() == "22 exhibitors, page 1 of 2"
    assert p.find("p", class_="more").text() == "1 more post: see all this exhibitor's posts"
    alone = page(client.get(f"/fairs/{fair.pk}/?exhibitor={big.pk}"))
    assert alone.find("a", href="?#exhibitors").text() == "See all exhibitors"
