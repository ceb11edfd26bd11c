"""Signs suggested from what the practitioner wrote (and the child's own words): each indicator's `phrases`,
matched as the wording check matches (stems, words in between, no match a negation reaches).

A suggestion is never an answer. It is shown with the words that matched, for the practitioner to tick or leave;
an unticked suggestion stays not known, and nothing here ever changes an answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .language import phrase_matches
from .model import REFERRER_CONCERN, Question, RuleSet


@dataclass(frozen=True)
class Suggestion:
    """A sign the words suggest, and the words (as written) that suggested it."""

    indicator: str
    words: tuple[str, ...]


def suggest(rs: RuleSet, texts: Iterable[str]) -> tuple[Suggestion, ...]:
    """The signs `texts` suggest, in the rule set's order of themes and levels; each matched stretch once."""
    groups = [(i.id, i.phrases) for i in rs.indicators_by_theme_and_level if i.phrases]
    words: dict[str, list[str]] = {}
    for text in texts:
        for indicator, matches in phrase_matches(groups, text).items():
            seen = words.setdefault(indicator, [])
            seen += dict.fromkeys(m.text for m in matches if m.text not in seen)
    return tuple(Suggestion(i.id, _longest(words[i.id])) for i in rs.indicators_by_theme_and_level if i.id in words)


def _longest(found: list[str]) -> tuple[str, ...]:
    """Each stretch of words once: one found inside a longer one ('sends her gift cards' in 'He sends her gift
    cards') is left out."""
    return tuple(w for w in found if not any(w != other and w in other for other in found))


def suggest_from_answers(rs: RuleSet, answers: Mapping[str, object]) -> tuple[Suggestion, ...]:
    """What the practitioner's worry (in their words) and the child's own words, as answered so far, suggest."""
    return suggest(rs, (str(answers[q.id]) for q in _worded(rs) if isinstance(answers.get(q.id), str)))


def _worded(rs: RuleSet) -> tuple[Question, ...]:
    """The free-text questions whose words suggest signs: the worry in the practitioner's words, and the child's."""
    voice = rs.voice_questions
    return tuple(q for q in rs.questions if q.kind.quoted and (q.purpose == REFERRER_CONCERN or q in voice))
