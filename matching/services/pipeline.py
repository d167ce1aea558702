"""The engine's glue: rank, store and notify for one posting or one seeker."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from matching.engine.explain import explain_many
from matching.engine.index import PostingIndex, SeekerIndex
from matching.engine.ranking import rank_for_seeker
from matching.engine.reach import DEFAULT_REACH
from matching.engine.reach_incremental import ReachUpdate, update_for_posting_reaching, update_for_seeker_reaching
from matching.engine.skills import SkillTable
from matching.engine.types import DEFAULT_WEIGHTS, Explanation, Params, PostingIn, ScoredPair, SeekerIn
from matching.enums import UNTOUCHED_STATUSES, MatchStatus
from matching.models import Match, MatchClaim, RematchReplay, RematchRun, ReplayKind
from matching.selectors import engine_postings, engine_seekers, engine_skills, matchable_postings, matchable_seekers
from xiangtan_jobs.core.models import JobPosting, PostingSkill, SeekerRegistration, SeekerSkill, Skill

from .notify import seekers_notify

# --- The engine's glue: rank, store, notify ------------------------------------------------
# The reach guarantee over capacity-aware ranking (matching/engine/reach.py): a posting keeps its
# best ceil(2 × headcount) seekers on merit (its soft list); a seeker kept by no soft list claims
# their best 3 suitable postings, each admitting its best claimants up to ceil(20 × headcount); a
# seeker is shown the best top_k of the postings that keep them. Updating one posting or one seeker
# (reach_incremental.py) reproduces exactly what a full rematch would store.

ENGINE_PARAMS = Params()
# The reach guarantee (issue 18, bench/README.md "Reach"): a posting keeps its best 2 × headcount on
# merit; a seeker kept by none claims their best 3, admitted up to 20 × headcount.
ENGINE_REACH = DEFAULT_REACH
_MATCHING_LOCK = 7_314_001  # PostgreSQL advisory lock: one matching write at a time


@dataclass(frozen=True)
class MatchingOutcome:
    postings: int
    kept: int
    seekers_refreshed: int


def _lock_matching() -> None:
    """Serialise matching writes: two runs must not interleave their kept sets and shown flags."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MATCHING_LOCK])
            # The full run's window function and anti-joins sort a million rows: keep them in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")


def _related_skill_ids(skill_ids: set[int]) -> list[int]:
    """Skills that can earn credit against these: same skill, same group or same category."""
    if not skill_ids:
        return []
    info = engine_skills()
    groups = {info[s].group for s in skill_ids if s in info}
    categories = {info[s].category for s in skill_ids if s in info}
    return sorted(pk for pk, si in info.items() if si.group in groups or si.category in categories)


# Kilometres per degree of latitude, rounded down so that the boxes below are never too small.
KM_PER_DEGREE = 110.0


def _box(lats: list[float], lngs: list[float], km: float) -> dict[str, float]:
    """Look-ups for a latitude/longitude box around these points, widened by ``km`` on every side."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * math.cos(math.radians(max(abs(min(lats)), abs(max(lats))) + dlat)))
    return {"gte": min(lats) - dlat, "lte": max(lats) + dlat, "lng_gte": min(lngs) - dlng, "lng_lte": max(lngs) + dlng}


def _seekers_near_skills(postings: list[PostingIn]) -> list[SeekerIn]:
    """Active seekers who could be eligible for these postings: a shared skill category or group,
    and a home inside the postings' box widened by the longest travel range (exact prefilters)."""
    if not postings:
        return []
    wanted = {s for p in postings for s, _lvl in p.required_skills} | {s for p in postings for s in p.optional_skills}
    ids = SeekerSkill.objects.filter(skill_id__in=_related_skill_ids(wanted)).values("registration_id")
    reach = matchable_seekers().aggregate(m=Max("travel_km"))["m"] or 0
    box = _box([p.lat for p in postings], [p.lng for p in postings], float(reach))
    return engine_seekers(
        SeekerRegistration.objects.filter(
            pk__in=ids,
            home_lat__gte=box["gte"],
            home_lat__lte=box["lte"],
            home_lng__gte=box["lng_gte"],
            home_lng__lte=box["lng_lte"],
        )
    )


def _postings_near_skills(seeker: SeekerIn, now: dt.datetime | None) -> list[PostingIn]:
    """Matchable postings this seeker could be eligible for: a shared skill category or group, inside
    the seeker's travel range (a box around home, an exact prefilter)."""
    ids = PostingSkill.objects.filter(skill_id__in=_related_skill_ids({s for s, _l, _c in seeker.skills}))
    box = _box([seeker.lat], [seeker.lng], seeker.travel_km)
    return engine_postings(
        matchable_postings().filter(
            pk__in=ids.values("posting_id"),
            lat__gte=box["gte"],
            lat__lte=box["lte"],
            lng__gte=box["lng_gte"],
            lng__lte=box["lng_lte"],
        ),
        now=now,
    )


