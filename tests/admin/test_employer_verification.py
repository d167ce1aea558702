"""Employer verification stays a review: the bureau or the site's designated reviewer verifies;
the operator who registered the employer cannot (admin field, admin action, API, service)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from tests.admin.helpers import admin_url
from tests.factories import EmployerFactory
from xiangtan_jobs.core import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(yuhu):
    return EmployerFactory(service_point=yuhu, verified=False, verified_at=None)


def _verify(client, user, employer):
    client.force_login(user)
    return client.post(
        admin_url("core_employer", "changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [employer.pk]},
        follow=True,
    )


def test_the_operator_cannot_verify_their_own_employer(client, alice, employer):
    resp = _verify(client, alice, employer)
    employer.refresh_from_db()
    assert not employer.verified
    assert resp.status_code in (200, 403, 404)
    with pytest.raises(PermissionDenied):
        services.employer_verify(employer=employer, actor=alice)
    employer.refresh_from_db()
    assert not employer.verified


def test_the_verified_field_is_read_only_for_the_operator(client, alice, employer):
    client.force_login(alice)
    page = client.get(admin_url("core_employer", "change", employer.pk))
    assert page.status_code == 200
    assert 'name="verified"' not in page.content.decode()


def test_the_sites_reviewer_verifies(client, erin, employer):
    _verify(client, erin, employer)
    employer.refresh_from_db()
    assert employer.verified and employer.verified_by == erin


def test_a_reviewer_of_another_site_cannot(client, erin, yuetang_nursing):
    other = EmployerFactory(service_point=yuetang_nursing, verified=False, verified_at=None)
    assert not services.employer_verifier(employer=other, actor=erin)
    with pytest.raises(PermissionDenied):
        services.employer_verify(employer=other, actor=erin)


def test_the_bureau_verifies(client, charlie, employer):
    _verify(client, charlie, employer)
    employer.refresh_from_db()
    assert employer.verified and employer.verified_by == charlie


def test_the_api_refuses_to_set_verified(alice, employer):
    api = APIClient()
    api.force_authenticate(alice)
    resp = api.patch(f"/api/v1/operator/employers/{employer.pk}/", {"verified": True}, format="json")
    assert resp.status_code == 400
    assert "verified" in resp.json()["errors"]
    employer.refresh_from_db()
    assert not employer.verified
    # Other fields still save.
    assert (
        api.patch(f"/api/v1/operator/employers/{employer.pk}/", {"address": "雨湖路 1 号"}, format="json").status_code
        == 200
    )
