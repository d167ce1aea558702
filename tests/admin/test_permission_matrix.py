"""Who may do what in the admin, model by model: {alice (site A operator), bob (site B operator),
charlie (bureau), dora (seeker), anonymous} × {list, view, change, delete, add}.

Every object here belongs to site A. Cross-site and unprivileged attempts answer 403/404 (staff)
or the login page (everyone else), and the object is unchanged afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import YouthStation
from tests.admin.helpers import ACTORS, admin_url, client_for, denied, form_data, is_login_redirect
from tests.factories import EmployerFactory, SeekerFactory, street
from xiangtan_jobs.core.enums import ServicePointKind
from xiangtan_jobs.core.models import Area, ServicePoint, Skill, SkillCategory

A, B, C = "alice", "bob", "charlie"


@dataclass(frozen=True)
class Case:
    admin: str  # "<app>_<model>"
    obj: str  # how to get the site-A object (see _object)
    listing: frozenset[str]
    view: frozenset[str]
    change: frozenset[str]
    add: frozenset[str]
    delete: frozenset[str]
    edit_field: str = ""  # a text field a successful change POST modifies


def case(admin, obj, listing="", view="", change="", add="", delete="", edit_field=""):
    def s(x: str) -> frozenset[str]:
        return frozenset({"a": A, "b": B, "c": C}[ch] for ch in x)

    return Case(admin, obj, s(listing), s(view), s(change), s(add), s(delete), edit_field)


CASES = [
    # The operators' own work: site-scoped, full rights for the site's operator, bureau read-only.
    case("core_jobposting", "draft", "abc", "ac", "a", "ab", "a", "title"),
    case("core_employer", "spare_employer", "abc", "ac", "a", "ab", "a", "contact_name"),
    case("core_seekerregistration", "seeker", "abc", "ac", "a", "ab", "", "note"),
    case("core_servicerecord", "record", "abc", "ac", "a", "ab", "a", "note"),
    case("core_siteevent", "event", "abc", "ac", "a", "ab", "a", "title"),
    case("matching_match", "match", "abc", "ac", "a", "", ""),
    # API tokens: each site's operator issues and revokes its own, the bureau any; never deleted.
    case("core_apitoken", "token", "abc", "ac", "ac", "abc", ""),
    # Service points: operators see their own, nobody but superusers changes them.
    case("core_servicepoint", "site", "abc", "ac"),
    case("markets_gigmarket", "site", "abc", "ac"),
    # A market's gig posts: its operators see them (and their posters), superusers change them.
    case("markets_gigpost", "gigpost", "abc", "ac"),
    # A gig market's daily records: its operators add them and move them on by actions, none deleted.
    case("markets_daygig", "daygig", "abc", "ac", "a", "ab", ""),
    case("markets_gigassignment", "assignment", "abc", "ac", "a", "ab", ""),
    case("markets_wagesettlement", "settlement", "abc", "ac", "a", "ab", ""),
    case("markets_insuranceenrolment", "insurance", "abc", "ac", "a", "ab", ""),
    case("markets_rightscase", "rightscase", "abc", "ac", "a", "ab", ""),
    case("markets_marketcheckin", "record", "abc", "ac"),
    # Employers owing overdue wages: every market's operators see the flag (figures only), nobody edits it.
    case("markets_unpaidwageemployer", "unpaid_employer", "abc", "abc"),
    case("stations_youthstation", "station", "abc", "c"),
    # A station's (or market's) own work: courses, enrolments, slots, bookings, consultations.
    case("stations_course", "course", "abc", "ac", "a", "ab", "a", "place"),
    case("stations_courseenrolment", "enrolment", "abc", "ac", "a", "", ""),
    case("stations_consultationslot", "slot", "abc", "ac", "a", "ab", "a", "counsellor"),
    case("stations_consultationbooking", "booking", "abc", "ac", "a", "", ""),
    case("stations_consultation", "consultation", "abc", "ac", "", "ab", ""),
    # A station's recruitment events and incubated projects: cancelled or stopped, never deleted.
    case("stations_stationevent", "station_event", "abc", "ac", "a", "ab", "", "title"),
    case("stations_startupproject", "project", "abc", "ac", "a", "ab", "", "mentor"),
    case("fairs_jobfair", "fair", "abc", "ac"),
    case("fairs_fairsession", "session", "abc", "ac"),
    case("fairs_exhibitor", "exhibitor", "abc", "ac", "a", "ab", "", "booth"),
    case("fairs_fairsignup", "signup", "abc", "ac"),
    case("fairs_fairinvitation", "invitation", "abc", "ac"),
    case("fairs_boothoutcome", "booth_outcome", "abc", "ac"),
    # Reference data: every staff role may look (forms pick from it), only superusers change it.
    case("core_area", "area", "abc", "abc"),
    case("core_skill", "skill", "abc", "abc"),
    case("core_skillcategory", "category", "abc", "abc"),
    # The bureau's and superusers' business.
    case("core_operatormembership", "membership", "c", "c"),
    case("core_accesslog", "access", "c", "c"),
    case("core_user", "user", "", ""),
    case("core_inboxmessage", "inbox", "", ""),
    case("auth_group", "group", "", ""),
    # Login lockouts (django-axes): superusers only (common/admin.py).
    case("axes_accessattempt", "attempt", "", ""),
    # The workers' records of failed and owed tasks: superusers only, read-only (common/admin.py).
    case("common_deadletter", "deadletter", "", ""),
    case("common_owedtask", "owed", "", ""),
]


def _object(key: str, site_a: dict[str, Any], users: dict[str, Any]) -> Any:
    if key == "spare_employer":
        return EmployerFactory(name="雨湖待删单位", service_point=site_a["draft"].service_point)
    if key == "site":
        return site_a["draft"].service_point
    if key == "gigpost":
        from markets.models import GigPost

        return GigPost.objects.create(
            kind=ServicePointKind.GIG_POST,
            name="测试零工驿站",
            market_id=site_a["draft"].service_point_id,
            area=street(),
            address="测试",
            lat=27.87,
            lng=112.91,
        )
    if key == "station":
        return YouthStation.objects.create(
            kind=ServicePointKind.YOUTH_STATION,
            name="测试青年驿站",
            area=street(),
            address="测试",
            lat=27.87,
            lng=112.91,
        )
    if key in ("course", "enrolment", "slot", "booking", "consultation", "station_event", "project"):
        return _station_record(key, site_a, users)
    if key in ("daygig", "assignment", "settlement", "insurance", "rightscase", "unpaid_employer"):
        return _market_record(key, site_a, users["alice"])
    if key == "booth_outcome":
        from fairs.models import BoothOutcome

        return BoothOutcome.objects.create(
            signup=site_a["signup"], exhibitor=site_a["exhibitor"], met_at=timezone.now()
        )
    if key == "area":
        return Area.objects.get(name="雨湖路街道")
    if key == "skill":
        return Skill.objects.get(name="保洁员")
    if key == "category":
        return SkillCategory.objects.first()
    if key == "group":
        from django.contrib.auth.models import Group

        return Group.objects.create(name="测试组")
    if key == "user":
        return users["alice"]
    if key in ("deadletter", "owed"):
        from xiangtan_jobs.common.models import DeadLetter, OwedTask

        if key == "owed":
            now = timezone.now()
            return OwedTask.objects.create(
                task="matching.match_posting", object_id=1, token="t", owed_at=now, run_after=now
            )
        return DeadLetter.objects.create(task="matching.match_posting", args="(1)", error="E", failed_at=timezone.now())
    if key == "attempt":
        from axes.models import AccessAttempt

        return AccessAttempt.objects.create(
            username="digest",
            ip_address="10.0.0.1",
            user_agent="",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/accounts/login/",
            failures_since_start=5,
        )
    if key == "token":
        from xiangtan_jobs.core.models import ApiToken
        from xiangtan_jobs.core.services import api_token_issue

        token = ApiToken(name="雨湖小程序", service_point=site_a["draft"].service_point)
        api_token_issue(token=token, actor=users["alice"])
        return token
    return site_a[key]


def _station_record(key: str, site_a: dict[str, Any], users: dict[str, Any]) -> Any:
    """Site A's course (a market may teach its trades) with dora enrolled; a youth station alice
    also operates, with a consultation slot dora booked and a consultation recorded (services)."""
    import datetime as dt

    from django.utils import timezone

    from stations import services as st
    from stations.models import Course
    from xiangtan_jobs.core.enums import MembershipRole
    from xiangtan_jobs.core.models import OperatorMembership

    dora = users["dora"]
    seeker = SeekerFactory(user=dora, name="赵翠兰")
    soon = timezone.localdate() + dt.timedelta(days=7)
    if key in ("course", "enrolment"):
        course = Course.objects.create(
            service_point=site_a["draft"].service_point,
            title="家政保洁培训",
            skill=Skill.objects.get(name="保洁员"),
            starts_on=soon,
            ends_on=soon,
            seats=10,
            place="雨湖零工市场二楼",
        )
        return course if key == "course" else st.course_enrol(course=course, seeker=seeker, actor=dora)
    station = _object("station", site_a, users)
    OperatorMembership.objects.create(user=users["alice"], service_point=station, role=MembershipRole.OPERATOR)
    start = timezone.now() + dt.timedelta(days=2)
    if key == "station_event":
        from stations.models import StationEvent

        event = StationEvent.objects.create(
            station=station,
            title="驿站宣讲会",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="驿站大厅",
        )
        st.event_signup(event=event, seeker=seeker, actor=dora)
        st.event_sync(event=event)
        return event
    if key == "project":
        from stations.models import ProjectFounder, ProjectMilestone, StartupProject

        project = StartupProject.objects.create(station=station, name="湘潭米粉小店", mentor="周老师")
        ProjectFounder.objects.create(project=project, seeker=seeker, role="店主")
        ProjectMilestone.objects.create(project=project, title="完成工商登记")
        st.project_service_record(
            project=project, kind="guidance", served_on=timezone.localdate(), actor=users["alice"]
        )
        return project
    slot = st.slot_create(station=station, topic="career", starts_at=start, ends_at=start + dt.timedelta(hours=1))
    if key == "slot":
        return slot
    booking = st.booking_create(slot=slot, seeker=seeker, actor=dora)
    if key == "booking":
        return booking
    return st.consultation_record(
        station=station, actor=users["alice"], topic="career", subject="求职方向", booking=booking
    )


def _market_record(key: str, site_a: dict[str, Any], alice: Any) -> Any:
    """Site A's gig order for today with one worker done, settled, insured and helped (markets' services)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from markets import services as gig
    from markets.models import GigMarket

    market = GigMarket.objects.get(pk=site_a["published"].service_point_id)
    day_gig = gig.day_gig_create(
        market=market,
        posting=site_a["published"],
        work_date=timezone.localdate(),
        starts_at=dt.time(7, 30),
        headcount=2,
        day_wage=Decimal("200"),
        actor=alice,
    )
    if key == "daygig":
        return day_gig
    a = gig.gig_assign(day_gig=day_gig, seeker=site_a["seeker"], source="walk_in", actor=alice)
    if key == "assignment":
        return a
    if key == "insurance":
        return gig.insurance_enrol(assignment=a, insurer="人保财险", premium=Decimal("3"), actor=alice)
    a = gig.gig_assignment_finish(assignment=a, status="done", actor=alice)
    settlement = gig.settlement_open(assignment=a, due_on=timezone.localdate(), actor=alice)
    if key == "settlement":
        return settlement
    if key == "unpaid_employer":  # the wage was due yesterday and is still unpaid
        from markets.models import UnpaidWageEmployer, WageSettlement

        yesterday = timezone.localdate() - dt.timedelta(days=1)
        type(day_gig).objects.filter(pk=day_gig.pk).update(work_date=yesterday)
        WageSettlement.objects.filter(pk=settlement.pk).update(due_on=yesterday)
        return UnpaidWageEmployer.objects.get(pk=site_a["published"].employer_id)
    return gig.rights_case_from_settlement(settlement=settlement, actor=alice)


