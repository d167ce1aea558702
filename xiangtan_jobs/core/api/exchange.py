"""Exchange files with the provincial and national platforms (数据对接): postings and seeker
registrations as JSON Lines, one record a line, in the format of docs/data-exchange.md.

Imports are all or nothing: every line is parsed and validated first (codes, choices, the
models' own rules), bad lines are reported by line number and field, and only a file without a
single bad line is written, in one transaction. They are idempotent: a posting is keyed by its
site and external id (the site's 岗位编号; a record this portal exported without one carries
``XT-<id>``), so loading the same file again changes nothing, and a record equal to what is
stored is not written at all (the change feed stays quiet).

Registrations leave masked (name, mobile, ID number) unless the exporter may see them in full:
a superuser, or an operator of the registration's own site; each full record exported is an
AccessLog row. A masked record can never be imported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_date, parse_datetime

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.parsing import parse_decimal
from xiangtan_jobs.common.validators import (
    normalize_credit_code,
    normalize_mobile,
    normalize_resident_id,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from xiangtan_jobs.core import services
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, scoped_queryset, staff_role
from xiangtan_jobs.core.enums import (
    Channel,
    ConsentMethod,
    KeyGroup,
    PostingStatus,
    SeekerStatus,
    Shift,
    SkillLevel,
    WageUnit,
    WorkType,
)
from xiangtan_jobs.core.models import (
    AccessLog,
    Area,
    Employer,
    JobPosting,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    Skill,
    User,
)
from xiangtan_jobs.core.selectors.feed import EVER_PUBLIC

POSTING_FORMAT = "xt-posting/1"
REGISTRATION_FORMAT = "xt-registration/1"
OWN_ID = re.compile(r"^XT-([0-9]{1,18})$")
MAX_LINE = 64 * 1024
EXPORT_PATH = "manage.py export_registrations"


def _json_amount(amount: Decimal) -> int | float:
    """A wage as a JSON number: 210 stays an integer, 0.5 keeps its decimals."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _as_request(actor: User) -> HttpRequest:
    """The admin's scoping rules read a request; a command acts for an account."""
    request = HttpRequest()
    request.user = actor
    return request


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- postings: export -------------------------------------------------------------------------


def posting_record(posting: JobPosting) -> dict[str, Any]:
    """One posting as an exchange record (``posting_skills__skill``, employer, site, area loaded)."""
    employer = posting.employer
    return {
        "format": POSTING_FORMAT,
        "external_id": posting.external_ref or f"XT-{posting.pk}",
        "site": posting.service_point.name,
        "employer": {
            "name": employer.name,
            "credit_code": employer.credit_code or None,
            "contact_name": employer.contact_name,
            "contact_phone": employer.contact_phone,
            "address": employer.address,
            "verified": employer.verified,
        },
        "title": posting.title,
        "description": posting.description,
        "channel": posting.channel,
        "area": posting.area.code,
        "address": posting.address,
        "lat": posting.lat,
        "lng": posting.lng,
        "work_type": posting.work_type,
        "wage_min": _json_amount(posting.wage_min),
        "wage_max": _json_amount(posting.wage_max),
        "wage_unit": posting.wage_unit,
        "headcount": posting.headcount,
        "shifts": list(posting.shifts or []),
        "schedule_note": posting.schedule_note,
        "older_ok": posting.older_ok,
        "disability_ok": posting.disability_ok,
        "mother_flexible": posting.mother_flexible,
        "contact_name": posting.contact_name,
        "contact_phone": posting.contact_phone,
        "status": posting.status,
        "published_at": _time(posting.published_at),
        "expires_on": _day(posting.expires_on),
        "closed_at": _time(posting.closed_at),
        "skills": [
            {"code": ps.skill.code, "name": ps.skill.name, "required": ps.required, "min_level": ps.min_level}
            for ps in sorted(posting.posting_skills.all(), key=lambda ps: ps.skill.code)
        ],
    }


