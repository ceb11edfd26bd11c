"""Check a practitioner's answers against the rule set and turn them into Facts.

Accepted values: tri-state 'yes' / 'no' / 'not_known' (an indicator that asks for recency also takes
{answer: yes, when: recent|earlier}); whole numbers or 'not_known' for counts and ages; option ids for choices;
strings for free text. An unanswered question is 'not known', never 'no'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import Facts
from .errors import MAX_PROBLEMS, AnswerProblem, AnswersInvalid, did_you_mean
from .model import Indicator, Question, RuleSet
from .words import N_
from .words import gettext as _

NOT_KNOWN = "not_known"
RECENCY = ("recent", "earlier", "both")


def facts_from_answers(ruleset: RuleSet, answers: Mapping[str, object]) -> Facts:
    """Validate `answers` in one pass, indexing what is yes and what is known as it goes; raise AnswersInvalid
    listing every problem (up to MAX_PROBLEMS), else return Facts."""
    plain, ranges, not_known = ruleset.plain_answers, ruleset.number_ranges, ruleset.not_known_allowed
    values: dict[str, object] = {}
    when: dict[str, str] = {}
    yes: set[str] = set()
    known: set[str] = set()
    problems: list[AnswerProblem] = []
    for fact_id, raw in answers.items():
        kind = type(raw)
        if kind is str and raw in plain.get(fact_id, ()):  # the common cases, without the general parser
            values[fact_id] = raw
            known.add(fact_id)
            if raw == "yes":
                yes.add(fact_id)
        elif kind is str and raw == NOT_KNOWN and fact_id in not_known:
            values[fact_id] = None
        elif kind is int and fact_id in ranges and ranges[fact_id][0] <= raw <= ranges[fact_id][1]:  # type: ignore
            values[fact_id] = raw
            known.add(fact_id)
        else:
            _parse_one(ruleset, fact_id, raw, values, when, problems)
            if len(problems) >= MAX_PROBLEMS:  # before another costly "did you mean"
                break
            if values.get(fact_id) is not None:
                known.add(fact_id)
                if values[fact_id] == "yes":
                    yes.add(fact_id)
    if problems:
        raise AnswersInvalid(problems)
    return Facts(values, when, yes, known)


def _parse_one(ruleset: RuleSet, fact_id: str, raw: object, values: dict[str, object], when: dict[str, str],
               problems: list[AnswerProblem]) -> None:
    """Any answer but the common ones: checked by the general parser, or a problem recorded."""
    fact = ruleset.facts.get(fact_id)
    if fact is None:
        hint = did_you_mean(fact_id, ruleset.facts)
        problems.append(AnswerProblem(fact_id, "there is no such question" + (f"; {hint}" if hint else "")))
        return
    try:
        values[fact_id], recency = _parse(fact, raw)
    except ValueError as exc:
        problems.append(AnswerProblem(fact_id, str(exc)))
        return
    if recency:
        when[fact_id] = recency


NOT_KNOWN_WORDS = N_("Not known")  # gettext it where shown


def answer_words(fact: Question | Indicator, value: object) -> str:
    """A checked answer (as in Facts: None is not known) in the words the practitioner chose it by."""
    return _(NOT_KNOWN_WORDS) if value is None else fact.kind.words(fact, value)


def _parse(fact: Question | Indicator, raw: object) -> tuple[object, str | None]:
    if isinstance(raw, Mapping):
        return _with_recency(fact, raw)
    if raw == NOT_KNOWN or raw is None:
        if isinstance(fact, Question) and not fact.allow_not_known:
            raise ValueError("an answer is needed; 'not known' is not accepted for this question")
        return None, None
    return fact.kind.parse(fact, raw), None


def _with_recency(fact: Question | Indicator, raw: Mapping[str, object]) -> tuple[object, str | None]:
    if not (isinstance(fact, Indicator) and fact.recency):
        raise ValueError("this question does not ask when; give the answer on its own")
    unknown_keys = set(raw) - {"answer", "when"}
    if unknown_keys:
        raise ValueError(f"unexpected {', '.join(sorted(unknown_keys))}; use 'answer' and 'when'")
    value, _ = _parse(fact, raw.get("answer"))
    when = raw.get("when")
    if when is not None and when not in RECENCY:
        raise ValueError("'when' must be 'recent' (now or in the last 6 months), 'earlier' (6 to 12 months ago) "
                         "or 'both'")
    return value, (when if value == "yes" else None)


def answer_schema(fact: Question | Indicator) -> dict[str, Any]:
    """The JSON Schema of the answers `facts_from_answers` takes for this question or sign (the API describes
    them): its type's own shape, with 'not_known' (or null) where that is accepted, and {answer, when} where a
    sign asks when."""
    shape = fact.kind.schema(fact)
    if not isinstance(fact, Question) or fact.allow_not_known:
        shape = {"anyOf": [shape, {"enum": [NOT_KNOWN, None]}]}
    if isinstance(fact, Indicator) and fact.recency:
        shape = {"anyOf": [shape, {"type": "object", "additionalProperties": False, "required": ["answer"],
                                   "properties": {"answer": shape, "when": {"enum": [*RECENCY, None]}}}]}
    return shape
