"""What every service point's public page shows, whatever its kind (gig market, youth station)."""

from __future__ import annotations

from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import ServicePoint
from xiangtan_jobs.core.selectors import reference_data, site_postings

from .jobs import CardWords, card


def service_point_context(site: ServicePoint, kind_label: str) -> dict[str, object]:
    """Address, hours, phone, services offered and the postings collected at this site."""
    ref = reference_data()
    words = CardWords()
    return {
        "site": site,
        "services": [str(ServiceKind(s).label) for s in site.services if s in ServiceKind.values],
        "cards": [card(row, ref, None, words) for row in site_postings(site_id=site.pk)],
        "more_url": f"/jobs/?site={site.pk}",
        "kind_label": kind_label,
    }
