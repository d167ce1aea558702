"""The fair pages in English, when chosen (Chinese otherwise)."""

from __future__ import annotations

import pytest

from fairs.services import signup_create
from tests.fairs.html import page

pytestmark = pytest.mark.django_db


def test_fair_page_and_ticket_in_english(client, fair, seeker, dora):
    client.force_login(dora)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    p = page(client.get(f"/fairs/{fair.pk}/"))
    headings = [h.text() for h in p.find_all("h2")]
    assert "Days and sign-up" in headings and "Exhibitors and their posts" in headings
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    p = page(client.get(f"/fairs/tickets/{signup.pk}/"))
    assert p.find("h1").text() == "Job fair ticket"
