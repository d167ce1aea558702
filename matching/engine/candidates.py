"""The full run's candidate generation: never all pairs.

Nearly every posting's skills lie in one category, so the work is split per category: that
category's seekers are chunked by travel range and by a quadtree over the map (dense areas get
small squares), and each chunk meets only the category's postings inside its window (its bounding
box widened by its range). Per chunk that is one dense block, postings × seekers, where range,
work type and hours are checked by broadcasting, the packed skill sums come from one product of
the postings' sparse rows with the seekers' dense columns (exact: integers below 2**53), and only
the surviving pairs are scored. The few postings whose skills span categories go through a
sparse product with every chunk of seekers instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .collectors import PostingTop, SeekerTop
from .index import EARTH_RADIUS_KM, Floats, Ints, PostingIndex, SeekerIndex
from .scoring import (
    Admit,
    Idx,
    PostingTerms,
    SeekerTerms,
    posting_terms,
    score_in_range,
    score_pairs,
    seeker_terms,
)
from .skills import CERT_UNIT
from .types import Weights

KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0
BANDS_PER_OCTAVE = 3  # travel ranges within 26 % of each other share chunks
MIN_CELL_KM = 1.0
CHUNK_SEEKERS = 256
SPLIT_ABOVE = 96
# The window's planar distances are widened by this much: the equirectangular distance with the
# smallest longitude scale is never above the great-circle one by more than that at city scale.
PLANAR_SLACK = 1.01
PLANAR_SLACK_KM = 0.1
PLANAR_MAX_KM = 300.0  # beyond this only the rigorous rectangle is used


def seeker_chunks(S: SeekerIndex, subset: Idx | None = None, size: int = CHUNK_SEEKERS) -> list[Idx]:
    """Seeker positions (of a subset) in chunks of one travel band, from a quadtree per band: a square
    is split while it holds many seekers and is wider than a quarter of their range, so dense areas
    get tight windows and sparse areas few chunks (each chunk costs a fixed overhead)."""
    at: Idx = np.arange(len(S)) if subset is None else subset
    if len(at) == 0:
        return []
    band = np.floor(np.log2(np.maximum(S.travel_km[at], 0.5)) * BANDS_PER_OCTAVE).astype(np.int64)
    # Only for grouping: a local equirectangular map in km.
    y = S.lat * KM_PER_DEG
    x = S.lng * KM_PER_DEG * np.cos(np.radians(S.lat))
    chunks: list[Idx] = []
    for b in np.unique(band):
        members: Idx = at[band == b]
        travel = float(S.travel_km[members].max())
        y0, x0 = float(y[members].min()), float(x[members].min())
        side = max(float(y[members].max()) - y0, float(x[members].max()) - x0, 1e-6)
        stack: list[tuple[Idx, float, float, float]] = [(members, y0, x0, side)]
        while stack:
            idx, cy, cx, cside = stack.pop()
            if len(idx) <= SPLIT_ABOVE or cside <= max(travel / 4, MIN_CELL_KM):
                chunks.extend(idx[i : i + size] for i in range(0, len(idx), size))
                continue
            half = cside / 2
            north = y[idx] >= cy + half
            east = x[idx] >= cx + half
            for n_side in (False, True):
                for e_side in (False, True):
                    part = idx[(north == n_side) & (east == e_side)]
                    if len(part):
                        stack.append((part, cy + half * n_side, cx + half * e_side, half))
    return chunks


@dataclass(frozen=True, slots=True)
class Window:
    """Where a chunk's postings can be: inside a rectangle (rigorous) and, at city scale, within the
    range of the chunk's bounding box on an equirectangular map (the rectangle's corners cut off)."""

    lat_lo: float
    lat_hi: float
    lng_lo: float | None  # None: any longitude
    lng_hi: float | None
    box: tuple[float, float, float, float]  # the seekers' lat_lo, lat_hi, lng_lo, lng_hi
    km_per_deg_lng: float  # the smallest over the window's latitudes
    reach_km: float  # widened travel range; 0 when only the rectangle applies

    def select(self, lat_sorted: Floats, lng: Floats) -> Idx:
        """Positions of the points inside, given points sorted by latitude."""
        lo = int(np.searchsorted(lat_sorted, self.lat_lo, side="left"))
        hi = int(np.searchsorted(lat_sorted, self.lat_hi, side="right"))
        lat, lng = lat_sorted[lo:hi], lng[lo:hi]
        inside = np.ones(hi - lo, dtype=np.bool_)
        if self.lng_lo is not None and self.lng_hi is not None:
            inside &= (lng >= self.lng_lo) & (lng <= self.lng_hi)
        if self.reach_km > 0:
            box_lat_lo, box_lat_hi, box_lng_lo, box_lng_hi = self.box
            dy = np.maximum(np.maximum(box_lat_lo - lat, lat - box_lat_hi), 0.0) * KM_PER_DEG
            dx = np.maximum(np.maximum(box_lng_lo - lng, lng - box_lng_hi), 0.0) * self.km_per_deg_lng
            inside &= dx * dx + dy * dy <= self.reach_km * self.reach_km
        out: Idx = np.flatnonzero(inside) + lo
        return out


def chunk_window(lat: Floats, lng: Floats, travel_km: float) -> Window:
    """A window containing every point within travel_km of any of these points."""
    angle = max(travel_km, 0.0) / EARTH_RADIUS_KM
    dlat = math.degrees(angle) * (1 + 1e-9) + 1e-9  # great-circle distance >= R·|Δφ|
    box = (float(lat.min()), float(lat.max()), float(lng.min()), float(lng.max()))
    lat_lo, lat_hi = box[0] - dlat, box[1] + dlat
    phi_max = math.radians(min(90.0, max(abs(lat_lo), abs(lat_hi))))
    # Haversine: sin(d/2R) >= cos(φmax)·sin(Δλ/2) for two points with |φ| <= φmax.
    s = math.sin(min(angle / 2, math.pi / 2)) / max(math.cos(phi_max), 1e-12)
    lng_lo: float | None = None
    lng_hi: float | None = None
    if s < 1.0:
        dlng = math.degrees(2 * math.asin(s)) * (1 + 1e-9) + 1e-9
        if box[2] - dlng >= -180.0 and box[3] + dlng <= 180.0:  # else it wraps: any longitude
            lng_lo, lng_hi = box[2] - dlng, box[3] + dlng
    planar = travel_km <= PLANAR_MAX_KM and lng_lo is not None
    reach = travel_km * PLANAR_SLACK + PLANAR_SLACK_KM if planar else 0.0
    return Window(lat_lo, lat_hi, lng_lo, lng_hi, box, KM_PER_DEG * math.cos(phi_max), reach)


@dataclass(frozen=True, slots=True, eq=False)
class CategoryBlock:
    """The postings whose skills all lie in one category (sorted by latitude), and the seekers with
    features there, over that category's feature columns (and the certificates they require)."""

    positions: Idx  # posting positions in the index
    lat: Floats  # ascending
    lng: Floats
    terms: PostingTerms
    posting_sparse: sp.csr_matrix  # postings × columns
    cert_floor: Floats  # certificates required × 2**40
    seeker_row: Ints  # per seeker position: its column in seeker_dense_t, -1 if none
    seeker_dense_t: Floats  # columns × seekers


