"""Top lists over streams of scored pairs, with packed int64 sort keys.

A key packs (score, other entity) so that ascending order means higher score first, then the
smaller index (indexes are sorted by id, so: the smaller id). numpy sorts plain int64 arrays fast.
"""

from __future__ import annotations

import numpy as np

from .index import Bools, Ints
from .scoring import Admit, Idx

ID_BITS = 21
UNIT_BITS = 20
MAX_UNITS = (1 << UNIT_BITS) - 1
KEY_BITS = UNIT_BITS + ID_BITS
NO_KEY = 1 << KEY_BITS  # larger than every key: "no threshold yet"
_ID_MASK = (1 << ID_BITS) - 1
_KEY_MASK = (1 << KEY_BITS) - 1


def pair_key(units: Ints, other: Ints) -> Ints:
    """Ascending key: higher score first, then the smaller index."""
    out: Ints = ((MAX_UNITS - units) << ID_BITS) | other
    return out


def key_units(key: Ints) -> Ints:
    """Score units back from a (possibly prefixed) key."""
    out: Ints = MAX_UNITS - ((key & _KEY_MASK) >> ID_BITS)
    return out


def key_other(key: Ints) -> Ints:
    """The other entity's index back from a (possibly prefixed) key."""
    out: Ints = key & _ID_MASK
    return out


def group_ranks(groups: Ints) -> Ints:
    """Position of each element within its run of equal values (input sorted by group)."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    out: Ints = np.arange(n, dtype=np.int64) - run_start
    return out


def top_per_group(groups: Ints, units: Ints, other: Ints, limits: Ints | int) -> tuple[Ints, Ints, Ints]:
    """The best `limit` of each group (by score, then smaller other index): sorted by group, then rank."""
    packed = np.sort((groups.astype(np.int64) << KEY_BITS) | pair_key(units, other.astype(np.int64)))
    group = packed >> KEY_BITS
    cap = limits if isinstance(limits, int) else limits[group]
    packed = packed[group_ranks(group) < cap]
    return packed >> KEY_BITS, key_other(packed), key_units(packed)


class SeekerTop:
    """Each seeker's k best pairs, over pairs arriving in any order."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.parts: list[Ints] = []

    def add(self, si: Idx, pi: Idx, units: Ints) -> None:
        """Offer pairs; each seeker's k best of them are kept (the best k of the union of such
        partial lists are the best k overall)."""
        packed = np.sort((si.astype(np.int64) << KEY_BITS) | pair_key(units, pi.astype(np.int64)))
        self.parts.append(packed[group_ranks(packed >> KEY_BITS) < self.k])

    def result(self) -> tuple[Ints, Ints, Ints]:
        """(seeker positions, posting positions, units), by seeker then rank."""
        packed = np.sort(np.concatenate(self.parts)) if self.parts else np.zeros(0, dtype=np.int64)
        packed = packed[group_ranks(packed >> KEY_BITS) < self.k]
        return packed >> KEY_BITS, key_other(packed), key_units(packed)


class PostingTop:
    """Each posting's best `cap` seekers, over pairs arriving in any order, with a running admission
    key per posting: once a posting's list is full, worse pairs need not even be scored."""

    def __init__(self, caps: Ints, flush_at: int = 1 << 21) -> None:
        self.caps = caps
        self.theta = np.full(len(caps), NO_KEY, dtype=np.int64)
        self.kept = np.zeros(0, dtype=np.int64)
        self.pending: list[Ints] = []
        self.pending_n = 0
        self.flush_at = max(flush_at, 2 * int(caps.sum()))

    def admitter(self, posting_positions: Idx, seeker_positions: Idx) -> Admit:
        """An Admit over local positions: could a pair with this score bound still enter the list?"""

        def admit(pl: Idx, sl: Idx, bound: Ints) -> Bools:
            key = pair_key(np.minimum(bound, MAX_UNITS), seeker_positions[sl].astype(np.int64))
            out: Bools = key < self.theta[posting_positions[pl]]
            return out

        return admit

    def add(self, si: Idx, pi: Idx, units: Ints) -> None:
        """Offer pairs; those that beat their posting's admission key wait for the next flush."""
        key = pair_key(units, si.astype(np.int64))
        ok = key < self.theta[pi]
        if not ok.any():
            return
        self.pending.append((pi[ok].astype(np.int64) << KEY_BITS) | key[ok])
        self.pending_n += int(ok.sum())
        if self.pending_n >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        """Merge the pending pairs into the lists and raise the admission keys of full lists."""
        if not self.pending:
            return
        packed = np.sort(np.concatenate([self.kept, *self.pending]))
        self.pending, self.pending_n = [], 0
        posting = packed >> KEY_BITS
        self.kept = packed[group_ranks(posting) < self.caps[posting]]
        posting = self.kept >> KEY_BITS
        full = group_ranks(posting) == self.caps[posting] - 1
        self.theta[posting[full]] = self.kept[full] & _KEY_MASK

    def result(self) -> tuple[Ints, Ints, Ints]:
        """(posting positions, seeker positions, units), by posting then rank."""
        self.flush()
        return self.kept >> KEY_BITS, key_other(self.kept), key_units(self.kept)
