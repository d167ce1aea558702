"""Opening a recommendation from my page marks it viewed (已查看) and shows the job."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_mark_viewed
from tests.factories import PostingFactory, SeekerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone="13800138000")


@pytest.fixture
def logged_in(client, dora, seeker):
    client.force_login(dora)
    return client


@pytest.fixture
def match(seeker):
    return Match.objects.create(posting=PostingFactory(title="小区保洁员"), seeker=seeker, score=80, reasons=[])


def test_my_page_links_each_recommendation_through_its_match(logged_in, match):
    body = logged_in.get("/me/").content.decode()
    assert f'href="/me/recommendations/{match.pk}/"' in body
    assert f'<a href="/jobs/{match.posting_id}/"><h3>' not in body


def test_opening_a_recommendation_marks_it_viewed_and_shows_the_job(logged_in, dora, match):
    response = logged_in.get(f"/me/recommendations/{match.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{match.posting_id}/"
    match.refresh_from_db()
    assert match.status == MatchStatus.VIEWED
    assert match.status_changed_by == dora and match.status_changed_at is not None
    last = match.history.order_by("-history_date").first()
    assert last.status == MatchStatus.VIEWED and last.history_user == dora
    # Still among the recommendations, and applying works as before.
    assert "小区保洁员" in logged_in.get("/me/").content.decode()
    logged_in.post(f"/me/apply/{match.posting_id}/")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED


def test_opening_again_changes_nothing(logged_in, match):
    logged_in.get(f"/me/recommendations/{match.pk}/")
    count = match.history.count()
    response = logged_in.get(f"/me/recommendations/{match.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{match.posting_id}/"
    assert match.history.count() == count


@pytest.mark.parametrize(
    "status", [s for s in MatchStatus.values if s not in (MatchStatus.RECOMMENDED, MatchStatus.VIEWED)]
)
def test_other_statuses_stay_and_still_redirect(logged_in, match, status):
    Match.objects.filter(pk=match.pk).update(status=status)
    response = logged_in.get(f"/me/recommendations/{match.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{match.posting_id}/"
    match.refresh_from_db()
    assert match.status == status


def test_another_seekers_match_is_404_and_untouched(logged_in, ref):
    other = SeekerFactory(user=UserFactory(username="13900009999"))
    theirs = Match.objects.create(posting=PostingFactory(), seeker=other, score=70, reasons=[])
    assert logged_in.get(f"/me/recommendations/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == MatchStatus.RECOMMENDED


@pytest.mark.parametrize("match_id", ["0", "999999", "99999999999999999999", "18446744073709551616"])
def test_unknown_ids_are_404(logged_in, match_id):
    assert logged_in.get(f"/me/recommendations/{match_id}/").status_code == 404


def test_needs_login(client, match):
    response = client.get(f"/me/recommendations/{match.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    match.refresh_from_db()
    assert match.status == MatchStatus.RECOMMENDED


def test_service_refuses_another_users_match(match, ref):
    with pytest.raises(PermissionDenied):
        match_mark_viewed(match=match, actor=UserFactory())
    match.refresh_from_db()
    assert match.status == MatchStatus.RECOMMENDED