def _raw_delete(queryset: QuerySet[Match]) -> int:
    """Delete without loading rows: recommendation churn is not history (status changes are)."""
    sql, params = queryset.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Match._meta.db_table} WHERE id IN ({sql})", params)  # nosec B608
        return cursor.rowcount


def _scratch(cursor: Any, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]) -> None:
    """A temporary table filled with ``rows`` and indexed on its columns: COPY on PostgreSQL."""
    names = ", ".join(c for c, _type in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif rows:
        cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)  # nosec B608
    cursor.execute(f"CREATE INDEX {name}_key ON {name} ({names})")


def _store_kept(
    *,
    posting_ids: Sequence[int],
    pairs: Sequence[ScoredPair | tuple[int, int, float]],
    changed: bool = True,
    claimed: Collection[tuple[int, int]] = frozenset(),
) -> set[int]:
    """Make ``pairs`` the kept lists of ``posting_ids``; returns the seekers whose kept rows changed.
    ``claimed``: the (posting, seeker) pairs among them kept as a claim (the reach guarantee).

    Set-based SQL over two scratch tables, so a chunk of 100,000 pairs costs a few seconds, not a
    minute of ORM objects. Acted-on matches keep their status, score and reasons: only their
    "kept" and "claimed" flags follow the engine. An untouched match keeps its reasons while its
    score stands.
    """
    claimed = set(claimed)
    rows = [
        (*key, round(score, 4), key in claimed)
        for key, score in (
            ((p.posting_id, p.seeker_id), p.score) if isinstance(p, ScoredPair) else ((p[0], p[1]), p[2]) for p in pairs
        )
    ]
    table = Match._meta.db_table
    statuses = [str(x) for x in UNTOUCHED_STATUSES]
    marks = ", ".join(["%s"] * len(statuses))
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    in_scope = "posting_id IN (SELECT posting_id FROM scope_postings)"
    same_pair = f"k.posting_id = {table}.posting_id AND k.seeker_id = {table}.seeker_id"
    is_kept = f"EXISTS (SELECT 1 FROM kept_in k WHERE {same_pair})"  # nosec B608
    is_claimed = f"EXISTS (SELECT 1 FROM kept_in k WHERE {same_pair} AND k.claimed)"  # nosec B608
    before: set[tuple[int, int]] = set()
    now = timezone.now()
    with connection.cursor() as cursor:
        _scratch(cursor, "scope_postings", [("posting_id", "bigint")], [(p,) for p in posting_ids])
        _scratch(
            cursor,
            "kept_in",
            [("posting_id", "bigint"), ("seeker_id", "bigint"), ("score", "double precision"), ("claimed", "boolean")],
            rows,
        )
        if changed:
            cursor.execute(f"SELECT posting_id, seeker_id FROM {table} WHERE kept = %s AND {in_scope}", [True])  # nosec B608
            before = set(cursor.fetchall())
        # Acted-on matches (a small, separately indexed set) only follow the engine's flags.
        cursor.execute(
            f"UPDATE {table} SET kept = {is_kept}, claimed = {is_claimed} WHERE status NOT IN ({marks}) AND {in_scope}",  # nosec B608
            [*statuses],
        )
        # Untouched matches the engine no longer keeps go; the rest are upserted below.
        cursor.execute(f"DELETE FROM {table} WHERE status IN ({marks}) AND {in_scope} AND NOT {is_kept}", statuses)  # nosec B608
        cursor.execute(
            f"INSERT INTO {table} (posting_id, seeker_id, score, kept, claimed, is_current, status, reasons, "  # nosec B608
            f"created_at, updated_at) SELECT posting_id, seeker_id, score, %s, claimed, %s, %s, '[]'{jsonb}, %s, %s "
            f"FROM kept_in WHERE %s "
            f"ON CONFLICT (posting_id, seeker_id) DO UPDATE SET score = excluded.score, kept = excluded.kept, "
            f"claimed = excluded.claimed, "
            f"reasons = CASE WHEN {table}.score = excluded.score THEN {table}.reasons ELSE '[]'{jsonb} END, "
            f"updated_at = excluded.updated_at "
            f"WHERE {table}.status IN ({marks}) AND ({table}.score <> excluded.score OR {table}.kept = %s "
            f"OR {table}.claimed <> excluded.claimed)",
            [True, False, MatchStatus.RECOMMENDED.value, now, now, True, *statuses, False],
        )
    if not changed:
        return set()
    after = {(p, s) for p, s, _score, _claimed in rows}
    return {s for _p, s in before ^ after}


