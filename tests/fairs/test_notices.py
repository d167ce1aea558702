"""A changed or cancelled fair tells everyone signed up (inbox and SMS through the one outbox),
once per change; those who cancelled, or whose day is over, are not told."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.enums import FairStatus
from fairs.models import FairSession, JobFair
from fairs.services import fair_snapshot, fair_tell_changes, signup_cancel, signup_create
from tests.admin.helpers import form_data
from tests.factories import SeekerFactory, UserFactory
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_signed_up(fair, seeker, dora):
    other = SeekerFactory(user=UserFactory())
    gone = SeekerFactory(user=UserFactory())
    first = fair.sessions.first()
    signup_create(session=first, seeker=seeker, actor=dora)
    signup_create(session=fair.sessions.last(), seeker=other, actor=other.user)
    signup_cancel(signup=signup_create(session=first, seeker=gone, actor=gone.user), actor=gone.user)
    return seeker, other, gone


def test_cancelled_fair_tells_each_signed_up_once(fair, two_signed_up):
    seeker, other, gone = two_signed_up
    before = fair_snapshot(fair_id=fair.pk)
    JobFair.objects.filter(pk=fair.pk).update(status=FairStatus.CANCELLED)
    assert fair_tell_changes(fair=fair, before=before) == 2
    assert fair_tell_changes(fair=fair, before=before) == 2  # a re-save: nothing new goes out
    assert InboxMessage.objects.filter(title="招聘会取消").count() == 2
    assert not InboxMessage.objects.filter(user=gone.user).exists()
    texts = sorted(SmsOutbox.objects.values_list("phone", "text"))
    first, second = fair.sessions.all()

    def text(day: dt.date) -> str:
        return f"您报名的「雨湖春季专场招聘会」（{day.month}月{day.day}日）已取消，入场码作废。咨询电话 0731-58533441。"

    assert texts == sorted([(seeker.phone, text(first.date)), (other.phone, text(second.date))])


def test_a_moved_day_tells_only_that_days_seekers_and_again_on_a_second_change(fair, two_signed_up):
    seeker, other, _gone = two_signed_up
    first = fair.sessions.first()
    before = fair_snapshot(fair_id=fair.pk)
    FairSession.objects.filter(pk=first.pk).update(starts_at=dt.time(9), ends_at=dt.time(12))
    assert fair_tell_changes(fair=fair, before=before) == 1
    msg = InboxMessage.objects.get(user=seeker.user)
    assert msg.body == (
        f"您报名的「雨湖春季专场招聘会」有变动：现在是 {first.date.month}月{first.date.day}日 09:00–12:00，"
        "地点 雨湖零工市场大厅（雨湖区湘潭汽车站旁）。入场码不变。"
    )
    assert msg.link == f"/fairs/{fair.pk}/"
    before = fair_snapshot(fair_id=fair.pk)
    FairSession.objects.filter(pk=first.pk).update(starts_at=dt.time(14), ends_at=dt.time(17))
    assert fair_tell_changes(fair=fair, before=before) == 1
    assert InboxMessage.objects.filter(user=seeker.user).count() == 2
    assert not InboxMessage.objects.filter(user=other.user).exists()
    # Phones are encrypted at rest: compare what the outbox reads back.
    assert list(SmsOutbox.objects.values_list("phone", flat=True)) == [seeker.phone] * 2


def test_a_moved_venue_tells_everyone_and_an_unchanged_save_nobody(fair, two_signed_up):
    before = fair_snapshot(fair_id=fair.pk)
    assert fair_tell_changes(fair=fair, before=before) == 0
    JobFair.objects.filter(pk=fair.pk).update(venue="雨湖区人才市场")
    assert fair_tell_changes(fair=fair, before=before) == 2


def test_cancel_through_the_admin_tells_them(client, fair, two_signed_up, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pass-12345", role="bureau")
    client.force_login(root)
    url = f"/admin/fairs/jobfair/{fair.pk}/change/"
    data = form_data(client.get(url))
    data["status"] = FairStatus.CANCELLED
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "已通知 2 位报名的求职者（站内信和短信）。" in [str(m) for m in response.context["messages"]]
    assert InboxMessage.objects.filter(title="招聘会取消").count() == 2
