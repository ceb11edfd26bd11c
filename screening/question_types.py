"""Question types: what each type of question means to the core, in one table.

A question's `type` in a rule file names an entry of QUESTION_TYPES, which says how its answers are checked, shown
in words and described as JSON Schema, which answers could raise a recommendation (for information gaps and "what
would change it"), which condition comparisons fit it, and how the engine treats it. The web keeps one table of
form fields keyed by the same names (web/forms/fields.py FORM_FIELDS); a test holds the two tables and the published
JSON Schema in step, and the compiler refuses a type neither knows, at its place in the file.

A fact here is a Question or an Indicator (model.py), read only through the attributes named in `Fact`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import did_you_mean
from .words import N_
from .words import gettext as _

YES_NO = ("yes", "no")
YES_WORDS, NO_WORDS = N_("Yes"), N_("No")  # a yes/no answer in words (gettext them where shown)
_WHOLE = re.compile(r"[0-9]{1,9}")


class Fact(Protocol):
    """What a question type reads of a question or sign."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def options(self) -> tuple[Any, ...]: ...
    @property
    def max_length(self) -> int: ...


@dataclass(frozen=True)
class QuestionType:
    """One type of question. `parse` checks an answer as JSON or a form gives it (words for a ValueError);
    `worrying` lists the answers that could raise a recommendation; the flags say how the engine treats it."""

    name: str
    parse: Callable[[Any, object], object]
    schema: Callable[[Any], dict[str, Any]]
    worrying: Callable[[Any], tuple[object, ...]]
    comparisons: tuple[str, ...]  # the condition comparisons that fit it (ruleset/condition_parser.py)
    words: Callable[[Any, object], str] = lambda fact, value: _option_words(fact, value)
    plain: Callable[[Any], frozenset[str]] = lambda fact: frozenset()  # answers taken as they are, unparsed
    yes_no: bool = False  # answered yes, no or not known (every sign is); counted as present when yes
    default_max: int | None = None  # a whole number between `min` (0) and `max` (this, unless the question says)
    grows: bool = False  # a count: an answer given can still rise, and one above 0 is evidence for a rule
    quoted: bool = False  # free words: quoted as written, never shared between outcomes, checked for wording
    has_options: bool = False  # needs `options` in the rule file
    child_age: bool = False  # the child's age in years: needed before a route, and the dashboard's age band
    child_detail: bool = False  # the referral lists the answer under "The child"

    @property
    def numeric(self) -> bool:
        return self.default_max is not None


def whole_number(text: str) -> int | None:
    """A whole number written in ASCII digits, at most nine of them, or None. '²', '①', '٣', '-3', '1e3', '0x1'
    and 5,000-digit strings are not whole numbers here, so nothing downstream can overflow."""
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def looks_negative(text: str) -> bool:
    """'-3': a whole number below zero, for a message that says so."""
    text = text.strip()
    return text.startswith("-") and whole_number(text[1:]) is not None


def too_long_a_number(text: str) -> bool:
    """All ASCII digits, but more than `whole_number` takes."""
    text = text.strip()
    return text.isascii() and text.isdigit() and whole_number(text) is None


def numeric_range(fact: Fact) -> tuple[int, int]:
    """The allowed answers of a numeric question: its own `min` and `max`, else 0 and its type's maximum."""
    lo, hi = getattr(fact, "min", None), getattr(fact, "max", None)
    return (0 if lo is None else lo), (QUESTION_TYPES[fact.type].default_max or 0) if hi is None else hi


def _option_ids(fact: Fact) -> list[str]:
    return [o.id for o in fact.options]


def _option_words(fact: Fact, value: object) -> str:
    labels: dict[str, str] = {o.id: o.label for o in fact.options}
    if isinstance(value, frozenset):
        return ", ".join(labels.get(v, v) for v in sorted(value)) or _("None")
    return labels.get(str(value), str(value))


def _tristate(fact: Fact, raw: object) -> str:
    if raw not in YES_NO:
        raise ValueError(f"answer yes, no or not_known, not {raw!r}")
    return str(raw)


def _number(fact: Fact, raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and whole_number(raw) is not None:
        number = int(raw)
    else:
        raise ValueError(f"enter a whole number or not_known, not {raw!r}")
    lo, hi = numeric_range(fact)
    if not lo <= number <= hi:
        what = "age" if QUESTION_TYPES[fact.type].child_age else "number"
        raise ValueError(f"the {what} must be between {lo} and {hi}")
    return number


def _number_schema(fact: Fact) -> dict[str, Any]:
    lo, hi = numeric_range(fact)
    return {"type": "integer", "minimum": lo, "maximum": hi}


def _choice(fact: Fact, raw: object) -> str:
    options = _option_ids(fact)
    if raw not in options:
        hint = did_you_mean(str(raw), options)
        raise ValueError(f"{raw!r} is not one of the options ({', '.join(options)})" + (f"; {hint}" if hint else ""))
    return str(raw)


def _choices(fact: Fact, raw: object) -> frozenset[str]:
    if not isinstance(raw, list | tuple | set | frozenset):
        raise ValueError("give a list of options")
    return frozenset(_choice(fact, item) for item in raw)


def _text(fact: Fact, raw: object) -> str:
    if not isinstance(raw, str):
        raise ValueError("give the words as text")
    if len(raw) > fact.max_length:
        raise ValueError(f"the text must be {fact.max_length} characters or fewer")
    return raw


NUMERIC_COMPARISONS = ("at_least", "at_most", "below", "above")
QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in (
    QuestionType("tristate", _tristate, lambda fact: {"enum": list(YES_NO)}, lambda fact: ("yes",), ("is",),
                 words=lambda fact, value: {"yes": _(YES_WORDS), "no": _(NO_WORDS)}.get(str(value), str(value)),
                 plain=lambda fact: frozenset(YES_NO), yes_no=True),
    QuestionType("count", _number, _number_schema, lambda fact: (numeric_range(fact)[1],), NUMERIC_COMPARISONS,
                 default_max=100_000, grows=True),
    QuestionType("age", _number, _number_schema, lambda fact: (numeric_range(fact)[0],), NUMERIC_COMPARISONS,
                 default_max=17, child_age=True, child_detail=True),
    QuestionType("choice", _choice, lambda fact: {"enum": _option_ids(fact)}, lambda fact: tuple(_option_ids(fact)),
                 ("in",), plain=lambda fact: frozenset(_option_ids(fact)), has_options=True, child_detail=True),
    QuestionType("choices", _choices, lambda fact: {"type": "array", "items": {"enum": _option_ids(fact)}},
                 lambda fact: (frozenset(_option_ids(fact)),), ("includes_any",), has_options=True),
    QuestionType("text", _text, lambda fact: {"type": "string", "maxLength": fact.max_length},
                 lambda fact: tuple(_option_ids(fact)), (), quoted=True),
)}
