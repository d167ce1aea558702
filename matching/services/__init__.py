"""Write-side operations on matches, one module per workflow; the public names are re-exported here."""

from __future__ import annotations

from matching.services.news import (
    TOLD_STATUSES,
    match_tell_seeker,
    similar_open_postings,
)
from matching.services.notify import (
    seekers_notify,
)
from matching.services.pipeline import (
    ENGINE_PARAMS,
    KM_PER_DEGREE,
    DbReachStore,
    DbWorld,
    MatchingOutcome,
    matches_fill_reasons,
    matching_run_posting,
    matching_run_seeker,
)
from matching.services.rematch import (
    REMATCH_CHUNK,
    REMATCH_INLINE_CHUNK,
    REMATCH_KEEP_DETAILS,
    REMATCH_MAX_ATTEMPTS,
    REMATCH_STALE,
    rematch_chunk,
    rematch_finish,
    rematch_inline,
    rematch_night_missing,
    rematch_notify,
    rematch_plan,
    rematch_run_complete,
    rematch_run_of,
    rematch_stale_chunks,
    rematch_unnotified,
)
from matching.services.retention import (
    RETENTION_CHUNK,
    registrations_anonymise_inactive,
    seekers_inactive,
)
from matching.services.statuses import (
    PIPELINE_NEXT,
    application_deadline,
    applications_close_unanswered,
    match_allowed_statuses,
    match_apply,
    match_invite,
    match_mark_viewed,
    match_record_in_person,
    match_set_status,
    match_withdraw,
    seeker_erase,
)
from matching.services.widen import WidenHints, seeker_widen_hints

__all__ = [
    "ENGINE_PARAMS",
    "KM_PER_DEGREE",
    "PIPELINE_NEXT",
    "REMATCH_CHUNK",
    "REMATCH_INLINE_CHUNK",
    "REMATCH_KEEP_DETAILS",
    "REMATCH_MAX_ATTEMPTS",
    "REMATCH_STALE",
    "RETENTION_CHUNK",
    "TOLD_STATUSES",
    "DbReachStore",
    "DbWorld",
    "MatchingOutcome",
    "WidenHints",
    "application_deadline",
    "applications_close_unanswered",
    "match_allowed_statuses",
    "match_apply",
    "match_invite",
    "match_mark_viewed",
    "match_record_in_person",
    "match_set_status",
    "match_tell_seeker",
    "match_withdraw",
    "matches_fill_reasons",
    "matching_run_posting",
    "matching_run_seeker",
    "registrations_anonymise_inactive",
    "rematch_chunk",
    "rematch_finish",
    "rematch_inline",
    "rematch_night_missing",
    "rematch_notify",
    "rematch_plan",
    "rematch_run_complete",
    "rematch_run_of",
    "rematch_stale_chunks",
    "rematch_unnotified",
    "seeker_erase",
    "seeker_widen_hints",
    "seekers_inactive",
    "seekers_notify",
    "similar_open_postings",
]
