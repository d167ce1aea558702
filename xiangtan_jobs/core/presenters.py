"""How postings and service points read on the public pages, shared by the portal and the
feature apps' site pages (formatted in Python: cheaper than template filters on long lists)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import ServiceKind, WageUnit, WorkType
from xiangtan_jobs.core.models import ServicePoint
from xiangtan_jobs.core.selectors import RefData, km_between, reference_data, site_postings

WORK_TYPE_LABELS = dict(WorkType.choices)
UNIT_LABELS = dict(WageUnit.choices)


def wage_amount(amount: Decimal | float | int) -> str:
    """An amount as people write it: 「210」, 「0.5」, 「12.35」 (no trailing zeros, no 「210.00」)."""
    if isinstance(amount, int):
        return str(amount)
    # Decimals from the database already have two places; anything else is rounded to the cent.
    number = amount if isinstance(amount, Decimal) else Decimal(str(amount)).quantize(Decimal("0.01"))
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def wage_text(
    wage_min: Decimal | float | int, wage_max: Decimal | float | int, unit: str, units: dict[str, str] | None = None
) -> str:
    """「180–220 元/天」, 「210 元/天」 (one figure when both ends are the same), 「0.5 元/件」.

    The one way a posting's wage is written: pages, the admin, text messages, the API's
    ``wage_text`` and exports all call it; the unit is always said."""
    low, high = wage_amount(wage_min), wage_amount(wage_max)
    amount = low if low == high else f"{low}–{high}"
    return f"{amount} {(units or UNIT_LABELS).get(unit, '')}".strip()


def place_text(label: str, address: str) -> str:
    """「岳塘区东坪街道 · 湘潭大道 157 号」, without saying the district and town twice when the
    address already starts with them (most addresses do)."""
    address = (address or "").strip()
    if not address:
        return label
    if label in address:
        return address
    return f"{label} · {address}"


class CardWords:
    """The words of the result cards in the request's language, translated once per page rather
    than once per card (lazy labels re-translate on every use: a fifth of the list's Python)."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.units = {k: str(v) for k, v in UNIT_LABELS.items()}
        self.work_types = {k: str(v) for k, v in WORK_TYPE_LABELS.items()}
        self.day_gig = _("日结")
        self.older = _("长辈友好")
        self.disability = _("无障碍")
        self.mother = _("灵活时间")
        self.km = _("%(km).1f 公里")
        self.posted_today = _("今天发布")
        self.posted_yesterday = _("昨天发布")
        self.posted_days = _("%(n)s 天前发布")


def posted_text(when: Any, words: CardWords | None = None) -> str:
    if when is None:
        return ""
    words = words or CardWords()
    local = timezone.localtime(when)
    days = (words.today - local.date()).days
    if days <= 0:
        return words.posted_today
    if days == 1:
        return words.posted_yesterday
    if days < 30:
        return words.posted_days % {"n": days}
    return local.strftime("%Y-%m-%d")


def card(
    row: dict[str, Any], ref: RefData, origin: tuple[float, float] | None, words: CardWords | None = None
) -> dict[str, Any]:
    """What one result card shows, formatted in Python (cheaper than template filters)."""
    words = words or CardWords()
    badges = []
    if row["work_type"] == WorkType.DAY:
        badges.append(words.day_gig)
    if row["older_ok"]:
        badges.append(words.older)
    if row["disability_ok"]:
        badges.append(words.disability)
    if row["mother_flexible"]:
        badges.append(words.mother)
    distance = ""
    if origin is not None:
        distance = words.km % {"km": km_between(origin[0], origin[1], row["lat"], row["lng"])}
    return {
        "id": row["id"],
        "title": row["title"],
        "employer": row["employer__name"],
        "wage": wage_text(row["wage_min"], row["wage_max"], row["wage_unit"], words.units),
        "place": ref.area_label(row["area_id"]),
        "distance": distance,
        "work_type": words.work_types.get(row["work_type"], ""),
        "posted": posted_text(row["published_at"], words),
        "badges": badges,
    }


def service_point_context(site: ServicePoint, kind_label: str) -> dict[str, object]:
    """Address, hours, phone, services offered and the postings collected at this site."""
    ref = reference_data()
    words = CardWords()
    return {
        "site": site,
        "services": [str(ServiceKind(s).label) for s in site.services if s in ServiceKind.values],
        "cards": [card(row, ref, None, words) for row in site_postings(site_id=site.pk)],
        "more_url": f"/jobs/?site={site.pk}",  # the public job list, filtered to this site
        "kind_label": kind_label,
    }
