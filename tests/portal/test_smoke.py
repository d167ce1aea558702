from __future__ import annotations

import pytest

from tests.factories import PostingFactory

PUBLIC = [
    "/",
    "/jobs/",
    "/markets/",
    "/stations/",
    "/fairs/",
    "/register/",
    "/admin/login/",
    "/api/schema/",
    "/privacy/",
    "/healthz/",
    "/accounts/login/",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_answer(client, ref, url):
    PostingFactory()
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
