"""The operators' busiest lists run a fixed number of queries whatever the page holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin.helpers import admin_url
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory

# Session, user, memberships, the page's rows, the "more than a page?" probe, filter choices.
POSTING_LIST_QUERIES = 6
SEEKER_LIST_QUERIES = 5
MATCH_LIST_QUERIES = 5


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["alice", "charlie"])
def test_posting_list_queries_do_not_grow_with_rows(actor, request, client, yuhu):
    client.force_login(request.getfixturevalue(actor))
    url = admin_url("core_jobposting", "changelist")
    employers = [EmployerFactory(service_point=yuhu) for _ in range(5)]
    for i in range(20):
        PostingFactory(service_point=yuhu, employer=employers[i % 5])
    small = _count(client, url)
    for i in range(80):
        PostingFactory(service_point=yuhu, employer=employers[i % 5])
    assert _count(client, url) == small  # 20 rows, then a full page of 50
    assert _count(client, url, status="published", q="保洁") == small
    assert small == POSTING_LIST_QUERIES, small


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["alice", "charlie"])
def test_registration_list_queries_do_not_grow_with_rows(actor, request, client, yuhu):
    client.force_login(request.getfixturevalue(actor))
    url = admin_url("core_seekerregistration", "changelist")
    for _ in range(20):
        SeekerFactory(service_point=yuhu)
    small = _count(client, url)
    for _ in range(80):
        SeekerFactory(service_point=yuhu)
    assert _count(client, url) == small
    assert _count(client, url, q="1234") == small
    assert small == SEEKER_LIST_QUERIES, small


@pytest.mark.django_db
def test_match_list_queries_do_not_grow_with_rows(client, alice, yuhu):
    from matching.models import Match

    client.force_login(alice)
    posting = PostingFactory(service_point=yuhu)
    url = admin_url("matching_match", "changelist")
    for i in range(20):
        Match.objects.create(posting=posting, seeker=SeekerFactory(), score=50 + i % 40)
    # The first view explains the page's matches (reasons are left empty by the nightly rematch) in
    # a fixed number of queries; later views read the stored words.
    explaining = _count(client, url)
    small = _count(client, url)
    for i in range(80):
        Match.objects.create(posting=posting, seeker=SeekerFactory(), score=50 + i % 40)
    assert _count(client, url) == explaining
    assert _count(client, url) == small
    assert small == MATCH_LIST_QUERIES, small
    assert explaining <= MATCH_LIST_QUERIES + 8, explaining
