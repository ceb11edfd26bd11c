"""The compiled engine gives exactly the outcome the interpreted engine gave (tests/rules/interpreted.py): the whole
outcome as JSON-ready data, over every scenario and vignette stage and thousands of generated screenings on the
default rule set and on a rule set holding every kind of condition; and `to_dict` / `outcome_from_dict` give back
what `dataclasses.asdict` gave and the outcome itself."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

import screening
from screening.conditions import All, AnyOf, Not
from screening.engine import decide
from screening.errors import AnswersInvalid
from screening.history import ChildRecord, Earlier
from screening.model import RuleSet
from screening.outcome import outcome_from_dict
from screening.question_types import numeric_range
from screening.ruleset.yamlsource import parse_yaml
from screening.tools.casefile import case_from_data
from screening.tools.impact import cases_from_vignettes
from screening.tools.vignettes import load_vignettes
from tests.conftest import ROOT
from tests.rules import interpreted

DEFAULT = screening.load_ruleset(ROOT / "rules" / "default")
EVERY = screening.load_ruleset(ROOT / "tests" / "fixtures" / "every_condition")
GENERATED = 1500  # screenings per rule set


def same_outcome(rs: RuleSet, answers: dict, agency: str | None = None, lead: bool = False,
                 record: ChildRecord | None = None) -> None:
    try:
        expected = dataclasses.asdict(interpreted.evaluate(rs, answers, agency, lead, record))
    except AnswersInvalid as exc:
        with pytest.raises(AnswersInvalid) as raised:
            screening.evaluate(rs, answers, agency, lead, record)
        assert raised.value.problems == exc.problems
        return
    outcome = screening.evaluate(rs, answers, agency, lead, record)
    data = outcome.to_dict()
    assert data == expected
    assert outcome_from_dict(data) == outcome
    old = interpreted.decide(rs, answers, agency, record)
    assert dataclasses.astuple(decide(rs, answers, agency, record)) == dataclasses.astuple(old)


def scenario_cases() -> list[tuple[str, str | None, dict]]:
    found = []
    for file in sorted((Path(__file__).parent / "scenarios").glob("*.yaml")):
        doc, errors = parse_yaml(file.read_text(encoding="utf-8"), str(file))
        assert not errors
        for case in doc.data:
            agency, answers = case_from_data(case)
            found.append((f"{file.stem}: {case.get('name')}", agency, answers))
    return found


@pytest.mark.parametrize(("name", "agency", "answers"), scenario_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_scenario(name, agency, answers):
    same_outcome(DEFAULT, answers, agency)


def test_every_vignette_stage():
    stages = cases_from_vignettes(load_vignettes(ROOT / "rules" / "vignettes", DEFAULT))
    assert len(stages) > 30
    for stage in stages:
        same_outcome(DEFAULT, dict(stage.answers), stage.agency)


def answer(rs: RuleSet, fact, rng: random.Random) -> object:
    """Any answer a practitioner, a form or an API client could give."""
    if fact.type == "tristate":
        value = rng.choices(["no", "yes", "not_known"], weights=[5, rng.choice([1, 3, 8]), 1])[0]
        if value == "yes" and getattr(fact, "recency", False) and rng.random() < 0.6:
            return {"answer": "yes", "when": rng.choice(["recent", "earlier", "both"])}
        return value
    if fact.type in ("count", "age"):
        lo, hi = numeric_range(fact)
        edge = rng.choice([lo, lo + 1, min(hi, 12), min(hi, 16), rng.randint(lo, min(hi, 30)), hi])
        return rng.choice([edge, edge, str(edge), "not_known"]) if fact.allow_not_known else edge
    if fact.type == "choice":
        return rng.choice([o.id for o in fact.options] + (["not_known"] if fact.allow_not_known else []))
    if fact.type == "choices":
        return rng.sample([o.id for o in fact.options if o.id != "none"], rng.randint(0, 2))
    return rng.choice(["", "He said I owe him", "they gave me {money}", "x" * 40])


def answers_for(rs: RuleSet, rng: random.Random) -> dict:
    """Some questions left out (not known), the rest answered; now and then one answer is wrong."""
    skip = rng.choice([0.0, 0.1, 0.5])
    found = {fact.id: answer(rs, fact, rng) for fact in rs.facts.values() if rng.random() >= skip}
    if rng.random() < 0.05:
        wrong = rng.choice(["maybe", -1, 10**6, ["x"], {"answer": "yes", "when": "later"}, True, None, "2.5"])
        found[rng.choice([*rs.facts, "no_such_question"])] = wrong
    return found


def record_for(rs: RuleSet, rng: random.Random) -> ChildRecord | None:
    if not rs.history_questions or rng.random() < 0.5:
        return None
    today = date(2026, 6, 1)  # any date: the record counts back from its own
    agencies, routes = [a.id for a in rs.agencies], [r.id for r in rs.routes]
    earlier = tuple(Earlier(today - timedelta(days=rng.randint(-1, 400)), agency, agency.title(), rng.choice(routes),
                            rng.choice(["", rng.choice(routes)]), answers_for(rs, rng))
                    for agency in rng.sample(agencies, rng.randint(0, 3)))
    return ChildRecord(today, earlier)


@pytest.mark.parametrize("rs", [DEFAULT, EVERY], ids=["default", "every_condition"])
def test_generated_screenings(rs):
    rng = random.Random(f"golden-{rs.meta.id}")
    agencies = [None, *(a.id for a in rs.agencies)]
    invalid = 0
    for n in range(GENERATED):
        answers = answers_for(rs, rng)
        try:
            screening.answers.facts_from_answers(rs, answers)
        except AnswersInvalid:
            invalid += 1
        same_outcome(rs, answers, agencies[n % len(agencies)], n % 5 == 0, record_for(rs, rng))
    assert 0 < invalid < GENERATED // 4  # wrong answers were tried, and most screenings were evaluated


def test_the_compiled_source_pastes_nothing_from_the_rule_file():
    """Fact ids, options and thresholds reach the generated code as constants, never as text in it."""
    source = DEFAULT.program.source
    assert "missing_episodes_90d" not in source and "'" not in source and '"' not in source


def needed_as_it_was(c, facts, want: bool = True) -> list:
    """What would change a condition, worked out as before the search stopped at the first single change."""
    if isinstance(c, All | AnyOf):
        parts = [needed_as_it_was(p, facts, want) for p in c.parts]
        one_will_do = isinstance(c, AnyOf) == want  # any: one part made true; all: one part made false
        return min(parts, key=len) if one_will_do else [need for part in parts for need in part]
    if isinstance(c, Not):
        return needed_as_it_was(c.part, facts, not want)
    return c.needed(facts, want)


@pytest.mark.parametrize("rs", [DEFAULT, EVERY], ids=["default", "every_condition"])
def test_what_would_change_a_rule_is_what_it_was(rs):
    rng = random.Random(f"needed-{rs.meta.id}")
    for _ in range(400):
        try:
            facts = screening.answers.facts_from_answers(rs, answers_for(rs, rng))
        except AnswersInvalid:
            continue
        for rule in rs.rules:
            for want in (True, False):
                assert rule.when.needed(facts, want) == needed_as_it_was(rule.when, facts, want), rule.id
