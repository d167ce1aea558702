"""Rate limits on registration and apply (common/ratelimits.py): the POST over the limit gets a 429
page in Chinese and changes nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings

from matching.models import Match
from tests.api.html import find, parse, text
from tests.factories import PostingFactory, SeekerFactory

pytestmark = pytest.mark.django_db

ACCOUNT = {"phone": "13800138111", "password1": "Xiangtan-2025", "password2": "Xiangtan-2025", "action": "next"}


def _limits(**rates):
    base = {
        "register": {"ip": "100/h"},
        "apply": {"ip": "100/h", "user": "100/h"},
        "checkin": {"ip": "100/h", "user": "100/h"},
    }
    return override_settings(POST_RATE_LIMITS={**base, **rates})


def test_registration_refused_over_the_address_limit(client, ref):
    with _limits(register={"ip": "3/h"}):
        for _ in range(3):
            assert client.post("/register/account/", {**ACCOUNT, "phone": "123"}).status_code == 200
        response = client.post("/register/account/", ACCOUNT)
    assert response.status_code == 429
    assert "提交的次数太多" in text(find(parse(response.content), "p", role="alert"))
    # The step was not saved: the next screen is still out of reach.
    assert client.get("/register/person/")["Location"] == "/register/account/"
    # Another address is counted on its own.
    with _limits(register={"ip": "3/h"}):
        assert client.post("/register/account/", ACCOUNT, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_apply_refused_over_the_account_limit(client, ref, dora):
    SeekerFactory(user=dora, phone="13800138000")
    postings = [PostingFactory() for _ in range(3)]
    client.force_login(dora)
    with _limits(apply={"ip": "100/h", "user": "2/h"}):
        for posting in postings[:2]:
            assert client.post(f"/me/apply/{posting.pk}/").status_code == 302
        response = client.post(f"/me/apply/{postings[2].pk}/", REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert Match.objects.filter(seeker__user=dora, posting=postings[2], applied_at__isnull=False).count() == 0
    assert Match.objects.filter(seeker__user=dora, applied_at__isnull=False).count() == 2
