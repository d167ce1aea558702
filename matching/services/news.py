"""What the seeker is told when their application moves: an inbox message and an SMS, in plain Chinese.

Each change is told once (the inbox's dedupe key names the match, the status and the application
it belongs to); at most one SMS per application per day (a later change the same day replaces a
message not yet sent), never during the quiet hours (the outbox holds it to the morning).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from matching.enums import MatchStatus
from matching.models import Match
from xiangtan_jobs.core.models import InboxMessage, JobPosting, PostingSkill
from xiangtan_jobs.core.presenters import wage_text
from xiangtan_jobs.core.services import sms_queue

# Seekers registered at a counter have no password yet: the SMS says how they log in.
WALK_IN_LOGIN_HINT = "第一次登录请在网站选“用短信验证码登录”，填这个手机号。"

TITLES = {
    MatchStatus.INVITED: "邀请您申请岗位",
    MatchStatus.CONTACTED: "服务点已和您联系",
    MatchStatus.INTERVIEW: "请您去面试",
    MatchStatus.INTENTION: "已初步达成就业意向",
    MatchStatus.HIRED: "您已被录用",
    MatchStatus.DECLINED: "申请没有成功",
    MatchStatus.NO_REPLY: "申请未获回复，已关闭",
}
TOLD_STATUSES = frozenset(TITLES)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def similar_open_postings(*, match: Match, limit: int = 3) -> list[JobPosting]:
    """Open postings like this match's (sharing a required skill), newest first, that the seeker
    has not applied to: what a closed or unsuccessful application suggests instead."""
    skill_ids = list(
        PostingSkill.objects.filter(posting_id=match.posting_id, required=True).values_list("skill_id", flat=True)
    )
    if not skill_ids:
        return []
    applied = Match.objects.filter(posting=OuterRef("pk"), seeker_id=match.seeker_id, applied_at__isnull=False)
    return list(
        JobPosting.objects.public()
        .filter(Exists(PostingSkill.objects.filter(posting=OuterRef("pk"), skill_id__in=skill_ids)))
        .exclude(pk=match.posting_id)
        .filter(~Exists(applied))
        .order_by("-published_at", "-id")[:limit]
    )


def _body(match: Match, status: str, days: int = 0) -> tuple[str, str]:
    """(text, link) of the news of this status."""
    posting = match.posting
    site = posting.service_point
    title = posting.title
    phone = f"（电话 {site.phone}）" if site.phone else ""
    link = f"/jobs/{posting.pk}/"
    if status == MatchStatus.INVITED:
        wage = wage_text(posting.wage_min, posting.wage_max, posting.wage_unit).strip()
        text = (
            f"{site.name}邀请您申请「{title}」（{wage}）。愿意的话打开链接点「申请」；"
            "申请后，服务点和用人单位会看到您的姓名和手机号，并和您联系。"
        )
        return text, link
    if status == MatchStatus.CONTACTED:
        text = f"您申请的「{title}」：{site.name}的工作人员已经和您联系。没接到电话的话，请回电{phone}。"
    elif status == MatchStatus.INTERVIEW:
        when = _when(match.interview_at)
        place = match.interview_place.strip()
        details = "，".join(x for x in (f"时间：{when}" if when else "", f"地点：{place}" if place else "") if x)
        text = f"您申请的「{title}」请您去面试。{details + '。' if details else '时间和地点工作人员会电话告诉您。'}"
        text += f"需要有人陪同面试，可以找{site.name}{phone}。"
    elif status == MatchStatus.INTENTION:
        text = f"您申请的「{title}」：您和用人单位已初步达成就业意向。上岗时间等事项，工作人员会和您确认。"
    elif status == MatchStatus.HIRED:
        text = f"恭喜！「{title}」已录用您。上岗前有问题，请找{site.name}{phone}。"
    elif status == MatchStatus.DECLINED:
        text = f"很遗憾，您申请的「{title}」这次没有成功。可以看看其他岗位，或到{site.name}请工作人员帮您找。"
        link = "/jobs/"
    else:  # NO_REPLY
        similar = similar_open_postings(match=match)
        text = f"您申请的「{title}」{days} 天没有得到答复，这个申请已关闭，不影响您申请其他岗位。"
        if similar:
            text += "类似的岗位还在招：" + "；".join(f"{p.title}（/jobs/{p.pk}/）" for p in similar) + "。"
            skill = PostingSkill.objects.filter(posting_id=match.posting_id, required=True).values_list(
                "skill_id", flat=True
            )
            link = f"/jobs/?skill={skill.first()}"
        else:
            link = "/jobs/"
    return text, link


def match_tell_seeker(*, match: Match, status: str, days: int = 0, now: dt.datetime | None = None) -> bool:
    """Tell the seeker what became of their application (or invitation); False if not told (already
    told, or a status nobody is told about)."""
    if status not in TOLD_STATUSES:
        return False
    now = now or timezone.now()
    seeker = match.seeker
    # One application is one "applied_at" (a re-application after withdrawing is a new one).
    round_ = match.invited_at if status == MatchStatus.INVITED else match.applied_at
    stamp = int(round_.timestamp()) if round_ else 0
    text, link = _body(match, status, days)
    told = True
    if seeker.user_id:
        _msg, told = InboxMessage.objects.get_or_create(
            user_id=seeker.user_id,
            dedupe_key=f"match:{match.pk}:{status}:{stamp}",
            defaults={"title": TITLES[MatchStatus(status)], "body": text, "link": link},
        )
    if told:
        sms = f"【湘潭就业】{text}详情：{settings.PUBLIC_URL}{link}"
        if not seeker.user_id:
            sms += WALK_IN_LOGIN_HINT
        sms_queue(
            phone=seeker.phone,
            text=sms,
            purpose="invitation" if status == MatchStatus.INVITED else "application",
            dedupe_key=f"match:{match.pk}",
            per_day=True,
            replace=True,
            now=now,
        )
    return told
