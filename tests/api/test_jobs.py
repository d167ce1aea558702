"""The public job list: the portal's filters and order, cursor pages that miss and repeat nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PostingFactory, street
from xiangtan_jobs.core.enums import PostingStatus, WorkType

pytestmark = pytest.mark.django_db


def _all_pages(api, params) -> tuple[list[int], int]:
    response = api.get("/api/v1/jobs/", params)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    ids = [r["id"] for r in body["results"]]
    pages = 1
    while body["next"]:
        body = api.get(body["next"]).json()
        ids += [r["id"] for r in body["results"]]
        pages += 1
    return ids, pages


def test_cursor_pages_cover_every_open_posting_once(api, ref, frozen_clock):
    made = []
    for i in range(23):
        made.append(PostingFactory(title=f"保洁{i}").pk)
        frozen_clock.shift(dt.timedelta(minutes=1))
    PostingFactory(status=PostingStatus.DRAFT, published_at=None)
    PostingFactory(status=PostingStatus.CLOSED)
    ids, pages = _all_pages(api, {"size": 10})
    assert pages == 3
    assert ids == list(reversed(made))  # newest first, as /jobs/
    assert api.get("/api/v1/jobs/", {"size": 10}).json()["count"] == 23


def test_wage_order_pages_too(api, ref):
    for wage in (150, 300, 200, 250, 180):
        PostingFactory(wage_min=wage - 20, wage_max=wage)
    ids, _pages = _all_pages(api, {"sort": "wage", "size": 2})
    rows = {r["id"]: r["wage_max"] for r in api.get("/api/v1/jobs/", {"sort": "wage", "size": 100}).json()["results"]}
    assert [rows[i] for i in ids] == [300, 250, 200, 180, 150]


def test_filters_as_on_the_jobs_page(api, ref):
    cleaning = PostingFactory(title="小区保洁", work_type=WorkType.DAY, area=street("雨湖路街道"))
    PostingFactory(title="电工", work_type=WorkType.FULL, skills=[("电工", True, 1)], area=street("雨湖路街道"))
    yuetang = street("岳塘街道")
    far = PostingFactory(title="保洁（岳塘）", work_type=WorkType.DAY, area=yuetang, lat=yuetang.lat, lng=yuetang.lng)
    older = PostingFactory(title="门卫", older_ok=True, skills=[("保安员", True, 1)])

    def ids(**params):
        return {r["id"] for r in api.get("/api/v1/jobs/", params).json()["results"]}

    assert ids(q="保洁") == {cleaning.pk, far.pk}
    assert ids(q="保洁", district=street("雨湖区").pk) == {cleaning.pk}
    assert ids(work_type="full") == {p for p in ids() if p not in (cleaning.pk, far.pk, older.pk)}
    assert ids(suitable="older") == {older.pk}
    near = api.get("/api/v1/jobs/", {"sort": "near", "near": street("岳塘街道").pk}).json()["results"]
    assert near[0]["id"] == far.pk and near[0]["distance_km"] is not None
