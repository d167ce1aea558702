"""API tokens: issued and revoked in the admin by an operator (own site) or the bureau, stored as
a hash only, the last use shown, a revoked token refused at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import issue, token_client
from tests.api.html import attrs, find, find_all, parse, text
from xiangtan_jobs.core.models import ApiToken
from xiangtan_jobs.core.services import api_token_authenticate
from xiangtan_jobs.core.services.api_tokens import api_token_hash

pytestmark = pytest.mark.django_db

ADD = reverse("admin:core_apitoken_add")
LIST = reverse("admin:core_apitoken_changelist")


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _issued_key(response) -> str:
    assert response.status_code == 200, response.content[:300]
    page = parse(response.content)
    assert text(find(page, "h1")) == "令牌已签发"
    return attrs(find(page, "input", id="api-key"))["value"]


def test_operator_issues_a_token_shown_once_and_stored_as_a_hash(alice, yuhu):
    response = _admin(alice).post(ADD, {"name": "雨湖小程序"})
    key = _issued_key(response)
    assert "no-store" in response["Cache-Control"].split(", ")
    token = ApiToken.objects.get(name="雨湖小程序")
    assert token.user == alice
    assert token.service_point == yuhu  # a single-site operator's token is limited to the site
    assert key.startswith("xt_") and len(key) > 40
    assert token.key_hash == api_token_hash(key)
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(key in value for value in stored), "the key itself is never stored"
    assert key.startswith(token.prefix)
    # The change page never shows the key again.
    page = _admin(alice).get(reverse("admin:core_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert key not in page.content.decode()
    assert token.prefix in page.content.decode()
    # ... and the key works.
    assert token_client(key).get("/api/v1/operator/postings/").status_code == 200


def test_operator_cannot_issue_for_another_site(alice, yuetang_nursing):
    response = _admin(alice).post(ADD, {"name": "越权", "service_point": yuetang_nursing.pk})
    assert not ApiToken.objects.filter(service_point=yuetang_nursing).exists()
    token = ApiToken.objects.filter(name="越权").first()
    assert token is None or token.service_point_id != yuetang_nursing.pk
    assert response.status_code in (200, 403)


def test_bureau_issues_an_unlimited_read_only_token(charlie, two_sites):
    key = _issued_key(_admin(charlie).post(ADD, {"name": "省平台"}))
    token = ApiToken.objects.get(name="省平台")
    assert token.service_point is None and token.user == charlie
    client = token_client(key)
    ids = {row["id"] for row in client.get("/api/v1/operator/postings/").json()["results"]}
    assert ids == {two_sites["a"]["posting"].pk, two_sites["b"]["posting"].pk}
    response = client.post(f"/api/v1/operator/postings/{two_sites['a']['posting'].pk}/close/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_seeker_and_anonymous_have_no_token_admin(dora):
    assert _admin(dora).get(ADD).status_code == 302
    assert Client().get(LIST).status_code == 302


def test_list_shows_last_use_and_only_own_sites_tokens(alice, bob, yuhu, yuetang_nursing, frozen_clock):
    key = issue(alice, site=yuhu, name="雨湖小程序")
    issue(bob, site=yuetang_nursing, name="岳塘系统")
    assert token_client(key).get("/api/v1/operator/postings/").status_code == 200
    table = find(parse(_admin(alice).get(LIST).content), "table", id="result_list")
    body = find(table, "tbody")
    rows = find_all(body, "tr")
    assert [text(find(r, "th")) for r in rows] == ["雨湖小程序"]
    headers = [text(th) for th in find_all(find(table, "thead"), "th")]
    cells = [text(c) for c in rows[0].children if getattr(c, "name", "") in ("td", "th")]
    last_used = cells[headers.index("最近使用")]
    assert last_used not in ("", "-"), last_used
    assert ApiToken.objects.get(name="雨湖小程序").last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(alice, yuhu, frozen_clock):
    key = issue(alice, site=yuhu)
    first = api_token_authenticate(key=key).last_used_at
    frozen_clock.shift(dt.timedelta(seconds=30))
    assert api_token_authenticate(key=key).last_used_at == first
    frozen_clock.shift(dt.timedelta(seconds=31))
    assert api_token_authenticate(key=key).last_used_at > first


def test_revoke_in_the_admin_stops_the_token_at_once(alice, yuhu):
    key = issue(alice, site=yuhu, name="旧系统")
    client = token_client(key)
    assert client.get("/api/v1/operator/postings/").status_code == 200
    token = ApiToken.objects.get(name="旧系统")
    response = _admin(alice).post(LIST, {"action": "revoke", "_selected_action": [token.pk], "index": 0}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["已撤销 1 个令牌。"]
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == alice
    denied = client.get("/api/v1/operator/postings/")
    assert denied.status_code == 401
    assert denied.json() == {"detail": "API 令牌无效或已被撤销。", "code": "authentication_failed"}
    assert denied["WWW-Authenticate"] == 'Bearer realm="api"'
    # The revoked token stays listed (who had access until when) and cannot be deleted.
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert (
        _admin(alice).post(reverse("admin:core_apitoken_delete", args=[token.pk]), {"post": "yes"}).status_code == 403
    )


def test_other_sites_operator_cannot_revoke(alice, bob, yuhu):
    issue(alice, site=yuhu, name="雨湖小程序")
    token = ApiToken.objects.get(name="雨湖小程序")
    response = _admin(bob).post(LIST, {"action": "revoke", "_selected_action": [token.pk], "index": 0})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_deactivated_account_s_token_is_refused(alice, yuhu):
    key = issue(alice, site=yuhu)
    alice.is_active = False
    alice.save()
    assert token_client(key).get("/api/v1/operator/postings/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer xt_nope", "Token xt_" + "x" * 200, "Bearer 令牌"])
def test_bad_authorization_headers_answer_401_in_the_error_format(header, ref):
    client = Client(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_token_never_acts_for_a_seeker(dora):
    # A seeker account cannot issue (only staff can), so a token can never reach /me/.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue(dora)
