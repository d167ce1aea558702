"""Invitations: fair staff invite the seekers whose recommendations include the fair's posts (inbox
and SMS, once per fair); the seeker answers yes/no; a check-in marks attended without an answer;
staff mark hired; every step reversible and logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fairs.enums import InvitationStatus
from fairs.models import FairInvitation
from fairs.services import (
    fair_invite_recommended,
    invitation_allowed,
    invitation_set_status,
    signup_check_in,
    signup_create,
)
from matching.enums import MatchStatus
from matching.models import Match
from tests.clock import NOON
from tests.factories import SeekerFactory, UserFactory
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import SeekerStatus
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommended(fair, seeker):
    """dora's seeker has the fair's cleaning post among her current recommendations; another
    seeker only one that is not at the fair; a paused one is recommended too."""
    Match.objects.create(posting=fair.p["clean"], seeker=seeker, score=70, is_current=True)
    paused = SeekerFactory(user=UserFactory(), status=SeekerStatus.PAUSED)
    Match.objects.create(posting=fair.p["clean"], seeker=paused, score=70, is_current=True)
    applied = SeekerFactory(user=UserFactory())
    Match.objects.create(
        posting=fair.p["welder"], seeker=applied, score=70, is_current=True, status=MatchStatus.APPLIED
    )
    return seeker


def test_invite_the_recommended_once(fair, recommended, alice):
    assert fair_invite_recommended(fair=fair, actor=alice) == 1
    assert fair_invite_recommended(fair=fair, actor=alice) == 0
    invitation = FairInvitation.objects.get()
    assert (invitation.seeker, invitation.status) == (recommended, InvitationStatus.INVITED)
    msg = InboxMessage.objects.get(user=recommended.user)
    assert msg.title == "招聘会邀请" and msg.link == f"/fairs/{fair.pk}/"
    assert list(SmsOutbox.objects.values_list("phone", flat=True)) == [recommended.phone]
    assert [(e.from_status, e.to_status) for e in invitation.events.all()] == [("", "invited")]


def test_seeker_answers_and_changes_their_mind(client, fair, recommended, alice, dora):
    fair_invite_recommended(fair=fair, actor=alice)
    invitation = FairInvitation.objects.get()
    client.force_login(dora)
    p = page(client.get(f"/fairs/{fair.pk}/"))
    box = p.find("section", class_="invitation")
    assert box.find("h2").text() == "您收到了这场招聘会的邀请"
    assert [b["value"] for b in box.find_all("button")] == ["yes", "no"]
    url = f"/fairs/invitations/{invitation.pk}/answer/"
    response = client.post(url, {"answer": "yes"}, follow=True)
    assert messages_of(response) == ["谢谢答复！记得在下面选一天报名，凭入场码入场。"]
    response = client.post(url, {"answer": "no"}, follow=True)
    assert messages_of(response) == ["已收到您的答复。改主意了随时可以再点「参加」。"]
    response = client.post(url, {"answer": "hired"}, follow=True)
    assert messages_of(response) == ["请选择「参加」或「不参加」。"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.NO
    assert [(e.from_status, e.to_status) for e in invitation.events.all()] == [
        ("", "invited"),
        ("invited", "yes"),
        ("yes", "no"),
    ]
    # Nobody else answers for them.
    client.force_login(SeekerFactory(user=UserFactory()).user)
    assert client.post(url, {"answer": "yes"}).status_code == 404


def test_check_in_marks_attended_without_an_answer_and_back_again(frozen_clock, fair, recommended, alice, dora):
    fair_invite_recommended(fair=fair, actor=alice)
    signup = signup_create(session=fair.sessions.first(), seeker=recommended, actor=dora)
    frozen_clock.move_to(NOON + dt.timedelta(days=3))
    signup_check_in(fair=fair, code=signup.code, actor=alice)
    invitation = FairInvitation.objects.get()
    assert invitation.status == InvitationStatus.ATTENDED
    assert invitation_allowed(invitation=invitation) == ["hired", "invited"]
    invitation_set_status(invitation=invitation, status=InvitationStatus.HIRED, actor=alice)
    # Reversible: hired → attended → back to where it was before attending.
    invitation_set_status(invitation=invitation, status=InvitationStatus.ATTENDED, actor=alice)
    invitation_set_status(invitation=invitation, status=InvitationStatus.INVITED, actor=alice)
    assert [e.to_status for e in invitation.events.all()] == ["invited", "attended", "hired", "attended", "invited"]
    assert {e.actor for e in invitation.events.all()} == {alice}


def test_steps_that_do_not_exist_are_refused(fair, recommended, alice, dora):
    fair_invite_recommended(fair=fair, actor=alice)
    invitation = FairInvitation.objects.get()
    with pytest.raises(ValidationError) as exc:
        invitation_set_status(invitation=invitation, status=InvitationStatus.HIRED, actor=alice)
    assert exc.value.messages == ["不能从「已邀请」改为「已找到工作」"]
    invitation_set_status(invitation=invitation, status=InvitationStatus.ATTENDED, actor=alice)
    with pytest.raises(ValidationError):  # the seeker only answers yes or no
        invitation_set_status(invitation=invitation, status=InvitationStatus.HIRED, actor=dora)


def test_admin_invites_and_moves_only_for_the_organising_site(client, fair, recommended, alice, bob):
    client.force_login(bob)
    response = client.post(
        "/admin/fairs/jobfair/", {"action": "invite_recommended", "_selected_action": [fair.pk]}, follow=True
    )
    assert response.status_code == 403
    assert not FairInvitation.objects.exists()
    client.force_login(alice)
    response = client.post(
        "/admin/fairs/jobfair/", {"action": "invite_recommended", "_selected_action": [fair.pk]}, follow=True
    )
    assert "「雨湖春季专场招聘会」：已邀请 1 人。" in [str(m) for m in response.context["messages"]]
    invitation = FairInvitation.objects.get()
    response = client.post(
        "/admin/fairs/fairinvitation/",
        {"action": "mark_attended", "_selected_action": [invitation.pk]},
        follow=True,
    )
    assert "已改为「已到场」：1 条；不能这样改的：0 条。" in [str(m) for m in response.context["messages"]]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ATTENDED
    html = client.get(f"/admin/fairs/fairinvitation/{invitation.pk}/change/").content.decode()
    assert recommended.phone not in html and recommended.masked_phone in html
