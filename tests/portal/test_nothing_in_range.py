"""A seeker with nothing suitable in range is told so, with what would widen the choice (issue 18)."""

from __future__ import annotations

import pytest

from matching.services import matching_run_seeker
from tests.factories import PostingFactory, SeekerFactory, ServicePointFactory

pytestmark = pytest.mark.usefixtures("ref", "frozen_clock")


@pytest.fixture
def far_seeker(dora):
    # Home at 27.87 N; the only cleaner's job is ~11 km north, beyond a 5 km commute.
    far_site = ServicePointFactory(name="远处的服务点", lat=28.30, lng=112.91)
    PostingFactory(title="小区保洁员", lat=27.97, lng=112.91, service_point=far_site)
    ServicePointFactory(
        name="雨湖零工市场测试点", lat=27.871, lng=112.911, address="雨湖区车站路1号", phone="0731-5555555"
    )
    seeker = SeekerFactory(user=dora, home_lat=27.87, home_lng=112.91, travel_km=5)
    matching_run_seeker(seeker_id=seeker.pk)
    return seeker


def test_nothing_in_range_says_so_with_a_wider_range_and_the_nearest_service_point(client, dora, far_seeker):
    client.force_login(dora)
    body = client.get("/me/").content.decode()
    assert "您的通勤范围内暂时没有适合您的岗位" in body
    assert "把通勤距离放大到 15 公里，有 1 个岗位适合您" in body
    assert "离您最近的服务点：雨湖零工市场测试点（约 0.1 公里）" in body and "0731-5555555" in body
    assert "远处的服务点" not in body


def test_a_wider_range_that_would_not_help_is_not_suggested(client, dora, far_seeker):
    far_seeker.travel_km = 1
    far_seeker.save(update_fields=["travel_km"])
    client.force_login(dora)
    body = client.get("/me/").content.decode()
    assert "您的通勤范围内暂时没有适合您的岗位" in body
    assert "把通勤距离放大" not in body  # 11 km needs more than 1 → 11 km


def test_a_seeker_with_recommendations_sees_them_not_the_hints(client, dora, far_seeker):
    far_seeker.travel_km = 20
    far_seeker.save(update_fields=["travel_km"])
    matching_run_seeker(seeker_id=far_seeker.pk)
    client.force_login(dora)
    body = client.get("/me/").content.decode()
    assert "小区保洁员" in body and "您的通勤范围内暂时没有" not in body
