"""Helpers for driving the admin as a browser would."""

from __future__ import annotations

from typing import Any

from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse

ACTORS = ("alice", "bob", "charlie", "dora", "anon")


def client_for(actor: str, users: dict[str, Any]) -> Client:
    client = Client()
    if actor != "anon":
        client.force_login(users[actor])
    return client


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def denied(actor: str, response: Any) -> bool:
    """Refused the way it should be: the login page for non-staff, 403/404 for staff."""
    if actor in ("dora", "anon"):
        return is_login_redirect(response)
    return response.status_code in (403, 404)


def form_data(response: Any) -> dict[str, Any]:
    """The POST a browser would send back from a rendered admin change form (main form + inlines)."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, MultiWidget):
                parts = value if isinstance(value, list) else field.widget.decompress(value)
                for i, part in enumerate(parts):
                    data[f"{key}_{i}"] = "" if part is None else str(part)
            elif value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value) if not hasattr(value, "pk") else str(value.pk)
            _ = field
    # Inline extra forms are left empty (unchanged) and skipped by Django.
    return data


def admin_url(name: str, action: str, *args: Any) -> str:
    return reverse(f"admin:{name}_{action}", args=args)