@pytest.fixture
def users(alice, bob, charlie, dora):
    return {"alice": alice, "bob": bob, "charlie": charlie, "dora": dora}


def _snapshot(obj: Any) -> dict[str, Any]:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname != "last_login"}


def _id(c: Case) -> str:
    return c.admin


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("c", CASES, ids=_id)
def test_list_view_add(c: Case, actor: str, users, site_a, site_b, root):
    obj = _object(c.obj, site_a, users)
    client = client_for(actor, users)
    change_url = admin_url(c.admin, "change", obj.pk)

    resp = client.get(admin_url(c.admin, "changelist"))
    if actor in c.listing:
        assert resp.status_code == 200
        listed = change_url in resp.content.decode()
        assert listed == (actor in c.view), "a row is listed exactly when its change page may be seen"
        if actor == B:
            assert "雨湖零工市场" not in resp.content.decode() or c.admin in ("core_area",), "no site A name leaks"
    else:
        assert denied(actor, resp)

    resp = client.get(change_url)
    assert resp.status_code == 200 if actor in c.view else denied(actor, resp)

    resp = client.get(admin_url(c.admin, "add"))
    assert resp.status_code == 200 if actor in c.add else denied(actor, resp)

    history = client.get(admin_url(c.admin, "history", obj.pk))
    if actor in c.view:
        assert history.status_code == 200
    else:
        assert denied(actor, history)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("c", CASES, ids=_id)
