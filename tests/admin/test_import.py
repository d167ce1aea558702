"""Spreadsheet import: a dry run names each bad row and why; commit is all or nothing; idempotent."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from tests.admin.helpers import admin_url
from xiangtan_jobs.core.enums import ConsentMethod, PostingStatus
from xiangtan_jobs.core.models import Employer, JobPosting, SeekerRegistration
from xiangtan_jobs.core.resources import PostingResource, SeekerImportResource

POSTING_HEADER = "岗位编号,用人单位,岗位名称,工作地点,用工形式,薪资下限,薪资上限,计薪单位,招聘人数,截止日期,技能要求\n"
GOOD_POSTINGS = POSTING_HEADER + (
    "YH-001,雨湖家政服务部,家庭保洁,雨湖路街道,日结零工,180,220,元/天,2,,保洁员\n"
    "YH-002,雨湖家政服务部,陪护,雨湖路街道,兼职,25,30,元/小时,1,,护工\n"
    "YH-003,湘潭搬家公司,搬运工,雨湖路街道,日结零工,200,260,元/天,4,,\n"
)
BAD_POSTINGS = POSTING_HEADER + (
    "YH-001,雨湖家政服务部,家庭保洁,雨湖路街道,日结零工,180,220,元/天,2,,保洁员\n"
    "YH-002,雨湖家政服务部,陪护,雨湖路街道,兼职,300,30,元/小时,1,,护工\n"  # min above max
    "YH-003,湘潭搬家公司,搬运工,火星街道,日结零工,200,260,元/天,4,,\n"  # no such street
)


def _upload(client, admin_name, content: str, name: str = "data.csv"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(admin_url(admin_name, "import"), {"import_file": file, "format": "0"})


def _confirm(client, admin_name, dry_run_response):
    form = dry_run_response.context["confirm_form"]
    return client.post(admin_url(admin_name, "process_import"), {k: form.initial[k] for k in form.fields})


def _import_twice(client, admin_name, content):
    for _ in range(2):
        dry = _upload(client, admin_name, content)
        assert dry.status_code == 200
        result = dry.context["result"]
        assert not result.has_errors() and not result.has_validation_errors(), [
            (r.number, r.error_dict) for r in result.invalid_rows
        ]
        assert _confirm(client, admin_name, dry).status_code == 302


@pytest.mark.django_db
def test_posting_file_with_bad_rows_commits_nothing_and_names_them(client, alice, yuhu):
    client.force_login(alice)
    dry = _upload(client, "core_jobposting", BAD_POSTINGS)
    result = dry.context["result"]
    assert "confirm_form" not in dry.context  # nothing to confirm while any row is bad
    bad = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(bad) == {2, 3}
    assert "wage_max" in bad[2] or "wage_min" in bad[2]
    assert "火星街道" in str(bad[3]["area"])
    page = dry.content.decode()
    assert "火星街道" in page and "不能" in page  # the preview shows the reasons
    assert JobPosting.objects.count() == 0 and Employer.objects.count() == 0

    # Even pushed through the resource directly, the commit is all or nothing.
    request = RequestFactory().get("/")
    request.user = alice
    import tablib

    dataset = tablib.Dataset().load(BAD_POSTINGS, format="csv")
    result = PostingResource(request=request).import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert JobPosting.objects.count() == 0 and Employer.objects.count() == 0


@pytest.mark.django_db
def test_good_posting_file_twice_creates_each_row_once(client, alice, yuhu):
    client.force_login(alice)
    _import_twice(client, "core_jobposting", GOOD_POSTINGS)
    postings = JobPosting.objects.order_by("external_ref")
    assert [p.external_ref for p in postings] == ["YH-001", "YH-002", "YH-003"]
    assert {p.service_point_id for p in postings} == {yuhu.pk}
    assert all(p.status == PostingStatus.DRAFT and p.created_by == alice for p in postings)
    assert Employer.objects.filter(name="雨湖家政服务部").count() == 1
    first = postings[0]
    assert list(first.skills.values_list("name", flat=True)) == ["保洁员"]
    assert "保洁员" in first.search_text and first.wage_daily == 220 and first.district_id


@pytest.mark.django_db
def test_posting_import_cannot_reach_another_site(client, alice, bob, yuhu, yuetang_nursing):
    client.force_login(bob)
    _import_twice(client, "core_jobposting", GOOD_POSTINGS)
    client.force_login(alice)
    _import_twice(client, "core_jobposting", GOOD_POSTINGS)
    # Same numbers at two sites are two sites' postings; neither import touched the other's.
    assert JobPosting.objects.filter(service_point=yuhu).count() == 3
    assert JobPosting.objects.filter(service_point=yuetang_nursing).count() == 3
    foreign = POSTING_HEADER.replace("岗位编号,", "岗位编号,服务点,") + (
        f"YH-009,{yuetang_nursing.name},某单位,保洁,雨湖路街道,日结零工,180,220,元/天,2,,\n"
    )
    dry = _upload(client, "core_jobposting", foreign)
    assert dry.context["result"].has_validation_errors()
    assert "不是您负责的服务点" in dry.content.decode()


@pytest.mark.django_db
def test_posting_import_from_excel(alice, yuhu):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD_POSTINGS.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    from import_export.formats.base_formats import XLSX

    dataset = XLSX().create_dataset(buffer.getvalue())
    request = RequestFactory().get("/")
    request.user = alice
    for _ in range(2):
        result = PostingResource(request=request).import_data(
            dataset, dry_run=False, rollback_on_validation_errors=True
        )
        assert not result.has_validation_errors(), [(r.number, r.error_dict) for r in result.invalid_rows]
    assert JobPosting.objects.count() == 3


SEEKER_HEADER = "姓名,手机号,身份证号,出生年份,居住街道,技能,重点群体,备注\n"


@pytest.mark.django_db
def test_seeker_file_twice_creates_each_person_once(client, alice, yuhu, site_b):
    client.force_login(alice)
    good = (
        SEEKER_HEADER
        + "张秀英,139 0000 2001,,1972,雨湖路街道,保洁员,大龄劳动者,\n李明,13900002002,,1999,雨湖路街道,,,\n"
    )
    _import_twice(client, "core_seekerregistration", good)
    regs = SeekerRegistration.objects.filter(service_point=yuhu).order_by("phone_last4")
    assert [r.phone for r in regs] == ["13900002001", "13900002002"]
    assert all(r.consent_method == ConsentMethod.PAPER and r.registered_by == alice for r in regs)
    assert regs[0].tags == ["older"]

    # A phone registered at bob's site is a row error that does not say where; nothing commits.
    clash = SEEKER_HEADER + "王五,13900002003,,1980,雨湖路街道,,,\n赵秀珍,13933334444,,1970,雨湖路街道,,,\n"
    dry = _upload(client, "core_seekerregistration", clash)
    bad = {row.number: row.error_dict for row in dry.context["result"].invalid_rows}
    assert set(bad) == {2} and "已在其他服务点或网上登记" in str(bad[2])
    assert "岳塘" not in str(bad[2])
    assert not SeekerRegistration.objects.filter(phone_last4="2003").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["charlie", "dora"])
def test_only_operators_import(actor, request, client, site_a):
    client.force_login(request.getfixturevalue(actor))
    resp = client.get(admin_url("core_jobposting", "import"))
    assert resp.status_code == (403 if actor == "charlie" else 302)


def test_resources_declare_natural_keys():
    assert PostingResource._meta.import_id_fields == ("external_ref",)
    assert SeekerImportResource._meta.import_id_fields == ("phone",)
    assert PostingResource._meta.use_transactions and SeekerImportResource._meta.use_transactions
