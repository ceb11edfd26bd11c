"""Signs suggested from a practitioner's words: phrases matched as the wording check matches them, never where a
negation reaches them, each with the words that matched; and a bad phrase is a located error."""

from __future__ import annotations

import pytest

import screening
from screening.errors import RuleSetInvalid
from screening.suggestions import suggest
from tests.conftest import TINY

TEXT = (TINY / "ruleset.yaml").read_text()
CARS = "text: Gets into cars with unknown adults, guidance: Red flag, reference: Test, weight: 5}"
RUNS = ("text: Goes missing overnight, guidance: Look for patterns, reference: Test, recency: true, "
        "weight: {recent: 5, earlier: 1}}")


def with_phrases(cars: str = "'(get*|got|pick*) ... (car|cars)'", runs: str = "'(goes|went|gone|going) missing'"):
    text = TEXT.replace(CARS, CARS[:-1] + f", phrases: [{cars}]}}").replace(RUNS, RUNS[:-1] + f", phrases: [{runs}]}}")
    return screening.load_ruleset_texts({"ruleset.yaml": text})


@pytest.mark.parametrize(("words", "expected"), [
    ("She keeps getting into cars after school. Mum says she goes missing at weekends.",
     [("cars", ("getting into cars",)), ("runs_away", ("goes missing",))]),  # the red sign of the theme first
    ("Picked up in a car by older men", [("cars", ("Picked up in a car",))]),
    ("No sign that she goes missing.", []),
    ("She denies getting into cars.", []),
    ("She hasn't gone missing but was picked up by car last night.", [("cars", ("picked up by car",))]),
    ("Worried about her mood.", []),
])
def test_signs_are_suggested_by_the_words_that_describe_them(words, expected):
    found = suggest(with_phrases(), [words])
    assert [(s.indicator, s.words) for s in found] == expected


def test_each_text_adds_its_own_words_once():
    found = suggest(with_phrases(), ["goes missing", "went missing; goes missing"])
    assert [(s.indicator, s.words) for s in found] == [("runs_away", ("goes missing", "went missing"))]


def test_a_phrase_that_cannot_be_compiled_is_a_located_error():
    with pytest.raises(RuleSetInvalid) as caught:
        with_phrases(runs="'(goes missing'")
    (error,) = caught.value.errors
    line = next(n for n, text in enumerate(TEXT.splitlines(), 1) if text.strip().startswith("- {id: runs_away"))
    assert error.location.line == line and "bad pattern" in error.message


def test_words_said_twice_in_one_text_are_shown_once():
    found = suggest(with_phrases(), ["She goes missing, and then she goes missing again."])
    assert [(s.indicator, s.words) for s in found] == [("runs_away", ("goes missing",))]


def test_words_inside_longer_matched_words_are_not_shown_again():
    phrases = with_phrases(runs="'(goes|went) missing', 'she (goes|went) missing'")
    found = suggest(phrases, ["Mum says she goes missing."])
    assert [(s.indicator, s.words) for s in found] == [("runs_away", ("she goes missing",))]
