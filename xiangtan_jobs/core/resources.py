"""Spreadsheet import and export of postings and seekers (django-import-export), site-scoped.

Imports are keyed by a natural key so that loading the same file twice changes nothing new:
postings by (service point, 岗位编号), seekers by the digest of their mobile number. Every row is
tied to the importing operator's site; a row naming another site, or a phone number already
registered at another site, is a row error. Exports mask personal data.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from import_export import fields, resources, widgets

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.masking import mask_name, mask_phone, mask_resident_id
from xiangtan_jobs.common.parsing import parse_decimal
from xiangtan_jobs.common.spreadsheet import FormulaSafeExportMixin
from xiangtan_jobs.common.validators import (
    normalize_mobile,
    normalize_resident_id,
    validate_mobile,
    validate_resident_id,
)
from xiangtan_jobs.core import services
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, staff_role
from xiangtan_jobs.core.enums import (
    TOP_LEVEL_AREA_KINDS,
    ConsentMethod,
    KeyGroup,
    PostingStatus,
    SkillLevel,
    WageUnit,
    WorkType,
)
from xiangtan_jobs.core.models import (
    Area,
    Employer,
    JobPosting,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    Skill,
)
from xiangtan_jobs.core.presenters import wage_amount

_LIST_SPLIT = re.compile(r"[、,，;；/\s]+")


def _split(value: object) -> list[str]:
    return [p for p in _LIST_SPLIT.split(str(value or "").strip()) if p]


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its Chinese label or its code; writes the label."""

    def __init__(self, choices: Any, column: str) -> None:
        super().__init__()
        self.by_text = {str(label): value for value, label in choices} | {value: value for value, _ in choices}
        self.labels = dict(choices)
        self.column = column

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = str(value or "").strip()
        if text not in self.by_text:
            allowed = "、".join(str(label) for label in self.labels.values())
            raise ValueError(f"{self.column}「{text}」不认识，应为：{allowed}")
        return self.by_text[text]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(self.labels.get(value, value or ""))


class AreaWidget(widgets.Widget):
    """A street or town by name, or "区县/街道" when the name is not unique."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            raise ValueError("请填写街道或乡镇，例如「雨湖路街道」")
        parent_name, _, name = text.rpartition("/")
        qs = Area.objects.filter(name=name).exclude(kind__in=[k.value for k in TOP_LEVEL_AREA_KINDS])
        if parent_name:
            qs = qs.filter(parent__name=parent_name)
        found = list(qs[:2])
        if not found:
            raise ValueError(f"找不到街道或乡镇「{text}」，请按湘潭市的街道、乡镇名称填写")
        if len(found) > 1:
            raise ValueError(f"「{text}」有重名，请写成「区县/街道」，例如「雨湖区/{name}」")
        return found[0]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value else ""


class AmountWidget(widgets.Widget):
    """A wage in yuan with up to two decimals (piece rates: 0.5); written as people write it."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None or str(value).strip() == "":
            raise ValueError("请填写工资金额，例如「200」或「0.5」")
        amount = parse_decimal(value, minimum=0, maximum=1_000_000)
        if amount is None:
            raise ValueError(f"「{value}」不是有效的金额：请只填数字，最多两位小数，例如「200」或「0.5」")
        return amount

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return wage_amount(value) if value is not None else ""


