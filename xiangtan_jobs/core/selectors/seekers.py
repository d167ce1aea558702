"""A seeker's own registration, and the export of everything kept about them."""

from __future__ import annotations

from typing import Any

from xiangtan_jobs.core.models import SeekerRegistration


def seeker_current(*, user: Any) -> SeekerRegistration | None:
    """The user's current (not withdrawn) registration, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SeekerRegistration.objects.current().filter(user=user).select_related("area").first()


def seeker_export(*, registration: SeekerRegistration) -> dict[str, Any]:
    """Everything the portal keeps about one person, for the data download (PIPL art. 45)."""
    reg = registration
    data: dict[str, Any] = {
        "registration": {
            "name": reg.name,
            "phone": reg.phone,
            "id_number": reg.id_number or "",
            "birth_year": reg.birth_year,
            "area": str(reg.area),
            "home_lat": reg.home_lat,
            "home_lng": reg.home_lng,
            "travel_km": reg.travel_km,
            "work_types": reg.work_types,
            "shifts": reg.shifts,
            "expected_wage": reg.expected_wage,
            "expected_unit": reg.expected_unit,
            "tags": reg.tags,
            "status": reg.status,
            "consent_version": reg.consent_version,
            "consent_at": reg.consent_at.isoformat(),
            "consent_method": reg.consent_method,
            "service_point": str(reg.service_point) if reg.service_point_id else "",
            "created_at": reg.created_at.isoformat(),
            "updated_at": reg.updated_at.isoformat(),
        },
        "skills": [
            {"skill": s.skill.name, "level": s.level, "years": s.years, "has_certificate": s.has_certificate}
            for s in reg.seeker_skills.select_related("skill")
        ],
        "service_records": [
            {"kind": r.kind, "served_at": r.served_at.isoformat(), "service_point": str(r.service_point)}
            for r in reg.service_records.select_related("service_point")
        ],
        "staff_access_log": [{"action": a.action, "at": a.at.isoformat()} for a in reg.access_logs.all()],
    }
    if reg.user is not None:
        data["account"] = {"username": reg.user.username, "date_joined": reg.user.date_joined.isoformat()}
        data["inbox"] = [
            {"title": m.title, "body": m.body, "link": m.link, "created_at": m.created_at.isoformat()}
            for m in reg.user.inbox.all()
        ]
        data["saved_searches"] = [
            {"label": s.label, "query": s.query, "saved_at": s.created_at.isoformat()}
            for s in reg.user.saved_searches.all()
        ]
    return data
