"""An outcome said in each language its rule set carries (the same decision, each in its own words), and the
documents made from it in the words it was produced with (ADR 0029)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

import screening
from screening import words
from screening.decided import counted
from screening.engine import evaluate_in_each_language
from screening.referral import TIPPING_OFF, Referrer, build_referral, referral_text
from screening.timescale import timescale_words
from tests.conftest import ROOT

RS = screening.load_ruleset(ROOT / "rules" / "default")
WORRYING = {"age": 13, "concern_summary": "Seen getting into cars.", "older_associate_controlling": "yes",
            "sexual_activity_with_adult": "yes", "gifts_unexplained": "yes", "missing_episodes_90d": 3,
            "telling_family_may_increase_risk": "yes"}
ME = Referrer("Sam Teacher", "school", "DSL, 01632 960 001", True)
MADE = datetime(2026, 3, 3, 10, 5)


@pytest.mark.hazard("H-13")
def test_one_decision_is_said_in_english_and_in_welsh():
    said = evaluate_in_each_language(RS, WORRYING, agency="school")
    english, welsh = said["en"], said["cy"]
    assert (english.language, welsh.language) == ("en", "cy")
    assert (welsh.route, welsh.risk_level, welsh.hard_triggers) == (english.route, english.risk_level,
                                                                    english.hard_triggers)
    assert [f.rule for f in welsh.findings] == [f.rule for f in english.findings]
    assert [a.id for a in welsh.actions] == [a.id for a in english.actions]
    cymraeg = RS.in_language("cy")
    assert welsh.route_label == cymraeg.route_by_id[welsh.route].label != english.route_label
    assert english.route_label == RS.route_by_id[english.route].label
    # the timescales stay the English data the due dates are worked out from
    assert [a.within for a in welsh.actions] == [a.within for a in english.actions]


@pytest.mark.hazard("H-13")
def test_welsh_words_never_leak_into_an_english_outcome():
    """Each language has its own cache of outcome parts: the Welsh evaluated first, the English still English."""
    welsh = screening.evaluate(RS.in_language("cy"), WORRYING, agency="school")
    english = screening.evaluate(RS, WORRYING, agency="school")
    assert welsh.language == "cy" and english.language == "en"
    by_fact = {a.fact: a.question for a in english.answered}
    assert by_fact["age"] == next(q.short_label or q.label for q in RS.questions if q.id == "age")
    explained = {f.explanation for f in english.findings} - {""}
    assert explained and explained.isdisjoint({f.explanation for f in welsh.findings})
    assert "Not known" in {a.answer for a in screening.evaluate(RS, {"age": None}).answered}


@pytest.mark.hazard("H-13")
def test_a_welsh_outcome_makes_a_welsh_referral_whatever_the_page_speaks():
    welsh = evaluate_in_each_language(RS, WORRYING, agency="school")["cy"]
    document = build_referral(welsh, counted(welsh), ME, MADE)
    with words.speaking("cy"):
        warning = words.gettext(TIPPING_OFF)
    assert warning != TIPPING_OFF and document.warning == warning  # "yes" read in the outcome's own words
    assert document.title.startswith("Atgyfeiriad: ") and document.made == "3 Mawrth 2026 am 10:05"
    assert document.language == "cy" and [p.title for p in document.parts][0] == "Y plentyn"
    text = referral_text(document)
    assert text.splitlines()[1] == f"RHYBUDD: {warning}"
    assert "Mae'r offeryn yn cynghori" in text and "The tool advises" not in text


@pytest.mark.hazard("H-13")
def test_an_english_outcome_read_by_a_welsh_reader_keeps_its_warning():
    english = evaluate_in_each_language(RS, WORRYING, agency="school")["en"]
    with words.speaking("cy"):
        document = build_referral(english, counted(english), ME, MADE)
    assert document.warning == TIPPING_OFF and document.title.startswith("Referral: ")


def test_timescales_and_dates_in_welsh():
    with words.speaking("cy"):
        assert [timescale_words(t) for t in ("now", "4 hours", "2 working days", "1 day", "3 days")] == \
            ["nawr", "4 awr", "2 ddiwrnod gwaith", "1 diwrnod", "3 diwrnod"]
        assert words.long_date(date(2012, 3, 3)) == "3 Mawrth 2012"
    assert timescale_words("2 working days") == "2 working days" and timescale_words("soon") == "soon"
    assert words.long_date(date(2012, 3, 3)) == "3 March 2012"


@pytest.mark.hazard("H-13")
def test_the_warning_follows_the_answer_not_its_words():
    """A stored Welsh outcome keeps its warning however "Yes" is translated later (the draft Welsh is reviewed)."""
    welsh = evaluate_in_each_language(RS, WORRYING, agency="school")["cy"]
    reworded = replace(welsh, answered=tuple(replace(a, answer="Ydy") if a.said_yes else a for a in welsh.answered))
    assert build_referral(reworded, counted(reworded), ME, MADE).warning
    unknown = evaluate_in_each_language(RS, {**WORRYING, "telling_family_may_increase_risk": None})["cy"]
    assert not build_referral(unknown, counted(unknown), ME, MADE).warning  # not known is never yes
