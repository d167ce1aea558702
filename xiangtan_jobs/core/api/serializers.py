"""Serializers of the shared nouns: public reference lists, and the operators' site rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from xiangtan_jobs.common.api import (
    StrictDecimalField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    resident_id_value,
)
from xiangtan_jobs.common.validators import normalize_mobile, validate_mobile
from xiangtan_jobs.core.enums import KeyGroup, SeekerStatus, Shift, SkillLevel, WageUnit, WorkType
from xiangtan_jobs.core.models import (
    Area,
    Employer,
    JobPosting,
    SeekerRegistration,
    ServicePoint,
    Skill,
    SkillCategory,
)

# --- public reference lists ----------------------------------------------------------------------


class SkillCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillCategory
        fields = ("id", "code", "name")


class SkillSerializer(serializers.ModelSerializer):
    group_id = serializers.IntegerField(read_only=True, help_text="同组工种共用的标准工种编号（近义工种指向它）")
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Skill
        fields = (
            "id",
            "code",
            "name",
            "category",
            "aliases",
            "alias_of",
            "group_id",
            "certificate_required",
            "certificate_name",
            "is_gig",
            "typical_wage_unit",
            "typical_wage_min",
            "typical_wage_max",
        )


class SkillSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.IntegerField()
    matched = serializers.CharField(help_text="命中的名称或别名")


class TypeaheadQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=20, help_text="输入的文字（工种名称或别名的一部分）")
    limit = StrictIntegerField(required=False, min_value=1, max_value=20, default=10)


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ("id", "code", "name", "short_name", "kind", "parent", "lat", "lng")


class ServicePointSerializer(serializers.ModelSerializer):
    services = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ServicePoint
        # The site's service phone is its public office line (printed on its door and page).
        fields = (
            "id",
            "kind",
            "name",
            "area",
            "address",
            "lat",
            "lng",
            "hours",
            "phone",
            "operator_org",
            "description",
            "services",
            "status",
            "is_demo",
        )


# --- operators: postings ------------------------------------------------------------------------


class PostingSkillField(serializers.Serializer):
    skill = StrictPrimaryKeyRelatedField(queryset=Skill.objects.all())
    # (DRF's metaclass pops declared fields, so this does not shadow Field.required; the stubs cannot tell.)
    required = serializers.BooleanField(default=True)  # type: ignore[assignment]
    min_level = serializers.ChoiceField(choices=SkillLevel.choices, default=SkillLevel.BEGINNER)


class SitePostingSerializer(serializers.ModelSerializer):
    """A posting of the operator's site: what the admin's form edits."""

    employer = StrictPrimaryKeyRelatedField(queryset=Employer.objects.all())
    service_point = StrictPrimaryKeyRelatedField(queryset=ServicePoint.objects.all())
    area = StrictPrimaryKeyRelatedField(queryset=Area.objects.all())
    wage_min = StrictDecimalField(min_value=Decimal(0), max_value=Decimal(1_000_000))
    wage_max = StrictDecimalField(min_value=Decimal(0), max_value=Decimal(1_000_000))
    wage_text = serializers.CharField(source="wage_display", read_only=True, help_text="「180–220 元/天」「0.5 元/件」")
    headcount = StrictIntegerField(min_value=1, max_value=10_000, default=1)
    lat = serializers.FloatField(required=False, help_text="留空取所在街道/乡镇的中心")
    lng = serializers.FloatField(required=False)
    shifts = serializers.ListField(
        child=serializers.ChoiceField(choices=Shift.choices), required=False, max_length=len(Shift.choices)
    )
    # many=True hands max_length to ListSerializer (DRF >= 3.14); the stubs lack the argument.
    skills = PostingSkillField(many=True, required=False, write_only=True, max_length=20)  # type: ignore[call-arg]
    skill_list = serializers.SerializerMethodField(method_name="get_skill_list")

    class Meta:
        model = JobPosting
        fields = (
            "id",
            "employer",
            "service_point",
            "channel",
            "title",
            "description",
            "area",
            "district",
            "address",
            "lat",
            "lng",
            "work_type",
            "wage_min",
            "wage_max",
            "wage_unit",
            "wage_text",
            "headcount",
            "shifts",
            "schedule_note",
            "older_ok",
            "disability_ok",
            "mother_flexible",
            "contact_name",
            "contact_phone",
            "expires_on",
            "external_ref",
            "status",
            "published_at",
            "closed_at",
            "review_note",
            "skills",
            "skill_list",
            "updated_at",
        )
        read_only_fields = ("district", "status", "published_at", "closed_at", "review_note", "updated_at")

    def get_skill_list(self, obj: JobPosting) -> list[dict[str, Any]]:
        return [
            {"skill": ps.skill_id, "required": ps.required, "min_level": ps.min_level}
            for ps in obj.posting_skills.all()
        ]

    def validate_service_point(self, value: ServicePoint) -> ServicePoint:
        sites = self.context["site_ids"]
        if sites is not None and value.pk not in sites:
            raise serializers.ValidationError(_("只能为自己的服务点录入岗位。"))
        return value

    def validate_employer(self, value: Employer) -> Employer:
        employers = self.context["employers"]
        current = self.instance.employer_id if self.instance else None
        if value.pk != current and not employers.filter(pk=value.pk).exists():
            raise serializers.ValidationError(_("请选择本服务点登记的用人单位。"))
        return value

    def validate_contact_phone(self, value: str) -> str:
        return normalize_mobile(value) if value else value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        wmin = attrs.get("wage_min", getattr(self.instance, "wage_min", None))
        wmax = attrs.get("wage_max", getattr(self.instance, "wage_max", None))
        if wmin is not None and wmax is not None and wmin > wmax:
            raise serializers.ValidationError({"wage_max": [_("薪资上限不能低于下限。")]})
        area = attrs.get("area")
        if area is not None and ("lat" not in attrs or "lng" not in attrs):
            attrs.setdefault("lat", area.lat)
            attrs.setdefault("lng", area.lng)
        return attrs


class PostingTransitionSerializer(serializers.Serializer):
    """No input: the action is the address (publish, close)."""


# --- operators: employers ----------------------------------------------------------------------


class EmployerSerializer(serializers.ModelSerializer):
    service_point = StrictPrimaryKeyRelatedField(queryset=ServicePoint.objects.all(), required=False, allow_null=True)
    area = StrictPrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Employer
        fields = (
            "id",
            "name",
            "credit_code",
            "contact_name",
            "contact_phone",
            "address",
            "area",
            "service_point",
            "verified",
            "verified_at",
        )
        read_only_fields = ("verified", "verified_at")
        extra_kwargs: dict[str, dict[str, Any]] = {
            "credit_code": {"validators": []}
        }  # checked (normalised first) by employer_save

    def validate_service_point(self, value: ServicePoint | None) -> ServicePoint | None:
        sites = self.context["site_ids"]
        if sites is not None and (value is None or value.pk not in sites):
            raise serializers.ValidationError(_("只能为自己的服务点登记用人单位。"))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Verification is a review (core.services.employer_verify): a body that tries to set it
        # is refused, not silently ignored, so a client does not believe its employer verified.
        current = bool(getattr(self.instance, "verified", False))
        wanted = self.initial_data.get("verified") if hasattr(self.initial_data, "get") else None
        if wanted is not None and wanted != current:
            raise serializers.ValidationError(
                {"verified": [_("用人单位由人社局或本服务点的审核员在后台核验，不能通过接口设置。")]}
            )
        return attrs


# --- operators: walk-in registrations ----------------------------------------------------------


class SeekerSkillField(serializers.Serializer):
    skill = StrictPrimaryKeyRelatedField(queryset=Skill.objects.all())
    level = serializers.ChoiceField(choices=SkillLevel.choices, default=SkillLevel.BASIC)
    years = StrictIntegerField(min_value=0, max_value=60, default=0)
    has_certificate = serializers.BooleanField(default=False)


class WalkInRegistrationSerializer(serializers.Serializer):
    """A seeker registered at the counter (consent signed on paper)."""

    service_point = StrictPrimaryKeyRelatedField(queryset=ServicePoint.objects.all())
    name = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=20, write_only=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, write_only=True)
    birth_year = StrictIntegerField(min_value=1930, max_value=2015)
    area = StrictPrimaryKeyRelatedField(queryset=Area.objects.filter(parent__isnull=False))
    travel_km = StrictIntegerField(min_value=1, max_value=200, default=10)
    work_types = serializers.ListField(child=serializers.ChoiceField(choices=WorkType.choices), default=list)
    shifts = serializers.ListField(child=serializers.ChoiceField(choices=Shift.choices), default=list)
    expected_wage = StrictIntegerField(min_value=1, max_value=1_000_000, required=False, allow_null=True)
    expected_unit = serializers.ChoiceField(choices=WageUnit.choices, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=KeyGroup.choices), default=list)
    skills = SeekerSkillField(many=True, max_length=10)  # type: ignore[call-arg]  # ListSerializer's; not in the stubs
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate_service_point(self, value: ServicePoint) -> ServicePoint:
        sites = self.context["site_ids"]
        if sites is not None and value.pk not in sites:
            raise serializers.ValidationError(_("只能在自己的服务点代登记。"))
        return value

    def validate_phone(self, value: str) -> str:
        from django.core.exceptions import ValidationError as DjangoValidationError

        phone = normalize_mobile(value)
        try:
            validate_mobile(phone)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        if SeekerRegistration.objects.current().by_phone(phone).exists():
            raise serializers.ValidationError(_("这个手机号已经登记过了。"))
        return phone

    def validate_id_number(self, value: str) -> str:
        return resident_id_value(value)


class SiteRegistrationSerializer(serializers.ModelSerializer):
    """A registration as an operator's list shows it: name, phone and ID masked."""

    name = serializers.CharField(source="masked_name")
    phone = serializers.CharField(source="masked_phone")
    id_number = serializers.CharField(source="masked_id_number")
    status = serializers.ChoiceField(choices=SeekerStatus.choices)
    # Declared: a read-only model field loses ``blank``, and the schema then refused "" (no unit).
    expected_unit = serializers.ChoiceField(choices=WageUnit.choices, allow_blank=True, read_only=True)
    skills = serializers.SerializerMethodField()

    class Meta:
        model = SeekerRegistration
        fields = (
            "id",
            "name",
            "phone",
            "id_number",
            "birth_year",
            "area",
            "travel_km",
            "work_types",
            "shifts",
            "expected_wage",
            "expected_unit",
            "tags",
            "skills",
            "status",
            "service_point",
            "consent_method",
            "created_at",
        )
        read_only_fields = fields

    def get_skills(self, obj: SeekerRegistration) -> list[dict[str, Any]]:
        return [
            {"skill": s.skill_id, "level": s.level, "years": s.years, "has_certificate": s.has_certificate}
            for s in obj.seeker_skills.all()
        ]
