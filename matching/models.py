"""Matches between postings and seekers, and their lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint

from .enums import CONTACT_STATUSES, MatchStatus


class Match(TimeStampedModel):
    """A recommendation of a posting to a seeker, with its score, reasons and status."""

    # No single-column indexes of their own: (posting, seeker) is unique and (seeker) is indexed
    # below; every extra index is rewritten ~900,000 times by each nightly rematch.
    posting = models.ForeignKey(
        "core.JobPosting", verbose_name="岗位", on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    seeker = models.ForeignKey(
        "core.SeekerRegistration",
        verbose_name="求职者",
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
    )
    score = models.FloatField("匹配分")
    reasons = models.JSONField("匹配理由", default=list, blank=True)
    status = models.CharField("状态", max_length=16, choices=MatchStatus.choices, default=MatchStatus.RECOMMENDED)
    # Capacity-aware ranking in two local passes (matching/engine/README.md): a posting *keeps* its
    # best ceil(5 × headcount) seekers, and each seeker is *shown* (is_current) the best 20 of the
    # postings that keep them. Acted-on matches outlive both flags.
    kept = models.BooleanField("岗位推荐名单内", default=True)
    # The reach guarantee (matching/engine/reach.py): kept as the claim of a seeker no posting kept
    # on merit, under the posting's hard cap, rather than on merit (its soft list).
    claimed = models.BooleanField("兜底推荐", default=False, db_default=False)
    is_current = models.BooleanField("向求职者推荐", default=True)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="变更人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: only matches someone moved (viewed, applied, …) name who
    )
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    # The seeker's latest application (apply = consent to be contacted by the posting's site); the
    # answer deadline runs from it.
    applied_at = models.DateTimeField("申请时间", null=True, blank=True)
    invited_at = models.DateTimeField("邀请时间", null=True, blank=True)
    interview_at = models.DateTimeField("面试时间", null=True, blank=True)
    # A database default too: the matching pipeline inserts rows in bulk with raw SQL.
    interview_place = models.CharField("面试地点", max_length=200, blank=True, default="", db_default="")

    history = HistoricalRecords(excluded_fields=["updated_at", "reasons", "claimed"])

    class Meta:
        verbose_name = "人岗匹配"
        verbose_name_plural = "人岗匹配"
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "seeker"], name="match_one_per_posting_seeker"),
            choices_constraint("status", MatchStatus, "match_status_valid"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="match_score_0_100"),
        ]
        # The nightly rematch rewrites the score, flags and reasons of ~900,000 rows. No index
        # covers those columns (a seeker's ≤ 50 rows are sorted by score in memory), so with free
        # room on each page (fillfactor 60, migration 0003) PostgreSQL updates them in place
        # ("HOT") without touching any index: 47 s → 22 s for the full rematch (bench/README.md).
        indexes = [
            models.Index(fields=["seeker"], name="match_seeker"),
            models.Index(
                fields=["status_changed_by"], condition=Q(status_changed_by__isnull=False), name="match_changed_by"
            ),
            # Told seekers only: "who was told today" is an index range, and the rematch (which never
            # writes notified_at) keeps its in-place updates.
            models.Index(
                fields=["notified_at", "seeker"], condition=Q(notified_at__isnull=False), name="match_notified"
            ),
            # Acted-on matches only (applications, interviews, intentions, hires): a small index.
            models.Index(
                fields=["status", "status_changed_at"],
                condition=~Q(status__in=["recommended", "viewed"]),
                name="match_acted_status_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} ↔ {self.seeker_id} ({self.score:.0f})"

    @property
    def contact_allowed(self) -> bool:
        """Whether the seeker has applied (and not withdrawn): only then may the site see their contact."""
        return self.applied_at is not None and self.status in CONTACT_STATUSES


class MatchClaim(models.Model):
    """A claim of a seeker whom no posting keeps on merit, on one of their best suitable postings.

    The reach guarantee (matching/engine/reach.py): a posting admits its best claimants under its
    hard cap; a claim waiting for room stays here and is admitted when room opens. Only seekers
    kept by no soft list have claims (a few thousand rows).
    """

    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="求职者", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    posting = models.ForeignKey("core.JobPosting", verbose_name="岗位", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField("匹配分")

    class Meta:
        verbose_name = "兜底推荐候选"
        verbose_name_plural = "兜底推荐候选"
        constraints = [models.UniqueConstraint(fields=["seeker", "posting"], name="match_claim_unique")]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.posting_id} ({self.score:.0f})"


class RematchCandidate(models.Model):
    """During a full rematch: one chunk's best postings for a seeker, among that chunk's postings.

    A seeker's best postings overall are the best of these over every chunk; the run's finish takes
    the claims of the seekers no soft list keeps from them. Plain ids (no foreign keys), written with
    COPY, dropped when the run finishes.
    """

    run = models.ForeignKey("RematchRun", verbose_name="全量重新匹配", on_delete=models.CASCADE, related_name="+")
    seeker_id = models.BigIntegerField("求职者")
    posting_id = models.BigIntegerField("岗位")
    score = models.FloatField("匹配分")

    class Meta:
        verbose_name = "重新匹配候选"
        verbose_name_plural = "重新匹配候选"

    def __str__(self) -> str:
        return f"{self.run_id}: {self.seeker_id} → {self.posting_id}"


class RematchRun(TimeStampedModel):
    """One full rematch, split into chunks of postings that several workers share.

    The database, not the broker, is the source of truth: each chunk marks itself done with an
    atomic update, and the worker that finishes the last chunk queues the final pass.
    """

    # The night a beat's run belongs to (local date), unique: a second beat or a redelivered
    # rematch_all joins that night's run instead of planning another (and texting everyone twice).
    # Empty for the `rematch` command's runs.
    night = models.DateField("日期", null=True, blank=True)
    chunks_total = models.PositiveIntegerField("分块数")
    chunks_done = models.PositiveIntegerField("已完成分块", default=0)
    finish_started_at = models.DateTimeField("开始收尾时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # After the finish's notifications went out: a finish killed while notifying is completed by
    # the sweeper (the SMS outbox's keys keep anyone from being texted twice).
    notified_at = models.DateTimeField("通知完成时间", null=True, blank=True)
    pairs_kept = models.PositiveIntegerField("保留配对数", default=0)

    class Meta:
        verbose_name = "全量重新匹配"
        verbose_name_plural = "全量重新匹配"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chunks_done__lte=models.F("chunks_total")), name="rematch_done_le_total"
            ),
            models.UniqueConstraint(fields=["night"], condition=Q(night__isnull=False), name="rematch_one_per_night"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.chunks_done}/{self.chunks_total}"


class RematchChunk(models.Model):
    """One chunk of a full rematch: the postings it covers and whether a worker has finished it.

    The row, not the broker's message, says what is left to do: a worker claims the chunk (an
    atomic update), stores its results and marks it done in the same transaction, and a periodic
    sweeper re-queues a chunk whose worker died or whose message was lost.
    """

    run = models.ForeignKey(RematchRun, verbose_name="全量重新匹配", on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("序号")
    posting_ids = models.JSONField("岗位编号")
    queued_at = models.DateTimeField("排队时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "重新匹配分块"
        verbose_name_plural = "重新匹配分块"
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="rematch_chunk_unique")]
        indexes = [models.Index(fields=["run"], condition=Q(done_at__isnull=True), name="rematch_chunk_open")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.number}"


class ReplayKind(models.TextChoices):
    POSTING = "posting", "岗位"
    SEEKER = "seeker", "求职者"


class RematchReplay(models.Model):
    """A posting or seeker matched incrementally while a full rematch was running.

    A chunk of the full run may have read its rows before the change and store after it, which
    would put back the stale kept list; the run's finish repeats these incremental updates last.
    """

    run = models.ForeignKey(RematchRun, verbose_name="全量重新匹配", on_delete=models.CASCADE, related_name="replays")
    kind = models.CharField("类型", max_length=8, choices=ReplayKind.choices)
    object_id = models.BigIntegerField("编号")

    class Meta:
        verbose_name = "重新匹配期间的变更"
        verbose_name_plural = "重新匹配期间的变更"
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "object_id"], name="rematch_replay_unique"),
            choices_constraint("kind", ReplayKind, "rematch_replay_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.kind} {self.object_id}"
