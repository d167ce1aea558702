"""Keyword search over postings: two-character pieces with an index on PostgreSQL, icontains on SQLite."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value

from xiangtan_jobs.common.text import looks_like_pinyin, normalize_text, text_pieces
from xiangtan_jobs.core.models import JobPosting, PostingSkill
from xiangtan_jobs.core.selectors.reference import RefData, reference_data

# --- keyword search -------------------------------------------------------------------------

_WORD_SPLIT = re.compile(r"[^\w]+", re.UNICODE)
MAX_QUERY_WORDS = 4
MAX_WORD_CHARS = 20
MAX_EXPANSIONS = 8


def keyword_words(q: str) -> list[str]:
    """The words of a query, normalised (full-width, case, zero-width), at most four of them."""
    words = [w for w in _WORD_SPLIT.split(normalize_text(q or "")) if w]
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_QUERY_WORDS]]


MAX_PINYIN_TERMS = 6


def keyword_direct_terms(word: str, ref: RefData | None = None) -> list[str]:
    """The word itself, and for pinyin or initials the Chinese skill and title words they spell
    (``baojie`` and ``bj`` -> 保洁): what a title or a skill name must contain to match it."""
    ref = ref or reference_data()
    terms = [word]
    if looks_like_pinyin(word):
        terms.extend(ref.pinyin_terms.get(word, ())[:MAX_PINYIN_TERMS])
    return terms


def keyword_alternatives(word: str, ref: RefData | None = None) -> list[str]:
    """The word's direct terms plus the names of the skills in a term's group when it names a
    skill exactly.

    护工 is a near-synonym of 养老护理员: postings asking for 养老护理员 do not contain 护工, but a
    seeker typing 护工 wants them.
    """
    ref = ref or reference_data()
    direct = keyword_direct_terms(word, ref)
    alternatives = list(direct)
    for term in direct:
        for skill_id in sorted(ref.skill_terms.get(term, ())):
            for member in sorted(ref.skill_group.get(skill_id, ())):
                name = normalize_text(ref.skill_name.get(member, ""))
                if name and name not in alternatives and term not in name:
                    alternatives.append(name)
    return alternatives[: MAX_EXPANSIONS + len(direct)]


def keyword_tiers(q: str) -> list[Q]:
    """The relevance tiers of a keyword search, best first: every word in the title; every word
    in the title or a required skill's name; the rest (an alias, an optional skill, the employer).

    The conditions are only ever applied to postings ``keyword_filter`` already found, and are
    made exclusive by the caller (tier 2 = not tier 0 and not tier 1)."""
    ref = reference_data()
    words = keyword_words(q)
    if not words:
        return []
    in_title = Q()
    in_title_or_skill = Q()
    for word in words:
        direct = keyword_direct_terms(word, ref)
        title = Q()
        for term in direct:
            title |= Q(title__icontains=term)
        skill_ids = sorted(
            pk for pk, name in ref.skill_name.items() if any(term in normalize_text(name) for term in direct)
        )
        skill = (
            Exists(PostingSkill.objects.filter(posting_id=OuterRef("pk"), required=True, skill_id__in=skill_ids))
            if skill_ids
            else Q(pk__in=[])
        )
        in_title &= title
        in_title_or_skill &= title | Q(skill)
    return [in_title, in_title_or_skill]


class _PiecesMatch(Func):
    """``xt_pieces(search_text) @@ '<piece>' & ...`` (PostgreSQL; see migration 0002)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(F("search_text"), Value(tsquery))
        self.tsquery = tsquery

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # wider than Func's
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        return f"xt_pieces({field_sql}) @@ %s::tsquery", [*field_params, self.tsquery]


def _tsquery(alternatives: list[str]) -> str:
    """``('保洁' & '洁员') | ('护工')``: each alternative the AND of its pieces (two characters
    each, or the single character of a one-character word)."""
    parts = []
    for alt in alternatives:
        pieces = [p for p in text_pieces(alt) if len(p) == 2] or [p for p in text_pieces(alt) if len(p) == 1]
        if pieces:
            # Pieces are word characters only (split on non-word), so they hold no quote.
            parts.append("(" + " & ".join(f"'{p}'" for p in pieces) + ")")
    return " | ".join(parts)


def keyword_filter(qs: QuerySet[JobPosting], q: str, *, use_index: bool = True) -> QuerySet[JobPosting]:
    """Postings whose search text contains every word of ``q`` (or a word's skill group).

    ``use_index=False`` leaves out the pieces-index condition (the result is the same: the
    substring check is exact): for a word with thousands of matches, walking the list's order
    index and checking the text row by row finds a page sooner than fetching every match."""
    ref = reference_data()
    for word in keyword_words(q):
        alternatives = keyword_alternatives(word, ref)
        exact = Q()
        for alt in alternatives:
            exact |= Q(search_text__contains=alt)
        if use_index and connection.vendor == "postgresql":
            tsq = _tsquery(alternatives)
            if tsq:
                # The index narrows to candidates; the substring check makes the result exact.
                qs = qs.filter(_PiecesMatch(tsq))
        qs = qs.filter(exact)
    return qs
