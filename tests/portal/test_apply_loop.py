"""Applying is consent to be contacted (said on the confirm step), a withdrawn application can be
made again, and withdrawing asks once."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from matching.enums import MatchStatus
from matching.models import Match
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import PostingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone="13800138000", name="王秀英")


@pytest.fixture
def logged_in(client, dora, seeker):
    client.force_login(dora)
    return client


@pytest.fixture
def posting(yuhu):
    return PostingFactory(service_point=yuhu, title="小区保洁员", employer__name="湘潭洁美物业")


def _consent():
    return (
        '<p class="notice consent-line" id="apply-consent">申请后，雨湖零工市场和用人单位「湘潭洁美物业」'
        "会看到您的姓名和手机号，并和您联系。</p>"
    )


def test_the_job_page_says_who_will_see_the_name_and_phone_before_applying(logged_in, posting):
    response = logged_in.get(f"/jobs/{posting.pk}/")
    assertContains(
        response,
        '<p class="help" id="apply-consent">申请后，雨湖零工市场和用人单位「湘潭洁美物业」'
        "会看到您的姓名和手机号，并和您联系。</p>",
        html=True,
    )
    # The button leads to the confirm step (a GET: works without JavaScript, applies nothing).
    assertContains(
        response,
        f'<form method="get" action="/me/apply/{posting.pk}/"><button type="submit" '
        'class="btn btn-primary btn-big" aria-describedby="apply-consent">申请这个岗位</button></form>',
        html=True,
    )


def test_the_confirm_step_names_the_site_and_employer_and_applies_only_on_post(logged_in, seeker, posting):
    response = logged_in.get(f"/me/apply/{posting.pk}/")
    assertContains(response, _consent(), html=True)
    assertContains(response, "<h1>确认申请</h1>", html=True)
    assert not Match.objects.filter(posting=posting, seeker=seeker).exists()
    response = logged_in.post(f"/me/apply/{posting.pk}/", {"next": f"/jobs/{posting.pk}/"}, follow=True)
    assert response.redirect_chain == [(f"/jobs/{posting.pk}/", 302)]
    assertContains(response, "已申请「小区保洁员」")
    match = Match.objects.get(posting=posting, seeker=seeker)
    assert match.status == MatchStatus.APPLIED and match.contact_allowed


def test_apply_never_redirects_to_another_site(logged_in, posting):
    response = logged_in.get(f"/me/apply/{posting.pk}/?next=//evil.example/")
    assertContains(response, f'<input type="hidden" name="next" value="/jobs/{posting.pk}/">', html=True)
    response = logged_in.post(f"/me/apply/{posting.pk}/", {"next": "https://evil.example/phish"})
    assert response["Location"] == f"/jobs/{posting.pk}/"


def test_a_withdrawn_application_can_be_made_again(logged_in, seeker, posting, frozen_clock):
    logged_in.post(f"/me/apply/{posting.pk}/")
    match = Match.objects.get(posting=posting, seeker=seeker)
    logged_in.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"})
    match.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN
    first_applied = match.applied_at

    page = logged_in.get(f"/jobs/{posting.pk}/")
    assertNotContains(page, "您已经申请过这个岗位")
    assertContains(page, '<p class="notice">您之前的申请已撤回。岗位还在招，可以重新申请。</p>', html=True)
    assertContains(
        page,
        '<button type="submit" class="btn btn-primary btn-big" aria-describedby="apply-consent">重新申请</button>',
        html=True,
    )
    confirm = logged_in.get(f"/me/apply/{posting.pk}/")
    assertContains(confirm, "您之前申请过这个岗位（已撤回或未获回复），可以重新申请。")
    frozen_clock.shift(3600)
    response = logged_in.post(f"/me/apply/{posting.pk}/", follow=True)
    assertContains(response, "已申请「小区保洁员」")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED and match.applied_at > first_applied
    assert Match.objects.filter(posting=posting, seeker=seeker).count() == 1


def test_an_application_in_progress_cannot_be_made_twice(logged_in, seeker, posting, alice):
    logged_in.post(f"/me/apply/{posting.pk}/")
    page = logged_in.get(f"/jobs/{posting.pk}/")
    assertContains(page, "您已经申请过这个岗位（现在：已申请），进展请看")
    assertNotContains(page, 'action="/me/apply/')
    response = logged_in.get(f"/me/apply/{posting.pk}/", follow=True)
    assert response.redirect_chain == [(f"/jobs/{posting.pk}/", 302)]
    assertContains(response, "您已经申请过这个岗位了，进展请看「我的申请」。")


def test_a_closed_posting_cannot_be_applied_to_again(logged_in, seeker, posting):
    logged_in.post(f"/me/apply/{posting.pk}/")
    match = Match.objects.get(posting=posting, seeker=seeker)
    logged_in.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"})
    posting.status, posting.closed_at = PostingStatus.CLOSED, timezone.now()
    posting.save()
    page = logged_in.get(f"/jobs/{posting.pk}/")
    assertNotContains(page, 'action="/me/apply/')
    assertContains(page, '<button type="button" class="btn btn-big" disabled>已停止招聘</button>', html=True)
    response = logged_in.post(f"/me/apply/{posting.pk}/", follow=True)
    assertContains(response, "这个岗位已经停止招聘，不能再申请。")
    match.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN


def test_withdrawing_asks_once_for_confirmation(logged_in, seeker, posting):
    logged_in.post(f"/me/apply/{posting.pk}/")
    match = Match.objects.get(posting=posting, seeker=seeker)
    me = logged_in.get("/me/")
    assertContains(
        me,
        f'<a class="btn" href="/me/applications/{match.pk}/withdraw/">撤回<span class="sr-only"> 小区保洁员</span></a>',
        html=True,
    )
    ask = logged_in.get(f"/me/applications/{match.pk}/withdraw/")
    assertContains(ask, "确定要撤回「小区保洁员」的申请吗？")
    assertContains(ask, '<input type="hidden" name="confirm" value="yes">', html=True)
    # A POST without the confirmation (an old page, a double tap) only asks again.
    again = logged_in.post(f"/me/applications/{match.pk}/withdraw/")
    assertContains(again, "确定要撤回「小区保洁员」的申请吗？")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED
    done = logged_in.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"}, follow=True)
    assertContains(done, "已撤回「小区保洁员」的申请。岗位还在招的话，可以重新申请。")
    match.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN


def test_an_application_in_progress_cannot_be_withdrawn(logged_in, seeker, posting, alice):
    from matching.services import match_set_status

    logged_in.post(f"/me/apply/{posting.pk}/")
    match = Match.objects.get(posting=posting, seeker=seeker)
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice, now=NOON)
    response = logged_in.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"}, follow=True)
    assertContains(response, "这个申请已在处理中，不能撤回，请联系服务点。")
    match.refresh_from_db()
    assert match.status == MatchStatus.CONTACTED


def test_someone_elses_application_cannot_be_withdrawn(client, posting, django_user_model):
    other = SeekerFactory()
    match = Match.objects.create(posting=posting, seeker=other, score=0, status=MatchStatus.APPLIED)
    intruder = django_user_model.objects.create_user("13900139000", password="pass-12345")
    client.force_login(intruder)
    assert client.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"}).status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED
