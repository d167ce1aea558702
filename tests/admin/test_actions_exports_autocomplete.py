"""The rest of the matrix: each admin action, export and autocomplete, for every actor."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm

from matching.enums import MatchStatus
from tests.admin.helpers import ACTORS, admin_url, client_for, denied
from tests.factories import EmployerFactory
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.resources import PostingResource, SeekerExportResource


@pytest.fixture
def users(alice, bob, charlie, dora):
    return {"alice": alice, "bob": bob, "charlie": charlie, "dora": dora}


def _prepare(name: str, site_a):
    """(admin, object, how to read the state the action changes, the state it should reach)."""
    published, draft = site_a["published"], site_a["draft"]
    if name == "publish":
        return "core_jobposting", draft, lambda o: o.status, PostingStatus.PUBLISHED
    if name == "close":
        return "core_jobposting", published, lambda o: o.status, PostingStatus.CLOSED
    if name == "mark_filled":
        return "core_jobposting", published, lambda o: o.status, PostingStatus.FILLED
    if name == "relist":
        JobPosting.objects.filter(pk=published.pk).update(status=PostingStatus.EXPIRED)
        return "core_jobposting", published, lambda o: o.status, PostingStatus.PUBLISHED
    if name == "duplicate":
        return "core_jobposting", draft, lambda o: JobPosting.objects.filter(title=o.title).count(), 2
    if name == "verify":
        employer = EmployerFactory(service_point=draft.service_point, verified=False, verified_at=None)
        return "core_employer", employer, lambda o: o.verified, True
    if name == "mark_employed":
        return "core_seekerregistration", site_a["seeker"], lambda o: o.status, SeekerStatus.EMPLOYED
    if name == "pause":
        return "core_seekerregistration", site_a["seeker"], lambda o: o.status, SeekerStatus.PAUSED
    if name == "to_contacted":
        return "matching_match", site_a["match"], lambda o: o.status, MatchStatus.CONTACTED
    raise AssertionError(name)


ACTIONS = ["publish", "close", "mark_filled", "relist", "duplicate", "verify", "mark_employed", "pause", "to_contacted"]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ACTIONS)
def test_action(action, actor, users, site_a, site_b):
    admin_name, obj, state, target = _prepare(action, site_a)
    obj.refresh_from_db()
    before = state(obj)
    resp = client_for(actor, users).post(
        admin_url(admin_name, "changelist"), {"action": action, ACTION_CHECKBOX_NAME: [obj.pk]}
    )
    obj.refresh_from_db()
    # Verifying an employer is a review: the bureau may, the site's operator may not.
    allowed = "charlie" if action == "verify" else "alice"
    if actor == allowed:
        assert resp.status_code == 302
        assert state(obj) == target
    else:
        assert denied(actor, resp)
        assert state(obj) == before


@pytest.mark.django_db
def test_an_action_naming_another_sites_row_is_refused_whole(alice, site_a, site_b, client):
    """Mixing one's own row with another site's: 403, and neither changes."""
    client.force_login(alice)
    resp = client.post(
        admin_url("core_jobposting", "changelist"),
        {"action": "close", ACTION_CHECKBOX_NAME: [site_a["published"].pk, site_b["posting"].pk]},
    )
    assert resp.status_code == 403
    site_a["published"].refresh_from_db()
    site_b["posting"].refresh_from_db()
    assert site_a["published"].status == site_b["posting"].status == PostingStatus.PUBLISHED


def _export(client, admin_name, resource):
    fields = {
        SelectableFieldsExportForm.create_boolean_field_name(resource, f): "on" for f in resource().get_export_order()
    }
    return client.post(admin_url(admin_name, "export"), {"format": "0", **fields})


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_export_postings_scoped(actor, users, site_a, site_b):
    client = client_for(actor, users)
    page = client.get(admin_url("core_jobposting", "export"))
    resp = _export(client, "core_jobposting", PostingResource)
    if actor in ("dora", "anon"):
        assert denied(actor, page) and denied(actor, resp)
        return
    assert page.status_code == 200
    assert resp.status_code == 200
    text = resp.content.decode("utf-8-sig")
    assert ("雨湖搬运工" in text) == (actor in ("alice", "charlie"))
    assert ("岳塘护工" in text) == (actor in ("bob", "charlie"))


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_export_seekers_scoped_and_masked(actor, users, site_a, site_b):
    resp = _export(client_for(actor, users), "core_seekerregistration", SeekerExportResource)
    if actor in ("dora", "anon"):
        assert denied(actor, resp)
        return
    text = resp.content.decode("utf-8-sig")
    assert "13911112222" not in text and "430302199001011234" not in text and "李桂兰" not in text
    assert ("139****2222" in text) == (actor in ("alice", "charlie"))
    assert ("139****4444" in text) == (actor in ("bob", "charlie"))


AUTOCOMPLETE = [
    # (source app, source model, field, text of a site-A choice, who may see it)
    ("core", "jobposting", "employer", "雨湖保洁服务有限公司", {"alice", "charlie"}),
    ("core", "servicerecord", "seeker", "李** 139****2222", {"alice", "charlie"}),
    ("core", "postingskill", "skill", "保洁员", {"alice", "bob", "charlie"}),
    ("core", "jobposting", "area", "雨湖路街道", {"alice", "bob", "charlie"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("source", AUTOCOMPLETE, ids=lambda s: f"{s[1]}.{s[2]}")
def test_autocomplete(source, actor, users, site_a, site_b):
    app, model, field, text, allowed = source
    term = text.split()[0][:2] if field != "seeker" else "2222"
    resp = client_for(actor, users).get(
        reverse("admin:autocomplete"), {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    if actor in ("dora", "anon"):
        assert denied(actor, resp)
        return
    assert resp.status_code == 200
    texts = [r["text"] for r in resp.json()["results"]]
    assert (text in texts) == (actor in allowed)
    assert all("13911112222" not in t for t in texts)


@pytest.mark.django_db
def test_raw_id_popup_is_scoped(bob, site_a, site_b, client):
    client.force_login(bob)
    resp = client.get(admin_url("core_employer", "changelist"), {"_popup": "1", "_to_field": "id"})
    assert resp.status_code == 200
    assert "雨湖保洁服务有限公司" not in resp.content.decode()
    assert "岳塘护理服务有限公司" in resp.content.decode()


@pytest.mark.django_db
def test_fk_choices_are_limited_to_the_operators_site(bob, site_a, site_b, client):
    """A forged POST naming site A's employer is a form error for bob; nothing is created."""
    client.force_login(bob)
    before = JobPosting.objects.count()
    resp = client.post(
        admin_url("core_jobposting", "add"),
        {
            "employer": site_a["employer"].pk,
            "title": "伪造的岗位",
            "area": site_a["draft"].area_id,
            "lat": 27.87,
            "lng": 112.91,
            "work_type": "day",
            "wage_min": 100,
            "wage_max": 200,
            "wage_unit": "day",
            "headcount": 1,
            "channel": "gig_market",
            "posting_skills-TOTAL_FORMS": 0,
            "posting_skills-INITIAL_FORMS": 0,
        },
    )
    assert resp.status_code == 200
    assert "employer" in resp.context["adminform"].form.errors
    assert JobPosting.objects.count() == before


@pytest.mark.django_db
def test_multi_site_operator_chooses_among_their_sites_only(alice, yuhu, yuetang_nursing, site_b, client):
    from tests.factories import ServicePointFactory
    from xiangtan_jobs.core.models import OperatorMembership

    third = ServicePointFactory(name="湘潭县测试零工驿站")
    OperatorMembership.objects.create(user=alice, service_point=third)
    client.force_login(alice)
    resp = client.get(admin_url("core_siteevent", "add"))
    choices = {str(c[1]) for c in resp.context["adminform"].form.fields["service_point"].choices}
    assert choices == {"---------", yuhu.name, third.name}
    page = client.get(admin_url("core_jobposting", "changelist")).content.decode()
    assert third.name in page and yuetang_nursing.name not in page  # the site filter lists only hers
