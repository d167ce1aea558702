from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The seekers' pages: home, jobs, registration, login, /me/. Owns no model."""

    name = "xiangtan_jobs.portal"
    label = "portal"
    verbose_name = "求职者门户"
