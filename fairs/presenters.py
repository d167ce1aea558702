"""How fair things look on a page: the ticket's QR code."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def ticket_qr_svg(code: str, *, scale: int = 6) -> SafeString:
    """The ticket's QR code as inline SVG, drawn on the server (segno); it holds only the code."""
    qr = segno.make(code, error="m")
    # segno escapes nothing it has not generated itself: the code is [0-9A-Z] only.
    svg = qr.svg_inline(scale=scale, border=2, title=None, svgclass="ticket-qr", lineclass=None)
    # segno's own SVG of a server-made code: no user input in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1))  # noqa: S308  # nosec B308 B703
