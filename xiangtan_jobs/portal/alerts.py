"""Saved searches and their daily alerts (订阅的搜索): a seeker keeps a search of the job list, and the
postings published since the last alert that match it arrive as one inbox message and one SMS a day.

"Matches this search" has one definition: the job list's own filter set (``PostingFilter``) reads the
saved query string back, over the postings published since the last alert.

The database row is the truth of what is owed (the pattern of ``common/owed.py``): a search is due
when it was not told today; the beat task runs every hour (outside the quiet hours), and each search
is told in its own transaction under a row lock, re-checked as still due, with dedupe keys on the
inbox message and the SMS. A lost or repeated run, or two beats at once, tell nobody twice; a killed
run leaves the search due for the next hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import SeekerStatus
from xiangtan_jobs.core.models import InboxMessage, JobPosting, SavedSearch, SeekerRegistration, User
from xiangtan_jobs.core.presenters import wage_text
from xiangtan_jobs.core.services import is_quiet, sms_queue
from xiangtan_jobs.portal.filters import PostingFilter

# Parameters of a list URL that a saved search does not keep: paging and order choose a page, not
# the result; "posted within N days" is what the alert itself replaces (new since the last one).
NOT_SAVED = frozenset({"cursor", "size", "sort", "days"})
MAX_SAVED_SEARCHES = 10
# Postings published this close to a run are left to the next one: a posting whose transaction
# commits a moment after the run read the list would otherwise fall between two windows.
ALERT_SETTLE = dt.timedelta(minutes=2)
ALERT_SHOWN = 3  # postings named in one message
UNSUBSCRIBE_SALT = "portal.saved-search.unsubscribe"


def saved_search_query(data: QueryDict, f: PostingFilter | None = None) -> str:
    """The normalised query string of a job-list search: only the filters that validated, sorted;
    "" when nothing is chosen. Two ways of writing the same search give the same string. ``f`` is
    the list's filter set of the same data when the caller has one (validated once)."""
    f = f if f is not None else PostingFilter(data)
    f.errors  # noqa: B018 - validates the form, filling cleaned_data
    cleaned = f.form.cleaned_data
    items: list[tuple[str, str]] = []
    for name in sorted(f.filters):
        if name in NOT_SAVED or cleaned.get(name) in (None, "", []):
            continue
        if name == "wage_unit" and cleaned.get("wage") is None:
            continue  # a unit without an amount filters nothing
        values = cleaned[name] if isinstance(cleaned[name], list) else [data.get(name, "").strip()]
        items.extend((name, str(v)) for v in sorted(values))
    return urlencode(items)


def saved_search_filter(*, query: str, home: tuple[float, float] | None) -> PostingFilter:
    """The job list's filter set for a saved search (the seeker's home for "near my home")."""
    return PostingFilter(QueryDict(query), queryset=JobPosting.objects.public(), home=home)


@transaction.atomic
def saved_search_create(*, user: User, data: QueryDict, label: str, now: dt.datetime | None = None) -> SavedSearch:
    """Save a search for its daily alerts; only postings published from now on are told. Saving the
    same search again returns the one already saved."""
    now = now or timezone.now()
    query = saved_search_query(data)
    if not query:
        raise ValidationError(_("先输入想做的工作或选一个筛选条件，再订阅。"), code="empty")
    existing = SavedSearch.objects.filter(user=user, query=query).first()
    if existing is not None:
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("最多订阅 %(n)s 个搜索。请先在「我的」页面删掉一个不需要的。") % {"n": MAX_SAVED_SEARCHES},
            code="too_many",
        )
    return SavedSearch.objects.create(user=user, query=query, label=label[:200], alerted_until=now)


def saved_search_delete(*, search: SavedSearch) -> None:
    """Stop a saved search and its alerts (from /me/ or the unsubscribe link)."""
    search.delete()


def saved_search_token(*, search: SavedSearch) -> str:
    """The signed token of a search's unsubscribe link (works without logging in, never expires)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(search.pk))


def saved_search_from_token(*, token: str) -> tuple[bool, SavedSearch | None]:
    """(whether the token is genuine, its search if it still exists)."""
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return False, None
    return True, SavedSearch.objects.filter(pk=pk).select_related("user").first()


def saved_search_unsubscribe_url(*, search: SavedSearch) -> str:
    return f"/alerts/off/{saved_search_token(search=search)}/"


def saved_searches_of(*, user: User) -> list[SavedSearch]:
    """The user's saved searches, newest first (their /me/ list)."""
    return list(SavedSearch.objects.filter(user=user))


