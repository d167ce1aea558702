"""The gig markets' admin pages open for an operator and the bureau; the bureau changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = ("daygig", "gigassignment", "wagesettlement", "insuranceenrolment", "rightscase", "marketcheckin")


@pytest.mark.parametrize("model", MODELS)
def test_operator_opens_lists_and_add_pages(client, alice, model):
    client.force_login(alice)
    assert client.get(reverse(f"admin:markets_{model}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:markets_{model}_add")).status_code
    assert add == (403 if model == "marketcheckin" else 200)


@pytest.mark.parametrize("model", MODELS)
def test_bureau_sees_but_adds_nothing(client, charlie, model):
    client.force_login(charlie)
    assert client.get(reverse(f"admin:markets_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:markets_{model}_add")).status_code == 403


def test_seekers_have_no_admin(client, dora):
    client.force_login(dora)
    response = client.get(reverse("admin:markets_wagesettlement_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
