"""PostgreSQL: a posting's skills carry its district and work type (migration core/0007, kept by
triggers) so that the list's skill + district filter is an index range; the copy follows every way
of writing, and the list finds a posting wherever it now is."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import PostingFactory, skill, street
from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.models import JobPosting, PostingSkill

pytestmark = pytest.mark.usefixtures("ref")


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the copy and its triggers exist on PostgreSQL only")


def copies(posting: JobPosting) -> set[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT district_id, work_type FROM core_postingskill WHERE posting_id = %s", [posting.pk])
        return set(cursor.fetchall())


def titles(client, **params) -> list[str]:
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return [c["title"] for c in response.context["cards"]]


def test_the_copy_follows_inserts_bulk_inserts_and_moves():
    posting = PostingFactory(skills=[("保洁员", True, 1)], work_type=WorkType.DAY)
    assert copies(posting) == {(posting.district_id, "day")}
    PostingSkill.objects.bulk_create([PostingSkill(posting=posting, skill=skill("家政服务员"), min_level=1)])
    assert copies(posting) == {(posting.district_id, "day")}
    other = street("岳塘街道").parent
    JobPosting.objects.filter(pk=posting.pk).update(district=other, work_type=WorkType.PART)  # no ORM signal
    assert copies(posting) == {(other.pk, "part")}


def test_the_list_finds_a_moved_posting_by_skill_in_its_new_district_only(client):
    yuhu, yuetang = street().parent, street("岳塘街道").parent
    posting = PostingFactory(title="医院保洁", skills=[("保洁员", True, 1)], work_type=WorkType.PART)
    PostingFactory(title="商场保洁", skills=[("保洁员", True, 1)], work_type=WorkType.DAY)
    cleaner = skill("保洁员").pk
    assert titles(client, skill=cleaner, district=yuhu.pk, work_type="part") == ["医院保洁"]
    assert sorted(titles(client, skill=cleaner, district=yuhu.pk)) == ["医院保洁", "商场保洁"]
    posting.area = street("岳塘街道")
    posting.district = yuetang
    posting.save()
    assert titles(client, skill=cleaner, district=yuhu.pk, work_type="part") == []
    assert titles(client, skill=cleaner, district=yuetang.pk, work_type="part") == ["医院保洁"]
    assert titles(client, skill=cleaner, district=yuetang.pk, work_type="day") == []
