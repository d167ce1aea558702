"""The skill vocabulary and how skills become sparse feature rows whose product is the skills credit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .types import SkillInfo

LEVELS = 5
# Credit of a required skill, in percent, by how the seeker's skill matches it.
EXACT = 100
ALIAS = 85  # same group: a near-synonym (护工 for 养老护理员) is almost the same trade
CATEGORY = 30  # same category: related work, worth showing but far below a real match
LEVEL_STEP = 15  # percent lost per level the seeker lacks
LEVEL_FLOOR = 40  # a skill far below the wanted level still counts for something
CREDIT_SCALE = EXACT * 100  # a perfect slot: exact skill at or above the wanted level

# The feature product packs three integer sums into one float64, exact because every value is an
# integer below 2**53: certificates met × 2**40 + required credit × 2**20 + optional credit.
REQUIRED_UNIT = float(2**20)
OPTIONAL_UNIT = 1.0
CERT_UNIT = float(2**40)
MAX_SLOTS = (2**20 - 1) // CREDIT_SCALE  # so that each credit sum stays below 2**20
MAX_CERTS = 255

# The product adds a category credit and a group correction per slot: that only equals the max
# over the three kinds of match because any group match beats any category match.
assert ALIAS * LEVEL_FLOOR > CATEGORY * 100


def level_percent(have: int, want: int) -> int:
    """Percent of a slot's credit kept when the seeker's level is `have` and the posting wants `want`."""
    return max(LEVEL_FLOOR, 100 - LEVEL_STEP * max(0, want - have))


# Percent kept by level had (0: none, which earns nothing) × level wanted, as a lookup table.
_PERCENT = (
    (0,) * LEVELS,
    *(tuple(level_percent(have, want) for want in range(1, LEVELS + 1)) for have in range(1, LEVELS + 1)),
)


def clamp_level(level: int) -> int:
    """Levels outside 1..5 are clamped rather than rejected: they come from forms and imports."""
    return min(LEVELS, max(1, int(level)))


@dataclass(frozen=True, slots=True)
class SlotMatch:
    """How one skill a posting names is met by the seeker's best skill for it."""

    skill_id: int
    min_level: int
    credit: int  # 0..CREDIT_SCALE
    matched_skill_id: int | None
    how: str | None  # "exact" | "alias" | "category" | None
    level: int | None


