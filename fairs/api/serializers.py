"""Fairs with their days (sessions) and exhibitors."""

from __future__ import annotations

from rest_framework import serializers

from fairs.models import Exhibitor, FairSession, JobFair


class FairSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FairSession
        fields = ("id", "date", "starts_at", "ends_at", "capacity", "note")


class ExhibitorSerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name")
    postings = serializers.SerializerMethodField(help_text="参会带来的岗位编号（可在 /api/v1/jobs/{id}/ 查看）")

    class Meta:
        model = Exhibitor
        fields = ("id", "employer", "booth", "postings")

    def get_postings(self, obj: Exhibitor) -> list[int]:
        return [p.pk for p in obj.postings.all()]


class FairSerializer(serializers.ModelSerializer):
    sessions = FairSessionSerializer(many=True, read_only=True)

    class Meta:
        model = JobFair
        # contact_phone is the fair's public hotline (printed on its announcement).
        fields: tuple[str, ...] = (
            "id",
            "series",
            "title",
            "organiser",
            "venue",
            "address",
            "area",
            "lat",
            "lng",
            "contact_phone",
            "starts_on",
            "ends_on",
            "description",
            "expected_employers",
            "expected_posts",
            "service_point",
            "status",
            "sessions",
        )


class FairDetailSerializer(FairSerializer):
    exhibitors = ExhibitorSerializer(many=True, read_only=True)

    class Meta(FairSerializer.Meta):
        fields = (*FairSerializer.Meta.fields, "exhibitors")
