"""The seeker's fair tickets as a block of their page (/me/): ``{% my_fair_tickets registration %}``."""

from __future__ import annotations

from typing import Any

from django import template

from fairs.presenters import ticket_qr_svg
from fairs.selectors import seeker_tickets

register = template.Library()


@register.inclusion_tag("fairs/includes/my_tickets.html")
def my_fair_tickets(registration: Any) -> dict[str, Any]:
    tickets = seeker_tickets(seeker=registration)
    return {"tickets": [{"signup": s, "qr": ticket_qr_svg(s.code, scale=4)} for s in tickets]}
