"""A match as the operator's pipeline shows it (the seeker masked)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from matching.enums import MatchStatus
from matching.models import Match
from matching.presenters import reasons_in_words


class SiteMatchSerializer(serializers.ModelSerializer):
    seeker_name = serializers.CharField(source="seeker.masked_name")
    seeker_phone = serializers.CharField(source="seeker.masked_phone")
    posting_title = serializers.CharField(source="posting.title")
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = (
            "id",
            "posting",
            "posting_title",
            "seeker",
            "seeker_name",
            "seeker_phone",
            "score",
            "reasons",
            "status",
            "status_changed_at",
        )
        read_only_fields = fields

    def get_reasons(self, obj: Match) -> list[str]:
        return reasons_in_words(obj.reasons)


class MatchStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MatchStatus.choices, help_text="下一步状态（或退回上一步）")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return dict(instance)
