"""The append-only audit log: every export (who, what, how many rows) and every look at a past
version of a seeker's record or an applicant's contact is on record (issue 17, PIPL)."""

from __future__ import annotations

import pytest

from tests.admin.helpers import admin_url, client_for
from tests.admin.test_actions_exports_autocomplete import _export
from xiangtan_jobs.core.models import AccessLog, SeekerRegistration
from xiangtan_jobs.core.resources import PostingResource, SeekerExportResource

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(alice, bob, charlie, root):
    return {"alice": alice, "bob": bob, "charlie": charlie, "root": root}


def test_every_export_is_logged_with_who_what_and_rows(users, site_a, site_b):
    assert _export(client_for("charlie", users), "core_seekerregistration", SeekerExportResource).status_code == 200
    assert _export(client_for("alice", users), "core_jobposting", PostingResource).status_code == 200
    seekers, postings = AccessLog.objects.filter(action="export").order_by("id")
    assert seekers.user == users["charlie"] and seekers.seeker is None
    assert "core.SeekerRegistration" in seekers.detail and "CSV" in seekers.detail
    assert seekers.rows == SeekerRegistration.objects.count() == 2
    assert postings.user == users["alice"] and "core.JobPosting" in postings.detail
    assert postings.rows == 2  # alice's site only: the draft and the published posting


def test_the_audit_log_lists_exports_and_nobody_edits_it(users, site_a):
    _export(client_for("alice", users), "core_jobposting", PostingResource)
    log = AccessLog.objects.get(action="export")
    page = client_for("root", users).get(admin_url("core_accesslog", "changelist"))
    assert page.status_code == 200 and "core.JobPosting" in page.content.decode()
    assert client_for("root", users).post(
        admin_url("core_accesslog", "delete", log.pk), {"post": "yes"}
    ).status_code in (
        403,
        302,
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_a_past_version_of_an_own_site_record_is_logged(users, site_a):
    seeker = site_a["seeker"]
    version = seeker.history.first()
    page = client_for("alice", users).get(
        admin_url("core_seekerregistration", "simple_history", seeker.pk, version.history_id)
    )
    assert page.status_code == 200
    [log] = AccessLog.objects.filter(action="view_history")
    assert log.user == users["alice"] and log.seeker == seeker


def test_a_masked_past_version_is_not_logged(users, site_a):
    seeker = site_a["seeker"]
    version = seeker.history.first()
    page = client_for("charlie", users).get(
        admin_url("core_seekerregistration", "simple_history", seeker.pk, version.history_id)
    )
    assert page.status_code == 200 and "13911112222" not in page.content.decode()
    assert not AccessLog.objects.filter(action="view_history").exists()
