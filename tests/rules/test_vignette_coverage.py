"""The vignette library against the default rule set: every stage passes, and between them the stages reach every
route on the ladder and fire every hard trigger (both sets computed from the loaded rule set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.language import check_language
from screening.tools.vignettes import StageResult, load_vignettes, run_vignettes
from tests.rules.conftest import default_ruleset

LIBRARY = Path(__file__).resolve().parents[2] / "rules" / "vignettes"
RS = default_ruleset()
VIGNETTES = {v.id: v for v in load_vignettes(LIBRARY, RS)}
RESULTS = run_vignettes(RS, VIGNETTES.values())


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: f"{r.vignette.id}-stage{r.stage.number}")
def test_every_stage_matches_the_default_rule_set(result: StageResult):
    assert result.ok, f"{result.stage.location}:\n  " + "\n  ".join(result.problems)


def test_the_stages_reach_every_route_on_the_ladder():
    reached = {r.outcome.route for r in RESULTS}
    assert {route.id for route in RS.routes} - reached == set()


def test_the_stages_fire_every_hard_trigger():
    fired = {trigger for r in RESULTS for trigger in r.outcome.hard_triggers}
    assert {rule.id for rule in RS.rules if rule.then.hard_trigger} - fired == set()


def _first_answers(vignette_id: str) -> dict:
    return dict(VIGNETTES[vignette_id].stages[0].answers)


def _routes(vignette_id: str) -> list[str]:
    return [s.expect.route for s in VIGNETTES[vignette_id].stages]


def test_the_library_holds_the_cases_the_issue_asks_for():
    assert len(VIGNETTES) >= 10
    answers = {vid: v.stages[-1].answers for vid, v in VIGNETTES.items()}
    assert any(a.get("gender") == "boy" for a in answers.values())
    assert any(a.get("age") in (16, 17) for a in answers.values())
    assert any(a.get("looked_after") == "yes" and a.get("missing_episodes_90d", 0) >= 3 for a in answers.values())
    assert any(a.get("learning_disability") == "yes" for a in answers.values())
    assert any(a.get("images_coerced_or_shared") == "yes" for a in answers.values())
    assert any(a.get("with_abuser_now") == "yes" for v in VIGNETTES.values() for a in
               (s.answers for s in v.stages))
    assert set(_routes("stays_early_help")) <= {"universal", "early_help"}
    not_known = [k for k, v in _first_answers("mostly_not_known").items() if v == "not_known"]
    assert len(not_known) > len(_first_answers("mostly_not_known")) / 2
    assert _first_answers("sibling_referral")["other_children_household"] >= 1


@pytest.mark.parametrize("vignette_id", ["child_b", "julia"])
def test_the_seed_cases_make_the_point_where_child_protection_was_due_explicit(vignette_id):
    due = [s for s in VIGNETTES[vignette_id].stages if s.expect.route == "section_47"]
    assert due, "no stage reaches child protection"
    assert all(s.what_happened for s in due), "say what happened in the real case at each such stage"


def _words(vignette) -> list[str]:
    stages = vignette.stages
    return [vignette.title, vignette.summary, vignette.facilitator_notes, *vignette.discussion_questions,
            *(p.text for p in vignette.learning_points), *(s.title for s in stages), *(s.narrative for s in stages),
            *(s.what_happened for s in stages), *(p.text for s in stages for p in s.learning_points)]


@pytest.mark.parametrize("vignette_id", sorted(VIGNETTES))
def test_the_vignettes_model_the_language_they_teach(vignette_id):
    """Victim-blaming wording appears only inside quotation marks, as something said by someone in the case."""
    found = [f.text for text in _words(VIGNETTES[vignette_id]) for f in check_language(RS.language, text)
             if not f.quoted]
    assert found == []
