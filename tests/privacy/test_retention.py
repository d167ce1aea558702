"""Retention (PIPL art. 19) and erasure (art. 47): a registration nobody used for
SEEKER_RETENTION_DAYS is anonymised by the nightly task; neither it nor an erased one keeps a name,
phone, ID number, phone digest or last digits anywhere (history, login codes, lockout rows, the audit
log), and the bureau's figures stay exactly as they were (docs/kpis.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection
from django.test import RequestFactory

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import registrations_anonymise_inactive, seekers_inactive
from matching.services.statuses import seeker_erase
from tests.clock import NOON
from tests.dashboard.conftest import world  # noqa: F401 - the dashboard's hand-built KPI facts
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.lockout import login_key
from xiangtan_jobs.core.enums import ServiceKind, UserRole
from xiangtan_jobs.core.models import (
    AccessLog,
    InboxMessage,
    LoginCode,
    SeekerRegistration,
    ServiceRecord,
    SmsOutbox,
    User,
)
from xiangtan_jobs.core.services import ANONYMISED_NAME, retention_cutoff
from xiangtan_jobs.dashboard.kpis import KPIS, Period, Scope, kpi_value
from xiangtan_jobs.dashboard.services.rollup import rollup_rows

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
ID_NUMBER = "430302198501011234"
RETENTION = dt.timedelta(days=730)


def _seeker(*, phone: str = PHONE, id_number: str | None = None, **kwargs) -> SeekerRegistration:
    """A seeker with an account, registered (and last changed) at NOON."""
    user = UserFactory(role=UserRole.SEEKER, display_name="王秀英")
    with time_machine.travel(NOON, tick=False):
        return SeekerFactory(user=user, phone=phone, id_number=id_number, note="住雨湖路12号", **kwargs)


def _traces(registration: SeekerRegistration, phone: str, id_number: str = "") -> list[str]:
    """Every place in the database where the person can still be found, by name, phone, ID number,
    their digests or the phone's last digits (the registration's own row and history, login codes,
    the lockout table, the audit log, user accounts)."""
    found = []
    digests = {pii_digest(phone), login_key(phone)} | ({pii_digest(id_number)} if id_number else set())
    for version in SeekerRegistration.history.filter(id=registration.pk):
        if version.name == "王秀英":
            found.append(f"history {version.history_id} name")
        if version.phone_digest in digests or version.id_digest in digests:
            found.append(f"history {version.history_id} digest")
        if version.phone_last4 and version.phone_last4 == phone[-4:]:
            found.append(f"history {version.history_id} last4")
        if version.note or version.user_id:
            found.append(f"history {version.history_id} note/user")
    row = SeekerRegistration.objects.get(pk=registration.pk)
    if row.name == "王秀英" or row.phone == phone or row.id_number or row.phone_last4 or row.phone_digest:
        found.append("row")
    if row.id_digest or row.note or row.user_id:
        found.append("row id/note/user")
    if LoginCode.objects.filter(phone_digest__in=digests).exists():
        found.append("login code")
    if AccessAttempt.objects.filter(username__in=digests).exists():
        found.append("lockout")
    for log in AccessLog.objects.all():
        if phone in log.path or phone in log.detail or (id_number and id_number in log.path):
            found.append(f"audit log {log.pk}")
        if log.seeker_id == registration.pk and "?" in log.path:
            found.append(f"audit log {log.pk} query")
    if User.objects.filter(display_name="王秀英").exists():
        found.append("account")
    # Belt and braces: the raw tables, in case a column was missed above.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM core_historicalseekerregistration WHERE id = %s "
            "AND (phone_last4 <> '' OR phone_digest <> '' OR id_digest <> '')",
            [registration.pk],
        )
        if cursor.fetchone()[0]:
            found.append("raw history")
    return found


def _with_traces(registration: SeekerRegistration, staff: User) -> None:
    """What a person leaves behind through normal use: edits (history), a login code, failed
    logins, staff looks and an export filtered by their phone (all at NOON)."""
    with time_machine.travel(NOON, tick=False):
        registration.travel_km = 15
        registration.save()
    LoginCode.objects.create(
        phone_digest=pii_digest(PHONE), user=registration.user, code_hash="x", created_at=NOON, expires_at=NOON
    )
    AccessAttempt.objects.create(
        username=login_key(PHONE), ip_address="10.0.0.1", user_agent="t", attempt_time=NOON, failures_since_start=2
    )
    AccessLog.objects.create(
        user=staff,
        seeker=registration,
        action="view_full",
        path=f"/admin/core/seekerregistration/{registration.pk}/change/?_changelist_filters=q%3D{PHONE}",
    )
    AccessLog.objects.create(user=staff, action="export", detail="core.SeekerRegistration CSV", path=f"/x/?q={PHONE}")


# --- Who is inactive: the boundary, with a frozen clock ------------------------------------------


def test_the_boundary_is_the_configured_period_to_the_second(charlie):
    seeker = _seeker()
    due = NOON + RETENTION
    assert settings.SEEKER_RETENTION_DAYS == 730
    assert retention_cutoff(now=due) == NOON
    # Last change exactly at the cutoff: not older than it, kept.
    assert not seekers_inactive(cutoff=retention_cutoff(now=due)).filter(pk=seeker.pk).exists()
    assert registrations_anonymise_inactive(now=due) == 0
    # One second later it is due.
    later = due + dt.timedelta(seconds=1)
    assert seekers_inactive(cutoff=retention_cutoff(now=later)).filter(pk=seeker.pk).exists()
    assert registrations_anonymise_inactive(now=later) == 1
    seeker.refresh_from_db()
    assert seeker.name == ANONYMISED_NAME and seeker.anonymised_at == later


def test_the_period_is_a_setting(settings):
    seeker = _seeker()
    settings.SEEKER_RETENTION_DAYS = 30
    assert registrations_anonymise_inactive(now=NOON + dt.timedelta(days=30)) == 0
    assert registrations_anonymise_inactive(now=NOON + dt.timedelta(days=30, seconds=1)) == 1
    seeker.refresh_from_db()
    assert seeker.anonymised_at is not None


@pytest.mark.parametrize("activity", ["login", "update", "application", "match_change", "service"])
def test_any_use_within_the_period_keeps_the_registration(activity, yuhu):
    seeker = _seeker()
    used = NOON + dt.timedelta(days=400)
    with time_machine.travel(used, tick=False):
        if activity == "login":
            User.objects.filter(pk=seeker.user_id).update(last_login=used)
        elif activity == "update":
            seeker.expected_wage = 200
            seeker.save()
        elif activity == "application":
            Match.objects.create(posting=PostingFactory(), seeker=seeker, score=70, applied_at=used)
        elif activity == "match_change":
            Match.objects.create(
                posting=PostingFactory(), seeker=seeker, score=70, status=MatchStatus.VIEWED, status_changed_at=used
            )
        else:
            ServiceRecord.objects.create(
                service_point=yuhu, seeker=seeker, kind=ServiceKind.CONSULTATION, served_at=used
            )
    # Two years after the registration, but not after the use: kept.
    assert registrations_anonymise_inactive(now=NOON + RETENTION + dt.timedelta(days=1)) == 0
    # Two years after the use: due.
    assert registrations_anonymise_inactive(now=used + RETENTION + dt.timedelta(seconds=1)) == 1


# --- What anonymisation removes ------------------------------------------------------------------


def test_anonymisation_leaves_no_trace_of_the_person(charlie):
    seeker = _seeker(id_number=ID_NUMBER)
    user_id = seeker.user_id
    InboxMessage.objects.create(user_id=user_id, title="面试通知")
    _with_traces(seeker, charlie)
    assert len(_traces(seeker, PHONE, ID_NUMBER)) >= 8  # the check can see each trace it looks for
    assert registrations_anonymise_inactive(now=NOON + RETENTION + dt.timedelta(days=1)) == 1
    assert _traces(seeker, PHONE, ID_NUMBER) == []
    seeker.refresh_from_db()
    assert (seeker.home_lat, seeker.home_lng) == (seeker.area.lat, seeker.area.lng)
    assert not User.objects.filter(pk=user_id).exists() and not InboxMessage.objects.filter(user_id=user_id).exists()
    # Who looked, when, and the export's row stay in the audit log.
    assert AccessLog.objects.filter(seeker=seeker, action="view_full", user=charlie).exists()
    assert AccessLog.objects.filter(action="export", path="/x/?q=[已删除]").exists()
    # Nobody can log in with the old phone or find the row by it; the phone may register again.
    assert not SeekerRegistration.objects.by_phone(PHONE).exists()
    assert authenticate(RequestFactory().post("/accounts/login/"), username=PHONE, password="pass-12345") is None
    SeekerFactory(phone=PHONE, id_number=ID_NUMBER)


def test_the_task_is_idempotent_chunked_and_safe_to_rerun():
    seekers = [_seeker(phone=f"1381234{i:04d}") for i in range(7)]
    due = NOON + RETENTION + dt.timedelta(days=1)
    assert registrations_anonymise_inactive(now=due, chunk_size=3) == 7
    stamps = {s.pk: s.anonymised_at for s in SeekerRegistration.objects.filter(pk__in=[s.pk for s in seekers])}
    versions = SeekerRegistration.history.count()
    assert registrations_anonymise_inactive(now=due + dt.timedelta(days=1), chunk_size=3) == 0
    assert SeekerRegistration.history.count() == versions  # a re-run writes nothing
    assert {s.pk: s.anonymised_at for s in SeekerRegistration.objects.filter(pk__in=stamps)} == stamps


def test_a_run_stopped_by_its_time_budget_leaves_the_rest_for_the_next():
    for i in range(5):
        _seeker(phone=f"1381234{i:04d}")
    due = NOON + RETENTION + dt.timedelta(days=1)
    assert registrations_anonymise_inactive(now=due, chunk_size=2, max_seconds=0) == 0
    assert registrations_anonymise_inactive(now=due, chunk_size=2) == 5


def test_anonymised_seekers_get_no_recommendations_and_old_texts_go(broker, django_capture_on_commit_callbacks):
    seeker = _seeker()
    with time_machine.travel(NOON, tick=False):
        old_text = SmsOutbox.objects.create(phone=PHONE, text="x", purpose="walk_in", status="sent", send_after=NOON)
    due = NOON + RETENTION + dt.timedelta(days=1)
    recent = SmsOutbox.objects.create(phone="13900000001", text="y", purpose="walk_in", status="sent", send_after=due)
    with time_machine.travel(due, tick=False):
        Match.objects.create(posting=PostingFactory(), seeker=seeker, score=90)
        User.objects.filter(pk=seeker.user_id).update(last_login=NOON)
        with django_capture_on_commit_callbacks(execute=True):
            registrations_anonymise_inactive(now=due)
    assert ("matching.match_seeker", [seeker.pk], {}) in broker  # its matching ran: dropped
    assert not Match.objects.filter(seeker=seeker, status=MatchStatus.RECOMMENDED, is_current=True).exists()
    assert not SmsOutbox.objects.filter(pk=old_text.pk).exists() and SmsOutbox.objects.filter(pk=recent.pk).exists()


def test_staff_accounts_are_never_deleted_by_retention(alice):
    with time_machine.travel(NOON, tick=False):
        seeker = SeekerFactory(user=alice, phone=PHONE)
    registrations_anonymise_inactive(now=NOON + RETENTION + dt.timedelta(days=1))
    seeker.refresh_from_db()
    assert seeker.anonymised_at and seeker.user_id is None and User.objects.filter(pk=alice.pk).exists()


# --- The KPIs do not move ------------------------------------------------------------------------


def _all_figures(w):
    periods = [Period(dt.date(2026, 1, 1), dt.date(2026, 11, 30)), Period(dt.date(2026, 11, 20), dt.date(2026, 11, 25))]
    scopes = [
        Scope(),
        Scope(site_id=w.yuhu.pk),
        Scope(site_id=w.other.pk),
        Scope(district_id=w.yuhu.area.parent_id),
        Scope(group="mother"),
        Scope(group="older"),
        Scope(include_demo=True),
    ]
    return {(code, p, s): kpi_value(code, p, s) for code in KPIS for p in periods for s in scopes}


def _rollup(include_demo: bool):
    rows = rollup_rows(day_from=dt.date(2026, 11, 1), day_to=dt.date(2026, 11, 30), include_demo=include_demo)
    return sorted((r.day, r.kpi, r.site_id or 0, r.district_id or 0, r.group, r.value) for r in rows)


def test_the_dashboard_counts_do_not_change_after_anonymisation(world):  # noqa: F811 - the imported fixture
    before = _all_figures(world)
    rollup_before = (_rollup(False), _rollup(True))
    assert sum(before.values()) > 50  # the facts are there to be counted
    # Everyone in the world is anonymised (their last use is NOON at the latest).
    later = NOON + RETENTION + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        done = registrations_anonymise_inactive(now=later)
    assert done == SeekerRegistration.objects.count() >= 4
    assert not SeekerRegistration.objects.exclude(name=ANONYMISED_NAME).exists()
    assert _all_figures(world) == before
    assert (_rollup(False), _rollup(True)) == rollup_before


# --- Erasure (/me/delete/) removes the digest and last digits from history too -------------------


def test_erasure_leaves_no_digest_or_last_digits_in_history(charlie):
    seeker = _seeker(id_number=ID_NUMBER)
    _with_traces(seeker, charlie)
    seeker_erase(registration=seeker, actor=seeker.user)
    assert _traces(seeker, PHONE, ID_NUMBER) == []
    seeker.refresh_from_db()
    assert seeker.anonymised_at is not None
    # An erased registration is not anonymised a second time by retention.
    assert registrations_anonymise_inactive(now=NOON + RETENTION * 2) == 0


def test_erasure_through_the_page(client, charlie):
    seeker = _seeker()
    _with_traces(seeker, charlie)
    client.force_login(seeker.user)
    response = client.post("/me/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    assert _traces(seeker, PHONE) == []
