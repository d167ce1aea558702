"""Hard filters and the six score factors, vectorised over pairs: the one place a score is computed.

Every path (full run, one posting, one seeker, explanations) goes through `posting_terms`,
`seeker_terms` and the functions below with the same elementwise operations, and the points are
rounded to integer units, so a pair gets bit-identical scores whichever path computed it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .index import EARTH_RADIUS_KM, Bools, Bytes, Floats, Ints, PostingIndex, SeekerIndex
from .skills import CREDIT_SCALE
from .types import Weights

Idx = npt.NDArray[np.intp]

# Scores are integers in 1/10000 of a point: sums are then exact and ties are real ties.
SCORE_SCALE = 10_000
FACTOR_NAMES = ("skills", "distance", "wage", "fit", "suitability", "freshness")
_LOW20 = (1 << 20) - 1
FLAG_BITS = 3


def to_units(points: float) -> int:
    """Points as the engine's integer units."""
    return round(points * SCORE_SCALE)


@dataclass(frozen=True, slots=True, eq=False)
class PostingTerms:
    """Per-posting values the pair formulas need, for some postings of an index."""

    ux: Floats
    uy: Floats
    uz: Floats
    n_certs: Ints
    work_type_bit: Bytes
    shift_mask: Bytes
    flexible: Bools  # no shifts named
    flag_mask: Bytes
    fit_code: Ints  # column of the fit-and-suitability table
    wage_scaled: Floats  # monthly wage / (1 - floor ratio), NaN if unknown
    skill_scale: Floats  # units per unit of weighted slot credit
    freshness_units: Ints


@dataclass(frozen=True, slots=True, eq=False)
class SeekerTerms:
    """Per-seeker values the pair formulas need, for some seekers of an index."""

    ux: Floats
    uy: Floats
    uz: Floats
    chord_sq_max: Floats
    work_type_mask: Bytes
    not_available: Bytes  # shift bits the seeker cannot work
    type_named: Ints  # 1 when the seeker named work types
    hours_named: Bools
    welcome_mask: Bytes
    inverse_wage: Floats  # 1 / expected monthly wage, NaN if none
    reach_a: Floats  # distance credit = clip(reach_a - chord × reach_b, 0, 1)
    reach_b: Floats
    fit_code: Ints  # row of the fit-and-suitability table


def posting_terms(P: PostingIndex, at: Idx, w: Weights) -> PostingTerms:
    """Terms of the postings at these positions."""
    weighted_slots = w.required_weight * P.n_required[at] + w.optional_weight * P.n_optional[at]
    half_life = w.freshness_half_life_days
    freshness = w.freshness * SCORE_SCALE * (half_life / (half_life + P.age_days[at]))
    shifts = P.shift_mask[at]
    return PostingTerms(
        ux=P.ux[at],
        uy=P.uy[at],
        uz=P.uz[at],
        n_certs=P.n_certs[at],
        work_type_bit=P.work_type_bit[at],
        shift_mask=shifts,
        flexible=shifts == 0,
        flag_mask=P.flag_mask[at],
        fit_code=(shifts == 0).astype(np.int64) << FLAG_BITS | P.flag_mask[at],
        wage_scaled=P.wage_month[at] / (1.0 - w.wage_floor_ratio),
        skill_scale=(w.skills * SCORE_SCALE / CREDIT_SCALE) / np.maximum(weighted_slots, 1e-300),
        freshness_units=np.rint(freshness).astype(np.int64),
    )


def seeker_terms(S: SeekerIndex, at: Idx, w: Weights) -> SeekerTerms:
    """Terms of the seekers at these positions."""
    # Full credit within full_credit_km (or the whole range if shorter), then linear to zero. Linear
    # in chord length rather than arc: the two differ by under 0.001 % at city scale, and the chord
    # needs no arcsine per pair.
    reach_chord = np.sqrt(S.chord_sq_max[at])
    full_chord = 2.0 * math.sin(min(max(w.full_credit_km, 0.0) / (2 * EARTH_RADIUS_KM), math.pi / 2))
    span = reach_chord - np.minimum(reach_chord, full_chord)
    has_span = span > 0
    safe_span = np.where(has_span, span, 1.0)
    welcome = S.welcome_mask[at].astype(np.int64)
    return SeekerTerms(
        ux=S.ux[at],
        uy=S.uy[at],
        uz=S.uz[at],
        chord_sq_max=S.chord_sq_max[at],
        work_type_mask=S.work_type_mask[at],
        not_available=~S.available_mask[at],
        type_named=S.work_type_named[at].astype(np.int64),
        hours_named=S.available_named[at],
        welcome_mask=S.welcome_mask[at],
        inverse_wage=1.0 / S.expected_month[at],
        reach_a=np.where(has_span, reach_chord / safe_span, 1.0),
        reach_b=np.where(has_span, 1.0 / safe_span, 0.0),
        fit_code=(S.work_type_named[at].astype(np.int64) << 1 | S.available_named[at]) << FLAG_BITS | welcome,
    )


