"""The change feed /api/v1/jobs/changes/: in commit order (updated_at, id), a client following
next_cursor misses no version and sees none twice, even while postings change between its
pages; drafts never appear, closed postings do (to be taken down), recent changes wait
API_FEED_SETTLE_SECONDS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PostingFactory
from xiangtan_jobs.core import services
from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.services.postings import posting_expire_overdue

pytestmark = pytest.mark.django_db

FEED = "/api/v1/jobs/changes/"


@pytest.fixture(autouse=True)
def _settle(settings):
    settings.API_FEED_SETTLE_SECONDS = 10


def _page(api, since=None, limit=None):
    params = {}
    if since is not None:
        params["since"] = since
    if limit is not None:
        params["limit"] = limit
    response = api.get(FEED, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _later(clock, seconds=1):
    clock.shift(dt.timedelta(seconds=seconds))


def _follow(api, since, limit):
    """Every page until ``more`` is false: [(id, change, updated_at)], and the last cursor."""
    seen = []
    while True:
        body = _page(api, since, limit)
        seen += [(r["id"], r["change"], r["updated_at"]) for r in body["results"]]
        since = body["next_cursor"]
        if not body["more"]:
            return seen, since


def test_first_read_lists_every_public_posting_in_change_order(api, ref, frozen_clock):
    first = PostingFactory(title="保洁一")
    _later(frozen_clock)
    second = PostingFactory(title="保洁二")
    _later(frozen_clock)
    PostingFactory(title="草稿", status=PostingStatus.DRAFT, published_at=None)
    PostingFactory(title="待审", status=PostingStatus.PENDING_REVIEW, published_at=None)
    _later(frozen_clock, 11)
    body = _page(api)
    assert [(r["id"], r["change"]) for r in body["results"]] == [(first.pk, "created"), (second.pk, "created")]
    assert body["results"][0]["posting"]["title"] == "保洁一"
    assert body["more"] is False
    # Nothing new: the same cursor back, no rows.
    again = _page(api, body["next_cursor"])
    assert again == {"results": [], "next_cursor": body["next_cursor"], "more": False}


def test_changes_wait_until_settled(api, ref, frozen_clock):
    posting = PostingFactory()
    _later(frozen_clock, 5)
    assert _page(api)["results"] == []
    _later(frozen_clock, 6)
    assert [r["id"] for r in _page(api)["results"]] == [posting.pk]


def test_following_the_cursor_misses_nothing_and_repeats_nothing_while_postings_change(api, ref, frozen_clock):
    postings = []
    for i in range(7):
        postings.append(PostingFactory(title=f"岗位{i}"))
        _later(frozen_clock)
    _later(frozen_clock, 11)
    body = _page(api, limit=3)
    seen = [(r["id"], r["change"]) for r in body["results"]]
    assert seen == [(p.pk, "created") for p in postings[:3]]
    assert body["more"] is True
    # Between pages: one already-read posting is edited, one not yet read is closed, one new is published.
    edited, closed = postings[1], postings[5]
    edited.title = "岗位1（加薪）"
    services.posting_save(posting=edited, actor=None)
    _later(frozen_clock)
    services.posting_close(posting=closed, actor=None)
    _later(frozen_clock)
    fresh = PostingFactory(title="新岗位")
    _later(frozen_clock, 11)
    rest, cursor = _follow(api, body["next_cursor"], 3)
    order = [(pk, change) for pk, change, _at in rest]
    assert order == [
        (postings[3].pk, "created"),
        (postings[4].pk, "created"),
        (postings[6].pk, "created"),
        (edited.pk, "updated"),
        (closed.pk, "closed"),  # first seen closed: the mirror never listed it, nor needs to
        (fresh.pk, "created"),
    ]
    # Each (posting, version) once: nothing repeated across pages.
    versions = [(pk, at) for pk, _change, at in rest]
    assert len(versions) == len(set(versions))
    # The mirror now holds every posting's latest version.
    mirror = {pk: at for pk, _change, at in [(r["id"], r["change"], r["updated_at"]) for r in body["results"]] + rest}
    latest = {p.pk: p.updated_at for p in JobPosting.objects.all()}
    assert set(mirror) == set(latest)
    for pk, at in latest.items():
        assert dt.datetime.fromisoformat(mirror[pk]) == at, pk
    assert _page(api, cursor)["results"] == []


def test_closed_filled_and_expired_postings_are_closed_changes(api, ref, frozen_clock):
    a, b, c = PostingFactory(), PostingFactory(), PostingFactory()
    _later(frozen_clock, 11)
    cursor = _page(api)["next_cursor"]
    services.posting_close(posting=a, actor=None)
    services.posting_mark_filled(posting=b, actor=None)
    JobPosting.objects.filter(pk=c.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    posting_expire_overdue()
    _later(frozen_clock, 11)
    changes = {r["id"]: (r["change"], r["status"]) for r in _page(api, cursor)["results"]}
    assert changes[a.pk] == ("closed", PostingStatus.CLOSED)
    assert changes[b.pk] == ("closed", PostingStatus.FILLED)
    assert changes[c.pk] == ("closed", PostingStatus.EXPIRED)


@pytest.mark.parametrize("since", ["zzz", "W10", "WyJ4IiwgMV0", "a" * 201])
def test_a_cursor_the_feed_did_not_hand_out_is_a_400(api, ref, since):
    response = api.get(FEED, {"since": since})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since"]


@pytest.mark.parametrize("limit", ["0", "501", "１", "x"])
def test_limit_is_checked(api, ref, limit):
    response = api.get(FEED, {"limit": limit})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["limit"]


def test_feed_query_count(api, ref, frozen_clock, django_assert_num_queries):
    for i in range(5):
        PostingFactory(title=f"岗位{i}", skills=[("保洁员", True, 1), ("家政服务员", False, 1)])
    _later(frozen_clock, 11)
    _page(api)  # warm the reference lists
    with django_assert_num_queries(3):  # postings with employer and site, their skills, the skills
        body = _page(api)
    assert len(body["results"]) == 5


def test_a_transaction_committing_late_is_not_skipped(api, ref, frozen_clock):
    """updated_at is stamped at save, not at commit: a slow transaction's row can appear behind a
    row committed after it. The settle window keeps the cursor behind both."""
    first = PostingFactory(title="先提交")
    _later(frozen_clock, 11)
    now = timezone.now()
    quick = PostingFactory(title="后保存先提交")  # stamped now - 0 s, committed at once
    body = _page(api)
    assert [r["id"] for r in body["results"]] == [first.pk]
    # A transaction that saved its posting 5 s ago commits only now.
    slow = PostingFactory(title="先保存后提交")
    JobPosting.objects.filter(pk=slow.pk).update(updated_at=now - dt.timedelta(seconds=5))
    _later(frozen_clock, 11)
    seen = [r["id"] for r in _page(api, body["next_cursor"])["results"]]
    assert seen == [slow.pk, quick.pk]


def test_without_the_settle_window_that_row_would_be_missed(api, ref, frozen_clock, settings):
    settings.API_FEED_SETTLE_SECONDS = 0
    PostingFactory(title="先提交")
    now = timezone.now()
    PostingFactory(title="后保存先提交")
    body = _page(api)
    slow = PostingFactory(title="先保存后提交")
    JobPosting.objects.filter(pk=slow.pk).update(updated_at=now - dt.timedelta(seconds=5))
    assert slow.pk not in [r["id"] for r in _page(api, body["next_cursor"])["results"]]


@pytest.mark.django_db(transaction=True)
def test_a_mirror_following_the_feed_during_real_concurrent_edits_ends_identical(ref, settings):
    """A writer thread edits and closes postings in its own transactions while the reader pages
    through the feed: afterwards the mirror holds every posting's latest version, and no version
    came twice."""
    import random
    import threading
    import time

    from django.db import connection, transaction

    from xiangtan_jobs.core.selectors.feed import posting_changes

    settings.API_FEED_SETTLE_SECONDS = 1
    postings = [PostingFactory(title=f"岗位{i}") for i in range(12)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        rng = random.Random(7)
        try:
            for step in range(60):
                posting = JobPosting.objects.get(pk=rng.choice(postings).pk)
                with transaction.atomic():
                    if step % 17 == 16 and posting.status == PostingStatus.PUBLISHED:
                        services.posting_close(posting=posting, actor=None)
                    else:
                        posting.headcount = posting.headcount % 50 + 1
                        services.posting_save(posting=posting, actor=None)
                    time.sleep(rng.random() * 0.02)  # a transaction that takes a moment
                time.sleep(rng.random() * 0.02)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            stop.set()
            connection.close()

    thread = threading.Thread(target=writer)
    mirror: dict[int, dt.datetime] = {}
    versions: list[tuple[int, dt.datetime]] = []
    cursor = None

    def read_all() -> None:
        nonlocal cursor
        while True:
            page = posting_changes(since=cursor, limit=5)
            for change in page.changes:
                versions.append((change.posting.pk, change.posting.updated_at))
                mirror[change.posting.pk] = change.posting.updated_at
            cursor = page.next_cursor
            if not page.more:
                return

    thread.start()
    while not stop.is_set():
        read_all()
        time.sleep(0.05)
    thread.join()
    assert not errors, errors
    time.sleep(1.2)  # everything settled
    read_all()
    assert len(versions) == len(set(versions)), "a version was served twice"
    assert mirror == dict(JobPosting.objects.values_list("pk", "updated_at"))
