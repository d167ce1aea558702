"""No query string, however malformed, makes a public page answer 500 or reflect markup unescaped;
and on PostgreSQL every query of the list uses an index."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairs.models import JobFair
from tests.factories import PostingFactory
from xiangtan_jobs.core.models import ServicePoint

pytestmark = pytest.mark.django_db

NASTY = [
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "abc",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "1; DROP TABLE core_jobposting",
    "保\u200b洁",
    "１２３",
    "\u3000",
    "%00",
    "x" * 3000,
]
PARAMS = [
    "q",
    "district",
    "town",
    "category",
    "skill",
    "work_type",
    "wage",
    "wage_unit",
    "days",
    "site",
    "suitable",
    "near",
    "km",
    "sort",
    "cursor",
    "size",
    "page",
    "next",
    "step",
]
MARKUP = re.compile(r"<script>alert|<img src=x")


def public_urls() -> list[str]:
    posting = PostingFactory()
    market = ServicePoint.objects.filter(kind="gig_market").first()
    fair = JobFair.objects.first()
    urls = [
        "/",
        "/jobs/",
        f"/jobs/{posting.pk}/",
        "/markets/",
        "/stations/",
        "/fairs/",
        "/register/",
        "/register/account/",
        "/accounts/login/",
        "/privacy/",
        "/healthz/",
        "/admin/login/",
    ]
    if market:
        urls.append(f"/markets/{market.pk}/")
    if fair:
        urls.append(f"/fairs/{fair.pk}/")
    return urls


def test_every_public_url_survives_malformed_queries(client, ref):
    for url in public_urls():
        for value in NASTY:
            for param in PARAMS:
                response = client.get(url, {param: value})
                assert response.status_code < 500, (url, param, value)
                if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                    assert not MARKUP.search(response.content.decode()), (url, param, value)
        # Several at once, and repeated parameters.
        response = client.get(url + "?" + "&".join(f"{p}=%3Cscript%3E&{p}=-1" for p in PARAMS))
        assert response.status_code < 500, url


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/0/",
        "/jobs/99999999999999999999/",
        "/markets/99999999999999999999/",
        "/stations/0/",
        "/fairs/18446744073709551616/",
        "/register/nope/",
    ],
)
def test_unknown_ids_are_404(client, ref, path):
    assert client.get(path).status_code == 404


def test_post_endpoints_survive_unknown_ids(client, ref, dora):
    client.force_login(dora)
    for path in ["/me/apply/99999999999999999999/", "/me/apply/0/", "/me/applications/99999999999999999999/withdraw/"]:
        assert client.post(path).status_code < 500


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
@pytest.mark.parametrize(
    "params",
    [
        {"q": "保洁"},
        {"q": "护工"},
        {"q": "司机 货车"},
        {},
        {"district": "DISTRICT"},
        {"work_type": "day", "district": "DISTRICT"},
        {"sort": "wage"},
        {"near": "DISTRICT", "km": "5", "sort": "near"},
        {"cursor": "DEEP"},
    ],
)
def test_list_queries_use_indexes(client, ref, params):
    from xiangtan_jobs.core.models import Area
    from xiangtan_jobs.core.selectors import cursor_encode

    district = Area.objects.get(name="雨湖区").pk
    for i in range(5):
        PostingFactory(title=f"小区保洁员{i}")
    from xiangtan_jobs.core.models import JobPosting

    template = PostingFactory(title="仓库搬运工", skills=[("搬运工", True, 1)])
    # Many non-matching rows, so that the planner has a reason to prefer the pieces index.
    rows = []
    for i in range(400):
        template.pk = None
        template.id = None
        template.title = f"仓库搬运工{i}"
        template.search_text = f"仓库搬运工{i} 搬运工 装卸工"
        rows.append(JobPosting(**{f.attname: getattr(template, f.attname) for f in JobPosting._meta.concrete_fields}))
    JobPosting.objects.bulk_create(rows)
    params = {k: str(district) if v == "DISTRICT" else v for k, v in params.items()}
    if params.get("cursor") == "DEEP":
        last = JobPosting.objects.order_by("published_at", "id").first()
        params["cursor"] = cursor_encode([last.published_at.isoformat(), last.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_jobposting")
        cursor.execute("SET enable_seqscan = off")  # a tiny test table: ask whether an index *can* serve
        try:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/jobs/", params).status_code == 200
            for query in ctx.captured_queries:
                sql = query["sql"]
                if "core_jobposting" not in sql:
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on core_jobposting" not in plan, plan
        finally:
            cursor.execute("SET enable_seqscan = on")
