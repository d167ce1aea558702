"""axe-core on the pages the journeys do not walk (issue 16): the operators' admin lists and edit
pages on a laptop, and the stations' list on a phone. No serious or critical violation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.helpers import check_a11y
from tests.factories import PostingFactory, SeekerFactory

pytestmark = pytest.mark.browser

ADMIN_PAGES = (
    "/admin/",
    "/admin/core/jobposting/",
    "/admin/core/jobposting/add/",
    "/admin/core/jobposting/{posting}/change/",
    "/admin/core/seekerregistration/",
    "/admin/core/seekerregistration/add/",
    "/admin/core/seekerregistration/{seeker}/change/",
    "/admin/core/employer/",
    "/admin/matching/match/",
    "/admin/fairs/exhibitor/",
)


def test_admin_pages_of_an_operator(server, yuhu, alice, laptop):
    posting = PostingFactory(service_point=yuhu, title="雨湖家政保洁")
    seeker = SeekerFactory(service_point=yuhu, name="李桂兰")
    client = Client()
    client.force_login(alice)
    laptop.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    for path in ADMIN_PAGES:
        response = laptop.goto(server.url + path.format(posting=posting.pk, seeker=seeker.pk))
        assert response is not None and response.status == 200, path
        check_a11y(laptop)


def test_station_list(server, phone):
    response = phone.goto(server.url + "/stations/")
    assert response is not None and response.status == 200
    check_a11y(phone)