class ScopedResourceMixin:
    """What every scoped resource knows: who imports, and which sites are theirs."""

    request: HttpRequest | None
    _skills_by_word: dict[str, Skill] | None = None

    def skill_for(self, word: str) -> Skill | None:
        """A skill by its name or one of its aliases (护工 → 养老护理员); the vocabulary is read once."""
        if self._skills_by_word is None:
            table: dict[str, Skill] = {}
            for skill in Skill.objects.all():
                for alias in skill.aliases or []:
                    table.setdefault(str(alias), skill)
            for skill in Skill.objects.all():
                table[skill.name] = skill
            self._skills_by_word = table
        return self._skills_by_word.get(word)

    def _init_scope(self, request: HttpRequest | None) -> None:
        self.request = request

    def allowed_sites(self) -> QuerySet[ServicePoint]:
        if self.request is None:
            return ServicePoint.objects.none()
        role = staff_role(self.request.user)
        if role is StaffRole.SUPERUSER:
            return ServicePoint.objects.all()
        return ServicePoint.objects.filter(pk__in=operator_site_ids(self.request))

    def row_site(self, row: dict[str, Any]) -> ServicePoint:
        """The site a row belongs to: the operator's only site, or the one named in 服务点."""
        name = str(row.get("服务点") or "").strip()
        sites = self.allowed_sites()
        if not name:
            only = list(sites[:2])
            if len(only) == 1:
                return only[0]
            raise ValidationError({"service_point": "请在「服务点」一栏填写这条记录所属的服务点"})
        site = sites.filter(name=name).first()
        if site is None:
            raise ValidationError({"service_point": f"服务点「{name}」不存在或不是您负责的服务点"})
        return site


