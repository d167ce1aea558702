"""Exchange files (docs/data-exchange.md): export, import into an empty database, the same data;
idempotent by external id; every bad line reported by number and nothing imported; scoped like
the admin; registrations masked unless the exporter may see them in full (audit-logged)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from matching.models import Match
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import AccessLog, Employer, JobPosting, PostingSkill
from xiangtan_jobs.core.services import posting_close

pytestmark = pytest.mark.django_db


def _export(user, *args: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_postings", "--user", user.username, *args, stdout=out, stderr=err)
    return out.getvalue().splitlines()


def _import(user, lines: list[str], *args: str) -> str:
    path = _TMP[0] / f"import-{len(list(_TMP[0].iterdir()))}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postings", "--user", user.username, str(path), *args, stdout=out, stderr=err)
    return out.getvalue().strip()


_TMP: list = []


@pytest.fixture(autouse=True)
def _files(tmp_path):
    _TMP[:] = [tmp_path]
    yield
    _TMP.clear()


@pytest.fixture
def root(django_user_model, ref):
    return django_user_model.objects.create_superuser("root", password="x")


@pytest.fixture
def data(yuhu, yuetang_nursing):
    verified = EmployerFactory(name="雨湖家政有限公司", service_point=yuhu, credit_code="91350100M000100Y43")
    other = EmployerFactory(name="岳塘护理有限公司", service_point=yuetang_nursing)
    PostingFactory(
        title="家庭保洁（日结）", employer=verified, service_point=yuhu, external_ref="YH-001",
        skills=[("保洁员", True, 2), ("家政服务员", False, 1)], shifts=["weekday_morning"], older_ok=True,
    )  # fmt: skip
    closed = PostingFactory(title="搬运工", employer=verified, service_point=yuhu)  # no 岗位编号
    posting_close(posting=closed, actor=None)
    PostingFactory(title="养老护理员", employer=other, service_point=yuetang_nursing, skills=[("养老护理员", True, 3)])
    PostingFactory(
        title="草稿不出", employer=verified, service_point=yuhu, status=PostingStatus.DRAFT, published_at=None
    )


def _wipe() -> None:
    Match.objects.all().delete()
    PostingSkill.objects.all().delete()
    JobPosting.objects.all().delete()
    Employer.objects.all().delete()


def test_round_trip_into_an_empty_database_gives_the_same_data(data, root):
    first = _export(root)
    assert len(first) == 3  # drafts stay home
    records = [json.loads(line) for line in first]
    assert {r["external_id"] for r in records} >= {"YH-001"}
    _wipe()
    assert _import(root, first, "--trust-verified") == "已导入：新增 3，更新 0，无变化 0"
    assert _export(root) == first
    posting = JobPosting.objects.get(external_ref="YH-001")
    assert posting.status == PostingStatus.PUBLISHED
    assert sorted(posting.skills.values_list("name", flat=True)) == ["保洁员", "家政服务员"]
    assert JobPosting.objects.get(title="搬运工").status == PostingStatus.CLOSED


def test_importing_the_same_file_again_changes_nothing(data, root):
    lines = _export(root)
    stamps = dict(JobPosting.objects.values_list("pk", "updated_at"))
    # Into the database it came from: each record finds its own posting (XT-<id> when it had no 岗位编号).
    assert _import(root, lines) == "已导入：新增 0，更新 0，无变化 3"
    assert dict(JobPosting.objects.values_list("pk", "updated_at")) == stamps
    assert JobPosting.objects.count() == 4


def test_a_changed_record_updates_its_posting(data, root):
    lines = _export(root)
    record = json.loads(lines[0])
    record["wage_max"] = 260
    assert _import(root, [json.dumps(record, ensure_ascii=False)]) == "已导入：新增 0，更新 1，无变化 0"
    assert JobPosting.objects.get(external_ref=record["external_id"]).wage_max == 260


def test_bad_lines_are_reported_by_number_and_nothing_is_imported(data, root):
    good = _export(root)
    _wipe()
    bad = json.loads(good[0])
    bad.update(area="999999999999", wage_unit="week", headcount=0)
    lines = [good[1], json.dumps(bad, ensure_ascii=False), "{not json", "", good[2], good[2]]
    with pytest.raises(CommandError, match="有 5 处问题，没有导入任何岗位"):
        _import(root, lines)
    assert JobPosting.objects.count() == 0 and Employer.objects.count() == 0


def test_the_report_lists_each_problem(data, root):
    from xiangtan_jobs.core.api.exchange import postings_import

    good = _export(root)
    bad = json.loads(good[0])
    bad.update(area="999999999999", wage_unit="week", wage_min=300, wage_max=100, site="没有这个点")
    report = postings_import(actor=root, lines=[good[1], json.dumps(bad, ensure_ascii=False), "[1]", good[1]])
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "site"),
        (2, "area"),
        (2, "wage_unit"),
        (3, "-"),
        (4, "external_id"),
    ]
    assert str(report.errors[0]) == "第 2 行 site：没有叫「没有这个点」的服务点"
    assert str(report.errors[-1]) == "第 4 行 external_id：与第 1 行重复"


def test_wage_range_is_checked_by_the_model(data, root):
    from xiangtan_jobs.core.api.exchange import postings_import

    record = json.loads(_export(root)[0])
    record.update(wage_min=300, wage_max=100)
    report = postings_import(actor=root, lines=[json.dumps(record, ensure_ascii=False)])
    assert [(e.line, e.field) for e in report.errors] == [(1, "wage_max")]


def test_an_unverified_employer_s_posting_waits_for_review(data, root):
    lines = _export(root)
    _wipe()
    _import(root, lines)  # without --trust-verified
    posting = JobPosting.objects.get(external_ref="YH-001")
    assert posting.status == PostingStatus.PENDING_REVIEW and posting.published_at is None
    assert not posting.employer.verified


def test_an_operator_exports_and_imports_only_their_site(data, alice, bob):
    mine = _export(alice)
    assert {json.loads(line)["site"] for line in mine} == {"雨湖零工市场"}
    theirs = _export(bob)
    with pytest.raises(CommandError):
        _import(alice, theirs)
    assert _import(alice, mine) == "已导入：新增 0，更新 0，无变化 2"


def test_the_bureau_exports_but_does_not_import(data, charlie):
    lines = _export(charlie)
    assert len(lines) == 3
    with pytest.raises(CommandError, match="只有服务点运营人员可以导入岗位"):
        _import(charlie, lines)


def test_dry_run_writes_nothing(data, root):
    lines = _export(root)
    _wipe()
    assert _import(root, lines, "--dry-run") == "检查通过，可导入：新增 3，更新 0，无变化 0"
    assert JobPosting.objects.count() == 0


# --- registrations -------------------------------------------------------------------------------


def _export_registrations(user, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_registrations", "--user", user.username, *args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def seekers(yuhu, yuetang_nursing):
    return (
        SeekerFactory(name="李桂兰", phone="13911112222", service_point=yuhu, id_number="430302199001011239"),
        SeekerFactory(name="张秀梅", phone="13911113333", service_point=yuetang_nursing),
    )


def test_registrations_leave_masked(seekers, alice, charlie):
    for user in (alice, charlie):
        for row in _export_registrations(user):
            assert row["masked"] is True
            assert row["phone"].count("*") >= 4 and "13911112222" not in json.dumps(row)
            assert "199001011234" not in json.dumps(row)
    assert [r["site"] for r in _export_registrations(alice)] == ["雨湖零工市场"]
    assert AccessLog.objects.count() == 0


def test_full_registrations_only_for_who_may_see_them_and_audit_logged(seekers, alice, charlie, root):
    rows = _export_registrations(alice, "--full")
    assert [(r["name"], r["phone"], r["id_number"], r["masked"]) for r in rows] == [
        ("李桂兰", "13911112222", "430302199001011239", False)
    ]
    assert list(AccessLog.objects.values_list("user__username", "seeker__name", "action")) == [
        ("alice", "李桂兰", "export")
    ]
    # The bureau reads every site, but not in full.
    assert all(r["masked"] for r in _export_registrations(charlie, "--full"))
    assert [r["masked"] for r in _export_registrations(root, "--full")] == [False, False]
    assert AccessLog.objects.count() == 3


def test_a_bad_credit_code_is_a_line_error_not_a_crash(data, root):
    from xiangtan_jobs.core.api.exchange import postings_import

    lines = _export(root)
    _wipe()
    record = json.loads(lines[0])
    record["employer"]["credit_code"] = "91430300MA4L16JQ9B"
    report = postings_import(actor=root, lines=[lines[1], json.dumps(record, ensure_ascii=False)])
    assert [(e.line, e.field) for e in report.errors] == [(2, "employer.credit_code")]
    assert report.errors[0].message.startswith("统一社会信用代码")
    assert JobPosting.objects.count() == 0


def _import_registrations(user, lines: list[str]) -> str:
    path = _TMP[0] / f"reg-{len(list(_TMP[0].iterdir()))}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_registrations", "--user", user.username, str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _comparable(rows: list[dict]) -> list[dict]:
    """Records without the source's own id (a new database numbers its rows anew)."""
    return [{k: v for k, v in r.items() if k not in ("external_id", "created_at")} for r in rows]