@dataclass(frozen=True, slots=True, eq=False)
class SkillTable:
    """The vocabulary plus the layout of the feature columns both indexes share."""

    skills: tuple[SkillInfo, ...]  # sorted by id
    info: Mapping[int, SkillInfo]
    skill_col: Mapping[int, int]  # skill id → its block of LEVELS feature columns
    category_col: Mapping[int, int]  # category id → its block of LEVELS feature columns
    cert_col: Mapping[int, int]  # group id → its certificate column
    members: Mapping[int, tuple[int, ...]]  # group id → skill ids in that group
    n_features: int
    n_categories: int
    # Category index owning each feature column (-1: certificate columns), for the full run's blocks.
    column_category: npt.NDArray[np.int64]

    @classmethod
    def build(cls, skills: Iterable[SkillInfo]) -> SkillTable:
        """Lay out the feature columns for a vocabulary (ids must be unique)."""
        ordered = tuple(sorted(skills, key=lambda s: s.id))
        info = {s.id: s for s in ordered}
        if len(info) != len(ordered):
            raise ValueError("duplicate skill ids in the vocabulary")
        categories = sorted({s.category for s in ordered})
        groups = sorted({s.group for s in ordered})
        category_col = {c: i * LEVELS for i, c in enumerate(categories)}
        base = len(categories) * LEVELS
        skill_col = {s.id: base + i * LEVELS for i, s in enumerate(ordered)}
        base += len(ordered) * LEVELS
        cert_col = {g: base + i for i, g in enumerate(groups)}
        members: dict[int, list[int]] = {}
        for s in ordered:
            members.setdefault(s.group, []).append(s.id)
        column_category = np.full(base + len(groups), -1, dtype=np.int64)
        column_category[: len(categories) * LEVELS] = np.repeat(np.arange(len(categories)), LEVELS)
        for s in ordered:
            col = skill_col[s.id]
            column_category[col : col + LEVELS] = category_col[s.category] // LEVELS
        column_category.setflags(write=False)
        return cls(
            skills=ordered,
            info=info,
            skill_col=skill_col,
            category_col=category_col,
            cert_col=cert_col,
            members={g: tuple(ids) for g, ids in members.items()},
            n_features=base + len(groups),
            n_categories=len(categories),
            column_category=column_category,
        )

    def same_vocabulary(self, other: SkillTable) -> bool:
        """Whether two tables lay out the same columns (indexes built on them can be combined)."""
        return self is other or self.skills == other.skills

    def _get(self, skill_id: int) -> SkillInfo:
        try:
            return self.info[skill_id]
        except KeyError:
            # Unknown ids fail loudly: silently dropping one could drop a certificate requirement.
            raise ValueError(f"skill id {skill_id} is not in the vocabulary") from None

    def seeker_features(self, skills: Iterable[tuple[int, int, bool]]) -> dict[int, float]:
        """Feature row of a seeker: per (skill, wanted level) and (category, wanted level), the credit they earn."""
        exact: dict[int, int] = {}
        by_group: dict[int, int] = {}
        by_category: dict[int, int] = {}
        certified: set[int] = set()
        for skill_id, level, has_certificate in skills:
            info = self._get(skill_id)
            lv = clamp_level(level)
            exact[skill_id] = max(exact.get(skill_id, 0), lv)
            by_group[info.group] = max(by_group.get(info.group, 0), lv)
            by_category[info.category] = max(by_category.get(info.category, 0), lv)
            if has_certificate:
                certified.add(info.group)
        row: dict[int, float] = {}
        for category, lv in by_category.items():
            col = self.category_col[category]
            for want in range(LEVELS):
                row[col + want] = float(CATEGORY * _PERCENT[lv][want])
        for group, group_level in by_group.items():
            alias = _PERCENT[group_level]
            for member in self.members[group]:
                col = self.skill_col[member]
                own = _PERCENT[exact.get(member, 0)]
                category_pct = _PERCENT[by_category.get(self.info[member].category, 0)]
                for want in range(LEVELS):
                    best = max(ALIAS * alias[want], EXACT * own[want])
                    # The category column already gives the category credit: add only the difference.
                    row[col + want] = float(best - CATEGORY * category_pct[want])
        for group in certified:
            row[self.cert_col[group]] = 1.0
        return row

    def posting_features(
        self,
        required: Iterable[tuple[int, int]],
        optional: Iterable[int],
        certificates: Iterable[int],
    ) -> tuple[dict[int, float], int, int, int]:
        """Feature row of a posting, and its numbers of required skills, optional skills and certificates."""
        row: dict[int, float] = {}
        n_required = n_optional = n_certs = 0
        for skill_id, min_level in required:
            info = self._get(skill_id)
            offset = clamp_level(min_level) - 1
            for col in (self.category_col[info.category] + offset, self.skill_col[skill_id] + offset):
                row[col] = row.get(col, 0.0) + REQUIRED_UNIT
            n_required += 1
        for skill_id in optional:
            info = self._get(skill_id)
            for col in (self.category_col[info.category], self.skill_col[skill_id]):
                row[col] = row.get(col, 0.0) + OPTIONAL_UNIT
            n_optional += 1
        for skill_id in certificates:
            col = self.cert_col[self._get(skill_id).group]
            row[col] = row.get(col, 0.0) + CERT_UNIT
            n_certs += 1
        if n_required > MAX_SLOTS or n_optional > MAX_SLOTS or n_certs > MAX_CERTS:
            raise ValueError(f"a posting may name at most {MAX_SLOTS} skills of each kind and {MAX_CERTS} certificates")
        return row, n_required, n_optional, n_certs

    def slot_match(self, skill_id: int, min_level: int, seeker_skills: Iterable[tuple[int, int, bool]]) -> SlotMatch:
        """The seeker's best skill for one slot of a posting (the same credit the feature product gives)."""
        want = clamp_level(min_level)
        target = self._get(skill_id)
        best = SlotMatch(skill_id, want, 0, None, None, None)
        best_rank: tuple[int, int, int] = (0, 0, 0)
        for other_id, level, _certificate in seeker_skills:
            other = self._get(other_id)
            if other_id == skill_id:
                how, code, order = "exact", EXACT, 3
            elif other.group == target.group:
                how, code, order = "alias", ALIAS, 2
            elif other.category == target.category:
                how, code, order = "category", CATEGORY, 1
            else:
                continue
            lv = clamp_level(level)
            credit = code * level_percent(lv, want)
            # Ties go to the closer kind of match, then the smaller skill id, so details are stable.
            rank = (credit, order, -other_id)
            if rank > best_rank:
                best_rank = rank
                best = SlotMatch(skill_id, want, credit, other_id, how, lv)
        return best

    def certificate_met(self, skill_id: int, seeker_skills: Iterable[tuple[int, int, bool]]) -> bool:
        """Whether the seeker holds a certificate for this skill or one in its group."""
        group = self._get(skill_id).group
        return any(cert and self._get(other).group == group for other, _lv, cert in seeker_skills)
