"""One validator for names (no right-to-left overrides, zero-width or control characters) on every
name field, and contact phones validated (mobile, landline with area code, 400/800)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.admin.helpers import admin_url
from tests.admin.test_workflows import _registration_form
from tests.factories import skill, street
from xiangtan_jobs.common.validators import validate_contact_phone, validate_name_text
from xiangtan_jobs.core.models import Employer, JobPosting, SeekerRegistration, User

pytestmark = pytest.mark.django_db

HIDDEN = ["王\u202e五", "王\u200b五", "王\u2066五", "王\ufeff五", "王\x07五", "王\u200f五"]


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_characters_refused(name):
    with pytest.raises(ValidationError):
        validate_name_text(name)


def test_plain_names_accepted():
    for name in ("王秀英", "湘潭市雨湖区保洁服务有限公司", "Anna-Lena O'Neil", "阿卜杜·热合曼"):
        validate_name_text(name)


@pytest.mark.parametrize("phone", ["0731-58533441", "073158533441", "0731 5853 3441", "13800138000", "400-123-4567"])
def test_contact_phones_accepted(phone):
    validate_contact_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "电话", "0731-123", "1380013800", "+1 555 0100"])
def test_contact_phones_refused(phone):
    with pytest.raises(ValidationError):
        validate_contact_phone(phone)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (SeekerRegistration, "name"),
        (Employer, "name"),
        (Employer, "contact_name"),
        (JobPosting, "contact_name"),
        (User, "display_name"),
    ],
)
def test_every_name_field_uses_the_validator(model, field):
    with pytest.raises(ValidationError):
        model._meta.get_field(field).run_validators("王\u202e五")


@pytest.mark.parametrize(("model", "field"), [(Employer, "contact_phone"), (JobPosting, "contact_phone")])
def test_contact_phone_fields_validated(model, field):
    with pytest.raises(ValidationError):
        model._meta.get_field(field).run_validators("12345")


def test_public_registration_refuses_a_hidden_character(client, ref):
    client.post(
        "/register/account/",
        {"phone": "13800138111", "password1": "Xiangtan-2025", "password2": "Xiangtan-2025", "action": "next"},
    )
    response = client.post(
        "/register/person/", {"name": "王\u202e五", "birth_year": "1975", "town": str(street().pk), "action": "next"}
    )
    assert response.status_code == 200
    assert "看不见的特殊字符" in " ".join(response.context["form"].errors["name"])


def test_admin_walk_in_refuses_a_hidden_character(client, alice, yuhu):
    client.force_login(alice)
    skill("保洁员")
    response = client.post(admin_url("core_seekerregistration", "add"), _registration_form(name="周\u200b建国"))
    assert response.status_code == 200
    assert "看不见的特殊字符" in " ".join(response.context["adminform"].form.errors["name"])