@functools.lru_cache(maxsize=32)
def fit_tables(w: Weights) -> tuple[Ints, Ints]:
    """Units of fit plus suitability, and of fit alone, by seeker code (type named, hours named,
    welcomed flags) × posting code (flexible hours, flags): one lookup instead of a dozen operations."""
    both = np.zeros((4 << FLAG_BITS, 2 << FLAG_BITS), dtype=np.int64)
    fit_only = np.zeros_like(both)
    for seeker_code in range(4 << FLAG_BITS):
        type_named, hours_named = seeker_code >> (FLAG_BITS + 1), (seeker_code >> FLAG_BITS) & 1
        welcome = seeker_code & ((1 << FLAG_BITS) - 1)
        for posting_code in range(2 << FLAG_BITS):
            flexible, flags = posting_code >> FLAG_BITS, posting_code & ((1 << FLAG_BITS) - 1)
            # Work type and hours are hard filters already; an explicit wish is a better signal than "any".
            type_credit = 1.0 if type_named else 0.5
            hours_credit = 1.0 if (flexible or hours_named) else 0.5
            fit = to_units(w.fit * (0.5 * type_credit + 0.5 * hours_credit))
            fit_only[seeker_code, posting_code] = fit
            both[seeker_code, posting_code] = fit + (to_units(w.suitability) if flags & welcome else 0)
    both.setflags(write=False)
    fit_only.setflags(write=False)
    return both, fit_only


def _fit_index(pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx) -> Ints:
    out: Ints = st.fit_code[sl] * (2 << FLAG_BITS) + pt.fit_code[pl]
    return out


def chord_sq(pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx) -> Floats:
    """Squared chord between the pairs' points on the unit sphere (exact filter: no arcsine needed)."""
    dx = pt.ux[pl] - st.ux[sl]
    dy = pt.uy[pl] - st.uy[sl]
    dz = pt.uz[pl] - st.uz[sl]
    out: Floats = dx * dx + dy * dy + dz * dz
    return out


def distance_km(c2: Floats) -> Floats:
    """Great-circle km from the squared chord, by arcsine's series: only + × and sqrt, so the bits are
    the same on every path; exact to 1e-12 below ~600 km and monotone beyond."""
    x = np.sqrt(c2) * 0.5
    x2 = x * x
    series = 1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0 + x2 * (35.0 / 1152.0))))
    out: Floats = (2.0 * EARTH_RADIUS_KM) * x * series
    return out


def unpack(raw: Floats) -> tuple[Ints, Ints, Ints]:
    """Certificates met, required credit and optional credit from the packed feature product."""
    packed = raw.astype(np.int64)
    return packed >> 40, (packed >> 20) & _LOW20, packed & _LOW20


@dataclass(frozen=True, slots=True)
class Filters:
    """Which hard filter each pair passes."""

    distance: Bools
    certificate: Bools
    work_type: Bools
    shifts: Bools
    skills: Bools


def hard_filters(pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx, raw: Floats, c2: Floats) -> Filters:
    """Every hard filter on every pair, separately (for explanations)."""
    certs, required, optional = unpack(raw)
    return Filters(
        distance=c2 <= st.chord_sq_max[sl],
        certificate=certs == pt.n_certs[pl],
        work_type=(st.work_type_mask[sl] & pt.work_type_bit[pl]) != 0,
        shifts=(pt.shift_mask[pl] & st.not_available[sl]) == 0,
        skills=(required | optional) != 0,
    )


def skill_units(pt: PostingTerms, pl: Idx, raw: Floats, w: Weights) -> Ints:
    """The skills factor as integer units (known before distance: the full run prunes with it)."""
    _certs, required, optional = unpack(raw)
    weighted = w.required_weight * required + w.optional_weight * optional
    out: Ints = np.rint(pt.skill_scale[pl] * weighted).astype(np.int64)
    return out


def max_extra_units(w: Weights) -> int:
    """Most units wage, fit and suitability can add: the rest of a score is known before them."""
    return to_units(w.wage) + int(fit_tables(w)[0].max())


