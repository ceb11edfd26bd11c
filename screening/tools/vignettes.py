"""Case vignettes: staged case studies that are both a trainer's material and the rule set's regression tests.

A vignette file (rules/vignettes/*.yaml, schema in schema/vignette.schema.json) has an id, title, summary,
facilitator notes, the referrer's agency, stages, learning points, discussion questions and, optionally, their
Welsh texts (`cy:`, ADR 0026). Each stage tells
learners some facts (narrative), adds or changes answers (which accumulate stage by stage), and expects a route
and the exact set of rules that fire. Files are read strictly and every error is located as file:line:col.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from ..answers import facts_from_answers
from ..engine import evaluate
from ..errors import AnswersInvalid, Location, RuleError, ScreeningError, did_you_mean
from ..model import RuleSet
from ..outcome import Outcome
from ..ruleset.structure import SCHEMA_DIR, quick_validator, schema_errors
from ..ruleset.translation import LANGUAGES, VIGNETTE_TEXTS, read_translation, translated, untranslated
from ..ruleset.yamlsource import SourceDoc, YamlPath, parse_yaml, yaml_texts

SCHEMA_FILE = SCHEMA_DIR / "vignette.schema.json"


@dataclass(frozen=True)
class LearningPoint:
    text: str
    reference: str


@dataclass(frozen=True)
class Expectation:
    """What the rules should do at a stage: the route, the exact set of rules that fire, optionally the level."""

    route: str
    fired: tuple[str, ...]
    level: str | None

    def as_dict(self) -> dict[str, str | list[str]]:
        return {"route": self.route, "fired": list(self.fired), **({"level": self.level} if self.level else {})}


@dataclass(frozen=True)
class Stage:
    """One stage. `changes` are the answers it adds or changes; `answers` are all answers so far."""

    number: int
    title: str
    narrative: str
    changes: Mapping[str, object]
    answers: Mapping[str, object]
    agency: str
    expect: Expectation
    what_happened: str
    learning_points: tuple[LearningPoint, ...]
    location: Location


@dataclass(frozen=True)
class Vignette:
    id: str
    title: str
    summary: str
    facilitator_notes: str
    agency: str
    stages: tuple[Stage, ...]
    learning_points: tuple[LearningPoint, ...]
    discussion_questions: tuple[str, ...]
    file: str
    languages: Mapping[str, Vignette] = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, code: str) -> Vignette:
        """The vignette with its texts in language `code` where translated and up to date, English elsewhere."""
        return self.languages.get(code) or self.languages.get("en") or self


@dataclass(frozen=True)
class StageResult:
    """A stage run against a rule set, with readable differences from what the vignette expects."""

    vignette: Vignette
    stage: Stage
    outcome: Outcome
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


class VignettesInvalid(ScreeningError):
    """Raised with every error found in a set of vignette files, not just the first."""

    def __init__(self, errors: Iterable[RuleError]):
        self.errors = sorted(errors, key=lambda e: (e.location.file, e.location.line, e.location.col))
        super().__init__("\n".join(str(e) for e in self.errors))


# --- Loading ------------------------------------------------------------------------------------------------


def load_vignettes(path: str | Path, ruleset: RuleSet) -> tuple[Vignette, ...]:
    """Load and check every *.yaml vignette at `path` (a directory or one file) against `ruleset`.

    Raises VignettesInvalid listing every error, each located as file:line:col."""
    texts = yaml_texts(path)
    if not texts:
        raise VignettesInvalid([RuleError(Location(str(path), 1, 1), "no *.yaml files found",
                                          hint="a vignette library is a directory of one vignette per file")])
    return load_vignette_texts(texts, ruleset)


def load_vignette_texts(texts: Mapping[str, str], ruleset: RuleSet) -> tuple[Vignette, ...]:
    """Load vignettes from {file name: YAML text}, ordered by file name."""
    errors: list[RuleError] = []
    docs: list[SourceDoc] = []
    first_seen: dict[str, Location] = {}
    for name in sorted(texts):
        doc, problems = parse_yaml(texts[name], name)
        problems = problems or check_vignette(doc, ruleset)
        errors += problems or _duplicate_id(doc, first_seen)
        docs.append(doc)
    if errors:
        raise VignettesInvalid(errors)
    return tuple(_vignette(doc) for doc in docs)


def check_vignette(doc: SourceDoc, ruleset: RuleSet) -> list[RuleError]:
    """Every error in one parsed vignette: its structure first, then its ids and answers against `ruleset`."""
    if not isinstance(doc.data, dict):
        return [RuleError(doc.where(()), "a vignette file must be a mapping", hint="start with 'id:'")]
    structural = schema_errors(doc, _validator(), _quick())
    return structural or [*_reference_errors(doc, ruleset), *_translation_errors(doc)]


def _english(doc: SourceDoc) -> dict[str, Any]:
    """The vignette as written, without its translations (`cy:`, ADR 0026)."""
    data: dict[str, Any] = doc.data  # type: ignore[assignment]
    return {key: value for key, value in data.items() if key not in LANGUAGES}


def _translation_errors(doc: SourceDoc) -> Iterator[RuleError]:
    for code in LANGUAGES:
        yield from read_translation(doc, code, VIGNETTE_TEXTS, _english(doc))[1]


def untranslated_vignette_texts(texts: Mapping[str, str], code: str) -> list[RuleError]:
    """Every text of the (valid) vignettes in `texts` with no translation into `code`, or an out-of-date one,
    located where the English is written."""
    found = []
    for name in sorted(texts):
        doc = parse_yaml(texts[name], name)[0]
        english = _english(doc)
        translation = read_translation(doc, code, VIGNETTE_TEXTS, english)[0]
        found += untranslated(VIGNETTE_TEXTS, english, translation, doc.where, code)
    return found


@cache
def vignette_schema() -> dict[str, Any]:
    """The published JSON Schema for one vignette file."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(vignette_schema())