class PostingResource(FormulaSafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    external_ref = fields.Field(attribute="external_ref", column_name="岗位编号")
    site = fields.Field(column_name="服务点", dehydrate_method="dehydrate_site")
    employer = fields.Field(
        attribute="employer", column_name="用人单位", widget=widgets.ForeignKeyWidget(Employer, field="name")
    )
    title = fields.Field(attribute="title", column_name="岗位名称")
    description = fields.Field(attribute="description", column_name="岗位描述")
    area = fields.Field(attribute="area", column_name="工作地点", widget=AreaWidget())
    address = fields.Field(attribute="address", column_name="详细地址")
    work_type = fields.Field(
        attribute="work_type", column_name="用工形式", widget=ChoiceLabelWidget(WorkType.choices, "用工形式")
    )
    wage_min = fields.Field(attribute="wage_min", column_name="薪资下限", widget=AmountWidget())
    wage_max = fields.Field(attribute="wage_max", column_name="薪资上限", widget=AmountWidget())
    wage_unit = fields.Field(
        attribute="wage_unit", column_name="计薪单位", widget=ChoiceLabelWidget(WageUnit.choices, "计薪单位")
    )
    headcount = fields.Field(attribute="headcount", column_name="招聘人数", widget=widgets.IntegerWidget())
    expires_on = fields.Field(attribute="expires_on", column_name="截止日期", widget=widgets.DateWidget())
    contact_name = fields.Field(attribute="contact_name", column_name="联系人")
    contact_phone = fields.Field(attribute="contact_phone", column_name="联系电话")
    skills = fields.Field(column_name="技能要求", dehydrate_method="dehydrate_skills")
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=ChoiceLabelWidget(PostingStatus.choices, "状态"),
        readonly=True,
    )

    class Meta:
        model = JobPosting
        fields = (
            "external_ref",
            "site",
            "employer",
            "title",
            "description",
            "area",
            "address",
            "work_type",
            "wage_min",
            "wage_max",
            "wage_unit",
            "headcount",
            "expires_on",
            "contact_name",
            "contact_phone",
            "skills",
            "status",
        )
        import_id_fields = ("external_ref",)
        use_transactions = True
        skip_diff = True
        clean_model_instances = True
        store_row_values = True

    def __init__(self, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._init_scope(request)

    def get_queryset(self) -> QuerySet[JobPosting]:
        return JobPosting.objects.filter(service_point__in=self.allowed_sites())

    def filter_export(self, queryset: QuerySet[JobPosting], **kwargs: Any) -> QuerySet[JobPosting]:
        return queryset.select_related("employer", "service_point", "area").prefetch_related("skills")

    def dehydrate_site(self, obj: JobPosting) -> str:
        return obj.service_point.name

    def dehydrate_skills(self, obj: JobPosting) -> str:
        return "、".join(s.name for s in obj.skills.all())

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        if not str(row.get("岗位编号") or "").strip():
            raise ValidationError({"external_ref": "请填写岗位编号（同一编号再次导入会更新原岗位，不会重复）"})
        row["岗位编号"] = str(row["岗位编号"]).strip()

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> JobPosting | None:
        site = self.row_site(row)
        return self.get_queryset().filter(service_point=site, external_ref=row["岗位编号"]).first()

    def import_instance(self, instance: JobPosting, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        site = self.row_site(row)
        instance.service_point = site
        name = str(row.get("用人单位") or "").strip()
        row_for_fields = {k: v for k, v in row.items() if k != "用人单位"}
        try:
            super().import_instance(instance, row_for_fields, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not name:
            errors["employer"] = ["请填写用人单位名称"]
        else:
            employer = Employer.objects.filter(service_point=site, name=name).first()
            if employer is None:
                # New employers arrive unverified, so their postings wait for the site's reviewer.
                employer = Employer.objects.create(name=name, service_point=site)
            instance.employer = employer
        wanted = _split(row.get("技能要求"))
        skills = []
        for word in wanted:
            skill = self.skill_for(word)
            if skill is None:
                errors.setdefault("skills", []).append(f"技能「{word}」不在技能目录中")
            else:
                skills.append(skill)
        instance._import_skills = skills  # type: ignore[attr-defined]  # carried to after_save_instance
        if instance.area_id is not None:
            if instance.lat is None or instance.lng is None:
                instance.lat, instance.lng = instance.area.lat, instance.area.lng
            services.posting_derive_fields(posting=instance)
        if instance.headcount is None:
            instance.headcount = 1
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance: JobPosting, row: dict[str, Any], **kwargs: Any) -> None:
        if instance.pk is None and self.request is not None:
            instance.created_by = self.request.user
        instance._history_user = getattr(self.request, "user", None)  # type: ignore[attr-defined]  # simple_history reads this attribute

    def after_save_instance(self, instance: JobPosting, row: dict[str, Any], **kwargs: Any) -> None:
        skills = getattr(instance, "_import_skills", [])
        if skills:
            PostingSkill.objects.filter(posting=instance).exclude(skill__in=skills).delete()
            have = set(PostingSkill.objects.filter(posting=instance).values_list("skill_id", flat=True))
            PostingSkill.objects.bulk_create(
                PostingSkill(posting=instance, skill=s, required=True) for s in skills if s.pk not in have
            )
        services.posting_content_changed(posting=instance)

    def skip_row(self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        return False


class SeekerImportResource(FormulaSafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    """Paper registration forms typed into a spreadsheet; keyed by mobile number."""

    name = fields.Field(attribute="name", column_name="姓名")
    phone = fields.Field(attribute="phone", column_name="手机号")
    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    birth_year = fields.Field(attribute="birth_year", column_name="出生年份", widget=widgets.IntegerWidget())
    area = fields.Field(attribute="area", column_name="居住街道", widget=AreaWidget())
    travel_km = fields.Field(attribute="travel_km", column_name="愿意通勤距离(公里)", widget=widgets.IntegerWidget())
    skills = fields.Field(column_name="技能")
    tags = fields.Field(column_name="重点群体")
    note = fields.Field(attribute="note", column_name="备注")

    class Meta:
        model = SeekerRegistration
        fields = ("name", "phone", "id_number", "birth_year", "area", "travel_km", "skills", "tags", "note")
        import_id_fields = ("phone",)
        use_transactions = True
        skip_diff = True
        clean_model_instances = True
        store_row_values = True

    def __init__(self, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._init_scope(request)

    def get_queryset(self) -> QuerySet[SeekerRegistration]:
        return SeekerRegistration.objects.filter(service_point__in=self.allowed_sites())

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        phone = normalize_mobile(row.get("手机号"))
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
        row["手机号"] = phone
        id_number = normalize_resident_id(row.get("身份证号"))
        if id_number:
            try:
                validate_resident_id(id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
        row["身份证号"] = id_number or None

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> SeekerRegistration | None:
        current = SeekerRegistration.objects.current().filter(phone_digest=pii_digest(row["手机号"])).first()
        if current is None:
            return None
        if not self.get_queryset().filter(pk=current.pk).exists():
            # Say that the person exists, not where: that record is another site's.
            raise ValidationError({"phone": "这个手机号已在其他服务点或网上登记过，不能重复登记"})
        return current

    def import_instance(self, instance: SeekerRegistration, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        if instance.pk is None:
            instance.service_point = self.row_site(row)
            instance.consent_method = ConsentMethod.PAPER
            instance.consent_version = settings.PRIVACY_NOTICE_VERSION
            instance.consent_at = timezone.now()
            instance.registered_by = getattr(self.request, "user", None)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not instance.travel_km:
            instance.travel_km = 10
        if instance.area_id is not None and (instance.home_lat is None or instance.home_lng is None):
            instance.home_lat, instance.home_lng = instance.area.lat, instance.area.lng
        skills = []
        for word in _split(row.get("技能")):
            skill = self.skill_for(word)
            if skill is None:
                errors.setdefault("skills", []).append(f"技能「{word}」不在技能目录中")
            else:
                skills.append(skill)
        instance._import_skills = skills  # type: ignore[attr-defined]  # carried to after_save_instance
        labels = {str(label): value for value, label in KeyGroup.choices}
        tags = []
        for word in _split(row.get("重点群体")):
            if word in labels:
                tags.append(labels[word])
            else:
                errors.setdefault("tags", []).append(f"重点群体「{word}」不认识，应为：{'、'.join(labels)}")
        instance.tags = tags
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance: SeekerRegistration, row: dict[str, Any], **kwargs: Any) -> None:
        instance._is_new = instance.pk is None  # type: ignore[attr-defined]  # carried to after_save_instance
        instance._history_user = getattr(self.request, "user", None)  # type: ignore[attr-defined]  # simple_history reads this attribute

    def after_save_instance(self, instance: SeekerRegistration, row: dict[str, Any], **kwargs: Any) -> None:
        have = set(SeekerSkill.objects.filter(registration=instance).values_list("skill_id", flat=True))
        SeekerSkill.objects.bulk_create(
            SeekerSkill(registration=instance, skill=s, level=SkillLevel.BASIC)
            for s in getattr(instance, "_import_skills", [])
            if s.pk not in have
        )
        if getattr(instance, "_is_new", False) and instance.service_point_id is not None:
            ServiceRecord.objects.create(
                service_point_id=instance.service_point_id,
                seeker=instance,
                kind="registration",
                served_at=timezone.now(),
                served_by=getattr(self.request, "user", None),
                note="表格导入登记",
            )
        services.registration_content_changed(registration=instance)

    def skip_row(self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        return False


class SeekerExportResource(FormulaSafeExportMixin, resources.ModelResource):
    """Seekers for a spreadsheet: name, phone and ID number masked (PIPL data minimisation)."""

    name = fields.Field(column_name="姓名", dehydrate_method="dehydrate_name")
    phone = fields.Field(column_name="手机号", dehydrate_method="dehydrate_phone")
    id_number = fields.Field(column_name="身份证号", dehydrate_method="dehydrate_id_number")
    birth_year = fields.Field(attribute="birth_year", column_name="出生年份")
    area = fields.Field(attribute="area__name", column_name="居住街道")
    status = fields.Field(column_name="状态", dehydrate_method="dehydrate_status")
    site = fields.Field(column_name="登记服务点", dehydrate_method="dehydrate_site")
    consent = fields.Field(column_name="同意方式", dehydrate_method="dehydrate_consent")
    created_at = fields.Field(attribute="created_at", column_name="登记时间", widget=widgets.DateTimeWidget())

    class Meta:
        model = SeekerRegistration
        fields = ("name", "phone", "id_number", "birth_year", "area", "status", "site", "consent", "created_at")

    def __init__(self, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def dehydrate_name(self, obj: SeekerRegistration) -> str:
        return mask_name(obj.name)

    def dehydrate_phone(self, obj: SeekerRegistration) -> str:
        return mask_phone(obj.phone)

    def dehydrate_id_number(self, obj: SeekerRegistration) -> str:
        return mask_resident_id(obj.id_number)

    def dehydrate_status(self, obj: SeekerRegistration) -> str:
        return obj.get_status_display()

    def dehydrate_site(self, obj: SeekerRegistration) -> str:
        return obj.service_point.name if obj.service_point is not None else "网上登记"

    def dehydrate_consent(self, obj: SeekerRegistration) -> str:
        return obj.get_consent_method_display()