# --- The daily alert --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPostings:
    """What a saved search found since its last alert."""

    total: int
    shown: list[JobPosting]


def saved_search_new_postings(
    *, search: SavedSearch, home: tuple[float, float] | None, until: dt.datetime, limit: int = ALERT_SHOWN
) -> NewPostings:
    """The open postings that match the search and were published after its last alert, up to
    ``until``; newest first."""
    qs: QuerySet[JobPosting] = saved_search_filter(query=search.query, home=home).qs
    qs = qs.filter(published_at__gt=search.alerted_until, published_at__lte=until)
    shown = list(qs.order_by("-published_at", "-id")[:limit])
    total = len(shown) if len(shown) < limit else qs.count()
    return NewPostings(total=total, shown=shown)


def _due(today: dt.date) -> Q:
    return Q(alerted_on__isnull=True) | Q(alerted_on__lt=today)


def _message(search: SavedSearch, found: NewPostings) -> tuple[str, str, str]:
    """(title, body, link) of one alert."""
    title = _("您订阅的搜索有 %(n)s 个新岗位") % {"n": found.total}
    names = "；".join(f"{p.title}（{wage_text(p.wage_min, p.wage_max, p.wage_unit).strip()}）" for p in found.shown)
    more = _("等") if found.total > len(found.shown) else ""
    body = _("「%(label)s」有新岗位：%(names)s%(more)s。") % {"label": search.label, "names": names, "more": more}
    return title, body, f"/jobs/?{search.query}&sort=new"


@transaction.atomic
def saved_search_alert(*, search_id: int, now: dt.datetime) -> bool:
    """Tell one due saved search's owner about its new postings (inbox + SMS); False if it was not
    due any more (told today, taken by another run), its owner is paused, or nothing new matched."""
    today = timezone.localdate(now)
    search = (
        SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(_due(today), pk=search_id)
        .first()
    )
    if search is None:
        return False
    registration = SeekerRegistration.objects.current().filter(user_id=search.user_id).first()
    if registration is not None and registration.status != SeekerStatus.ACTIVE:
        return False  # paused: nothing is pushed to them; what is new waits until they come back
    home = (registration.home_lat, registration.home_lng) if registration is not None else None
    until = now - ALERT_SETTLE
    found = saved_search_new_postings(search=search, home=home, until=until)
    if not found.total:
        return False  # nothing today yet: the next hour looks again
    title, body, link = _message(search, found)
    off = saved_search_unsubscribe_url(search=search)
    InboxMessage.objects.get_or_create(
        user_id=search.user_id,
        dedupe_key=f"alert:{search.pk}:{today.isoformat()}",
        defaults={
            "title": title,
            "body": body + _("不想再收到，请点 %(url)s") % {"url": f"{settings.PUBLIC_URL}{off}"},
            "link": link,
        },
    )
    if registration is not None:
        sms_queue(
            phone=registration.phone,
            text=_("【湘潭就业】%(body)s看岗位：%(site)s%(link)s 退订：%(site)s%(off)s")
            % {"body": body, "site": settings.PUBLIC_URL, "link": link, "off": off},
            purpose="saved_search",
            dedupe_key=f"alert:{search.pk}",
            per_day=True,
            now=now,
        )
    SavedSearch.objects.filter(pk=search.pk).update(alerted_until=until, alerted_on=today)
    return True


def saved_searches_alert(*, now: dt.datetime | None = None) -> int:
    """Every hour (beat): each saved search not told today whose new postings match is told, once
    a day, never during the quiet hours. Returns how many were told."""
    now = now or timezone.now()
    if is_quiet(now):
        return 0
    today = timezone.localdate(now)
    due = SavedSearch.objects.filter(_due(today)).order_by("id").values_list("id", flat=True)
    return sum(saved_search_alert(search_id=pk, now=now) for pk in list(due))