def core_units(
    pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx, raw: Floats, c2: Floats, w: Weights
) -> tuple[Ints, Ints, Ints]:
    """Skills, distance and freshness points as integer units."""
    skills = skill_units(pt, pl, raw, w)
    reach = st.reach_a[sl] - np.sqrt(c2) * st.reach_b[sl]
    distance: Ints = np.rint((w.distance * SCORE_SCALE) * np.clip(reach, 0.0, 1.0)).astype(np.int64)
    return skills, distance, pt.freshness_units[pl]


def extra_units(pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx, w: Weights) -> tuple[Ints, Ints]:
    """Wage, and fit plus suitability, as integer units."""
    # Monthly equivalents; NaN (no expectation, piece rate) propagates and becomes the neutral half.
    floor = w.wage_floor_ratio / (1.0 - w.wage_floor_ratio)
    wage_credit = np.clip(pt.wage_scaled[pl] * st.inverse_wage[sl] - floor, 0.0, 1.0)
    np.copyto(wage_credit, 0.5, where=np.isnan(wage_credit))
    wage: Ints = np.rint((w.wage * SCORE_SCALE) * wage_credit).astype(np.int64)
    fit_and_suitability: Ints = fit_tables(w)[0].ravel()[_fit_index(pt, st, pl, sl)]
    return wage, fit_and_suitability


def factor_units(
    pt: PostingTerms, st: SeekerTerms, pl: Idx, sl: Idx, raw: Floats, c2: Floats, w: Weights
) -> tuple[Ints, ...]:
    """Each factor's points (in FACTOR_NAMES order) as integer units (for explanations)."""
    skills, distance, freshness = core_units(pt, st, pl, sl, raw, c2, w)
    wage, fit_and_suitability = extra_units(pt, st, pl, sl, w)
    fit: Ints = fit_tables(w)[1].ravel()[_fit_index(pt, st, pl, sl)]
    return (skills, distance, wage, fit, fit_and_suitability - fit, freshness)


# Given (posting positions, seeker positions, upper bound of the score), which pairs are still wanted.
Admit = Callable[[Idx, Idx, Ints], Bools]


def score_pairs(
    pt: PostingTerms,
    st: SeekerTerms,
    pl: Idx,
    sl: Idx,
    raw: Floats,
    w: Weights,
    min_units: int,
    admit: Admit | None = None,
) -> tuple[Idx, Idx, Ints]:
    """The eligible pairs at or above the threshold: (posting terms positions, seeker terms positions, units)."""
    # Distance first: the most selective filter; compress so later work touches fewer pairs.
    c2 = chord_sq(pt, st, pl, sl)
    keep = np.flatnonzero(c2 <= st.chord_sq_max[sl])
    pl, sl, raw, c2 = pl[keep], sl[keep], raw[keep], c2[keep]
    ok = (st.work_type_mask[sl] & pt.work_type_bit[pl]) != 0
    ok &= (pt.shift_mask[pl] & st.not_available[sl]) == 0
    keep = np.flatnonzero(ok)
    return score_in_range(pt, st, pl[keep], sl[keep], raw[keep], c2[keep], w, min_units, admit=admit)


def score_in_range(
    pt: PostingTerms,
    st: SeekerTerms,
    pl: Idx,
    sl: Idx,
    raw: Floats,
    c2: Floats,
    w: Weights,
    min_units: int,
    *,
    checked: bool = False,
    admit: Admit | None = None,
) -> tuple[Idx, Idx, Ints]:
    """Like score_pairs, for pairs already within range and passing the work type and hours filters
    (and the certificate and skill-overlap filters too when `checked`)."""
    if not checked:
        certs, required, optional = unpack(raw)
        keep = np.flatnonzero(((required | optional) != 0) & (certs == pt.n_certs[pl]))
        pl, sl, raw, c2 = pl[keep], sl[keep], raw[keep], c2[keep]
    skills, distance, freshness = core_units(pt, st, pl, sl, raw, c2, w)
    partial = skills + distance + freshness
    bound = partial + max_extra_units(w)
    wanted = bound >= min_units
    if admit is not None:
        wanted &= admit(pl, sl, bound)
    if not wanted.all():
        keep = np.flatnonzero(wanted)
        pl, sl, partial = pl[keep], sl[keep], partial[keep]
    wage, fit_and_suitability = extra_units(pt, st, pl, sl, w)
    total = partial + wage + fit_and_suitability
    keep = np.flatnonzero(total >= min_units)
    return pl[keep], sl[keep], total[keep]
