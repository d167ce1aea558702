"""The public job list (the portal's filters and order, keyset pages), a posting, the change
feed, and the logged-in seeker's registration, recommendations and applications."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.enums import MatchStatus
from matching.models import Match
from matching.presenters import seeker_applications, seeker_recommendations
from matching.services import match_apply, match_withdraw, matches_fill_reasons
from xiangtan_jobs.common.parsing import parse_int
from xiangtan_jobs.core.api import examples as ex
from xiangtan_jobs.core.api.authentication import IsSeekerSession
from xiangtan_jobs.core.api.examples import response_example
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.enums import SeekerStatus, SkillLevel
from xiangtan_jobs.core.models import JobPosting, PostingSkill, SeekerRegistration
from xiangtan_jobs.core.selectors import cursor_decode, posting_detail, reference_data, seeker_current
from xiangtan_jobs.core.selectors.feed import FeedCursorError, posting_changes
from xiangtan_jobs.core.services import SkillInput, registration_update
from xiangtan_jobs.portal.api import serializers as s
from xiangtan_jobs.portal.filters import PostingFilter
from xiangtan_jobs.portal.selectors import apply_gate, posting_search

ID = r"[0-9]{1,18}"
SIZE_MAX = 100


def _errors(form_errors: Any) -> dict[str, list[str]]:
    return {field: [str(e) for e in errs] for field, errs in form_errors.items()}


def _skills_of(posting_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The skills of a page of postings, in one query (names from the cached reference lists)."""
    names = reference_data().skill_name
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = PostingSkill.objects.filter(posting_id__in=posting_ids).order_by("-required", "skill_id")
    for posting_id, skill_id, required in rows.values_list("posting_id", "skill_id", "required"):
        out[posting_id].append({"skill": skill_id, "name": names.get(skill_id, ""), "required": required})
    return out


JOB_EXAMPLE = {
    "count": 1,
    "next": None,
    "results": [
        {
            "id": 101,
            "title": "家庭保洁（日结）",
            "employer": "湘潭某家政服务有限公司",
            "area": 12,
            "district": 2,
            "place": "雨湖区雨湖路街道",
            "service_point": 1,
            "lat": 27.87,
            "lng": 112.91,
            "work_type": "day",
            "wage_min": 180,
            "wage_max": 220,
            "wage_text": "180–220 元/天",
            "wage_unit": "day",
            "wage_daily": 220.0,
            "shifts": ["weekday_morning"],
            "older_ok": True,
            "disability_ok": False,
            "mother_flexible": False,
            "published_at": "2026-12-02T09:00:00+08:00",
            "distance_km": None,
            "skills": [{"skill": 7, "name": "保洁员", "required": True}],
        }
    ],
}