def postings_for_export(*, actor: User, include_drafts: bool = False) -> QuerySet[JobPosting]:
    """The postings the actor may read in the admin (an operator: their sites'), oldest first."""
    qs = scoped_queryset(_as_request(actor), JobPosting.objects.all(), site_field="service_point")
    if not include_drafts:
        qs = qs.filter(
            status__in=(PostingStatus.PUBLISHED, PostingStatus.FILLED, PostingStatus.CLOSED, PostingStatus.EXPIRED)
        )
    return (
        qs.filter(is_demo=False)
        .select_related("employer", "service_point", "area")
        .prefetch_related("posting_skills__skill")
        .order_by("id")
    )


def postings_export(*, actor: User, out: IO[str], include_drafts: bool = False) -> int:
    """Write the actor's postings as JSON Lines; returns how many."""
    if staff_role(actor) is StaffRole.NONE:
        raise PermissionDenied("只有服务点运营人员或人社局工作人员可以导出岗位")
    count = 0
    for posting in postings_for_export(actor=actor, include_drafts=include_drafts).iterator(chunk_size=500):
        out.write(json.dumps(posting_record(posting), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


# --- import: shared -----------------------------------------------------------------------------


@dataclass
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行 {self.field}：{self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _records(lines: Iterable[str], report: ImportReport, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of each non-blank line; a line that is not one JSON object of the
    format is an error of that line."""
    for number, raw in enumerate(lines, start=1):
        text = raw.strip().lstrip("\ufeff")
        if not text:
            continue
        if len(text) > MAX_LINE:
            report.errors.append(LineError(number, "-", f"这一行超过 {MAX_LINE} 个字符"))
            continue
        try:
            record = json.loads(text)
        except ValueError:
            report.errors.append(LineError(number, "-", "不是有效的 JSON"))
            continue
        if not isinstance(record, dict):
            report.errors.append(LineError(number, "-", "每行应是一个 JSON 对象"))
            continue
        if record.get("format") != fmt:
            report.errors.append(LineError(number, "format", f"应为「{fmt}」"))
            continue
        yield number, record


class _Row:
    """Reads the fields of one record, noting every problem instead of stopping at the first."""

    def __init__(self, number: int, record: dict[str, Any], report: ImportReport) -> None:
        self.number, self.record, self.report = number, record, report
        self.failed = False

    def error(self, name: str, message: str) -> None:
        self.report.errors.append(LineError(self.number, name, message))
        self.failed = True

    def text(self, name: str, *, max_length: int, required: bool = False, source: dict[str, Any] | None = None) -> str:
        value = (source if source is not None else self.record).get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(name, "应为文字")
            return ""
        value = value.strip()
        if "\x00" in value:
            self.error(name, "含有无效字符")
            return ""
        if required and not value:
            self.error(name, "必填")
        if len(value) > max_length:
            self.error(name, f"最多 {max_length} 个字")
        return value

    def integer(self, name: str, *, minimum: int, maximum: int, required: bool = True) -> int | None:
        value = self.record.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, "应为整数")
            return None
        if not minimum <= value <= maximum:
            self.error(name, f"应在 {minimum} 到 {maximum} 之间")
            return None
        return value

    def amount(self, name: str) -> Decimal | None:
        """A wage in yuan: a JSON number (or string) with at most two decimals, 0 to 1,000,000."""
        value = self.record.get(name)
        amount = None if isinstance(value, bool) else parse_decimal(value, minimum=0, maximum=1_000_000)
        if amount is None:
            self.error(name, "应为 0 到 1000000 之间的金额，最多两位小数")
        return amount

    def number_(self, name: str, *, minimum: float, maximum: float) -> float | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value <= maximum:
            self.error(name, f"应为 {minimum} 到 {maximum} 之间的数")
            return None
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.record.get(name, False)
        if not isinstance(value, bool):
            self.error(name, "应为 true 或 false")
            return False
        return value

    def choice(self, name: str, choices: Any, *, required: bool = True, default: str = "") -> str:
        value = self.record.get(name, default)
        if value in (None, "") and not required:
            return ""
        if value not in dict(choices):
            self.error(name, "应为：" + "、".join(str(v) for v, _label in choices))
            return default
        return str(value)

    def choices(self, name: str, choices: Any) -> list[str]:
        value = self.record.get(name, [])
        allowed = dict(choices)
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            self.error(name, "应为列表，取值：" + "、".join(str(v) for v in allowed))
            return []
        return list(dict.fromkeys(value))

    def moment(self, name: str) -> dt.datetime | None:
        value = self.record.get(name)
        if value in (None, ""):
            return None
        parsed = parse_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
        if parsed is None or parsed.tzinfo is None:
            self.error(name, "应为带时区的时间，如 2026-11-30T12:00:00+08:00")
            return None
        return parsed

    def day(self, name: str) -> dt.date | None:
        value = self.record.get(name)
        if value in (None, ""):
            return None
        try:
            parsed = parse_date(value) if isinstance(value, str) and len(value) <= 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(name, "应为日期，如 2026-12-31")
        return parsed

    def model_errors(self, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.error("-" if name == "__all__" else name, message)


# --- postings: import ---------------------------------------------------------------------------


@dataclass
class _PostingPlan:
    number: int
    posting: JobPosting
    skills: list[services.PostingSkillInput]
    employer: dict[str, Any]
    status_from_file: str
    creating: bool
    stored_status: str | None = None


def _reference() -> tuple[dict[str, Area], dict[str, Skill], dict[str, ServicePoint]]:
    return (
        {a.code: a for a in Area.objects.all()},
        {s.code: s for s in Skill.objects.all()},
        {s.name: s for s in ServicePoint.objects.all()},
    )


def _find_posting(site: ServicePoint, external_id: str) -> JobPosting | None:
    found = JobPosting.objects.filter(service_point=site, external_ref=external_id).first()
    if found is None and (own := OWN_ID.match(external_id)):
        # A record this portal exported for a posting without a 岗位编号 comes home to that posting.
        found = JobPosting.objects.filter(pk=int(own.group(1)), service_point=site, external_ref="").first()
    return found


def _plan_posting(
    row: _Row, refs: tuple[dict[str, Area], dict[str, Skill], dict[str, ServicePoint]], writable: frozenset[int] | None
) -> _PostingPlan | None:
    areas, skills_by_code, sites = refs
    external_id = row.text("external_id", max_length=40, required=True)
    site_name = row.text("site", max_length=64, required=True)
    site = sites.get(site_name)
    if site_name and site is None:
        row.error("site", f"没有叫「{site_name}」的服务点")
    elif site is not None and writable is not None and site.pk not in writable:
        row.error("site", "不是您负责的服务点")
        site = None
    employer = row.record.get("employer")
    if not isinstance(employer, dict):
        row.error("employer", "应为对象 {name, credit_code, …}")
        employer = {}
    employer_values = {
        "name": row.text("name", max_length=100, required=True, source=employer),
        "credit_code": normalize_credit_code(row.text("credit_code", max_length=18, source=employer)) or None,
        "contact_name": row.text("contact_name", max_length=32, source=employer),
        "contact_phone": row.text("contact_phone", max_length=20, source=employer),
        "address": row.text("address", max_length=128, source=employer),
        "verified": employer.get("verified") is True,
    }
    if employer_values["credit_code"]:
        try:
            validate_credit_code(employer_values["credit_code"])
        except ValidationError as exc:
            row.error("employer.credit_code", " ".join(exc.messages))
    area_code = row.text("area", max_length=12, required=True)
    area = areas.get(area_code)
    if area_code and area is None:
        row.error("area", f"区划代码「{area_code}」不在湘潭的街道乡镇中")
    elif area is not None and area.parent_id is None:
        row.error("area", "应为街道或乡镇的区划代码（不是区县）")
    status = row.choice("status", PostingStatus.choices, default=PostingStatus.PUBLISHED)
    values: dict[str, Any] = {
        "title": row.text("title", max_length=64, required=True),
        "description": row.text("description", max_length=5000),
        "channel": row.choice("channel", Channel.choices, default=Channel.GIG_MARKET),
        "address": row.text("address", max_length=128),
        "work_type": row.choice("work_type", WorkType.choices),
        "wage_min": row.amount("wage_min"),
        "wage_max": row.amount("wage_max"),
        "wage_unit": row.choice("wage_unit", WageUnit.choices),
        "headcount": row.integer("headcount", minimum=1, maximum=10_000),
        "shifts": row.choices("shifts", Shift.choices),
        "schedule_note": row.text("schedule_note", max_length=128),
        "older_ok": row.flag("older_ok"),
        "disability_ok": row.flag("disability_ok"),
        "mother_flexible": row.flag("mother_flexible"),
        "contact_name": row.text("contact_name", max_length=32),
        "contact_phone": row.text("contact_phone", max_length=20),
        "status": status,
        "published_at": row.moment("published_at"),
        "expires_on": row.day("expires_on"),
        "closed_at": row.moment("closed_at"),
    }
    lat = row.number_("lat", minimum=-90, maximum=90)
    lng = row.number_("lng", minimum=-180, maximum=180)
    wanted = row.record.get("skills", [])
    skill_inputs: list[services.PostingSkillInput] = []
    if not isinstance(wanted, list) or len(wanted) > 20:
        row.error("skills", "应为最多 20 项的列表")
        wanted = []
    for i, item in enumerate(wanted):
        code = item.get("code") if isinstance(item, dict) else None
        skill = skills_by_code.get(code) if isinstance(code, str) else None
        if skill is None:
            row.error(f"skills[{i}]", f"工种代码「{code}」不在工种目录中")
            continue
        level = item.get("min_level", SkillLevel.BEGINNER)
        required = item.get("required", True)
        if level not in SkillLevel.values or not isinstance(required, bool):
            row.error(f"skills[{i}]", "min_level 应为 1–5，required 应为 true 或 false")
            continue
        skill_inputs.append(services.PostingSkillInput(skill_id=skill.pk, required=required, min_level=int(level)))
    if status in EVER_PUBLIC and values["published_at"] is None:
        row.error("published_at", "已发布过的岗位须有发布时间")
    if row.failed or site is None or area is None:
        return None
    posting = _find_posting(site, external_id)
    creating = posting is None
    stored_status = None if posting is None else posting.status
    if posting is None:
        posting = JobPosting(service_point=site, external_ref=external_id)
    for name, value in values.items():
        setattr(posting, name, value)
    posting.area = area
    posting.lat = area.lat if lat is None else lat
    posting.lng = area.lng if lng is None else lng
    services.posting_derive_fields(posting=posting)
    try:
        posting.full_clean(exclude=["employer", "external_ref"] if creating else ["employer"])
    except ValidationError as exc:
        row.model_errors(exc)
        return None
    return _PostingPlan(row.number, posting, skill_inputs, employer_values, status, creating, stored_status)


def _employer_for(plan: _PostingPlan, actor: User, trust_verified: bool) -> Employer:
    values = plan.employer
    site = plan.posting.service_point
    employer = None
    if values["credit_code"]:
        employer = Employer.objects.filter(credit_code=values["credit_code"]).first()
    if employer is None:
        employer = Employer.objects.filter(service_point=site, name=values["name"]).first()
    if employer is None:
        employer = services.employer_save(
            employer=Employer(service_point=site, **{k: v for k, v in values.items() if k != "verified"}),
            actor=actor,
        )
    if values["verified"] and trust_verified and not employer.verified:
        employer = services.employer_verify(employer=employer, actor=actor, trusted_source=True)
    return employer


# Stamps and derived values that an import does not carry or that follow from the rest.
_NOT_COMPARED = {"id", "created_at", "updated_at", "search_text", "created_by_id", "review_note"}


def _same(plan: _PostingPlan) -> bool:
    """Whether the stored posting already holds the record (then nothing is written)."""
    stored = JobPosting.objects.get(pk=plan.posting.pk)
    for f in JobPosting._meta.concrete_fields:
        if f.attname not in _NOT_COMPARED and getattr(stored, f.attname) != getattr(plan.posting, f.attname):
            return False
    have = set(PostingSkill.objects.filter(posting=stored).values_list("skill_id", "required", "min_level"))
    return have == {(s.skill_id, s.required, s.min_level) for s in plan.skills}


@transaction.atomic
def postings_import(
    *, actor: User, lines: Iterable[str], dry_run: bool = False, trust_verified: bool = False
) -> ImportReport:
    """Validate every line, then (only if none is bad) create or update each posting by its
    site and external id. A published record whose employer is not verified here waits for the
    site's reviewer, as the admin's import does, unless ``trust_verified`` (the file's source
    verifies employers itself: the provincial platform, or a restore of this portal's export)."""
    report = ImportReport()
    role = staff_role(actor)
    if role is StaffRole.NONE or role is StaffRole.BUREAU:
        raise PermissionDenied("只有服务点运营人员可以导入岗位")
    writable = None if role is StaffRole.SUPERUSER else operator_site_ids(_as_request(actor))
    refs = _reference()
    plans: list[_PostingPlan] = []
    seen: dict[tuple[int, str], int] = {}
    for number, record in _records(lines, report, POSTING_FORMAT):
        plan = _plan_posting(_Row(number, record, report), refs, writable)
        if plan is None:
            continue
        key = (plan.posting.service_point_id, plan.posting.external_ref)
        if key in seen:
            report.errors.append(LineError(number, "external_id", f"与第 {seen[key]} 行重复"))
            continue
        seen[key] = number
        plans.append(plan)
    if report.errors or dry_run:
        report.created = sum(p.creating for p in plans) if not report.errors else 0
        report.updated = sum(not p.creating for p in plans) if not report.errors else 0
        return report
    for plan in plans:
        posting = plan.posting
        posting.employer = _employer_for(plan, actor, trust_verified)
        if (
            posting.status == PostingStatus.PUBLISHED
            and not posting.employer.verified
            and plan.stored_status != PostingStatus.PUBLISHED
        ):
            # Management measures: an unverified employer's posting is checked before it goes
            # public (one already public here stays so; a held one stays held, file after file).
            posting.status = PostingStatus.PENDING_REVIEW
            posting.published_at = None
        if not plan.creating and _same(plan):
            report.unchanged += 1
            continue
        if plan.creating:
            posting.created_by = actor
        posting._history_user = actor  # type: ignore[attr-defined]
        try:
            posting.full_clean()
        except ValidationError as exc:
            _Row(plan.number, {}, report).model_errors(exc)
            transaction.set_rollback(True)
            return ImportReport(errors=report.errors)
        posting.save()
        PostingSkill.objects.filter(posting=posting).delete()
        PostingSkill.objects.bulk_create(
            PostingSkill(posting=posting, skill_id=s.skill_id, required=s.required, min_level=s.min_level)
            for s in {s.skill_id: s for s in plan.skills}.values()
        )
        services.posting_content_changed(posting=posting)
        if plan.creating:
            report.created += 1
        else:
            report.updated += 1
    return report


# --- registrations: export --------------------------------------------------------------------


def _may_see_in_full(actor: User, registration: SeekerRegistration, own_sites: frozenset[int]) -> bool:
    if actor.is_superuser:
        return True
    return registration.service_point_id is not None and registration.service_point_id in own_sites


def registration_record(registration: SeekerRegistration, *, full: bool) -> dict[str, Any]:
    """One registration as an exchange record; masked unless ``full``."""
    return {
        "format": REGISTRATION_FORMAT,
        "external_id": f"XT-{registration.pk}",
        "masked": not full,
        "site": registration.service_point.name if registration.service_point else None,
        "name": registration.name if full else registration.masked_name,
        "phone": registration.phone if full else registration.masked_phone,
        "id_number": (registration.id_number or None) if full else (registration.masked_id_number or None),
        "birth_year": registration.birth_year,
        "area": registration.area.code,
        "travel_km": registration.travel_km,
        "work_types": list(registration.work_types or []),
        "shifts": list(registration.shifts or []),
        "expected_wage": registration.expected_wage,
        "expected_unit": registration.expected_unit,
        "tags": list(registration.tags or []),
        "skills": [
            {
                "code": s.skill.code,
                "name": s.skill.name,
                "level": s.level,
                "years": s.years,
                "has_certificate": s.has_certificate,
            }
            for s in sorted(registration.seeker_skills.all(), key=lambda s: s.skill.code)
        ],
        "status": registration.status,
        "consent_version": registration.consent_version,
        "consent_at": _time(registration.consent_at),
        "consent_method": registration.consent_method,
        "created_at": _time(registration.created_at),
    }


def registrations_export(*, actor: User, out: IO[str], full: bool = False) -> int:
    """Write the registrations the actor may read as JSON Lines, masked unless ``full`` and the
    actor may see each in full (others stay masked); each full record is audit-logged."""
    role = staff_role(actor)
    if role is StaffRole.NONE:
        raise PermissionDenied("只有服务点运营人员或人社局工作人员可以导出求职登记")
    request = _as_request(actor)
    own = operator_site_ids(request)
    qs = (
        scoped_queryset(request, SeekerRegistration.objects.current(), site_field="service_point")
        .filter(is_demo=False)
        .select_related("service_point", "area")
        .prefetch_related("seeker_skills__skill")
        .order_by("id")
    )
    count = 0
    for registration in qs.iterator(chunk_size=500):
        shown = full and _may_see_in_full(actor, registration, own)
        if shown:
            AccessLog.objects.create(
                user=actor, seeker=registration, action="export", path="manage.py export_registrations"
            )
        out.write(json.dumps(registration_record(registration, full=shown), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


# --- registrations: import --------------------------------------------------------------------


@dataclass
class _RegistrationPlan:
    number: int
    registration: SeekerRegistration
    skills: list[tuple[int, int, int, bool]]
    creating: bool


def _plan_registration(
    row: _Row, refs: tuple[dict[str, Area], dict[str, Skill], dict[str, ServicePoint]], writable: frozenset[int] | None
) -> _RegistrationPlan | None:
    areas, skills_by_code, sites = refs
    if row.record.get("masked") is not False:
        row.error("masked", "打码的记录不能导入：请对方导出完整记录（masked 为 false）")
        return None
    site_name = row.text("site", max_length=64, required=True)
    site = sites.get(site_name)
    if site_name and site is None:
        row.error("site", f"没有叫「{site_name}」的服务点")
    elif site is not None and writable is not None and site.pk not in writable:
        row.error("site", "不是您负责的服务点")
        site = None
    phone = normalize_mobile(row.text("phone", max_length=20, required=True))
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        row.error("phone", " ".join(exc.messages))
    id_number = normalize_resident_id(row.text("id_number", max_length=18)) or None
    if id_number:
        try:
            validate_resident_id(id_number)
        except ValidationError as exc:
            row.error("id_number", " ".join(exc.messages))
    area_code = row.text("area", max_length=12, required=True)
    area = areas.get(area_code)
    if area_code and (area is None or area.parent_id is None):
        row.error("area", f"区划代码「{area_code}」不是湘潭的街道或乡镇")
    values: dict[str, Any] = {
        "name": row.text("name", max_length=32, required=True),
        "birth_year": row.integer("birth_year", minimum=1930, maximum=2015),
        "travel_km": row.integer("travel_km", minimum=1, maximum=200),
        "work_types": row.choices("work_types", WorkType.choices),
        "shifts": row.choices("shifts", Shift.choices),
        "expected_wage": row.integer("expected_wage", minimum=1, maximum=1_000_000, required=False),
        "expected_unit": row.choice("expected_unit", WageUnit.choices, required=False),
        "tags": row.choices("tags", KeyGroup.choices),
        "status": row.choice("status", SeekerStatus.choices, default=SeekerStatus.ACTIVE),
        "consent_version": row.text("consent_version", max_length=16, required=True),
        "consent_at": row.moment("consent_at"),
        "consent_method": row.choice("consent_method", ConsentMethod.choices, default=ConsentMethod.PAPER),
    }
    if values["consent_at"] is None:
        row.error("consent_at", "必须有本人同意的时间（个人信息保护法）")
    wanted = row.record.get("skills", [])
    skills: list[tuple[int, int, int, bool]] = []
    if not isinstance(wanted, list) or not 1 <= len(wanted) <= 10:
        row.error("skills", "应为 1 到 10 项的列表")
        wanted = []
    for i, item in enumerate(wanted):
        code = item.get("code") if isinstance(item, dict) else None
        skill = skills_by_code.get(code) if isinstance(code, str) else None
        if skill is None:
            row.error(f"skills[{i}]", f"工种代码「{code}」不在工种目录中")
            continue
        level, years, cert = item.get("level", SkillLevel.BASIC), item.get("years", 0), item.get("has_certificate")
        if level not in SkillLevel.values or not isinstance(years, int) or not 0 <= years <= 60:
            row.error(f"skills[{i}]", "level 应为 1–5，years 应为 0–60 的整数")
            continue
        skills.append((skill.pk, int(level), years, cert is True))
    if row.failed or site is None or area is None:
        return None
    current = SeekerRegistration.objects.current().filter(phone_digest=pii_digest(phone)).first()
    if current is not None and current.service_point_id != site.pk:
        # Say that the person exists, not where: that record is another site's (or their own, online).
        row.error("phone", "这个手机号已在其他服务点或网上登记过")
        return None
    registration = current or SeekerRegistration(service_point=site, phone=phone)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.id_number = id_number
    registration.area = area
    registration.home_lat, registration.home_lng = area.lat, area.lng
    try:
        registration.full_clean(exclude=["user", "registered_by"], validate_unique=False)
    except ValidationError as exc:
        row.model_errors(exc)
        return None
    return _RegistrationPlan(row.number, registration, skills, current is None)


@transaction.atomic
def registrations_import(*, actor: User, lines: Iterable[str], dry_run: bool = False) -> ImportReport:
    """Validate every line, then (only if none is bad) create or update each registration, keyed
    by the person's mobile number (the one identifier every platform shares). Not a service given
    here, so no ServiceRecord (it would count as a person-time served); matched again on commit."""
    report = ImportReport()
    role = staff_role(actor)
    if role is StaffRole.NONE or role is StaffRole.BUREAU:
        raise PermissionDenied("只有服务点运营人员可以导入求职登记")
    writable = None if role is StaffRole.SUPERUSER else operator_site_ids(_as_request(actor))
    refs = _reference()
    plans: list[_RegistrationPlan] = []
    seen: dict[str, int] = {}
    for number, record in _records(lines, report, REGISTRATION_FORMAT):
        plan = _plan_registration(_Row(number, record, report), refs, writable)
        if plan is None:
            continue
        key = str(plan.registration.phone)
        if key in seen:
            report.errors.append(LineError(number, "phone", f"与第 {seen[key]} 行是同一个手机号"))
            continue
        seen[key] = number
        plans.append(plan)
    if report.errors or dry_run:
        if not report.errors:
            report.created = sum(p.creating for p in plans)
            report.updated = len(plans) - report.created
        return report
    for plan in plans:
        registration = plan.registration
        if plan.creating:
            registration.registered_by = actor
        registration._history_user = actor  # type: ignore[attr-defined]
        registration.save()
        SeekerSkill.objects.filter(registration=registration).delete()
        SeekerSkill.objects.bulk_create(
            SeekerSkill(registration=registration, skill_id=pk, level=level, years=years, has_certificate=cert)
            for pk, level, years, cert in {t[0]: t for t in plan.skills}.values()
        )
        services.registration_content_changed(registration=registration)
        if plan.creating:
            report.created += 1
        else:
            report.updated += 1
    return report
