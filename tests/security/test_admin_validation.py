"""The admin's walk-in registration validates like the public form: an ID number registered at
another site is a form error that does not say where (was an IntegrityError, a 500); the birth year
is checked against the age rule and the ID number."""

from __future__ import annotations

import pytest

from tests.admin.helpers import admin_url
from tests.admin.test_workflows import _registration_form, _resident_id
from tests.factories import SeekerFactory
from xiangtan_jobs.core.models import SeekerRegistration

pytestmark = pytest.mark.django_db


def _errors(response, field):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["adminform"].form.errors.get(field, []))


def test_id_number_registered_at_another_site_is_a_form_error_naming_no_site(client, alice, yuetang_nursing):
    other = SeekerFactory(phone="13700137001", id_number=_resident_id(), service_point=yuetang_nursing)
    client.force_login(alice)
    response = client.post(admin_url("core_seekerregistration", "add"), _registration_form())
    message = _errors(response, "id_number_input")
    assert "已有求职登记" in message
    assert yuetang_nursing.name not in response.content.decode()
    assert SeekerRegistration.objects.count() == 1 and SeekerRegistration.objects.get() == other


@pytest.mark.parametrize(
    ("year", "expected"), [("2015", "年满 16 岁"), ("1850", "1930"), ("1986", "和身份证号上的不一致")]
)
def test_birth_year_checked_like_the_public_form(client, alice, yuhu, year, expected):
    client.force_login(alice)
    response = client.post(admin_url("core_seekerregistration", "add"), _registration_form(birth_year=year))
    assert expected in _errors(response, "birth_year")
    assert not SeekerRegistration.objects.exists()
