"""Every write that changes what a posting or a seeker offers queues the incremental matching on
commit, and running what was queued changes the recommendations (not at 02:00, at once).

Each path is driven the way its user does it (the admin's form or action, the seeker's page, the
nightly task); the tasks it queued are then run as the worker would run them. The real worker
runs one of them end to end in tests/matching/test_worker.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.utils import timezone

import matching.tasks  # noqa: F401  (registers the tasks run below)
from matching.models import Match
from matching.services import matching_run_posting
from tests.admin.helpers import admin_url, form_data
from tests.factories import PostingFactory, SeekerFactory, UserFactory, skill
from xiangtan_jobs.core import tasks as core_tasks
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """Tasks sent on commit, recorded instead of going to a broker."""
    sent: list[tuple[str, list[object]]] = []
    monkeypatch.setattr("celery.current_app.send_task", lambda name, args=None, **kw: sent.append((name, args)))
    return sent


def run(sent: list[tuple[str, list[object]]]) -> None:
    """What the worker would do with the queued matching tasks."""
    for name, args in sent:
        if name.startswith("matching."):
            current_app.tasks[name].apply(args=args, throw=True)


def recommended(seeker: SeekerRegistration) -> list[int]:
    return list(Match.objects.filter(seeker=seeker, is_current=True).values_list("posting_id", flat=True))


@pytest.fixture
def pair(yuhu):
    """A published cleaning posting of 雨湖零工市场 and a cleaner nearby who has it recommended."""
    posting = PostingFactory(service_point=yuhu, skills=[("保洁员", True, 1)])
    seeker = SeekerFactory(service_point=yuhu, user=UserFactory(), skills=[("保洁员", 3, False)])
    matching_run_posting(posting_id=posting.pk)
    assert recommended(seeker) == [posting.pk]
    return posting, seeker


def act(client, admin_name, action, obj):
    return client.post(admin_url(admin_name, "changelist"), {"action": action, "_selected_action": [obj.pk]})


@pytest.mark.parametrize("action", ["close", "mark_filled"])
def test_a_closed_or_filled_posting_leaves_the_recommendations(
    action, client, alice, pair, queued, django_capture_on_commit_callbacks
):
    posting, seeker = pair
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "core_jobposting", action, posting)
    posting.refresh_from_db()
    assert posting.status in (PostingStatus.CLOSED, PostingStatus.FILLED)
    assert ("matching.match_posting", [posting.pk]) in queued
    run(queued)
    assert recommended(seeker) == []


def test_an_admin_edit_of_a_published_posting_is_matched_again(
    client, alice, pair, queued, django_capture_on_commit_callbacks
):
    posting, seeker = pair
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "change", posting.pk))
    data = form_data(page)
    data["posting_skills-0-skill"] = str(skill("焊工").pk)  # now a welder's job
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("core_jobposting", "change", posting.pk), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert ("matching.match_posting", [posting.pk]) in queued
    run(queued)
    assert recommended(seeker) == []


def test_an_admin_edit_of_a_registration_is_matched_again(
    client, alice, pair, queued, django_capture_on_commit_callbacks
):
    _posting, seeker = pair
    client.force_login(alice)
    page = client.get(admin_url("core_seekerregistration", "change", seeker.pk))
    data = form_data(page)
    data["seeker_skills-0-skill"] = str(skill("焊工").pk)  # no longer a cleaner
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("core_seekerregistration", "change", seeker.pk), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert ("matching.match_seeker", [seeker.pk]) in queued
    run(queued)
    assert recommended(seeker) == []


@pytest.mark.parametrize(
    ("action", "status"), [("pause", SeekerStatus.PAUSED), ("mark_employed", SeekerStatus.EMPLOYED)]
)
def test_an_operator_pausing_or_marking_employed_empties_the_recommendations(
    action, status, client, alice, pair, queued, django_capture_on_commit_callbacks
):
    _posting, seeker = pair
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "core_seekerregistration", action, seeker)
    seeker.refresh_from_db()
    assert seeker.status == status
    assert ("matching.match_seeker", [seeker.pk]) in queued
    run(queued)
    assert recommended(seeker) == []


def test_the_nightly_expiry_takes_expired_postings_out_in_bulk(pair, queued, django_capture_on_commit_callbacks):
    posting, seeker = pair
    other = PostingFactory(skills=[("保洁员", True, 1)], expires_on=timezone.localdate() + dt.timedelta(days=5))
    matching_run_posting(posting_id=other.pk)
    posting.expires_on = timezone.localdate() - dt.timedelta(days=1)
    posting.save(update_fields=["expires_on"])
    with django_capture_on_commit_callbacks(execute=True):
        assert core_tasks.expire_postings.apply().get() == 1
    assert queued == [("matching.match_postings", [[posting.pk]])]
    run(queued)
    assert recommended(seeker) == [other.pk]


def test_a_relisted_posting_is_recommended_again(client, alice, pair, queued, django_capture_on_commit_callbacks):
    posting, seeker = pair
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "core_jobposting", "close", posting)
    run(queued)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "core_jobposting", "relist", posting)
    assert ("matching.match_posting", [posting.pk]) in queued
    run(queued)
    assert recommended(seeker) == [posting.pk]


def test_a_seekers_own_pause_and_erasure_reach_the_matching(client, pair, queued, django_capture_on_commit_callbacks):
    posting, seeker = pair
    client.force_login(seeker.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/pause/", {"paused": "1"})
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.PAUSED and ("matching.match_seeker", [seeker.pk]) in queued
    run(queued)
    assert recommended(seeker) == []

    # Resumed, then erased: the erasure empties the recommendations again.
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/pause/", {})
    run(queued)
    assert recommended(seeker) == [posting.pk]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.WITHDRAWN and seeker.user_id is None
    assert ("matching.match_seeker", [seeker.pk]) in queued
    run(queued)
    assert recommended(seeker) == []
