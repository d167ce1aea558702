"""The seeker's fair tickets, and the booths they met at fairs with the outcome, as a block of their
page (/me/): ``{% my_fair_tickets registration %}``."""

from __future__ import annotations

from typing import Any

from django import template

from fairs.presenters import ticket_qr_svg
from fairs.selectors import seeker_booth_outcomes, seeker_tickets

register = template.Library()


@register.inclusion_tag("fairs/includes/my_tickets.html")
def my_fair_tickets(registration: Any) -> dict[str, Any]:
    tickets = seeker_tickets(seeker=registration)
    met = [
        {
            "outcome": o,
            # What the talk led to: the match's status now when the record set one (the employer
            # may have moved it on since), else the booth's own result.
            "status": o.match.get_status_display() if o.match is not None else o.get_result_display(),
        }
        for o in seeker_booth_outcomes(seeker=registration)
    ]
    return {"tickets": [{"signup": s, "qr": ticket_qr_svg(s.code, scale=4)} for s in tickets], "met": met}
