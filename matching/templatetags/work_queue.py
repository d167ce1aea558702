"""The operators' work queue on the admin's index: open applications of their sites, oldest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from matching.selectors import operator_queue_counts, operator_work_queue
from matching.services import application_deadline
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, staff_role

register = template.Library()

# The response figure beside the queue counts the applications closed unanswered in this window.
NO_REPLY_WINDOW = dt.timedelta(days=30)
# An application this close to its answer deadline is flagged (it closes as 未获回复 after it).
DUE_SOON = dt.timedelta(days=1)


@register.inclusion_tag("admin/work_queue.html", takes_context=True)
def work_queue(context: dict[str, Any], limit: int = 30) -> dict[str, Any]:
    """The queue for the requesting operator's sites (every site for the bureau); two queries."""
    request = context.get("request")
    role = staff_role(getattr(request, "user", None))
    if role is StaffRole.OPERATOR:
        site_ids: frozenset[int] | None = operator_site_ids(request)  # type: ignore[arg-type]
        if not site_ids:
            return {"show": False}
    elif role in (StaffRole.BUREAU, StaffRole.SUPERUSER):
        site_ids = None
    else:
        return {"show": False}
    now = timezone.now()
    rows = []
    for match in operator_work_queue(site_ids=site_ids, limit=limit):
        applied = match.applied_at or match.status_changed_at or now
        age = max(now - applied, dt.timedelta(0))
        deadline = application_deadline(match=match)
        rows.append(
            {
                "match": match,
                "url": reverse("admin:matching_match_change", args=[match.pk]),
                # Masked like every list: the full contact is on the match's page, where each look is logged.
                "seeker": match.seeker.masked_name,
                "answered_invitation": match.invited_at is not None,
                "age_days": age.days,
                "age_hours": int(age.total_seconds() // 3600),
                "deadline": deadline,
                "overdue": deadline is not None and deadline <= now,
                "due_soon": deadline is not None and now < deadline <= now + DUE_SOON,
            }
        )
    counts = operator_queue_counts(site_ids=site_ids, since=now - NO_REPLY_WINDOW)
    return {
        "show": True,
        "rows": rows,
        "counts": counts,
        "more": max(counts["open"] - len(rows), 0),
        "all_sites": site_ids is None,
        "list_url": reverse("admin:matching_match_changelist") + "?status__exact=applied",
    }