def category_blocks(P: PostingIndex, S: SeekerIndex, w: Weights) -> tuple[list[CategoryBlock], Idx]:
    """One block per category, and the positions of the postings whose skills span categories."""
    table = P.skills
    column_category = table.column_category
    features = P.features
    rows = np.repeat(np.arange(len(P)), np.diff(features.indptr))
    category = column_category[features.indices]
    skill_entry = category >= 0
    low = np.full(len(P), table.n_categories, dtype=np.int64)
    high = np.full(len(P), -1, dtype=np.int64)
    np.minimum.at(low, rows[skill_entry], category[skill_entry])
    np.maximum.at(high, rows[skill_entry], category[skill_entry])
    multi: Idx = np.flatnonzero(high > low)
    s_rows = np.repeat(np.arange(len(S)), np.diff(S.features.indptr))
    s_category = column_category[S.features.indices]
    blocks: list[CategoryBlock] = []
    for c in range(table.n_categories):
        positions = np.flatnonzero((low == c) & (high == c))
        seekers = np.unique(s_rows[s_category == c])
        if len(positions) == 0 or len(seekers) == 0:
            continue
        positions = positions[np.argsort(P.lat[positions], kind="stable")]
        sub = features[positions]
        certs = np.unique(sub.indices[column_category[sub.indices] < 0])
        columns = np.concatenate([np.flatnonzero(column_category == c), certs])
        seeker_row = np.full(len(S), -1, dtype=np.int64)
        seeker_row[seekers] = np.arange(len(seekers))
        blocks.append(
            CategoryBlock(
                positions=positions,
                lat=P.lat[positions],
                lng=P.lng[positions],
                terms=posting_terms(P, positions, w),
                posting_sparse=sub[:, columns].tocsr(),
                cert_floor=P.n_certs[positions].astype(np.float64) * CERT_UNIT,
                seeker_row=seeker_row,
                seeker_dense_t=np.ascontiguousarray(S.features[seekers][:, columns].toarray().T),
            )
        )
    return blocks, multi


