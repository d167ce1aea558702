"""The public job list: keyword search, every filter and their combinations, sorting, keyset
pages and the query budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import PostingFactory, ServicePointFactory, street
from xiangtan_jobs.core.enums import PostingStatus, WageUnit, WorkType
from xiangtan_jobs.core.models import Area, SkillCategory
from xiangtan_jobs.core.selectors import keyword_words, reference_data_forget
from xiangtan_jobs.portal.views.jobs import HOME_SESSION_KEY

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'<li class="job-card"><a href="/jobs/(\d+)/">', response.content.decode())]


def get(client, **params):
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return response


def yuetang_posting(**kw):
    area = street("岳塘街道")
    return PostingFactory(area=area, district=area.parent, lat=area.lat, lng=area.lng, **kw)


# --- keyword search -----------------------------------------------------------------------------


def test_two_character_chinese_keyword(client, ref):
    cleaning = PostingFactory(title="小区保洁员")
    driver = PostingFactory(title="公司小车司机", skills=[("小车司机", True, 1)])
    assert ids(get(client, q="保洁")) == [cleaning.pk]
    assert ids(get(client, q="司机")) == [driver.pk]


def test_keyword_finds_skill_aliases_and_near_synonyms(client, ref):
    # 护工 is a near-synonym of 养老护理员: the posting's text never says 护工.
    care = PostingFactory(title="敬老院护理员", skills=[("养老护理员", True, 1)])
    alias = PostingFactory(title="住院陪护", skills=[("护工", True, 1)])
    other = PostingFactory(title="小区保洁员")
    found = set(ids(get(client, q="护工")))
    assert {care.pk, alias.pk} <= found
    assert other.pk not in found


def test_keyword_is_exact_not_just_the_pieces(client, ref):
    # 洁保 shares both characters with 保洁 but is not in the text.
    PostingFactory(title="小区保洁员")
    assert ids(get(client, q="洁保")) == []


def test_keyword_normalises_full_width_and_zero_width(client, ref):
    posting = PostingFactory(title="ＡＢＣ保洁")
    assert ids(get(client, q="保\u200b洁")) == [posting.pk]
    assert ids(get(client, q="abc")) == [posting.pk]


def test_keyword_several_words_all_must_match(client, ref):
    both = PostingFactory(title="医院保洁 夜班")
    PostingFactory(title="医院门卫", skills=[("保安员", True, 1)])
    assert ids(get(client, q="医院 保洁")) == [both.pk]


def test_keyword_words_are_bounded():
    assert keyword_words("  a b c d e f ") == ["a", "b", "c", "d"]
    assert len(keyword_words("保" * 100)[0]) == 20


# --- filters ------------------------------------------------------------------------------------


def test_filter_district_and_town(client, ref):
    here = PostingFactory()
    there = yuetang_posting()
    yuetang = Area.objects.get(name="岳塘区")
    assert ids(get(client, district=yuetang.pk)) == [there.pk]
    assert ids(get(client, town=street("雨湖路街道").pk)) == [here.pk]


def test_filter_category_and_skill_with_group(client, ref):
    care = PostingFactory(title="护理员", skills=[("养老护理员", True, 1)])
    nurse_alias = PostingFactory(title="陪护", skills=[("护工", True, 1)])
    cleaner = PostingFactory()
    category = SkillCategory.objects.get(name="家政服务")
    assert ids(get(client, category=category.pk)) == [cleaner.pk]
    from xiangtan_jobs.core.models import Skill

    assert set(ids(get(client, skill=Skill.objects.get(name="养老护理员").pk))) == {care.pk, nurse_alias.pk}


def test_filter_work_type_multiple(client, ref):
    day = PostingFactory(work_type=WorkType.DAY)
    part = PostingFactory(work_type=WorkType.PART)
    full = PostingFactory(work_type=WorkType.FULL, wage_min=4000, wage_max=5000, wage_unit=WageUnit.MONTH)
    assert ids(get(client, work_type="full")) == [full.pk]
    assert set(ids(client.get("/jobs/?work_type=day&work_type=part"))) == {day.pk, part.pk}


def test_filter_wage_at_least_per_unit(client, ref):
    low = PostingFactory(wage_min=150, wage_max=160)  # per day
    high = PostingFactory(wage_min=250, wage_max=300)
    monthly = PostingFactory(wage_min=5000, wage_max=6000, wage_unit=WageUnit.MONTH)  # ≈ 276 per day
    assert set(ids(get(client, wage=200, wage_unit="day"))) == {high.pk, monthly.pk}
    assert set(ids(get(client, wage=5500, wage_unit="month"))) == {high.pk, monthly.pk}
    assert low.pk in ids(get(client, wage=15, wage_unit="hour"))


def test_filter_posted_within_days(client, ref):
    new = PostingFactory()
    old = PostingFactory(published_at=timezone.now() - dt.timedelta(days=10))
    assert ids(get(client, days=7)) == [new.pk]
    assert set(ids(get(client, days=30))) == {new.pk, old.pk}


def test_filter_service_point(client, ref, yuhu):
    mine = PostingFactory(service_point=yuhu)
    PostingFactory()
    assert ids(get(client, site=yuhu.pk)) == [mine.pk]


def test_filter_suitable_for(client, ref):
    older = PostingFactory(older_ok=True)
    both = PostingFactory(older_ok=True, mother_flexible=True)
    PostingFactory()
    assert set(ids(get(client, suitable="older"))) == {older.pk, both.pk}
    assert ids(client.get("/jobs/?suitable=older&suitable=mother")) == [both.pk]


def test_within_km_of_a_district_and_sort_by_distance(client, ref):
    near = PostingFactory(lat=27.862, lng=112.915)  # at 雨湖路街道
    mid = PostingFactory(lat=27.90, lng=112.915)  # ~4 km north
    far = PostingFactory(lat=27.735, lng=112.534)  # 湘乡, ~40 km
    yuhu_street = street("雨湖路街道")
    assert set(ids(get(client, near=yuhu_street.pk, km=5))) == {near.pk, mid.pk}
    assert ids(get(client, near=yuhu_street.pk, km=50, sort="near")) == [near.pk, mid.pk, far.pk]
    assert ids(get(client, near="27.735,112.534", km=3)) == [far.pk]


def test_sort_by_distance_from_home_when_logged_in(client, ref, dora):
    near = PostingFactory(lat=27.862, lng=112.915)
    far = PostingFactory(lat=27.90, lng=112.915)
    client.force_login(dora)
    session = client.session
    session[HOME_SESSION_KEY] = [27.90, 112.915]
    session.save()
    response = get(client, sort="near", km=20)
    assert ids(response) == [far.pk, near.pk]
    assert "公里" in response.content.decode()


def test_sort_by_wage_puts_piece_rates_last(client, ref):
    piece = PostingFactory(wage_min=80, wage_max=150, wage_unit=WageUnit.PIECE, wage_daily=None)
    low = PostingFactory(wage_min=150, wage_max=160)
    high = PostingFactory(wage_min=250, wage_max=300)
    assert ids(get(client, sort="wage")) == [high.pk, low.pk, piece.pk]


def test_filters_combine(client, ref, yuhu):
    hit = PostingFactory(service_point=yuhu, older_ok=True, title="小区保洁员")
    PostingFactory(service_point=yuhu, title="小区保洁员")  # not older_ok
    PostingFactory(older_ok=True, title="小区保洁员")  # other site
    PostingFactory(service_point=yuhu, older_ok=True, title="仓库搬运工", skills=[("搬运工", True, 1)])
    response = get(client, q="保洁", site=yuhu.pk, suitable="older", work_type="day", district=street().parent_id)
    assert ids(response) == [hit.pk]
    body = response.content.decode()
    assert "找到 <strong>1</strong> 个岗位" in body
    assert "雨湖零工市场" in body  # the chip of the chosen site


def test_only_public_postings_are_listed(client, ref):
    shown = PostingFactory()
    PostingFactory(status=PostingStatus.CLOSED, closed_at=timezone.now())
    PostingFactory(status=PostingStatus.DRAFT, published_at=None)
    PostingFactory(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert ids(get(client)) == [shown.pk]


def test_counts_by_work_type_and_district(client, ref):
    PostingFactory(work_type=WorkType.DAY)
    PostingFactory(work_type=WorkType.DAY)
    yuetang_posting(work_type=WorkType.PART)
    body = get(client).content.decode()
    assert "找到 <strong>3</strong> 个岗位" in body
    assert '日结零工 <span class="n">(2)</span>' in body
    assert "岳塘区 (1)" in body


def test_empty_result_offers_next_steps(client, ref):
    body = get(client, q="宇航员").content.decode()
    assert "没有找到合适的岗位" in body
    assert 'href="/markets/"' in body and 'href="/register/"' in body


def test_invalid_values_are_ignored_not_errors(client, ref):
    posting = PostingFactory()
    assert ids(get(client, district="abc", wage="-5", days="9999", site="0", sort="x", km="zz")) == [posting.pk]


# --- pagination -------------------------------------------------------------------------------------


def _walk(client, **params):
    seen, url, pages = [], "/jobs/", 0
    response = client.get(url, params)
    while True:
        pages += 1
        seen.extend(ids(response))
        match = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', response.content.decode())
        if not match:
            return seen, pages
        response = client.get("/jobs/" + match.group(1).replace("&amp;", "&"))


@pytest.mark.parametrize("sort", ["new", "wage", "near"])
def test_keyset_pages_cover_everything_once(client, ref, sort):
    now = timezone.now()
    created = []
    for i in range(45):
        # Ties in the sort key (same time, same wage, same place) must not lose or repeat rows.
        created.append(
            PostingFactory(
                published_at=now - dt.timedelta(minutes=i // 3), wage_max=200 + i // 4, lat=27.86 + (i % 5) / 1000
            )
        )
    extra = {"near": street().pk, "km": 20} if sort == "near" else {}
    seen, pages = _walk(client, sort=sort, **extra)
    assert sorted(seen) == sorted(p.pk for p in created)
    assert pages == 3


def test_filters_survive_paging(client, ref):
    for _ in range(25):
        PostingFactory(older_ok=True)
    for _ in range(5):
        PostingFactory()
    seen, pages = _walk(client, suitable="older")
    assert len(seen) == 25 and pages == 2


def test_malformed_cursor_starts_at_the_first_page(client, ref):
    posting = PostingFactory()
    for cursor in ["xyz", "W10", "eyJhIjoxfQ", "%%%", "A" * 500, "WyJub3QgYSBkYXRlIiwgMV0"]:
        assert ids(client.get("/jobs/", {"cursor": cursor})) == [posting.pk]


# --- query budget --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [20, 100])
def test_list_runs_at_most_four_queries(client, ref, dora, django_assert_max_num_queries, size):
    for _ in range(size + 5):
        PostingFactory()
    client.force_login(dora)
    params = {"size": size, "q": "保洁", "suitable": "older", "sort": "wage"}
    client.get("/jobs/", params)  # warms the reference lists (cached for minutes)
    reference_data_forget()
    client.get("/jobs/", {"size": size})
    district = street().parent_id
    for query in [{"size": size}, {"size": size, "district": district, "work_type": "day"}, params]:
        with django_assert_max_num_queries(4):
            response = client.get("/jobs/", query)
        assert response.status_code == 200


def test_anonymous_list_runs_two_queries(client, ref, django_assert_num_queries):
    for _ in range(30):
        PostingFactory()
    district = street().parent_id
    client.get("/jobs/")
    cache.clear()  # counts are cached per filter set for a minute: measure a cold count
    reference_data_forget()
    client.get("/jobs/", {"q": "保洁"})  # warms the reference lists only
    with django_assert_num_queries(2):  # the page and its counts
        client.get("/jobs/", {"size": 100})
    with django_assert_num_queries(2):
        client.get("/jobs/", {"size": 20, "district": district})
    # The same search again (another page size or order): its counts come from the cache.
    with django_assert_num_queries(1):
        client.get("/jobs/", {"size": 20, "district": district, "sort": "wage"})


def test_cached_counts_follow_a_saved_posting(client, ref):
    PostingFactory()
    assert "找到 <strong>1</strong> 个岗位" in get(client).content.decode()
    PostingFactory()
    assert "找到 <strong>2</strong> 个岗位" in get(client).content.decode()
    yuetang = street("岳塘街道").parent_id
    assert "找到 <strong>0</strong> 个岗位" in get(client, district=yuetang, work_type="part").content.decode()
    yuetang_posting(work_type=WorkType.PART)
    assert "找到 <strong>1</strong> 个岗位" in get(client, district=yuetang, work_type="part").content.decode()


def test_new_site_shows_up_after_cache_reset(client, ref):
    reference_data_forget()
    client.get("/jobs/")  # the reference lists (sites among them) are read and kept
    site = ServicePointFactory(name="新开的零工驿站")
    option = f'<option value="{site.pk}">新开的零工驿站</option>'
    assertNotContains(client.get("/jobs/"), option, html=True)  # still the kept lists
    reference_data_forget()
    assertContains(client.get("/jobs/"), option, html=True)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pieces index is PostgreSQL's")
def test_common_keyword_walks_the_newest_index_with_the_same_rows(client, ref, monkeypatch):
    from xiangtan_jobs.portal import selectors as jobs

    now = timezone.now()
    for i in range(30):
        PostingFactory(title=f"小区保洁员{i}", published_at=now - dt.timedelta(minutes=i // 2))
    for i in range(10):
        PostingFactory(title=f"仓库搬运工{i}", published_at=now - dt.timedelta(minutes=i))
    by_pieces, pages = _walk(client, q="保洁")
    assert len(by_pieces) >= 30 and pages >= 2
    monkeypatch.setattr(jobs, "KEYWORD_WALK_MIN", 5)  # 30 matches now count as "many"
    with CaptureQueriesContext(connection) as ctx:
        get(client, q="保洁")
    assert "xt_pieces" not in ctx.captured_queries[-1]["sql"]
    walked, _pages = _walk(client, q="保洁")
    assert walked == by_pieces  # the same rows, in the same order, page after page
