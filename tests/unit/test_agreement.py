"""Agreement figures from anonymous counts: Krippendorff's alpha for ordinal data from the maintained package,
checked on Krippendorff's own published example, and each stage's spread, share at or above the rules' route and
how far apart learners were."""

from __future__ import annotations

import math

import krippendorff
import pytest

from screening.tools.agreement import alpha, most_divergent_first, stage_figures

LADDER = ["universal", "early_help", "child_in_need", "section_47", "immediate_protection"]
NAN = math.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the worked example: 4 observers, 12 units,
# values 1 to 5, some missing. Published: ordinal alpha 0.815.
RELIABILITY_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def as_units(data) -> list[dict[str, int]]:
    """Each unit (column) as counts by route, value 1 being the lowest rung."""
    units = []
    for column in zip(*data, strict=True):
        counts: dict[str, int] = {}
        for value in column:
            if not math.isnan(value):
                counts[LADDER[int(value) - 1]] = counts.get(LADDER[int(value) - 1], 0) + 1
        units.append(counts)
    return units


def test_alpha_matches_the_package_and_the_published_figure_on_krippendorffs_example():
    ours = alpha(as_units(RELIABILITY_DATA), LADDER)
    assert ours == pytest.approx(krippendorff.alpha(RELIABILITY_DATA, level_of_measurement="ordinal"), abs=1e-12)
    assert round(ours, 3) == 0.815


def test_alpha_is_ordinal_so_a_far_miss_costs_more_than_a_near_one():
    near = alpha([{"section_47": 3, "child_in_need": 1}, {"early_help": 4}], LADDER)
    far = alpha([{"section_47": 3, "universal": 1}, {"early_help": 4}], LADDER)
    assert near is not None and far is not None and near > far


@pytest.mark.parametrize("units", [
    [{"section_47": 4}, {"early_help": 6}],  # full agreement within stages: alpha 1
])
def test_full_agreement_is_one(units):
    assert alpha(units, LADDER) == pytest.approx(1.0)


@pytest.mark.parametrize("units", [
    [{"section_47": 1}, {"early_help": 1}],  # no stage answered by two learners
    [{"section_47": 2, "early_help": 3}, {"early_help": 1}],  # one stage only: alpha would be 0 by construction
    [{"section_47": 5}, {"section_47": 3}],  # every learner chose the same route: nothing to disagree on
    [],
])
def test_alpha_is_not_defined_without_two_answers_to_a_stage_or_without_any_difference(units):
    assert alpha(units, LADDER) is None


def test_a_stages_figures():
    figures = stage_figures(2, {"early_help": 1, "child_in_need": 2, "section_47": 1, "other": 9}, "child_in_need",
                            LADDER, sessions=3)
    assert figures.spread == (("universal", 0), ("early_help", 1), ("child_in_need", 2), ("section_47", 1),
                              ("immediate_protection", 0))
    assert (figures.learners, figures.below, figures.at_or_above, figures.sessions) == (4, 1, 0.75, 3)
    assert figures.apart == pytest.approx((1 * 2 * 1 + 1 * 1 * 2 + 2 * 1 * 1) / 6)  # 6 pairs of learners


def test_no_answers_give_no_shares():
    figures = stage_figures(1, {}, "universal", LADDER)
    assert (figures.learners, figures.at_or_above, figures.apart) == (0, None, None)


def test_the_most_divergent_stages_come_first():
    stages = [stage_figures(1, {"section_47": 5}, "section_47", LADDER),
              stage_figures(2, {"universal": 2, "section_47": 2}, "section_47", LADDER),
              stage_figures(3, {"early_help": 2, "child_in_need": 2}, "section_47", LADDER),
              stage_figures(4, {"early_help": 1}, "section_47", LADDER)]
    assert [s.stage for s in most_divergent_first(stages)] == [2, 3, 1, 4]
