"""Keyword search that finds what people mean: relevance tiers (title, required skill, the rest),
newest first within a tier, keyset pages across tiers, pinyin and initials."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import PostingFactory
from xiangtan_jobs.common.text import pinyin_keys
from xiangtan_jobs.core.selectors import keyword_direct_terms, reference_data

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'<li class="job-card"><a href="/jobs/(\d+)/">', response.content.decode())]


def get(client, **params):
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return response


def walk(client, **params) -> list[int]:
    seen, response = [], client.get("/jobs/", params)
    while True:
        seen.extend(ids(response))
        match = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', response.content.decode())
        if not match:
            return seen
        response = client.get("/jobs/" + match.group(1).replace("&amp;", "&"))


def ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


@pytest.fixture
def cleaning_and_others(ref):
    """Hand-built: two titles that say 保洁, one that only asks for the skill, and two that only
    mention it through an alias or an optional skill (all newer than the title matches)."""
    return {
        "title_old": PostingFactory(title="小区保洁员", published_at=ago(3 * 24 * 60)),
        "title_new": PostingFactory(title="商场保洁", published_at=ago(24 * 60)),
        "skill": PostingFactory(title="家庭清洁工", skills=[("保洁员", True, 1)], published_at=ago(5)),
        # 钟点工's aliases include 上门保洁: found, but through an alias.
        "alias": PostingFactory(title="月嫂（住家）", skills=[("钟点工", True, 1)], published_at=ago(2)),
        # 保洁员 only as a plus, not required.
        "optional": PostingFactory(title="小区安保", skills=[("保洁员", False, 1)], published_at=ago(1)),
        "driver": PostingFactory(title="公司小车司机", skills=[("小车司机", True, 1)], published_at=ago(0)),
    }


def test_keyword_results_by_relevance_then_newest(client, cleaning_and_others):
    p = cleaning_and_others
    expected = [p["title_new"], p["title_old"], p["skill"], p["optional"], p["alias"]]
    assert ids(get(client, q="保洁")) == [x.pk for x in expected]
    # The API answers in the same order.
    body = client.get("/api/v1/jobs/", {"q": "保洁"}).json()
    assert [r["id"] for r in body["results"]] == [x.pk for x in expected]


def test_newest_order_still_on_request(client, cleaning_and_others):
    p = cleaning_and_others
    newest = [p["optional"], p["alias"], p["skill"], p["title_new"], p["title_old"]]
    assert ids(get(client, q="保洁", sort="new")) == [x.pk for x in newest]


def test_no_keyword_lists_newest_first(client, cleaning_and_others):
    assert ids(get(client))[0] == cleaning_and_others["driver"].pk
    assert ids(get(client, sort="best"))[0] == cleaning_and_others["driver"].pk


def test_relevance_pages_cross_tiers_once_each(client, ref):
    titles = [PostingFactory(title=f"保洁员{i}", published_at=ago(100 + i)) for i in range(25)]
    skills = [PostingFactory(title=f"清洁工{i}", skills=[("保洁员", True, 1)], published_at=ago(i)) for i in range(3)]
    aliases = [PostingFactory(title=f"家务{i}", skills=[("钟点工", True, 1)], published_at=ago(i)) for i in range(2)]
    assert walk(client, q="保洁") == [x.pk for x in titles + skills + aliases]


def test_a_forged_cursor_gives_the_first_page(client, cleaning_and_others):
    assert ids(get(client, q="保洁", cursor="WzksIngiLDFd"))[0] == cleaning_and_others["title_new"].pk


def test_pinyin_keys():
    assert pinyin_keys("保洁") == ("baojie", "bj")
    assert pinyin_keys("重活") == ("zhonghuo", "zh")


def test_pinyin_and_initials_find_the_chinese_word(client, cleaning_and_others):
    p = cleaning_and_others
    assert "保洁" in keyword_direct_terms("baojie", reference_data())
    assert "保洁" in keyword_direct_terms("bj", reference_data())
    for q in ("baojie", "bj", "BaoJie"):
        found = ids(get(client, q=q))
        assert found[:2] == [p["title_new"].pk, p["title_old"].pk], q
        assert p["driver"].pk not in found
    # Initials of a skill name: xcsj -> 小车司机.
    assert ids(get(client, q="xcsj")) == [p["driver"].pk]
    # Latin words that are no pinyin of a skill still search the text as typed.
    assert ids(get(client, q="zzzz")) == []


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pieces index is PostgreSQL's")
def test_keyword_tiers_keep_the_pieces_index_condition(client, cleaning_and_others):
    """Every tier's page query carries the condition the GIN index serves (xt_pieces @@ ...);
    the plan on the full demo data is in bench/README.md."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        get(client, q="保洁")
    page_queries = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"] and "core_jobposting" in q["sql"]]
    assert len(page_queries) == 3  # five matches, page of 20: all three tiers read
    assert all("xt_pieces" in sql for sql in page_queries)