def test_registration_round_trip_into_an_empty_database(seekers, root):
    from xiangtan_jobs.core.models import SeekerRegistration, ServiceRecord

    first = _export_registrations(root, "--full")
    lines = [json.dumps(r, ensure_ascii=False) for r in first]
    SeekerRegistration.objects.all().delete()
    assert _import_registrations(root, lines) == "已导入：新增 2，更新 0，无变化 0"
    assert _comparable(_export_registrations(root, "--full")) == _comparable(first)
    assert ServiceRecord.objects.count() == 0  # an import is not a person-time served here
    # Again: keyed by the mobile number, nothing duplicated.
    assert _import_registrations(root, lines) == "已导入：新增 0，更新 2，无变化 0"
    assert SeekerRegistration.objects.count() == 2


def test_masked_or_foreign_registrations_are_refused(seekers, alice, root):
    from xiangtan_jobs.core.api.exchange import registrations_import

    masked = json.dumps(_export_registrations(root)[0], ensure_ascii=False)
    full = _export_registrations(root, "--full")
    other_site = json.dumps(full[1], ensure_ascii=False)  # 岳塘护理's
    moved = dict(full[1], site="雨湖零工市场")  # the same person claimed for alice's site
    no_consent = dict(full[0], consent_at=None, phone="13911119999")
    report = registrations_import(
        actor=alice,
        lines=[masked, other_site, json.dumps(moved, ensure_ascii=False), json.dumps(no_consent, ensure_ascii=False)],
    )
    assert [(e.line, e.field) for e in report.errors] == [
        (1, "masked"),
        (2, "site"),
        (3, "phone"),
        (4, "consent_at"),
    ]
    assert str(report.errors[2]) == "第 3 行 phone：这个手机号已在其他服务点或网上登记过"


def test_a_held_posting_stays_held_and_unchanged_on_reimport(data, root):
    lines = _export(root)
    _wipe()
    _import(root, lines)
    assert _import(root, lines) == "已导入：新增 0，更新 0，无变化 3"
    assert JobPosting.objects.get(external_ref="YH-001").status == PostingStatus.PENDING_REVIEW


def test_a_public_posting_of_an_unverified_employer_stays_public_when_updated(data, root):
    Employer.objects.update(verified=False)
    record = json.loads(_export(root)[0])
    record["headcount"] = 7
    assert _import(root, [json.dumps(record, ensure_ascii=False)]) == "已导入：新增 0，更新 1，无变化 0"
    posting = JobPosting.objects.get(external_ref=record["external_id"])
    assert posting.status == PostingStatus.PUBLISHED and posting.headcount == 7
