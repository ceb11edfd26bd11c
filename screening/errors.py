"""Error types: located rule-file problems for rule authors, answer problems for practitioners."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class ScreeningError(Exception):
    """The base of every error this project raises on purpose."""


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class RuleError:
    """One problem in a rule set, located for its author."""

    location: Location
    message: str
    item_id: str = ""
    yaml_path: str = ""
    hint: str = ""

    def __str__(self) -> str:
        tag = f" [{self.item_id}]" if self.item_id else ""
        text = f"{self.location}:{tag} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class RuleSetInvalid(ScreeningError):
    """Raised with every error found in a rule set, not just the first."""

    def __init__(self, errors: Iterable[RuleError]):
        self.errors = sorted(errors, key=lambda e: (e.location.file, e.location.line, e.location.col))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class AnswerProblem:
    """One problem with a practitioner's answer, phrased for them."""

    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.message}"


MAX_PROBLEMS = 50  # answers are checked no further once this many problems are found


class AnswersInvalid(ScreeningError):
    """Raised with the problems found in a set of answers: every one, up to MAX_PROBLEMS."""

    def __init__(self, problems: Iterable[AnswerProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean …?' hint for an unknown id, or '' when nothing is close (or the word is too long to be an
    id: difflib's work grows with the square of its length)."""
    if len(word) > 64:
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
