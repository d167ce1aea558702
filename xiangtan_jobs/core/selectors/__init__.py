"""Read-side queries of the shared nouns, one module per concern; the public names are re-exported here."""

from __future__ import annotations

from xiangtan_jobs.core.selectors.geo import KM_PER_DEGREE, distance_sq_expr, km_between, within_km
from xiangtan_jobs.core.selectors.postings import (
    COUNT_CACHE_SECONDS,
    COUNT_GENERATION_KEY,
    LIST_FIELDS,
    SORTS,
    PostingPage,
    count_generation,
    count_generation_bump,
    cursor_decode,
    cursor_encode,
    posting_counts,
    posting_detail,
    posting_page,
    posting_page_by_relevance,
    site_postings,
)
from xiangtan_jobs.core.selectors.reference import (
    REF_CACHE_KEY,
    REF_CACHE_SECONDS,
    RefData,
    reference_data,
    reference_data_forget,
)
from xiangtan_jobs.core.selectors.search import (
    MAX_EXPANSIONS,
    MAX_QUERY_WORDS,
    MAX_WORD_CHARS,
    keyword_alternatives,
    keyword_direct_terms,
    keyword_filter,
    keyword_tiers,
    keyword_words,
)
from xiangtan_jobs.core.selectors.seekers import seeker_current, seeker_export

__all__ = [
    "COUNT_CACHE_SECONDS",
    "COUNT_GENERATION_KEY",
    "KM_PER_DEGREE",
    "LIST_FIELDS",
    "MAX_EXPANSIONS",
    "MAX_QUERY_WORDS",
    "MAX_WORD_CHARS",
    "REF_CACHE_KEY",
    "REF_CACHE_SECONDS",
    "SORTS",
    "PostingPage",
    "RefData",
    "count_generation",
    "count_generation_bump",
    "cursor_decode",
    "cursor_encode",
    "distance_sq_expr",
    "keyword_alternatives",
    "keyword_direct_terms",
    "keyword_filter",
    "keyword_tiers",
    "keyword_words",
    "km_between",
    "posting_counts",
    "posting_detail",
    "posting_page",
    "posting_page_by_relevance",
    "reference_data",
    "reference_data_forget",
    "seeker_current",
    "seeker_export",
    "site_postings",
    "within_km",
]
