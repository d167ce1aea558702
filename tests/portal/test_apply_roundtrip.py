"""Applying while logged out: the login page says why, its registration link keeps the job, and
after registering (the wizard), logging in with a password or with an SMS code the reader is back
at that job's confirm step. ``next`` never leads to another site."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase
from pytest_django.asserts import assertContains, assertNotContains

from matching.enums import MatchStatus
from matching.models import Match
from tests.factories import PostingFactory, SeekerFactory
from tests.portal.test_login_sms import queued  # noqa: F401 (the SMS task run like a worker)
from tests.portal.test_register import good, post
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(yuhu):
    return PostingFactory(service_point=yuhu, title="小区保洁员", employer__name="湘潭洁美物业")


def _tap_apply(client, posting):
    """What the job page's 申请 button does for a logged-out reader (a GET form to the confirm step)."""
    response = client.get(f"/me/apply/{posting.pk}/", follow=True)
    assert response.redirect_chain == [(f"/accounts/login/?next=/me/apply/{posting.pk}/", 302)]
    return response


REASON = (
    '<p class="notice" role="status">要申请「小区保洁员」，请先登录。还没登记过的，先做求职登记（几分钟），'
    "登记完会回到这个岗位，再点一下「确认申请」就好。</p>"
)


def test_the_login_page_says_why_and_its_links_keep_the_job(client, posting):
    login_page = _tap_apply(client, posting)
    assertContains(login_page, REASON, html=True)
    assertContains(login_page, f'<a href="/register/?next=/me/apply/{posting.pk}/">做求职登记</a>', html=True)
    assertContains(
        login_page, f'<a href="/accounts/login/sms/?next=/me/apply/{posting.pk}/">用短信验证码登录</a>', html=True
    )
    sms_page = client.get(f"/accounts/login/sms/?next=/me/apply/{posting.pk}/")
    assertContains(sms_page, REASON, html=True)
    assertContains(sms_page, f'<a href="/register/?next=/me/apply/{posting.pk}/">做求职登记</a>', html=True)
    # A plain visit to the login page has no such notice.
    assertNotContains(client.get("/accounts/login/"), "要申请")


def test_registering_brings_the_reader_back_to_the_job_ready_to_apply(client, posting):
    _tap_apply(client, posting)
    response = client.get(f"/register/?next=/me/apply/{posting.pk}/", follow=True)
    assert response.redirect_chain == [("/register/account/", 302)]
    assertContains(
        response, '<p class="notice" role="status">登记完会回到「小区保洁员」，再点一下就能申请。</p>', html=True
    )
    assertContains(response, f'<a href="/accounts/login/?next=/me/apply/{posting.pk}/">直接登录</a>', html=True)
    for step in ["account", "person", "skills"]:
        assert post(client, step, good(step)).status_code == 302
    # Going back a step or two loses nothing, the destination included.
    assert post(client, "wishes", good("wishes"), action="back").status_code == 302
    assert post(client, "wishes", good("wishes")).status_code == 302
    response = client.post("/register/confirm/", {**good("confirm"), "action": "next"}, follow=True)
    assert response.redirect_chain == [(f"/me/apply/{posting.pk}/", 302)]
    assertContains(response, "登记成功！回到了您要申请的「小区保洁员」。")
    assertContains(response, "<h1>确认申请</h1>", html=True)
    assertContains(response, "会看到您的姓名和手机号")
    seeker = SeekerRegistration.objects.by_phone("13800138111").get()
    assert not Match.objects.filter(seeker=seeker).exists()  # ready to confirm, not applied behind their back
    client.post(f"/me/apply/{posting.pk}/", {"next": f"/jobs/{posting.pk}/"})
    assert Match.objects.get(seeker=seeker, posting=posting).status == MatchStatus.APPLIED


def test_logging_in_with_the_password_lands_on_the_job(client, dora, posting):
    SeekerFactory(user=dora, phone="13800138000")
    _tap_apply(client, posting)
    response = client.post(
        "/accounts/login/",
        {"username": "13800138000", "password": "pass-12345", "next": f"/me/apply/{posting.pk}/"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/me/apply/{posting.pk}/", 302)]
    assertContains(response, "<h1>确认申请</h1>", html=True)


def test_logging_in_with_an_sms_code_lands_on_the_job(client, dora, posting, queued):  # noqa: F811
    SeekerFactory(user=dora, phone="13800138000")
    ConsoleSmsBackend.sent.clear()
    _tap_apply(client, posting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/accounts/login/sms/", {"phone": "13800138000", "next": f"/me/apply/{posting.pk}/"})
    code_page = client.get(response["Location"])
    assertContains(code_page, REASON, html=True)
    [code] = [re.search(r"\d{6}", text).group() for to, text in ConsoleSmsBackend.sent if to == "13800138000"]
    response = client.post("/accounts/login/sms/code/", {"code": code, "next": f"/me/apply/{posting.pk}/"}, follow=True)
    assert response.redirect_chain == [(f"/me/apply/{posting.pk}/", 302)]
    assertContains(response, "<h1>确认申请</h1>", html=True)


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/evil"]
)
def test_next_never_leads_to_another_site(client, dora, ref, evil):
    SeekerFactory(user=dora, phone="13800138000")  # she logs in with her registration's phone
    login_page = client.get("/accounts/login/", {"next": evil})
    assertContains(login_page, '<a href="/register/">做求职登记</a>', html=True)
    response = client.post("/accounts/login/", {"username": "13800138000", "password": "pass-12345", "next": evil})
    assert response["Location"] == "/"
    client.post("/accounts/logout/")
    client.get("/register/", {"next": evil})
    for step in ["account", "person", "skills", "wishes"]:
        assert post(client, step, good(step)).status_code == 302
    response = client.post("/register/confirm/", {**good("confirm"), "action": "next"})
    assert response["Location"] == "/me/"