def test_change_post(c: Case, actor: str, users, site_a, site_b, root):
    obj = _object(c.obj, site_a, users)
    change_url = admin_url(c.admin, "change", obj.pk)
    # The form as its rightful editor (or a superuser) sees it, so the POST is a valid one.
    editor = client_for(A if A in c.change else "root", {**users, "root": root})
    data = form_data(editor.get(change_url))
    if c.edit_field:
        data[c.edit_field] = "改过的内容"
    before = _snapshot(obj)

    resp = client_for(actor, users).post(change_url, data)
    if actor in c.change:
        assert resp.status_code == 302, getattr(resp, "context", None) and resp.context["adminform"].form.errors
        if c.edit_field:
            obj.refresh_from_db()
            assert getattr(obj, c.edit_field) == "改过的内容"
    else:
        assert denied(actor, resp)
        assert _snapshot(obj) == before


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("c", CASES, ids=_id)
def test_delete(c: Case, actor: str, users, site_a, site_b):
    obj = _object(c.obj, site_a, users)
    resp = client_for(actor, users).post(admin_url(c.admin, "delete", obj.pk), {"post": "yes"})
    exists = type(obj)._default_manager.filter(pk=obj.pk).exists()
    if actor in c.delete:
        assert resp.status_code == 302
        assert not exists
    else:
        assert denied(actor, resp)
        assert exists


