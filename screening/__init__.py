"""CSE risk-screening decision aid: rule sets in YAML, a pure-Python engine, outcomes with their trace.

Layers (see the README's architecture map): the core here (model, conditions, answers, engine, outcome, report,
language); `ruleset/` compiles YAML into a RuleSet; `tools/` and `cli/` sit above them; `web/` and `store/` are
the only places that import Flask, WTForms or SQLAlchemy. Importing this package never imports them.
"""

from .answers import NOT_KNOWN, facts_from_answers
from .engine import evaluate
from .errors import AnswerProblem, AnswersInvalid, RuleError, RuleSetInvalid
from .model import RuleSet
from .outcome import Outcome
from .ruleset import load_ruleset, load_ruleset_texts

__all__ = [
    "NOT_KNOWN", "AnswerProblem", "AnswersInvalid", "Outcome", "RuleError", "RuleSet", "RuleSetInvalid",
    "evaluate", "facts_from_answers", "load_ruleset", "load_ruleset_texts",
]