@cache
def _quick() -> jsonschema_rs.Validator:
    return quick_validator(vignette_schema())


def _duplicate_id(doc: SourceDoc, first_seen: dict[str, Location]) -> list[RuleError]:
    vid = doc.data["id"]  # type: ignore[index]
    if vid in first_seen:
        return [RuleError(doc.where(("id",)), f"vignette id '{vid}' is already used at {first_seen[vid]}", vid,
                          "id", "give each vignette its own id")]
    first_seen[vid] = doc.where(("id",))
    return []


def _reference_errors(doc: SourceDoc, rs: RuleSet) -> Iterator[RuleError]:
    data: dict[str, Any] = doc.data  # type: ignore[assignment]
    vid = data["id"]
    yield from _unknown(doc, vid, ("agency",), data["agency"], rs.agency_by_id, "agency")
    for index, stage in enumerate(data["stages"]):
        at = ("stages", index)
        if "agency" in stage:
            yield from _unknown(doc, vid, (*at, "agency"), stage["agency"], rs.agency_by_id, "agency")
        yield from _answer_errors(doc, vid, at, stage["answers"], rs)
        yield from _expect_errors(doc, vid, (*at, "expect"), stage["expect"], rs)


def _expect_errors(doc: SourceDoc, vid: str, at: YamlPath, expect: Mapping[str, Any], rs: RuleSet
                   ) -> Iterator[RuleError]:
    yield from _unknown(doc, vid, (*at, "route"), expect["route"], rs.route_by_id, "route")
    if "level" in expect:
        yield from _unknown(doc, vid, (*at, "level"), expect["level"], rs.level_by_id, "level")
    rule_ids = [rule.id for rule in rs.rules]
    for n, rule_id in enumerate(expect["fired"]):
        yield from _unknown(doc, vid, (*at, "fired", n), rule_id, rule_ids, "rule")


