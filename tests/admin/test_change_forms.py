"""What an operator sees on a posting's change page, as a browser would send it back."""

from __future__ import annotations

import pytest

from tests.admin.helpers import admin_url, form_data
from tests.factories import EmployerFactory, PostingFactory
from xiangtan_jobs.core.models import JobPosting

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting_with_foreign_employer(yuhu, yuetang_nursing):
    """A posting of alice's site (雨湖) whose employer was registered by another site."""
    employer = EmployerFactory(name="岳塘护理服务有限公司", service_point=yuetang_nursing)
    return PostingFactory(employer=employer, service_point=yuhu, shifts=["weekday_morning", "weekend"])


def test_the_current_employer_stays_chosen_and_the_page_saves_unchanged(client, alice, posting_with_foreign_employer):
    posting = posting_with_foreign_employer
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "change", posting.pk))
    assert f'<option value="{posting.employer_id}" selected>岳塘护理服务有限公司</option>' in page.content.decode()
    response = client.post(admin_url("core_jobposting", "change", posting.pk), form_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert JobPosting.objects.get(pk=posting.pk).employer_id == posting.employer_id


def test_another_sites_employer_is_still_not_on_offer(client, alice, yuhu, yuetang_nursing):
    mine = PostingFactory(employer=EmployerFactory(service_point=yuhu), service_point=yuhu)
    other = EmployerFactory(name="别家的单位", service_point=yuetang_nursing)
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "change", mine.pk))
    data = form_data(page) | {"employer": str(other.pk)}
    response = client.post(admin_url("core_jobposting", "change", mine.pk), data)
    assert response.status_code == 200 and "employer" in response.context["adminform"].form.errors
    assert JobPosting.objects.get(pk=mine.pk).employer_id != other.pk


def test_shifts_are_tick_boxes_in_words(client, alice, posting_with_foreign_employer):
    posting = posting_with_foreign_employer
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "change", posting.pk))
    body = page.content.decode()
    assert 'type="checkbox" name="shifts" value="weekday_morning"' in body and "工作日上午" in body
    assert "[&quot;weekday_morning&quot;" not in body
    data = form_data(page) | {"shifts": ["weekday_evening"]}
    assert client.post(admin_url("core_jobposting", "change", posting.pk), data).status_code == 302
    assert JobPosting.objects.get(pk=posting.pk).shifts == ["weekday_evening"]


def test_postings_list_reads_well(client, alice, yuhu):
    PostingFactory(service_point=yuhu, employer=EmployerFactory(service_point=yuhu), wage_min=22, wage_max=22)
    client.force_login(alice)
    body = client.get(admin_url("core_jobposting", "changelist")).content.decode()
    assert "css/admin.css" in body  # the columns' minimum widths
    assert "22 元/天" in body and "22–22" not in body
