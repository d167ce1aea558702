"""The operators' daily work through the admin: postings, review, walk-in desk, records, matches."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pytest_django.asserts import assertContains

from matching.enums import MatchStatus
from tests.admin.helpers import admin_url
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, skill, street
from xiangtan_jobs.common.validators import credit_code_check_char, resident_id_check_char
from xiangtan_jobs.core import services
from xiangtan_jobs.core.enums import ConsentMethod, PostingStatus, ServiceKind
from xiangtan_jobs.core.models import (
    AccessLog,
    Employer,
    JobPosting,
    SeekerRegistration,
    ServiceRecord,
    SiteEvent,
)

MATCH_POSTING = "matching.match_posting"


def _act(client, admin_name, action, *objs, follow=False, **extra):
    return client.post(
        admin_url(admin_name, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objs], **extra},
        follow=follow,
    )


def _posting_form(employer, **over):
    area = street()
    data = {
        "employer": employer.pk,
        "channel": "gig_market",
        "title": "小区保洁（日结）",
        "description": "",
        "area": area.pk,
        "address": "",
        "lat": "27.87",
        "lng": "112.91",
        "work_type": "day",
        "wage_min": "180",
        "wage_max": "200",
        "wage_unit": "day",
        "headcount": "2",
        # "shifts": tick boxes, none ticked, so a browser sends nothing for them
        "schedule_note": "",
        "contact_name": "",
        "contact_phone": "",
        "expires_on": "",
        "external_ref": "",
        "posting_skills-TOTAL_FORMS": "1",
        "posting_skills-INITIAL_FORMS": "0",
        "posting_skills-0-skill": skill("保洁员").pk,
        "posting_skills-0-required": "on",
        "posting_skills-0-min_level": "1",
    }
    data.update(over)
    return data


# --- posting lifecycle ------------------------------------------------------------------------


@pytest.mark.django_db
def test_posting_lifecycle(client, alice, yuhu, sent_tasks, django_capture_on_commit_callbacks):
    employer = EmployerFactory(service_point=yuhu)
    client.force_login(alice)

    resp = client.post(admin_url("core_jobposting", "add"), _posting_form(employer))
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    posting = JobPosting.objects.get(title="小区保洁（日结）")
    # Tied to alice's only site without her choosing; derived fields kept up to date.
    assert posting.service_point == yuhu
    assert posting.created_by == alice
    assert posting.status == PostingStatus.DRAFT
    assert posting.district_id == street().parent_id
    assert posting.wage_daily == 200
    assert "保洁员" in posting.search_text

    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "core_jobposting", "publish", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED and posting.published_at is not None
    assert posting.expires_on == timezone.localdate() + dt.timedelta(days=30)
    assert (MATCH_POSTING, [posting.pk]) in sent_tasks

    # Published postings are not deletable by an operator, only closed.
    assert client.post(admin_url("core_jobposting", "delete", posting.pk), {"post": "yes"}).status_code == 403

    _act(client, "core_jobposting", "mark_filled", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FILLED and posting.closed_at is not None

    # An expired posting comes back with a fresh date.
    JobPosting.objects.filter(pk=posting.pk).update(
        status=PostingStatus.EXPIRED, expires_on=timezone.localdate() - dt.timedelta(days=3)
    )
    sent_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "core_jobposting", "relist", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    assert posting.expires_on > timezone.localdate()
    assert sent_tasks == [(MATCH_POSTING, [posting.pk])]

    _act(client, "core_jobposting", "close", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED

    _act(client, "core_jobposting", "duplicate", posting)
    copy = JobPosting.objects.exclude(pk=posting.pk).get(title=posting.title)
    assert copy.status == PostingStatus.DRAFT and copy.service_point == yuhu
    assert list(copy.skills.values_list("name", flat=True)) == ["保洁员"]

    # Editing the title keeps the search text in step; the change is in the history with its author.
    data = _posting_form(employer, title="小区保洁员（日结）")
    data.update({"posting_skills-TOTAL_FORMS": "0"})
    assert client.post(admin_url("core_jobposting", "change", copy.pk), data).status_code == 302
    copy.refresh_from_db()
    assert "小区保洁员" in copy.search_text
    assert copy.history.first().history_user == alice
    assert client.get(admin_url("core_jobposting", "history", posting.pk)).status_code == 200


@pytest.mark.django_db
def test_a_wrong_transition_changes_nothing_and_says_why(client, alice, site_a):
    client.force_login(alice)
    resp = _act(client, "core_jobposting", "mark_filled", site_a["draft"], follow=True)
    site_a["draft"].refresh_from_db()
    assert site_a["draft"].status == PostingStatus.DRAFT
    told = [(m.level_tag, str(m)) for m in resp.context["messages"]]
    assert len(told) == 1 and told[0][0] == "warning" and "不能标记为已招满" in told[0][1], told


# --- employers and the review rule --------------------------------------------------------------


def _credit_code(body: str = "91430300MA4L000000"[:17]) -> str:
    return body + credit_code_check_char(body)


@pytest.mark.django_db
def test_employer_credit_code_is_normalised_then_validated(client, alice, yuhu):
    client.force_login(alice)
    code = _credit_code()
    data = {
        "name": "湘潭测试有限公司",
        "credit_code": " " + code.lower() + " ",
        "contact_name": "",
        "contact_phone": "",
    }
    data.update({"address": "", "area": ""})
    assert client.post(admin_url("core_employer", "add"), data).status_code == 302
    employer = Employer.objects.get(name="湘潭测试有限公司")
    assert employer.credit_code == code and employer.service_point == yuhu and not employer.verified

    bad = {**data, "name": "错误代码公司", "credit_code": code[:-1] + ("0" if code[-1] != "0" else "1")}
    resp = client.post(admin_url("core_employer", "add"), bad)
    assert resp.status_code == 200
    assert "校验码不对" in str(resp.context["adminform"].form.errors["credit_code"])

    # Alice registered the employer; verifying it is her site's reviewer's (or the bureau's) job.
    assert _act(client, "core_employer", "verify", employer).status_code in (403, 404)
    employer.refresh_from_db()
    assert not employer.verified


@pytest.mark.django_db
def test_unverified_employer_posting_waits_for_the_sites_reviewer(
    client, alice, erin, bob, yuhu, sent_tasks, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(service_point=yuhu, verified=False, verified_at=None)
    posting = PostingFactory(employer=employer, service_point=yuhu, status=PostingStatus.DRAFT, published_at=None)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "core_jobposting", "publish", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PENDING_REVIEW
    assert sent_tasks == []

    # Alice operates but does not review: the actions are not hers (403), and the service agrees.
    assert _act(client, "core_jobposting", "approve", posting).status_code == 403
    with pytest.raises(PermissionDenied):
        services.posting_approve(posting=posting, actor=alice)
    with pytest.raises(PermissionDenied):
        services.posting_approve(posting=posting, actor=bob)

    client.force_login(erin)
    # Rejecting asks for the reason first, then sends the posting back with it.
    page = _act(client, "core_jobposting", "reject", posting)
    assert page.status_code == 200 and "不通过的原因" in page.content.decode()
    _act(client, "core_jobposting", "reject", posting, reason="工资低于最低工资标准")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REJECTED and posting.review_note == "工资低于最低工资标准"

    # Fixed and resubmitted by alice, approved by erin: public, and matching starts.
    client.force_login(alice)
    _act(client, "core_jobposting", "publish", posting)
    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "core_jobposting", "approve", posting)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED and posting.review_note == ""
    assert sent_tasks == [(MATCH_POSTING, [posting.pk])]


# --- walk-in desk -------------------------------------------------------------------------------


def _resident_id() -> str:
    body = "43030219850612002"
    return body + resident_id_check_char(body)


def _registration_form(**over):
    data = {
        "name": "周建国",
        "phone": "139 0000 1111",
        "id_number_input": _resident_id(),
        "birth_year": "1985",
        "area": street().pk,
        "home_lat": "",
        "home_lng": "",
        "travel_km": "10",
        "work_types": ["day"],
        "expected_wage": "",
        "expected_unit": "",
        "tags": ["older"],
        "status": "active",
        "note": "",
        "seeker_skills-TOTAL_FORMS": "1",
        "seeker_skills-INITIAL_FORMS": "0",
        "seeker_skills-0-skill": skill("保洁员").pk,
        "seeker_skills-0-level": "3",
        "seeker_skills-0-years": "5",
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_walk_in_registration(client, alice, yuhu, sent_tasks, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(admin_url("core_seekerregistration", "add"), _registration_form())
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    reg = SeekerRegistration.objects.get(name="周建国")
    assert reg.phone == "13900001111" and reg.id_number == _resident_id()
    assert reg.consent_method == ConsentMethod.PAPER and reg.consent_version
    assert reg.service_point == yuhu and reg.registered_by == alice
    assert (reg.home_lat, reg.home_lng) == (street().lat, street().lng)
    assert reg.tags == ["older"] and reg.work_types == ["day"]
    assert list(reg.skills.values_list("name", flat=True)) == ["保洁员"]
    assert ServiceRecord.objects.filter(seeker=reg, kind=ServiceKind.REGISTRATION, service_point=yuhu).exists()
    assert ("matching.match_seeker", [reg.pk]) in sent_tasks

    # The same phone again is refused, without saying where the other registration is.
    again = client.post(admin_url("core_seekerregistration", "add"), _registration_form(name="周建设"))
    assert again.status_code == 200 and "已有求职登记" in str(again.context["adminform"].form.errors["phone"])


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["13911112222", "139 1111 2222", "2222", "李桂兰"])
def test_find_a_seeker_by_phone_or_name_masked(term, client, alice, site_a, site_b):
    client.force_login(alice)
    page = client.get(admin_url("core_seekerregistration", "changelist"), {"q": term}).content.decode()
    # The results table (the search box itself echoes what the operator typed).
    start = page.index("<tbody>", page.index('id="result_list"'))
    # Links carry the typed query back (_changelist_filters); the data shown is what matters.
    page = re.sub(r'href="[^"]*"', "", page[start : page.index("</table>", start)])
    assert "139****2222" in page and "李**" in page
    assert "13911112222" not in page and "李桂兰" not in page
    assert "139****4444" not in page  # bob's seeker, even though his name would not match either


@pytest.mark.django_db
def test_full_phone_only_for_the_seekers_own_site_and_logged(client, alice, charlie, site_a):
    seeker = site_a["seeker"]
    url = admin_url("core_seekerregistration", "change", seeker.pk)
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "13911112222" in page
    assert "430302199001011234" not in page and "430***********1234" in page
    assert AccessLog.objects.filter(user=alice, seeker=seeker, action="view_phone").count() == 2  # + fixture's

    client.force_login(charlie)
    page = client.get(url).content.decode()
    assert "13911112222" not in page and "139****2222" in page
    assert not AccessLog.objects.filter(user=charlie).exists()


# --- service records and events -----------------------------------------------------------------


@pytest.mark.django_db
def test_service_record_and_event_are_tied_to_the_operators_site(client, alice, yuhu, site_a):
    client.force_login(alice)
    now = timezone.localtime()
    resp = client.post(
        admin_url("core_servicerecord", "add"),
        {
            "seeker": site_a["seeker"].pk,
            "kind": ServiceKind.RIGHTS,
            "served_at_0": now.date().isoformat(),
            "served_at_1": now.strftime("%H:%M:%S"),
            "note": "工资拖欠咨询",
        },
    )
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    record = ServiceRecord.objects.get(note="工资拖欠咨询")
    assert record.service_point == yuhu and record.served_by == alice

    resp = client.post(
        admin_url("core_siteevent", "add"),
        {
            "title": "护理专场招聘",
            "kind": "recruitment",
            "starts_at_0": now.date().isoformat(),
            "starts_at_1": "09:00:00",
            "ends_at_0": now.date().isoformat(),
            "ends_at_1": "12:00:00",
            "venue": "雨湖零工市场大厅",
            "employer_count": "12",
            "post_count": "80",
            "attendance": "150",
            "intentions": "30",
        },
    )
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    event = SiteEvent.objects.get(title="护理专场招聘")
    assert event.service_point == yuhu and event.created_by == alice and event.attendance == 150


# --- match pipeline -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_match_pipeline_with_history(client, alice, site_a):
    match = site_a["match"]
    client.force_login(alice)
    page = client.get(admin_url("matching_match", "changelist"), {"posting__id__exact": match.posting_id})
    assertContains(page, '<td class="field-score_display">80</td>', html=True)
    assertContains(page, '<td class="field-reasons_display">技能匹配: 搬运工 ✓</td>', html=True)

    # Skipping ahead is refused with a reason; nothing changes.
    resp = _act(client, "matching_match", "to_hired", match)
    match.refresh_from_db()
    assert match.status == MatchStatus.RECOMMENDED and resp.status_code == 302

    for step in ("to_contacted", "to_interview", "to_contacted", "to_interview", "to_intention", "to_hired"):
        # The interview step asks for its time and place first (both optional).
        _act(client, "matching_match", step, match, **({"interview_form": "1"} if step == "to_interview" else {}))
    match.refresh_from_db()
    assert match.status == MatchStatus.HIRED
    assert match.status_changed_by == alice and match.status_changed_at is not None
    statuses = list(match.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["recommended", "contacted", "interview", "contacted", "interview", "intention", "hired"]
    assert {h.history_user_id for h in match.history.all()[:6]} == {alice.pk}
    assert client.get(admin_url("matching_match", "history", match.pk)).status_code == 200


@pytest.mark.django_db
def test_match_list_shows_the_engines_reasons_in_words_even_after_a_full_rematch(client, alice, yuhu):
    """The nightly rematch stores scores without words; the operator's list explains them."""
    from matching.models import Match
    from matching.services import rematch_inline

    posting = PostingFactory(service_point=yuhu, skills=[("保洁员", True, 1)])
    SeekerFactory(skills=[("保洁员", 3, False)])
    rematch_inline()
    assert Match.objects.get(posting=posting).reasons == []
    client.force_login(alice)
    page = client.get(admin_url("matching_match", "changelist")).content.decode()
    assert "技能匹配" in page and "保洁员" in page
    assert Match.objects.get(posting=posting).reasons  # kept for the next view
