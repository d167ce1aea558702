"""Startup incubation (创业孵化): projects, their founders, and the services given to them; each
service is one entrepreneurship person-time per founder (docs/kpis.md `served`), recorded once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import User
from xiangtan_jobs.core.services.registrations import service_record_create

from ..enums import ProjectServiceKind
from ..models import ProjectService, StartupProject

# A service is recorded by its day; it counts at noon of that local day.
NOON = dt.time(12, 0)


@transaction.atomic
def project_service_record(
    *, project: StartupProject, kind: str, served_on: dt.date, note: str = "", actor: User | None
) -> ProjectService:
    """Record a service given to a project (guidance, venue, policy help, financing referral):
    one entrepreneurship person-time for each founder, at the project's station."""
    if kind not in ProjectServiceKind.values:
        raise ValidationError({"kind": _("请选择服务内容。")}, code="kind")
    project = StartupProject.objects.select_for_update().select_related("station").get(pk=project.pk)
    founders = list(project.founders.all())
    if not founders:
        raise ValidationError(_("请先添加创始人（已登记的求职者），再记录服务。"), code="no_founders")
    service = ProjectService.objects.create(
        project=project, kind=kind, served_on=served_on, note=note, recorded_by=actor
    )
    served_at = dt.datetime.combine(served_on, NOON, tzinfo=timezone.get_current_timezone())
    label = ProjectServiceKind(kind).label
    records = [
        service_record_create(
            service_point=project.station,
            kind=ServiceKind.ENTREPRENEURSHIP,
            actor=actor,
            seeker=founder,
            served_at=served_at,
            note=f"{label}：{project.name}"[:200],
        )
        for founder in founders
    ]
    service.service_records.set(records)
    return service