def test_every_registered_model_has_a_case():
    from django.contrib import admin

    covered = {c.admin for c in CASES}
    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    # The dashboard's assessment admins are the bureau's alone (test below), not site-scoped.
    registered = {r for r in registered if not r.startswith("dashboard_")}
    assert registered == covered


@pytest.mark.parametrize("model", ["assessmentscheme", "assessmentmonth", "assessmentadjustment", "rolluprun"])
def test_dashboard_admins_are_the_bureaus_alone(client, users, model):
    url = f"/admin/dashboard/{model}/"
    for name, allowed in (("alice", False), ("bob", False), ("charlie", True)):
        client.force_login(users[name])
        assert (client.get(url).status_code == 200) is allowed, name


@pytest.mark.django_db
def test_superuser_manages_reference_data(root, ref):
    from django.test import Client

    client = Client()
    client.force_login(root)
    site = ServicePoint.objects.get(name="雨湖零工市场")
    assert client.get(admin_url("core_servicepoint", "change", site.pk)).status_code == 200
    assert client.get(admin_url("core_skill", "add")).status_code == 200
    assert client.get(admin_url("core_operatormembership", "add")).status_code == 200
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_admin_index(actor, users):
    resp = client_for(actor, users).get(reverse("admin:index"))
    if actor in ("dora", "anon"):
        assert is_login_redirect(resp)
    else:
        assert resp.status_code == 200
