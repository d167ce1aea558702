"""Small things a reader notices: the elder mode's switch reaches the whole page, and a place
is not said twice."""

from __future__ import annotations

import pytest

from tests.factories import PostingFactory, street
from xiangtan_jobs.core.models import ServicePoint

pytestmark = pytest.mark.django_db


def test_elder_mode_marks_the_root_so_rem_sizes_grow(client, ref):
    assert 'class="elder"' not in client.get("/").content.decode()
    client.cookies["elder"] = "1"
    body = client.get("/").content.decode()
    assert '<html lang="zh-CN" class="elder">' in body and '<body class="elder">' in body


def test_posting_place_is_not_said_twice(client, ref):
    town = street("雨湖路街道")
    repeated = PostingFactory(area=town, address=f"{town.parent.name}{town.name}")
    other = PostingFactory(area=town, address="韶山路 88 号")
    body = client.get(f"/jobs/{repeated.pk}/").content.decode()
    assert body.count(f"{town.parent.name}{town.name}") == 1
    assert f"{town.parent.name}{town.name} · 韶山路 88 号" in client.get(f"/jobs/{other.pk}/").content.decode()


def test_site_address_is_not_said_twice(client, yuhu):
    label = f"{yuhu.area.parent.name if yuhu.area.parent else ''}{yuhu.area.name}"
    ServicePoint.objects.filter(pk=yuhu.pk).update(address=label)
    for url in ("/markets/", f"/markets/{yuhu.pk}/"):
        body = client.get(url).content.decode()
        assert label in body and f"{label} · {label}" not in body, url