def _refresh_shown(seeker_ids: set[int] | None) -> int:
    """Recompute which kept matches each seeker is shown: their best top_k by score, then posting.

    One set-based statement with a window function (the full run's 900,000 rows never pass
    through Python); rows whose flag is already right are not rewritten.
    """
    if seeker_ids is not None and not seeker_ids:
        return 0
    table = Match._meta.db_table
    statuses = [str(s) for s in UNTOUCHED_STATUSES]
    marks = ", ".join(["%s"] * len(statuses))
    scope, scope_params = "", []
    if seeker_ids is not None:
        scope = f" AND seeker_id IN ({', '.join(['%s'] * len(seeker_ids))})"
        scope_params = sorted(seeker_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET is_current = (r.rn <= %s) FROM (SELECT id, ROW_NUMBER() OVER "  # nosec B608
            f"(PARTITION BY seeker_id ORDER BY score DESC, posting_id) AS rn FROM {table} "
            f"WHERE kept = %s AND status IN ({marks}){scope}) AS r "
            f"WHERE {table}.id = r.id AND {table}.is_current <> (r.rn <= %s)",
            [ENGINE_PARAMS.top_k, True, *statuses, *scope_params, ENGINE_PARAMS.top_k],
        )
        cursor.execute(
            f"UPDATE {table} SET is_current = %s "  # nosec B608
            f"WHERE is_current = %s AND (kept = %s OR status NOT IN ({marks})){scope}",
            [False, True, False, *statuses, *scope_params],
        )
    return Match.objects.filter(is_current=True, status__in=UNTOUCHED_STATUSES).count() if seeker_ids is None else 0


def _pairs_by(rows: Sequence[tuple[int, int, float]], key: int) -> dict[int, list[ScoredPair]]:
    """Rows of (posting, seeker, score) grouped by posting (key 0) or seeker (key 1)."""
    out: dict[int, list[ScoredPair]] = {}
    for p, s, score in rows:
        out.setdefault(p if key == 0 else s, []).append(ScoredPair(p, s, score))
    order = (lambda x: (-x.score, x.seeker_id)) if key == 0 else (lambda x: (-x.score, x.posting_id))
    for pairs in out.values():
        pairs.sort(key=order)
    return out


class DbReachStore:
    """The engine's view of the stored state (matching.engine.ReachStore): soft and admitted kept
    rows of Match (``claimed`` tells them apart) and the waiting claims of MatchClaim."""

    @staticmethod
    def _kept(**lookup: object) -> list[tuple[int, int, float]]:
        return list(Match.objects.filter(kept=True, **lookup).values_list("posting_id", "seeker_id", "score"))

    @staticmethod
    def _claims(**lookup: object) -> list[tuple[int, int, float]]:
        return list(MatchClaim.objects.filter(**lookup).values_list("posting_id", "seeker_id", "score"))

    def soft_for_postings(self, posting_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._kept(claimed=False, posting_id__in=list(posting_ids)), 0)

    def soft_for_seekers(self, seeker_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._kept(claimed=False, seeker_id__in=list(seeker_ids)), 1)

    def admitted_for_postings(self, posting_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._kept(claimed=True, posting_id__in=list(posting_ids)), 0)

    def kept_for_seekers(self, seeker_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._kept(seeker_id__in=list(seeker_ids)), 1)

    def claims_for_seekers(self, seeker_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._claims(seeker_id__in=list(seeker_ids)), 1)

    def claims_for_postings(self, posting_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        return _pairs_by(self._claims(posting_id__in=list(posting_ids)), 0)

    def served_among(self, seeker_ids: Collection[int]) -> set[int]:
        if not seeker_ids:
            return set()
        return set(
            Match.objects.filter(kept=True, claimed=False, seeker_id__in=list(seeker_ids))
            .values_list("seeker_id", flat=True)
            .distinct()
        )


class DbWorld:
    """What the engine needs beyond the indexes an update loads (matching.engine.ReachWorld)."""

    def __init__(self, now: dt.datetime | None) -> None:
        self.now = now

    def headcounts(self, posting_ids: Collection[int]) -> dict[int, int]:
        found = engine_postings(JobPosting.objects.filter(pk__in=list(posting_ids)), now=self.now)
        return {p.id: p.headcount for p in found}

    def best_postings(self, seeker_ids: Collection[int], limit: int) -> dict[int, tuple[ScoredPair, ...]]:
        found = engine_seekers(SeekerRegistration.objects.filter(pk__in=list(seeker_ids)))
        table = SkillTable.build(engine_skills().values())
        out: dict[int, tuple[ScoredPair, ...]] = {}
        for seeker in found:  # rare: seekers who just lost their only place on merit
            index = PostingIndex.build(_postings_near_skills(seeker, self.now), table)
            out[seeker.id] = rank_for_seeker(seeker, index, ENGINE_PARAMS, DEFAULT_WEIGHTS, limit=limit)
        return out


def _store_claims(claims: Mapping[int, Sequence[ScoredPair]]) -> None:
    """Make these the seekers' claims (an empty list deletes)."""
    if not claims:
        return
    MatchClaim.objects.filter(seeker_id__in=list(claims)).delete()
    MatchClaim.objects.bulk_create(
        MatchClaim(seeker_id=x.seeker_id, posting_id=x.posting_id, score=round(x.score, 4))
        for pairs in claims.values()
        for x in pairs
    )


def _reasons(expl: Explanation, names: dict[int, str]) -> list[dict[str, object]]:
    """The engine's factors as the words the pages show (shape documented in matching/presenters.py)."""
    out: list[dict[str, object]] = []
    for factor in expl.factors:
        d = factor.detail
        detail: dict[str, object]
        name = factor.name
        if name == "skills":
            # Name the posting's skill: 「同类工作: 档案管理员」 says what the job asks for.
            slots = [*d.get("required", []), *d.get("optional", [])]  # type: ignore[misc]  # engine detail: lists
            detail = {
                "matched": [
                    {"skill": names.get(slot["skill"], ""), "how": slot["how"]} for slot in slots if slot.get("how")
                ]
            }
        elif name == "distance":
            detail = {"km": d.get("km")}
        elif name == "wage":
            converted = d.get("expected_in_posting_unit")
            detail = {
                "wage": d.get("posting_max"),
                "unit": d.get("posting_unit"),
                "expected": converted if converted is not None else d.get("expected"),
                "expected_unit": d.get("posting_unit") if converted is not None else d.get("expected_unit"),
            }
        elif name == "fit":
            name, detail = "schedule", {"fits": True, "work_type": d.get("work_type"), "shifts": d.get("shifts")}
        elif name == "freshness":
            detail = {"days": round(float(d.get("age_days") or 0))}  # type: ignore[arg-type]  # engine detail: a number
        else:
            detail = dict(d)
        out.append({"name": name, "points": round(factor.points, 2), "detail": detail})
    return out


def _store_reasons(pairs: list[tuple[int, int]], postings: PostingIndex, seekers: SeekerIndex) -> None:
    """Write the explanation beside the score of the pairs a seeker is shown (is_current) whose
    reasons are empty (new, or rescored: `_store_kept` empties them). A pair whose score stands keeps
    its words, and kept pairs nobody is shown are explained when first displayed (matches_fill_reasons,
    on the seeker's page and in the admin), so a seeker's edit explains a few pairs, not the ~750 of
    every list they were in."""
    if not pairs:
        return
    wanted = set(pairs)
    rows = [
        row
        for row in Match.objects.filter(
            posting_id__in={p for p, _s in pairs}, status__in=UNTOUCHED_STATUSES, is_current=True, reasons=[]
        ).only("id", "posting_id", "seeker_id")
        if (row.posting_id, row.seeker_id) in wanted
    ]
    if not rows:
        return
    names = dict(Skill.objects.values_list("id", "name"))
    explained = explain_many([(r.posting_id, r.seeker_id) for r in rows], postings, seekers, DEFAULT_WEIGHTS)
    by_pair = {(e.posting_id, e.seeker_id): _reasons(e, names) for e in explained}
    for row in rows:
        row.reasons = by_pair[(row.posting_id, row.seeker_id)]
    # Small batches: bulk_update's CASE grows with the batch, and PostgreSQL walks it per row.
    Match.objects.bulk_update(rows, ["reasons"], batch_size=100)


def _apply(update: ReachUpdate, postings: PostingIndex, seekers: SeekerIndex) -> MatchingOutcome:
    kept = update.kept()
    kept_pairs = [pair for pairs in kept.values() for pair in pairs]
    claimed = {(x.posting_id, x.seeker_id) for pairs in update.admitted.values() for x in pairs}
    # One set-based store for every kept list the update replaces.
    changed_seekers = set(update.recommended) | _store_kept(posting_ids=list(kept), pairs=kept_pairs, claimed=claimed)
    _store_claims(update.claims)
    _refresh_shown(changed_seekers)
    _store_reasons(
        [(p.posting_id, p.seeker_id) for p in kept_pairs if postings.get(p.posting_id) and seekers.get(p.seeker_id)],
        postings,
        seekers,
    )
    return MatchingOutcome(postings=len(kept), kept=len(kept_pairs), seekers_refreshed=len(changed_seekers))


def _running_rematches() -> QuerySet[RematchRun]:
    """Full rematches started in the last day and not finished (an older one is superseded)."""
    return RematchRun.objects.filter(finished_at__isnull=True, created_at__gte=timezone.now() - dt.timedelta(days=1))


def _note_for_running_rematch(kind: str, object_id: int) -> None:
    """Remember an incremental update made while a full rematch runs: one of its chunks may have read
    the rows before this change and store after it; the run's finish repeats the update last."""
    runs = list(_running_rematches().values_list("id", flat=True))
    RematchReplay.objects.bulk_create(
        [RematchReplay(run_id=run_id, kind=kind, object_id=object_id) for run_id in runs], ignore_conflicts=True
    )


def matching_run_posting(*, posting_id: int, now: dt.datetime | None = None) -> MatchingOutcome:
    """After a posting is published, edited, closed or expired: its kept seekers and their recommendations."""
    with transaction.atomic():
        _lock_matching()
        found = engine_postings(JobPosting.objects.filter(pk=posting_id), now=now)
        posting = found[0] if found else None
        table = SkillTable.build(engine_skills().values())
        seekers = SeekerIndex.build(_seekers_near_skills(found), table)
        postings = PostingIndex.build(found, table)
        update = update_for_posting_reaching(
            posting_id, posting, seekers, DbReachStore(), DbWorld(now), ENGINE_PARAMS, DEFAULT_WEIGHTS, ENGINE_REACH
        )
        outcome = _apply(update, postings, seekers)
        _note_for_running_rematch(ReplayKind.POSTING, posting_id)
        seekers_notify(seeker_ids={p.seeker_id for p in update.kept().get(posting_id, ())})
        return outcome


def matching_run_seeker(*, seeker_id: int, now: dt.datetime | None = None) -> MatchingOutcome:
    """After a seeker registers, edits, pauses or resumes: the kept lists they enter or leave."""
    with transaction.atomic():
        _lock_matching()
        found = engine_seekers(SeekerRegistration.objects.filter(pk=seeker_id))
        seeker = found[0] if found else None
        table = SkillTable.build(engine_skills().values())
        was_kept_by = set(Match.objects.filter(seeker_id=seeker_id, kept=True).values_list("posting_id", flat=True))
        near = _postings_near_skills(seeker, now) if seeker else []
        others = engine_postings(JobPosting.objects.filter(pk__in=was_kept_by - {p.id for p in near}), now=now)
        all_postings = [*near, *others]
        postings = PostingIndex.build(all_postings, table)
        # Seekers who compete for the postings whose kept lists may be recomputed.
        competing = _seekers_near_skills([p for p in all_postings if p.id in was_kept_by])
        seekers = SeekerIndex.build({s.id: s for s in [*competing, *found]}.values(), table)
        update = update_for_seeker_reaching(
            seeker_id,
            seeker,
            postings,
            seekers,
            DbReachStore(),
            DbWorld(now),
            ENGINE_PARAMS,
            DEFAULT_WEIGHTS,
            ENGINE_REACH,
        )
        outcome = _apply(update, postings, seekers)
        _note_for_running_rematch(ReplayKind.SEEKER, seeker_id)
        seekers_notify(seeker_ids={seeker_id})
        return outcome


def matches_fill_reasons(matches: Sequence[Match]) -> None:
    """Explain the matches whose reasons are empty (after a full rematch) and keep the words."""
    missing = [m for m in matches if not m.reasons]
    if not missing:
        return
    table = SkillTable.build(engine_skills().values())
    postings = PostingIndex.build(
        engine_postings(JobPosting.objects.filter(pk__in={m.posting_id for m in missing})), table
    )
    seekers = SeekerIndex.build(
        engine_seekers(SeekerRegistration.objects.filter(pk__in={m.seeker_id for m in missing})), table
    )
    pairs = [(m.posting_id, m.seeker_id) for m in missing if postings.get(m.posting_id) and seekers.get(m.seeker_id)]
    names = dict(Skill.objects.values_list("id", "name"))
    explained = {(e.posting_id, e.seeker_id): _reasons(e, names) for e in explain_many(pairs, postings, seekers)}
    for m in missing:
        m.reasons = explained.get((m.posting_id, m.seeker_id), [])
    Match.objects.bulk_update([m for m in missing if m.reasons], ["reasons"])