class JobViewSet(viewsets.GenericViewSet):
    """Open postings, filtered and ordered exactly as the /jobs/ page (``portal.filters.PostingFilter``)."""

    queryset = JobPosting.objects.public()
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostingFilter
    pagination_class = None
    lookup_value_regex = ID

    @extend_schema(
        summary="岗位列表",
        description="与网站 /jobs/ 同样的筛选与排序（有关键词时默认 sort=best 最相关：标题含关键词在前，"
        "其次必备技能，再次别名等，同档内最新在前；sort=new 最新、wage 工资高、near 离我近：需 near=区域编号"
        "或“纬度,经度”）。游标分页：跟随 next；size 每页 1–100 条（默认 20）。参数有误返回 400。",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="上一页返回的 next 里的游标"),
            OpenApiParameter("size", OpenApiTypes.INT, description="每页条数，1–100，默认 20"),
        ],
        responses=s.JobPageSerializer,
        examples=[OpenApiExample("一页", value=JOB_EXAMPLE, response_only=True)],
    )
    def list(self, request: Request) -> Response:
        f = PostingFilter(request.query_params, queryset=JobPosting.objects.public())
        errors = {} if f.is_valid() else _errors(f.errors)
        raw_size = request.query_params.get("size")
        size = 20 if raw_size in (None, "") else parse_int(raw_size, minimum=1, maximum=SIZE_MAX)
        if size is None:
            errors["size"] = [_("每页条数须为 1 到 %(n)d 之间的整数。") % {"n": SIZE_MAX}]
        cursor = request.query_params.get("cursor") or None
        if cursor is not None and cursor_decode(cursor) is None:
            errors["cursor"] = [_("无效的分页游标。")]
        if errors:
            raise exceptions.ValidationError(errors)
        assert size is not None
        found = posting_search(f, cursor=cursor, size=size)
        skills = _skills_of([row["id"] for row in found.page.rows])
        ref = reference_data()
        results = []
        for row in found.page.rows:
            d2 = row.get("d2")
            results.append(
                {
                    **row,
                    "place": ref.area_label(row["area_id"]),
                    "distance_km": None if d2 is None else round(d2**0.5, 2),
                    "skills": skills.get(row["id"], []),
                }
            )
        next_url = None
        if found.page.next_cursor:
            params = [(k, v) for k, vs in request.query_params.lists() for v in vs if k != "cursor" and v != ""]
            next_url = request.build_absolute_uri(
                request.path + "?" + urlencode([*params, ("cursor", found.page.next_cursor)])
            )
        data = {"count": found.counts["total"], "next": next_url, "results": results}
        return Response(s.JobPageSerializer(data).data)

    @extend_schema(
        examples=[response_example(ex.JOB_DETAIL)],
        summary="一个岗位",
        description="公开岗位的详情（已结束的也可查，is_open 为假）。",
        responses=s.JobDetailSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        posting = posting_detail(pk=parse_int(pk) or 0)
        if posting is None:
            raise exceptions.NotFound(_("没有找到这个岗位。"))
        return Response(s.JobDetailSerializer(posting).data)

    @extend_schema(
        examples=[response_example(ex.CHANGES)],
        summary="岗位变化流（数据对接）",
        description="按提交顺序列出新发布、修改和下架的岗位，供省、国家平台和合作方镜像。第一次不带 since；"
        "之后每次带上返回的 next_cursor。跟随游标不会漏掉、也不会重复同一版本；more 为真时立即再取。"
        "详见 docs/data-exchange.md。",
        parameters=[s.ChangesQuerySerializer],
        responses=s.JobChangesPageSerializer,
        filters=False,
    )
    @action(detail=False, filter_backends=[])
    def changes(self, request: Request) -> Response:
        query = s.ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            page = posting_changes(since=query.validated_data.get("since") or None, limit=query.validated_data["limit"])
        except FeedCursorError:
            raise exceptions.ValidationError({"since": [_("无效的游标：请使用上次返回的 next_cursor。")]}) from None
        results = [
            {
                "id": c.posting.pk,
                "change": c.change,
                "status": c.posting.status,
                "updated_at": c.posting.updated_at,
                "posting": c.posting,
            }
            for c in page.changes
        ]
        return Response(
            s.JobChangesPageSerializer({"results": results, "next_cursor": page.next_cursor, "more": page.more}).data
        )


# --- me ------------------------------------------------------------------------------------


def _my_registration(request: Request) -> SeekerRegistration:
    registration = seeker_current(user=request.user)
    if registration is None:
        raise exceptions.NotFound(_("您还没有做求职登记。"))
    return registration


class MyRegistrationView(APIView):
    """My job-seeker registration; an update goes through ``registration_update`` (rematched)."""

    permission_classes = [IsSeekerSession]

    def _out(self, registration: SeekerRegistration) -> Response:
        fresh = SeekerRegistration.objects.prefetch_related("seeker_skills").get(pk=registration.pk)
        return Response(s.MyRegistrationSerializer(fresh).data)

    @extend_schema(
        examples=[response_example(ex.MY_REGISTRATION)], summary="我的求职登记", responses=s.MyRegistrationSerializer
    )
    def get(self, request: Request) -> Response:
        return self._out(_my_registration(request))

    @extend_schema(
        summary="修改我的求职登记",
        description="与网站「修改登记」相同；保存后重新计算推荐。",
        request=s.MyRegistrationSerializer,
        responses=s.MyRegistrationSerializer,
        examples=[
            OpenApiExample(
                "修改",
                value={
                    "name": "王秀英",
                    "birth_year": 1975,
                    "area": 12,
                    "travel_km": 10,
                    "work_types": ["day"],
                    "shifts": [],
                    "expected_wage": 180,
                    "expected_unit": "day",
                    "tags": ["older"],
                    "skills": [{"skill": 7, "level": 3, "years": 5, "has_certificate": False}],
                },
                request_only=True,
            )
        ],
    )
    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    @extend_schema(
        examples=[response_example(ex.MY_REGISTRATION)],
        summary="修改我的求职登记的部分字段",
        request=s.MyRegistrationSerializer,
        responses=s.MyRegistrationSerializer,
    )
    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)

    def _save(self, request: Request, *, partial: bool) -> Response:
        registration = _my_registration(request)
        form = s.MyRegistrationSerializer(data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        current = {
            "name": registration.name,
            "birth_year": registration.birth_year,
            "area": registration.area,
            "travel_km": registration.travel_km,
            "work_types": registration.work_types,
            "shifts": registration.shifts,
            "expected_wage": registration.expected_wage,
            "expected_unit": registration.expected_unit,
            "tags": registration.tags,
            "id_number": registration.id_number or "",
        }
        values = {**current, **{k: v for k, v in data.items() if k in current}}
        if "seeker_skills" in data:
            skills = [
                # A PATCH leaves the nested defaults out (DRF applies none under partial=True).
                SkillInput(
                    skill_id=i["skill"].pk,
                    level=int(i.get("level", SkillLevel.BASIC)),
                    years=i.get("years", 0),
                    has_certificate=i.get("has_certificate", False),
                )
                for i in data["seeker_skills"]["all"]
            ]
        else:
            skills = [
                SkillInput(skill_id=x.skill_id, level=x.level, years=x.years, has_certificate=x.has_certificate)
                for x in registration.seeker_skills.all()
            ]
        registration_update(
            registration=registration,
            actor=acting_user(request),
            skills=skills,
            expected_unit=values["expected_unit"] or "",
            **{k: v for k, v in values.items() if k != "expected_unit"},
        )
        return self._out(registration)


class MyRecommendationsView(APIView):
    permission_classes = [IsSeekerSession]

    @extend_schema(
        examples=[response_example(ex.RECOMMENDATION)],
        summary="我的推荐",
        description="为我推荐的在招岗位，按匹配分从高到低，带推荐理由；暂停求职时为空。",
        responses=s.RecommendationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        registration = _my_registration(request)
        if registration.status != SeekerStatus.ACTIVE:
            return Response([])
        matches = seeker_recommendations(seeker=registration)
        matches_fill_reasons(matches)
        return Response(s.RecommendationSerializer(matches, many=True).data)


def _history(matches: list[Match]) -> dict[int, list[dict[str, Any]]]:
    """Each match's status changes, oldest first (one query over the history table)."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Match.history.filter(id__in=[m.pk for m in matches])
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "history_date")
    )
    for pk, status_, at in rows:
        if out[pk] and out[pk][-1]["status"] == status_:
            continue
        out[pk].append({"status": status_, "label": str(MatchStatus(status_).label), "at": at})
    return out


class MyApplicationsViewSet(viewsets.ViewSet):
    permission_classes = [IsSeekerSession]
    lookup_value_regex = ID

    def _rows(self, matches: list[Match]) -> list[dict[str, Any]]:
        history = _history(matches)
        return [
            {
                "id": m.pk,
                "status": m.status,
                "status_label": str(MatchStatus(m.status).label),
                "status_changed_at": m.status_changed_at,
                "withdrawable": m.status == MatchStatus.APPLIED,
                "posting": m.posting,
                "history": history.get(m.pk, []),
            }
            for m in matches
        ]

    @extend_schema(
        examples=[response_example(ex.APPLICATION)],
        summary="我的申请",
        description="我申请过的岗位和进展（已申请 → 已联系 → 面试中 → 达成意向 → 已录用），"
        "每次变化的时间；最近 100 条。",
        responses=s.ApplicationSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        registration = _my_registration(request)
        matches = list(seeker_applications(seeker=registration)[:100])
        return Response(s.ApplicationSerializer(self._rows(matches), many=True).data)

    @extend_schema(
        summary="申请岗位",
        description="一键申请（同一岗位只能申请一次，已结束的岗位不能申请）。",
        request=s.ApplyInputSerializer,
        responses={201: s.ApplicationSerializer},
        examples=[OpenApiExample("申请", value={"posting": 101}, request_only=True)],
    )
    def create(self, request: Request) -> Response:
        registration = _my_registration(request)
        form = s.ApplyInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        posting = JobPosting.objects.filter(pk=form.validated_data["posting"]).first()
        if posting is None:
            raise exceptions.ValidationError({"posting": [_("没有找到这个岗位。")]})
        gate = apply_gate(posting=posting, seeker=registration)
        if gate is not None:
            raise exceptions.ValidationError({"posting": [gate.gap.reason, gate.gap.what_to_do]})
        match = match_apply(seeker=registration, posting=posting, actor=acting_user(request))
        match = Match.objects.select_related("posting", "posting__employer").get(pk=match.pk)
        return Response(s.ApplicationSerializer(self._rows([match])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        examples=[response_example(ex.APPLICATION)],
        summary="撤回申请",
        description="撤回还没有人处理的申请（已联系之后请联系服务点）。",
        request=None,
        responses=s.ApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        registration = _my_registration(request)
        match = get_object_or_404(Match, pk=parse_int(pk) or 0, seeker=registration)
        match_withdraw(match=match, actor=acting_user(request))
        match = Match.objects.select_related("posting", "posting__employer").get(pk=match.pk)
        return Response(s.ApplicationSerializer(self._rows([match])[0]).data)
