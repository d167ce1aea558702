"""The import page in correct Chinese, piece rates with decimals, CSV exports that Excel/WPS read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_export.forms import SelectableFieldsExportForm

from tests.admin.helpers import admin_url
from tests.admin.test_import import BAD_POSTINGS, POSTING_HEADER, _confirm, _upload
from tests.factories import PostingFactory
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.resources import PostingResource

pytestmark = pytest.mark.django_db


def test_bad_rows_are_explained_in_correct_chinese(client, alice, yuhu):
    client.force_login(alice)
    page = _upload(client, "core_jobposting", BAD_POSTINGS).content.decode()
    assert "某些行验数据证失败" not in page
    assert "有些行的数据没有通过检查，整个文件都没有导入" in page
    assert "请按每行后面的提示改好表格" in page
    assert "火星街道" in page  # the row's own reason still shown


def test_piece_rate_imports_with_its_decimals(client, alice, yuhu):
    client.force_login(alice)
    rows = POSTING_HEADER + "YH-009,雨湖手工坊,手工串珠,雨湖路街道,兼职,0.5,1.2,元/件,3,,手工活\n"
    dry = _upload(client, "core_jobposting", rows)
    assert not dry.context["result"].has_validation_errors(), [r.error_dict for r in dry.context["result"].invalid_rows]
    assert _confirm(client, "core_jobposting", dry).status_code == 302
    posting = JobPosting.objects.get(external_ref="YH-009")
    assert (posting.wage_min, posting.wage_max) == (Decimal("0.5"), Decimal("1.2"))
    bad = _upload(client, "core_jobposting", rows.replace("0.5,1.2", "０.５,1.2")).content.decode()
    assert "不是有效的金额" in bad


def test_csv_export_has_a_bom_and_chinese_headers(client, alice, yuhu):
    PostingFactory(service_point=yuhu, title="雨湖保洁")
    client.force_login(alice)
    fields = {
        SelectableFieldsExportForm.create_boolean_field_name(PostingResource, f): "on"
        for f in PostingResource().get_export_order()
    }
    resp = client.post(admin_url("core_jobposting", "export"), {"format": "0", **fields})
    assert resp.status_code == 200
    assert resp.content.startswith("\ufeff".encode())
    header = resp.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("岗位编号,服务点,用人单位,岗位名称")
