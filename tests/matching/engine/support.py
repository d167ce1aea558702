"""Shared builders and independent reference checks for the engine's tests."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from matching.engine.types import SHIFTS, PostingIn, SeekerIn, SkillInfo

R_KM = 6371.0088
CENTRE = (27.86, 112.92)

# A small vocabulary: two categories; 11 and 12 are near-synonyms of 10 (护工/陪护 → 养老护理员).
VOCAB = (
    SkillInfo(10, 10, 1),  # 养老护理员
    SkillInfo(11, 10, 1),  # 护工
    SkillInfo(12, 10, 1),  # 陪护
    SkillInfo(13, 13, 1),  # 育婴员
    SkillInfo(20, 20, 2),  # 保洁员
    SkillInfo(21, 20, 2),  # 钟点工
    SkillInfo(22, 22, 2),  # 电工
    SkillInfo(23, 23, 2),  # 叉车司机
)
SKILL_IDS = [s.id for s in VOCAB]


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance, written independently of the engine."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(min(1.0, math.sqrt(h)))


def certificates_held(posting: PostingIn, seeker: SeekerIn) -> bool:
    """Every certificate the posting requires is held for the same skill or one of its group."""
    group = {s.id: s.group for s in VOCAB}
    held = {group[s] for s, _lv, cert in seeker.skills if cert}
    return all(group[c] in held for c in posting.certificates)


def posting(
    pid: int = 1,
    lat: float = CENTRE[0],
    lng: float = CENTRE[1],
    required: tuple[tuple[int, int], ...] = ((10, 1),),
    **kw: object,
) -> PostingIn:
    """A posting with sensible defaults."""
    base: dict[str, object] = dict(
        id=pid,
        lat=lat,
        lng=lng,
        work_type="full",
        wage_min=4000.0,
        wage_max=5000.0,
        wage_unit="month",
        headcount=2,
        required_skills=required,
    )
    base.update(kw)
    return PostingIn(**base)  # type: ignore[arg-type]


def seeker(
    sid: int = 1,
    lat: float = CENTRE[0],
    lng: float = CENTRE[1],
    skills: tuple[tuple[int, int, bool], ...] = ((10, 3, False),),
    **kw: object,
) -> SeekerIn:
    """A seeker with sensible defaults."""
    base: dict[str, object] = dict(id=sid, lat=lat, lng=lng, travel_km=10.0, skills=skills)
    base.update(kw)
    return SeekerIn(**base)  # type: ignore[arg-type]


# Hypothesis strategies: points within ~25 km of the centre, so ranges both reach and miss.
lats = st.floats(CENTRE[0] - 0.2, CENTRE[0] + 0.2, allow_nan=False)
lngs = st.floats(CENTRE[1] - 0.2, CENTRE[1] + 0.2, allow_nan=False)
shift_sets = st.frozensets(st.sampled_from(SHIFTS), max_size=3)
levels = st.integers(1, 5)


@st.composite
def postings_st(draw: st.DrawFn, pid: int) -> PostingIn:
    required = draw(
        st.lists(st.tuples(st.sampled_from(SKILL_IDS), levels), min_size=0, max_size=3, unique_by=lambda t: t[0])
    )
    optional = draw(st.lists(st.sampled_from(SKILL_IDS), max_size=2, unique=True))
    certs = (
        draw(st.lists(st.sampled_from([k for k, _ in required] or [22]), max_size=1, unique=True)) if required else []
    )
    unit = draw(st.sampled_from(["hour", "day", "month", "piece"]))
    low = draw(st.floats(10, 8000))
    return PostingIn(
        id=pid,
        lat=draw(lats),
        lng=draw(lngs),
        work_type=draw(st.sampled_from(["day", "part", "full"])),
        wage_min=low,
        wage_max=low * draw(st.floats(1.0, 1.5)),
        wage_unit=unit,
        headcount=draw(st.integers(1, 4)),
        required_skills=tuple(required),
        optional_skills=tuple(optional),
        certificates=tuple(certs),
        shifts=draw(shift_sets),
        flags=draw(st.frozensets(st.sampled_from(["older_ok", "disability_ok", "mother_flexible"]))),
        age_days=float(draw(st.integers(0, 60))),
    )


@st.composite
def seekers_st(draw: st.DrawFn, sid: int) -> SeekerIn:
    skills = draw(
        st.lists(
            st.tuples(st.sampled_from(SKILL_IDS), levels, st.booleans()),
            min_size=0,
            max_size=3,
            unique_by=lambda t: t[0],
        )
    )
    unit = draw(st.sampled_from([None, "hour", "day", "month", "piece"]))
    return SeekerIn(
        id=sid,
        lat=draw(lats),
        lng=draw(lngs),
        travel_km=draw(st.floats(0.0, 30.0)),
        skills=tuple(skills),
        work_types=draw(st.frozensets(st.sampled_from(["day", "part", "full"]))),
        available=draw(shift_sets),
        expected_wage=None if unit is None else draw(st.floats(10, 9000)),
        expected_unit=unit,
        tags=draw(st.frozensets(st.sampled_from(["older", "disabled", "mother", "graduate"]))),
    )


@st.composite
def markets_st(draw: st.DrawFn, max_postings: int = 8, max_seekers: int = 8) -> tuple[list[PostingIn], list[SeekerIn]]:
    n_p = draw(st.integers(1, max_postings))
    n_s = draw(st.integers(1, max_seekers))
    return [draw(postings_st(i + 1)) for i in range(n_p)], [draw(seekers_st(i + 1)) for i in range(n_s)]
