"""Apply = consent to be contacted: the posting's own site sees the applicant's name and full phone
on the match (and can call), every look on record; nobody else, and nobody before applying."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from matching.enums import MatchStatus
from matching.services import match_apply, match_withdraw
from tests.admin.helpers import admin_url, client_for
from xiangtan_jobs.core.enums import UserRole
from xiangtan_jobs.core.models import AccessLog

pytestmark = pytest.mark.django_db

CALL = '<a class="tel" href="tel:13911112222">13911112222</a>'


@pytest.fixture
def applicant(site_a, django_user_model):
    """site_a's seeker (李桂兰) with an account of her own."""
    seeker = site_a["seeker"]
    seeker.user = django_user_model.objects.create_user(
        "13911112222", password="pass-12345", role=UserRole.SEEKER, display_name="李桂兰"
    )
    seeker.save()
    return seeker


@pytest.fixture
def users(alice, bob, charlie, root, applicant):
    return {"alice": alice, "bob": bob, "charlie": charlie, "root": root, "seeker": applicant.user}


def _page(actor, users, match):
    return client_for(actor, users).get(admin_url("matching_match", "change", match.pk))


def _logs(match):
    return AccessLog.objects.filter(seeker=match.seeker, action="view_contact").count()


def test_nobody_sees_the_contact_before_applying(users, site_a, site_b):
    match = site_a["match"]
    for actor in ("alice", "charlie", "root"):
        page = _page(actor, users, match)
        assertContains(page, "李** 139****2222")
        assertNotContains(page, "李桂兰")
        assertNotContains(page, "13911112222")
    assert _page("bob", users, match).status_code == 404
    assert _page("seeker", users, match).status_code == 302  # to the admin's login
    assert _logs(match) == 0


def test_after_applying_only_the_postings_site_sees_and_can_call(users, site_a, applicant):
    match = site_a["match"]
    match_apply(seeker=applicant, posting=match.posting, actor=applicant.user)
    page = _page("alice", users, match)
    assertContains(page, CALL, html=True)
    assertContains(page, "<strong>李桂兰</strong>", html=True)
    assert _logs(match) == 1
    _page("alice", users, match)
    assert _logs(match) == 2  # every view is on record
    log = AccessLog.objects.filter(action="view_contact").first()
    assert log.user == users["alice"] and log.path == admin_url("matching_match", "change", match.pk)

    for actor in ("charlie", "root"):
        page = _page(actor, users, match)
        assert page.status_code == 200
        assertNotContains(page, "13911112222")
        assertNotContains(page, "李桂兰")
    assert _page("bob", users, match).status_code == 404
    assert _page("seeker", users, match).status_code == 302
    assert _logs(match) == 2

    # The list keeps the masks, and "changed by" (the seeker herself) is masked too.
    listing = client_for("alice", users).get(admin_url("matching_match", "changelist"))
    assertNotContains(listing, "李桂兰")
    assertContains(listing, "李**")
    history = client_for("alice", users).get(admin_url("matching_match", "history", match.pk))
    assertNotContains(history, "李桂兰")


def test_withdrawing_hides_the_contact_again(users, site_a, applicant):
    match = site_a["match"]
    match = match_apply(seeker=applicant, posting=match.posting, actor=applicant.user)
    match_withdraw(match=match, actor=applicant.user)
    page = _page("alice", users, match)
    assertNotContains(page, "13911112222")
    assert _logs(match) == 0


def test_contact_stays_through_the_pipeline(users, site_a, applicant):
    from matching.services import match_set_status

    match = match_apply(seeker=applicant, posting=site_a["match"].posting, actor=applicant.user)
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=users["alice"])
    assertContains(_page("alice", users, match), CALL, html=True)
