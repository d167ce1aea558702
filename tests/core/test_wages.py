"""One way to write a wage: decimals of piece rates kept, a single figure said once, the unit
always, on the pages, in the SMS, the API and the exports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from matching.models import Match
from matching.services import matching_run_seeker, seekers_notify
from tests.admin.helpers import admin_url
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.common.parsing import parse_decimal
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox
from xiangtan_jobs.core.presenters import wage_text


@pytest.mark.parametrize(
    ("low", "high", "unit", "text"),
    [
        (210, 210, "day", "210 元/天"),
        (Decimal("210.00"), Decimal("210.00"), "day", "210 元/天"),
        (180, 220, "day", "180–220 元/天"),
        (Decimal("0.50"), Decimal("0.50"), "piece", "0.5 元/件"),
        (Decimal("0.35"), Decimal("1.20"), "piece", "0.35–1.2 元/件"),
        (Decimal("4500.00"), Decimal("6000.00"), "month", "4500–6000 元/月"),
    ],
)
def test_wage_text(low, high, unit, text):
    assert wage_text(low, high, unit) == text


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("0.5", Decimal("0.5")), ("210", Decimal("210")), (210.0, Decimal("210")), (0.35, Decimal("0.35"))],
)
def test_parse_decimal_takes(raw, amount):
    assert parse_decimal(raw) == amount


@pytest.mark.parametrize("raw", ["０.５", "1e2", "0.555", "", "abc", True, None, float("nan"), "1_0"])
def test_parse_decimal_refuses(raw):
    assert parse_decimal(raw) is None


@pytest.fixture
def piece(ref):
    return PostingFactory(
        title="手工串珠（按件计）", wage_min=Decimal("0.5"), wage_max=Decimal("0.5"), wage_unit="piece"
    )


@pytest.mark.django_db
def test_piece_rate_keeps_its_decimals_on_the_pages(client, piece):
    piece.refresh_from_db()
    assert piece.wage_min == Decimal("0.5")
    detail = client.get(f"/jobs/{piece.pk}/").content.decode()
    assert "0.5 元/件" in detail and "0 元/件" not in detail.replace("0.5 元/件", "")
    assert "0.5 元/件" in client.get("/jobs/").content.decode()


@pytest.mark.django_db
def test_single_wage_once_on_the_pages_and_the_api(client, ref):
    posting = PostingFactory(title="小区保洁员", wage_min=210, wage_max=210, wage_unit="day")
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "210 元/天" in page and "210–210" not in page and "210-210" not in page
    card = client.get("/api/v1/jobs/").json()["results"][0]
    assert card["wage_text"] == "210 元/天" and card["wage_min"] == 210
    detail = client.get(f"/api/v1/jobs/{posting.pk}/").json()
    assert detail["wage_text"] == "210 元/天"


@pytest.mark.django_db
def test_piece_rate_in_the_api_is_a_number_with_decimals(client, piece):
    detail = client.get(f"/api/v1/jobs/{piece.pk}/").json()
    assert detail["wage_min"] == 0.5 and detail["wage_text"] == "0.5 元/件"


@pytest.mark.django_db
def test_operator_api_takes_decimals(alice, yuhu, piece):
    type(piece).objects.filter(pk=piece.pk).update(service_point=yuhu)
    piece.employer.service_point = yuhu
    piece.employer.save()
    api = APIClient()
    api.force_authenticate(alice)
    resp = api.patch(f"/api/v1/operator/postings/{piece.pk}/", {"wage_min": "0.35", "wage_max": 0.8}, format="json")
    assert resp.status_code == 200, resp.content
    piece.refresh_from_db()
    assert (piece.wage_min, piece.wage_max) == (Decimal("0.35"), Decimal("0.8"))
    assert resp.json()["wage_text"] == "0.35–0.8 元/件"
    bad = api.patch(f"/api/v1/operator/postings/{piece.pk}/", {"wage_min": "0.355"}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_sms_says_a_single_wage_once(ref, settings, frozen_clock):
    settings.NOTIFY_MIN_SCORE = 0
    settings.NOTIFY_QUIET_HOURS = "21-8"
    user = UserFactory()
    seeker = SeekerFactory(user=user)
    PostingFactory(wage_min=210, wage_max=210, wage_unit="day")
    matching_run_seeker(seeker_id=seeker.pk)
    Match.objects.update(notified_at=None)
    InboxMessage.objects.all().delete()
    assert seekers_notify(seeker_ids=None, now=NOON) == 1
    text = SmsOutbox.objects.get(purpose="recommendation").text
    assert "210 元/天" in text and "210-210" not in text


@pytest.mark.django_db
def test_admin_list_and_export_write_decimals(client, alice, yuhu):
    posting = PostingFactory(service_point=yuhu, wage_min=Decimal("0.5"), wage_max=Decimal("1.5"), wage_unit="piece")
    client.force_login(alice)
    page = client.get(admin_url("core_jobposting", "changelist")).content.decode()
    assert "0.5–1.5 元/件" in page
    from xiangtan_jobs.core.resources import PostingResource

    row = PostingResource().export(queryset=type(posting).objects.filter(pk=posting.pk)).dict[0]
    assert (row["薪资下限"], row["薪资上限"]) == ("0.5", "1.5")