def _unknown(doc: SourceDoc, vid: str, path: YamlPath, value: str, known: Iterable[str], kind: str
             ) -> Iterator[RuleError]:
    if value not in known:
        hint = did_you_mean(value, known) or f"see `screening explain` for the rule set's {kind} ids"
        yield RuleError(doc.where(path), f"unknown {kind} '{value}'", vid, _dotted(path), hint)


def _answer_errors(doc: SourceDoc, vid: str, at: YamlPath, answers: Mapping[str, object], rs: RuleSet
                   ) -> Iterator[RuleError]:
    for fact_id in answers:
        yield from _unknown(doc, vid, (*at, "answers", fact_id), fact_id, rs.facts, "question or indicator")
    known = {k: v for k, v in answers.items() if k in rs.facts}
    try:
        facts_from_answers(rs, known)
    except AnswersInvalid as exc:
        for problem in exc.problems:
            path = (*at, "answers", problem.question_id)
            yield RuleError(doc.where(path), f"answer for '{problem.question_id}': {problem.message}", vid,
                            _dotted(path))


def _dotted(path: YamlPath) -> str:
    return ".".join(str(p) for p in path)


def _vignette(doc: SourceDoc) -> Vignette:
    """The vignette in English, with the same vignette in each language it carries texts in."""
    english = _english(doc)
    languages: dict[str, Vignette] = {}
    languages["en"] = _vignette_of(doc, english, languages)
    for code in LANGUAGES:
        found = read_translation(doc, code, VIGNETTE_TEXTS, english)[0]
        if found:
            languages[code] = _vignette_of(doc, translated(english, found), languages)
    return languages["en"]


def _vignette_of(doc: SourceDoc, data: dict[str, Any], languages: dict[str, Vignette]) -> Vignette:
    stages, agency = [], data["agency"]
    answers: dict[str, object] = {}
    for index, raw in enumerate(data["stages"]):
        answers = {**answers, **raw["answers"]}
        agency = raw.get("agency", agency)
        stages.append(_stage(doc, index, raw, answers, agency))
    return Vignette(data["id"], data["title"], data["summary"], data["facilitator_notes"], data["agency"],
                    tuple(stages), _points(data["learning_points"]), tuple(data["discussion_questions"]), doc.file,
                    languages)


def _stage(doc: SourceDoc, index: int, raw: Mapping[str, Any], answers: dict[str, object], agency: str) -> Stage:
    expect = raw["expect"]
    return Stage(
        number=index + 1, title=raw["title"], narrative=raw["narrative"],
        changes=MappingProxyType(dict(raw["answers"])), answers=MappingProxyType(answers), agency=agency,
        expect=Expectation(expect["route"], tuple(expect["fired"]), expect.get("level")),
        what_happened=raw.get("what_happened", ""), learning_points=_points(raw.get("learning_points", [])),
        location=doc.where(("stages", index)),
    )


def _points(raw: Iterable[Mapping[str, str]]) -> tuple[LearningPoint, ...]:
    return tuple(LearningPoint(p["text"], p["reference"]) for p in raw)


# --- Running --------------------------------------------------------------------------------------------------


def run_stage(ruleset: RuleSet, vignette: Vignette, stage: Stage) -> StageResult:
    """Evaluate one stage's answers so far and compare the outcome with what the stage expects."""
    outcome = evaluate(ruleset, stage.answers, agency=stage.agency)
    return StageResult(vignette, stage, outcome, tuple(compare(stage.expect.as_dict(), outcome, exact=True)))


def run_vignettes(ruleset: RuleSet, vignettes: Iterable[Vignette]) -> list[StageResult]:
    """Every stage of every vignette, in order."""
    return [run_stage(ruleset, v, stage) for v in vignettes for stage in v.stages]


