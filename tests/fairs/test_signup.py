"""Seekers sign up for a fair day: once per day, within capacity, not for a past or cancelled day;
a ticket with a server-drawn QR code on its own page and on /me/; cancel frees the place; before
the day, 「到场重点看这几家」 ranked by the matching engine with its reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fairs.enums import FairStatus, SignupStatus
from fairs.models import TICKET_ALPHABET, TICKET_LENGTH, FairSignup, JobFair, ticket_code_normalise
from fairs.services import signup_cancel, signup_create
from tests.clock import TODAY
from tests.factories import SeekerFactory, UserFactory
from tests.fairs.conftest import make_fair
from tests.fairs.html import messages_of, page

pytestmark = pytest.mark.django_db


def _sign_up(client, fair, session):
    return client.post(f"/fairs/{fair.pk}/signup/", {"session": session.pk}, follow=True)


def test_sign_up_gives_a_ticket_with_a_qr_code(client, fair, seeker, dora):
    client.force_login(dora)
    first = fair.sessions.first()
    response = _sign_up(client, fair, first)
    signup = FairSignup.objects.get(seeker=seeker)
    assert response.redirect_chain[-1][0] == f"/fairs/tickets/{signup.pk}/"
    assert messages_of(response) == [f"报名成功：{first.date:%Y-%m-%d}。入场时出示下面的入场码。"]
    p = page(response)
    assert p.find("strong", class_="code").text() == signup.code_display
    assert p.find("svg", class_="ticket-qr") is not None  # drawn on the server, inline
    assert p.find("form", action=f"/fairs/tickets/{signup.pk}/cancel/") is not None
    assert len(signup.code) == TICKET_LENGTH and set(signup.code) <= set(TICKET_ALPHABET)
    # The fair's page now says so instead of offering the button for that day.
    days = page(client.get(f"/fairs/{fair.pk}/")).find("ul", class_="fair-days").find_all("li", class_="card")
    assert days[0].find("a", href=f"/fairs/tickets/{signup.pk}/") is not None
    assert days[0].find("form") is None and days[1].find("form") is not None


def test_ticket_shown_on_my_page(client, fair, seeker, dora):
    client.force_login(dora)
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    block = page(client.get("/me/")).find("ul", class_="tickets")
    assert block.find("a", href=f"/fairs/tickets/{signup.pk}/").text() == "雨湖春季专场招聘会"
    assert block.find("strong", class_="code").text() == signup.code_display
    assert block.find("svg") is not None


def test_once_per_day(client, fair, seeker, dora):
    client.force_login(dora)
    first = fair.sessions.first()
    _sign_up(client, fair, first)
    response = _sign_up(client, fair, first)
    assert messages_of(response) == ["您已经报名了这一天，入场码在「我的」页面。"]
    assert FairSignup.objects.filter(seeker=seeker).count() == 1
    # Another day of the same fair is another sign-up.
    _sign_up(client, fair, fair.sessions.last())
    assert FairSignup.objects.filter(seeker=seeker).count() == 2


def test_capacity_respected(frozen_clock, yuhu, seeker, dora):
    fair = make_fair(site=yuhu, days=(2,), capacity=1)
    session = fair.sessions.get()
    other = SeekerFactory(user=UserFactory())
    signup_create(session=session, seeker=other, actor=other.user)
    with pytest.raises(ValidationError) as exc:
        signup_create(session=session, seeker=seeker, actor=dora)
    assert exc.value.code == "full"
    # A cancelled sign-up frees its place.
    signup_cancel(signup=FairSignup.objects.get(seeker=other), actor=other.user)
    assert signup_create(session=session, seeker=seeker, actor=dora).status == SignupStatus.SIGNED_UP


def test_full_day_says_so_on_the_page(client, frozen_clock, yuhu, seeker):
    fair = make_fair(site=yuhu, days=(2,), capacity=1)
    other = SeekerFactory(user=UserFactory())
    signup_create(session=fair.sessions.get(), seeker=other, actor=other.user)
    day = page(client.get(f"/fairs/{fair.pk}/")).find("ul", class_="fair-days").find("li")
    assert day.find("p", class_="notice").text() == "名额已满。可以选其他日期，或直接到现场。"
    assert day.find("form") is None


def test_places_left_shown(client, frozen_clock, yuhu):
    fair = make_fair(site=yuhu, days=(2,), capacity=3)
    other = SeekerFactory(user=UserFactory())
    signup_create(session=fair.sessions.get(), seeker=other, actor=other.user)
    day = page(client.get(f"/fairs/{fair.pk}/")).find("ul", class_="fair-days").find("li")
    assert "还剩 2 个名额" in [p_.text() for p_ in day.find_all("p")]


def test_past_or_cancelled_day_refused(frozen_clock, yuhu, seeker, dora):
    past = make_fair(site=yuhu, title="已结束", days=(-1,))
    with pytest.raises(ValidationError) as exc:
        signup_create(session=past.sessions.get(), seeker=seeker, actor=dora)
    assert exc.value.code == "past"
    gone = make_fair(site=yuhu, title="取消了", days=(5,))
    JobFair.objects.filter(pk=gone.pk).update(status=FairStatus.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        signup_create(session=gone.sessions.get(), seeker=seeker, actor=dora)
    assert exc.value.code == "fair_closed"


def test_anonymous_and_unregistered_are_sent_on(client, fair, django_user_model):
    session = fair.sessions.first()
    response = client.post(f"/fairs/{fair.pk}/signup/", {"session": session.pk})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(django_user_model.objects.create_user("13700000000", password="x-12345678"))
    response = client.post(f"/fairs/{fair.pk}/signup/", {"session": session.pk}, follow=True)
    assert messages_of(response) == ["报名前请先做求职登记，只要几分钟。"]
    assert not FairSignup.objects.exists()


def test_bad_session_input(client, fair, seeker, dora):
    other = make_fair(title="别的招聘会", days=(6,))
    client.force_login(dora)
    for value in ("", "abc", "99999999999999999999", str(other.sessions.get().pk)):
        response = client.post(f"/fairs/{fair.pk}/signup/", {"session": value}, follow=True)
        assert messages_of(response) == ["请选择要报名的日期。"]
    assert not FairSignup.objects.exists()


def test_cancel_and_sign_up_again_gets_a_new_code(client, fair, seeker, dora):
    client.force_login(dora)
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    old = signup.code
    response = client.post(f"/fairs/tickets/{signup.pk}/cancel/", follow=True)
    assert messages_of(response) == ["已取消报名，名额留给别人。想去的话可以再报名。"]
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED and signup.cancelled_at is not None
    assert page(client.get("/me/")).find("ul", class_="tickets") is None
    again = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    assert again.pk == signup.pk and again.status == SignupStatus.SIGNED_UP and again.code != old


def test_someone_elses_ticket_is_not_found(client, fair, seeker, dora):
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    stranger = SeekerFactory(user=UserFactory()).user
    client.force_login(stranger)
    assert client.get(f"/fairs/tickets/{signup.pk}/").status_code == 404
    assert client.post(f"/fairs/tickets/{signup.pk}/cancel/").status_code == 404
    signup.refresh_from_db()
    assert signup.status == SignupStatus.SIGNED_UP


def test_codes_typed_loosely_are_read():
    assert ticket_code_normalise(" 7k3m-q9rt-x2pa ") == "7K3MQ9RTX2PA"
    assert ticket_code_normalise("O1IL") == "0111"


def test_picks_ranked_by_the_engine_with_reasons(client, fair, seeker, dora):
    client.force_login(dora)
    # Before signing up: no picks.
    assert page(client.get(f"/fairs/{fair.pk}/")).find("h2", id="picks") is None
    signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    p = page(client.get(f"/fairs/{fair.pk}/"))
    assert p.find("h2", id="picks").text() == "到场重点看这几家"
    picks = p.find("ol", class_="job-list").find_all("li", class_="job-card")
    # A cleaner: the cleaning company's booth, not the welding job; one line per booth.
    assert len(picks) == 1
    assert picks[0].find("p", class_="meta").text() == "湘潭洁美家政有限公司 · 展位 A01"
    assert picks[0].find("a")["href"] in {f"/jobs/{fair.p['clean'].pk}/", f"/jobs/{fair.p['day'].pk}/"}
    reasons = [li.text() for li in picks[0].find("ul", class_="reasons").find_all("li")]
    assert "技能匹配: 保洁员 ✓" in reasons


def test_no_picks_after_the_day(client, frozen_clock, fair, seeker, dora):
    client.force_login(dora)
    signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    frozen_clock.move_to(dt.datetime.combine(TODAY + dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC))
    assert page(client.get(f"/fairs/{fair.pk}/")).find("h2", id="picks") is None
