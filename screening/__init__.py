"""CSE risk-screening decision aid: rule sets in YAML, a pure-Python engine, outcomes with their trace.

Importing this package never imports Flask, WTForms or a database driver.
"""

from .answers import NOT_KNOWN, facts_from_answers
from .engine import evaluate
from .errors import AnswerProblem, AnswersInvalid, RuleError, RuleSetInvalid
from .loader import load_ruleset, load_ruleset_texts
from .model import RuleSet
from .outcome import Outcome

__all__ = [
    "NOT_KNOWN", "AnswerProblem", "AnswersInvalid", "Outcome", "RuleError", "RuleSet", "RuleSetInvalid",
    "evaluate", "facts_from_answers", "load_ruleset", "load_ruleset_texts",
]