def compare(expect: Mapping[str, Any], outcome: Outcome, *, exact: bool = False) -> list[str]:
    """Readable differences between an expectation and an outcome; empty when they agree.

    `expect` has `route` and optionally `level`, `strategy_meeting`, `fired`, `not_fired`, `hard_triggers` and
    `gaps_include`. With `exact`, `fired` is the whole set: any other rule that fires is a difference too."""
    fired = {f.rule for f in outcome.findings}
    problems = []
    if outcome.route != expect["route"]:
        problems.append(f"route: expected {expect['route']}, got {outcome.route} (fired: {sorted(fired)})")
    if "level" in expect and outcome.risk_level != expect["level"]:
        problems.append(f"level: expected {expect['level']}, got {outcome.risk_level}")
    if "strategy_meeting" in expect and outcome.strategy_meeting.required != expect["strategy_meeting"]:
        problems.append(f"strategy meeting: expected {expect['strategy_meeting']}, "
                        f"got {outcome.strategy_meeting.required}")
    problems += _rule_differences(expect, fired, exact)
    missing_triggers = set(expect.get("hard_triggers", ())) - set(outcome.hard_triggers)
    if missing_triggers:
        problems.append(f"hard triggers missing: {sorted(missing_triggers)}")
    gaps = {g.fact for g in outcome.information_gaps}
    missing_gaps = set(expect.get("gaps_include", ())) - gaps
    if missing_gaps:
        problems.append(f"gaps expected but not listed: {sorted(missing_gaps)} (listed: {sorted(gaps)})")
    return problems


def _rule_differences(expect: Mapping[str, Any], fired: set[str], exact: bool) -> list[str]:
    problems = []
    missing = set(expect.get("fired", ())) - fired
    if missing:
        problems.append(f"rules expected to fire but did not: {sorted(missing)}")
    unexpected = fired - set(expect.get("fired", ())) if exact else set()
    if unexpected:
        problems.append(f"rules that fired but were not expected: {sorted(unexpected)}")
    extra = set(expect.get("not_fired", ())) & fired
    if extra:
        problems.append(f"rules expected not to fire but did: {sorted(extra)}")
    return problems


def child_name(vignette: Vignette) -> str | None:
    """The child's name as the title gives it ("Maya, 15: ..." or "Child B: ..."), or None for a title without one
    ("A girl at the bus station: ...")."""
    words = re.split(r"[:,]", vignette.title, maxsplit=1)[0].strip(" \"'“”").split()
    return " ".join(words) if 1 <= len(words) <= 2 and all(w[0].isupper() for w in words) else None


def name_clashes(vignettes: Iterable[Vignette]) -> list[str]:
    """One line for each vignette whose child has the name of a child in an earlier one (names must be unique
    across the library, so that a room never mixes up two cases)."""
    first: dict[str, Vignette] = {}
    found = []
    for vignette in vignettes:
        name = child_name(vignette)
        if name is None:
            continue
        if name.casefold() in first:
            found.append(f"{vignette.file}: the child's name '{name}' is already used in "
                         f"{first[name.casefold()].file}: give each case's child a name of their own")
        first.setdefault(name.casefold(), vignette)
    return found


def report_lines(results: Iterable[StageResult]) -> Iterator[str]:
    """One line per stage (ok or MISMATCH, vignette, stage, expected and actual route), then the differences."""
    results = list(results)
    for r in results:
        status = "ok" if r.ok else "MISMATCH"
        yield (f"{status:<8} {r.vignette.id} stage {r.stage.number}/{len(r.vignette.stages)}: "
               f"expected {r.stage.expect.route}, got {r.outcome.route}")
        if not r.ok:
            yield f"    at {r.stage.location} ({r.stage.title})"
            yield from (f"    {problem}" for problem in r.problems)
    failed = sum(not r.ok for r in results)
    vignettes = len({r.vignette.id for r in results})
    yield f"{vignettes} vignettes, {len(results)} stages: {len(results) - failed} ok, {failed} mismatched"
