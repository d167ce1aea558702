"""A seeker's ranking over a given set of postings (a fair's posts): the engine's own scores and
reasons, not stored as matches (the capacity rule of the recommendations does not apply: the
seeker walks past every booth anyway)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from matching.engine.explain import explain_many
from matching.engine.index import PostingIndex, SeekerIndex
from matching.engine.ranking import rank_for_seeker
from matching.engine.skills import SkillTable
from matching.engine.types import DEFAULT_WEIGHTS
from matching.selectors import engine_postings, engine_seekers, engine_skills
from matching.services.pipeline import ENGINE_PARAMS, _reasons
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, Skill


@dataclass(frozen=True)
class Ranked:
    posting_id: int
    score: float
    # The same shape as Match.reasons (matching/presenters.py turns it into words).
    reasons: list[dict[str, object]]


def seeker_rank_postings(
    *, seeker_id: int, postings: QuerySet[JobPosting], limit: int = 10, now: dt.datetime | None = None
) -> list[Ranked]:
    """The postings of ``postings`` that suit this seeker, best first, with the engine's reasons."""
    found = engine_seekers(SeekerRegistration.objects.filter(pk=seeker_id))
    if not found:
        return []
    offered = engine_postings(JobPosting.objects.public().filter(pk__in=postings.values("pk")), now=now)
    if not offered:
        return []
    table = SkillTable.build(engine_skills().values())
    index = PostingIndex.build(offered, table)
    seekers = SeekerIndex.build(found, table)
    pairs = rank_for_seeker(found[0], index, ENGINE_PARAMS, DEFAULT_WEIGHTS, limit=limit)
    if not pairs:
        return []
    names = dict(Skill.objects.values_list("id", "name"))
    explained = explain_many([(p.posting_id, p.seeker_id) for p in pairs], index, seekers, DEFAULT_WEIGHTS)
    return [
        Ranked(posting_id=p.posting_id, score=p.score, reasons=_reasons(e, names))
        for p, e in zip(pairs, explained, strict=True)
    ]
