"""Serializers of the public job list and a seeker's own data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from matching.enums import MatchStatus
from matching.presenters import reasons_in_words
from xiangtan_jobs.common.api import StrictIntegerField, StrictPrimaryKeyRelatedField, resident_id_value
from xiangtan_jobs.core.enums import KeyGroup, PostingStatus, Shift, SkillLevel, WageUnit, WorkType
from xiangtan_jobs.core.models import Area, JobPosting, Skill
from xiangtan_jobs.core.presenters import wage_text


def wage_number_field() -> serializers.DecimalField:
    """A wage as a JSON number with up to two decimals (0.5, 210)."""
    return serializers.DecimalField(
        max_digits=9, decimal_places=2, coerce_to_string=False, min_value=Decimal(0), max_value=Decimal(1_000_000)
    )


# --- jobs ------------------------------------------------------------------------------------


class JobSkillSerializer(serializers.Serializer):
    skill = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # popped by DRF's metaclass; no shadowing


class JobCardSerializer(serializers.Serializer):
    """One row of the public list (what a result card shows; no contact details)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField(source="employer__name")
    area = serializers.IntegerField(source="area_id")
    district = serializers.IntegerField(source="district_id")
    place = serializers.CharField(help_text="区县 + 街道/乡镇")
    service_point = serializers.IntegerField(source="service_point_id")
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    work_type = serializers.ChoiceField(choices=WorkType.choices)
    wage_min = wage_number_field()
    wage_max = wage_number_field()
    wage_unit = serializers.ChoiceField(choices=WageUnit.choices)
    wage_text = serializers.SerializerMethodField(help_text="「180–220 元/天」「210 元/天」「0.5 元/件」")
    wage_daily = serializers.FloatField(allow_null=True, help_text="折合日薪（计件为空），排序用")
    shifts = serializers.ListField(child=serializers.ChoiceField(choices=Shift.choices))
    older_ok = serializers.BooleanField()
    disability_ok = serializers.BooleanField()
    mother_flexible = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    distance_km = serializers.FloatField(allow_null=True, help_text="按距离排序或筛选时，离所选地点的公里数")
    skills = JobSkillSerializer(many=True)

    def get_wage_text(self, row: dict[str, Any]) -> str:
        return wage_text(row["wage_min"], row["wage_max"], row["wage_unit"])


@extend_schema_serializer(many=False)  # the list action answers one page object, not an array
class JobPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的岗位总数（最多缓存 1 分钟）")
    next = serializers.CharField(allow_null=True, help_text="下一页的地址（游标分页）；最后一页为空")
    results = JobCardSerializer(many=True)


class JobDetailSerializer(serializers.ModelSerializer):
    """A posting's public page: what, where, when, how much, and the service point that helps
    (the employer's contact person and phone are given by the site, not published)."""

    employer = serializers.CharField(source="employer.name")
    place = serializers.SerializerMethodField()
    is_open = serializers.BooleanField()
    wage_min = wage_number_field()
    wage_max = wage_number_field()
    wage_text = serializers.CharField(source="wage_display", help_text="「180–220 元/天」「0.5 元/件」")
    skills = serializers.SerializerMethodField()
    service_point = serializers.SerializerMethodField()

    class Meta:
        model = JobPosting
        fields = (
            "id",
            "title",
            "description",
            "employer",
            "channel",
            "area",
            "district",
            "place",
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
            "status",
            "is_open",
            "published_at",
            "expires_on",
            "skills",
            "service_point",
        )

    def get_place(self, obj: JobPosting) -> str:
        from xiangtan_jobs.core.selectors import reference_data

        return reference_data().area_label(obj.area_id)

    def get_skills(self, obj: JobPosting) -> list[dict[str, Any]]:
        return [
            {"skill": ps.skill_id, "name": ps.skill.name, "required": ps.required, "min_level": ps.min_level}
            for ps in obj.posting_skills.all()
        ]

    def get_service_point(self, obj: JobPosting) -> dict[str, Any]:
        site = obj.service_point
        return {"id": site.pk, "name": site.name, "address": site.address, "hours": site.hours, "phone": site.phone}


class JobChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    change = serializers.ChoiceField(
        choices=[("created", _("新发布")), ("updated", _("有修改")), ("closed", _("已下架"))],
        help_text="created：第一次出现；updated：内容或状态变了仍在招；closed：已招满、结束或过期（镜像方应下架）",
    )
    status = serializers.ChoiceField(choices=PostingStatus.choices)
    updated_at = serializers.DateTimeField()
    posting = JobDetailSerializer(allow_null=True, help_text="岗位当前的公开信息（下架时也给出，供核对）")


class JobChangesPageSerializer(serializers.Serializer):
    results = JobChangeSerializer(many=True)
    next_cursor = serializers.CharField(help_text="下次请求带上的 since；没有新变化时与本次相同")
    more = serializers.BooleanField(help_text="是否还有已就绪的变化（有则立即再取一页）")


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="上次返回的 next_cursor")
    limit = StrictIntegerField(required=False, min_value=1, max_value=500, default=100)


# --- me --------------------------------------------------------------------------------------


class MySkillSerializer(serializers.Serializer):
    skill = StrictPrimaryKeyRelatedField(queryset=Skill.objects.all())
    level = serializers.ChoiceField(choices=SkillLevel.choices, default=SkillLevel.BASIC)
    years = StrictIntegerField(min_value=0, max_value=60, default=0)
    has_certificate = serializers.BooleanField(default=False)


class MyRegistrationSerializer(serializers.Serializer):
    """My registration: what /me/edit/ edits. The phone is the login name and not changed here."""

    name = serializers.CharField(max_length=32)
    phone = serializers.CharField(read_only=True, source="masked_phone")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, write_only=True)
    id_number_masked = serializers.CharField(read_only=True, source="masked_id_number")
    birth_year = StrictIntegerField(min_value=1930, max_value=2015)
    area = StrictPrimaryKeyRelatedField(queryset=Area.objects.filter(parent__isnull=False))
    travel_km = StrictIntegerField(min_value=1, max_value=200)
    work_types = serializers.ListField(child=serializers.ChoiceField(choices=WorkType.choices))
    shifts = serializers.ListField(child=serializers.ChoiceField(choices=Shift.choices))
    expected_wage = StrictIntegerField(min_value=1, max_value=1_000_000, allow_null=True, required=False)
    expected_unit = serializers.ChoiceField(choices=WageUnit.choices, allow_blank=True, required=False)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=KeyGroup.choices))
    skills = MySkillSerializer(many=True, source="seeker_skills.all", min_length=1, max_length=10)  # type: ignore[call-arg]  # ListSerializer's
    status = serializers.CharField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_id_number(self, value: str) -> str:
        return resident_id_value(value)


class MatchPostingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField(source="employer.name")
    wage_min = wage_number_field()
    wage_max = wage_number_field()
    wage_unit = serializers.CharField()
    wage_text = serializers.CharField(source="wage_display")
    work_type = serializers.CharField()
    status = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.FloatField()
    status = serializers.ChoiceField(choices=MatchStatus.choices)
    reasons = serializers.SerializerMethodField(help_text="推荐理由（中文短句）")
    factors = serializers.JSONField(source="reasons", help_text="各项得分与依据（引擎的原始因子）")
    posting = MatchPostingSerializer()

    def get_reasons(self, obj: Any) -> list[str]:
        return reasons_in_words(obj.reasons)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MatchStatus.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # popped by DRF's metaclass; no shadowing
    at = serializers.DateTimeField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MatchStatus.choices)
    status_label = serializers.CharField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
    withdrawable = serializers.BooleanField()
    posting = MatchPostingSerializer()
    history = StatusChangeSerializer(many=True)


class ApplyInputSerializer(serializers.Serializer):
    posting = StrictIntegerField(min_value=1, max_value=2**62, help_text="岗位编号")
