"""The KPI answers: the dashboard's cards, months, districts, key groups and sites."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from xiangtan_jobs.common.api import StrictIntegerField


class PeriodQuerySerializer(serializers.Serializer):
    """The dashboard's period picker: a preset, or start/end dates (default: this year to today)."""

    preset = serializers.ChoiceField(
        choices=[("month", "本月"), ("30d", "近 30 天"), ("lastyear", "去年")],
        required=False,
        help_text="month 本月、30d 近 30 天、lastyear 去年；给了 preset 就不看 start/end",
    )
    start = serializers.DateField(required=False, help_text="开始日期（含），如 2026-01-01")
    end = serializers.DateField(required=False, help_text="结束日期（含），如 2026-12-31")
    demo = StrictIntegerField(required=False, min_value=0, max_value=1, default=0, help_text="1：含演示数据")


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class KpiCardSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="指标代码（docs/kpis.md）")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    unit = serializers.CharField()
    value = serializers.IntegerField(help_text="本期")
    previous = serializers.IntegerField(help_text="上期（同样天数紧挨着的前一段；整年则为上年同期）")
    change = serializers.FloatField(allow_null=True, help_text="变化百分比；上期为 0 时为空")


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    values = serializers.DictField(child=serializers.IntegerField(), help_text="{指标代码: 数值}")


class PlaceFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.IntegerField(), help_text="{指标代码: 数值}")


class GroupFiguresSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="重点群体代码")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    values = serializers.DictField(child=serializers.IntegerField())


@extend_schema_serializer(many=False)
class KpiSummarySerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    include_demo = serializers.BooleanField()
    site = serializers.IntegerField(allow_null=True, help_text="令牌限定的服务点（其余为全市）")
    cards = KpiCardSerializer(many=True)
    answered_rate = serializers.FloatField(allow_null=True, help_text="按时答复率(%)：按时答复 ÷ 收到申请")
    months = MonthSerializer(many=True)
    districts = PlaceFiguresSerializer(many=True)
    groups = GroupFiguresSerializer(many=True)


class SiteFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    values = serializers.DictField(child=serializers.IntegerField(), help_text="{指标代码: 数值}")
    city_median = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="{指标代码: 全市各考核点中位数}"
    )


@extend_schema_serializer(many=False)
class SitesPageSerializer(serializers.Serializer):
    period = PeriodSerializer()
    include_demo = serializers.BooleanField()
    results = SiteFiguresSerializer(many=True)
