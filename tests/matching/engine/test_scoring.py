"""Scoring rules on hand-made pairs: aliases, levels, certificates, hours, wages, distance."""

from __future__ import annotations

import pytest

from matching.engine import SkillTable, Weights, explain, rank_for_posting
from matching.engine.index import SeekerIndex
from tests.matching.engine.support import CENTRE, VOCAB, posting, seeker

TABLE = SkillTable.build(VOCAB)
KM_LAT = 111.195  # km per degree of latitude


def factor(expl, name):
    return next(f for f in expl.factors if f.name == name)


def test_alias_seeker_gets_the_canonical_posting() -> None:
    # 护工 (11) is a near-synonym of 养老护理员 (10): same group.
    hugong = seeker(skills=((11, 3, False),))
    job = posting(required=((10, 1),))
    ranked = rank_for_posting(job, SeekerIndex.build([hugong], TABLE))
    assert [p.seeker_id for p in ranked] == [hugong.id]
    expl = explain(job, hugong, TABLE)
    slot = factor(expl, "skills").detail["required"][0]  # type: ignore[index]
    assert slot == {"skill": 10, "matched": 11, "how": "alias", "level": 3, "credit": 0.85, "min_level": 1}
    assert factor(expl, "skills").points == pytest.approx(50 * 0.85)


def test_exact_beats_alias_beats_category() -> None:
    job = posting(required=((10, 1),))
    scores = [explain(job, seeker(skills=((k, 3, False),)), TABLE).score for k in (10, 11, 13)]
    assert scores[0] > scores[1] > scores[2] > 0
    hows = [
        factor(explain(job, seeker(skills=((k, 3, False),)), TABLE), "skills").detail["required"][0]["how"]
        for k in (10, 11, 13)
    ]  # type: ignore[index]
    assert hows == ["exact", "alias", "category"]


def test_level_below_minimum_reduces_credit() -> None:
    job = posting(required=((10, 4),))
    full = factor(explain(job, seeker(skills=((10, 4, False),)), TABLE), "skills").points
    short = factor(explain(job, seeker(skills=((10, 2, False),)), TABLE), "skills").points
    assert full == pytest.approx(50.0)
    assert short == pytest.approx(50.0 * 0.7)  # two levels short: 15 % each


def test_required_skills_weigh_more_than_optional() -> None:
    job = posting(required=((10, 1),), optional_skills=(20,))
    only_required = explain(job, seeker(skills=((10, 3, False),)), TABLE)
    only_optional = explain(job, seeker(skills=((20, 3, False),)), TABLE)
    assert factor(only_required, "skills").points > factor(only_optional, "skills").points > 0


def test_certificate_held_through_the_group() -> None:
    job = posting(required=((10, 1),), certificates=(10,))
    assert explain(job, seeker(skills=((11, 3, True),)), TABLE).excluded == ()
    missing = explain(job, seeker(skills=((10, 5, False),)), TABLE)
    assert missing.excluded == ("certificate",)
    assert missing.score == 0 and missing.factors == ()


def test_mother_available_school_hours_is_never_offered_evening_or_night() -> None:
    mother = seeker(available=frozenset({"weekday_morning", "weekday_afternoon"}), tags=frozenset({"mother"}))
    jobs = {
        "night": posting(1, shifts=frozenset({"night"})),
        "evening": posting(2, shifts=frozenset({"weekday_evening"})),
        "morning": posting(3, shifts=frozenset({"weekday_morning"})),
        "flexible": posting(4, flags=frozenset({"mother_flexible"})),
    }
    index = SeekerIndex.build([mother], TABLE)
    offered = {name for name, job in jobs.items() if rank_for_posting(job, index)}
    assert offered == {"morning", "flexible"}
    assert explain(jobs["night"], mother, TABLE).excluded == ("shifts",)
    assert factor(explain(jobs["flexible"], mother, TABLE), "suitability").points == 5.0
    assert factor(explain(jobs["morning"], mother, TABLE), "suitability").points == 0.0


def test_work_type_and_skill_overlap_are_hard_filters() -> None:
    assert explain(posting(work_type="day"), seeker(work_types=frozenset({"full"})), TABLE).excluded == ("work_type",)
    assert explain(posting(required=((22, 1),)), seeker(skills=((10, 5, False),)), TABLE).excluded == ("skills",)
    # A posting naming no skill overlaps nobody.
    assert explain(posting(required=()), seeker(), TABLE).excluded == ("skills",)


@pytest.mark.parametrize(
    ("wage", "unit", "expected", "expected_unit", "credit"),
    [
        (200.0, "day", 4000.0, "month", 1.0),  # 200 × 21.75 = 4350 ≥ 4000
        (20.0, "hour", 4000.0, "month", (20 * 8 * 21.75 / 4000 - 0.7) / 0.3),
        (2000.0, "month", 4000.0, "month", 0.0),  # half the expectation: nothing
        (5.0, "piece", 4000.0, "month", 0.5),  # piece rates cannot be compared: neutral
        (5000.0, "month", None, None, 0.5),  # no expectation: neutral
    ],
)
def test_wage_compared_in_a_common_unit(wage, unit, expected, expected_unit, credit) -> None:
    job = posting(wage_min=wage, wage_max=wage, wage_unit=unit)
    expl = explain(job, seeker(expected_wage=expected, expected_unit=expected_unit), TABLE)
    assert factor(expl, "wage").points == pytest.approx(15.0 * credit, abs=1e-4)


def test_wage_detail_restates_the_expectation_in_the_posting_unit() -> None:
    expl = explain(
        posting(wage_min=180, wage_max=200, wage_unit="day"), seeker(expected_wage=180, expected_unit="day"), TABLE
    )
    detail = factor(expl, "wage").detail
    assert detail["expected_in_posting_unit"] == 180.0 and detail["posting_unit"] == "day"


def test_distance_full_credit_near_then_decays_to_the_range() -> None:
    def at_km(km: float) -> float:
        return explain(posting(lat=CENTRE[0] + km / KM_LAT), seeker(travel_km=10.0), TABLE).score

    near = explain(posting(lat=CENTRE[0] + 2.0 / KM_LAT), seeker(travel_km=10.0), TABLE)
    assert factor(near, "distance").points == 20.0
    assert factor(near, "distance").detail["km"] == 2.0
    assert at_km(1.0) == at_km(2.9) > at_km(5.0) > at_km(9.0) > at_km(9.99)
    far = explain(posting(lat=CENTRE[0] + 10.2 / KM_LAT), seeker(travel_km=10.0), TABLE)
    assert far.excluded == ("distance",)


def test_score_is_at_most_100_and_factors_add_up() -> None:
    best = explain(
        posting(flags=frozenset({"older_ok"})),
        seeker(
            tags=frozenset({"older"}),
            work_types=frozenset({"full"}),
            available=frozenset({"night"}),
            expected_wage=3000,
            expected_unit="month",
        ),
        TABLE,
    )
    assert best.score == pytest.approx(100.0)
    assert abs(sum(f.points for f in best.factors) - best.score) <= 1e-9


def test_weights_must_add_up_to_100() -> None:
    with pytest.raises(ValueError, match="add up to 100"):
        Weights(skills=60.0)


def test_unknown_skill_ids_fail_loudly() -> None:
    with pytest.raises(ValueError, match="not in the vocabulary"):
        explain(posting(required=((999, 1),)), seeker(), TABLE)