def _block_pairs(
    block: CategoryBlock,
    st: SeekerTerms,
    chunk_rows: Ints,
    window: Window,
    w: Weights,
    min_units: int,
    admit: Admit | None,
) -> tuple[Idx, Idx, Ints, int]:
    """Eligible pairs of a chunk with a block: (chunk positions, block positions, units, pairs looked at)."""
    a: Idx = np.flatnonzero(chunk_rows >= 0)
    b = window.select(block.lat, block.lng) if len(a) else a
    if len(b) == 0:
        return b, b, np.zeros(0, dtype=np.int64), 0
    pt = block.terms
    # Postings × seekers, by broadcasting instead of gathering per pair; the chord is the same
    # elementwise expression as scoring.chord_sq, so it has the same bits.
    dx = pt.ux[b][:, None] - st.ux[a][None, :]
    dy = pt.uy[b][:, None] - st.uy[a][None, :]
    dz = pt.uz[b][:, None] - st.uz[a][None, :]
    c2 = dx * dx + dy * dy + dz * dz
    ok = c2 <= st.chord_sq_max[a][None, :]
    ok &= (pt.work_type_bit[b][:, None] & st.work_type_mask[a][None, :]) != 0
    ok &= (pt.shift_mask[b][:, None] & st.not_available[a][None, :]) == 0
    # A posting names a handful of the block's columns: sparse posting rows × dense seeker columns.
    raw = block.posting_sparse[b] @ block.seeker_dense_t[:, chunk_rows[a]]
    # raw = certificates met × 2**40 + skill credits, and no more certificates can be met than are
    # required: "every certificate and some skill" is a single comparison.
    ok &= raw > block.cert_floor[b][:, None]
    flat = np.flatnonzero(ok)
    ib = flat // len(a)
    ia = flat - ib * len(a)
    pl, sl, units = score_in_range(
        pt, st, b[ib], a[ia], raw.ravel()[flat], c2.ravel()[flat], w, min_units, checked=True, admit=admit
    )
    return sl, pl, units, ok.size


@dataclass(frozen=True, slots=True)
class SweepStats:
    """What the sweep did, for benchmarks."""

    chunks: int
    pairs_looked_at: int  # pairs sharing a category inside the chunks' windows
    pairs_offered: int  # eligible pairs handed to the collectors


def sweep(
    P: PostingIndex,
    S: SeekerIndex,
    w: Weights,
    min_units: int,
    seeker_top: SeekerTop | None = None,
    posting_top: PostingTop | None = None,
) -> SweepStats:
    """Offer every eligible pair at or above the threshold to the collectors, exactly once (pairs that
    provably cannot enter the postings' lists are skipped when only those lists are wanted)."""
    if not P.skills.same_vocabulary(S.skills):
        raise ValueError("posting and seeker indexes are built on different skill vocabularies")
    if len(P) == 0 or len(S) == 0:
        return SweepStats(0, 0, 0)
    blocks, multi = category_blocks(P, S, w)
    prune = seeker_top is None and posting_top is not None
    n_chunks = looked = offered = 0

    def offer(si: Idx, pi: Idx, units: Ints) -> None:
        nonlocal offered
        offered += len(units)
        if seeker_top is not None:
            seeker_top.add(si, pi, units)
        if posting_top is not None:
            posting_top.add(si, pi, units)

    for block in blocks:
        # Chunked per category, so that each dense block has many seekers (numpy's per-call cost
        # and thin matrices are what make small blocks slow).
        for chunk in seeker_chunks(S, np.flatnonzero(block.seeker_row >= 0)):
            n_chunks += 1
            window = chunk_window(S.lat[chunk], S.lng[chunk], float(S.travel_km[chunk].max()))
            st = seeker_terms(S, chunk, w)
            admit = posting_top.admitter(block.positions, chunk) if prune and posting_top else None
            sl, bl, units, n = _block_pairs(block, st, block.seeker_row[chunk], window, w, min_units, admit)
            looked += n
            if len(units):
                offer(chunk[sl], block.positions[bl], units)
    if len(multi):
        # Postings whose skills span categories: a sparse product over the few of them in reach.
        multi = multi[np.argsort(P.lat[multi], kind="stable")]
        multi_terms = posting_terms(P, multi, w)
        multi_features = P.features[multi]
        multi_lat, multi_lng = P.lat[multi], P.lng[multi]
        for chunk in seeker_chunks(S):
            n_chunks += 1
            window = chunk_window(S.lat[chunk], S.lng[chunk], float(S.travel_km[chunk].max()))
            reach = window.select(multi_lat, multi_lng)
            if len(reach) == 0:
                continue
            st = seeker_terms(S, chunk, w)
            product = (S.features[chunk] @ multi_features[reach].T).tocsr()
            looked += product.nnz
            rows = np.repeat(np.arange(len(chunk)), np.diff(product.indptr))
            admit = posting_top.admitter(multi, chunk) if prune and posting_top else None
            cols = reach[product.indices]
            pl, sl, units = score_pairs(multi_terms, st, cols, rows, product.data, w, min_units, admit)
            if len(units):
                offer(chunk[sl], multi[pl], units)
    return SweepStats(chunks=n_chunks, pairs_looked_at=looked, pairs_offered=offered)
