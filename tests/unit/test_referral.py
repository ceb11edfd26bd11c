"""The referral document: who said what (only the child's own words are ever quoted as theirs, over every text
question of the default set), who the child is when identified, and the tipping-off warning."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import screening
from screening.decided import counted
from screening.identifiers import Carer, Identity
from screening.referral import NOT_IDENTIFIED, TIPPING_OFF, Referrer, build_referral, referral_text
from tests.conftest import ROOT

RS = screening.load_ruleset(ROOT / "rules" / "default")
BASE = {"age": 14, "concern_summary": "Seen getting into cars."}
NEEDS = {"not_seen_alone_reason": {"seen_alone": "no"}, "other_children_notes": {"other_children_household": 1}}
MADE = datetime(2026, 3, 3, 10, 0)
ME = Referrer("Sam Teacher", "school", "DSL, 01632 960 001", True)
TEXT_QUESTIONS = [q for q in RS.questions if q.kind.quoted]


def referral(answers: dict, child: Identity | None = None):
    outcome = screening.evaluate(RS, {**BASE, **answers}, agency="school")
    return outcome, build_referral(outcome, counted(outcome), ME, MADE, child)


def part(document, title: str) -> str:
    return " ".join(words for p in document.parts if p.title == title for _, words in p.rows)


@pytest.mark.parametrize("question", TEXT_QUESTIONS, ids=lambda q: q.id)
def test_only_the_childs_own_words_are_ever_quoted_as_theirs(question):
    words = f"words given for {question.id}"
    outcome, document = referral({**NEEDS.get(question.id, {}), question.id: words})
    quoted = [v for v in outcome.child_voice if v.quote]
    text = referral_text(document)
    assert words in text  # nothing the practitioner wrote is lost
    if question.quotes_child:
        assert [v.answer for v in quoted] == [words]
        assert f"\u201c{words}\u201d" in part(document, "The child's words and view")
    else:
        assert not quoted and f"\u201c{words}\u201d" not in text
        assert words not in part(document, "The child's words and view")


def test_the_default_set_quotes_the_childs_words_and_not_the_practitioners_note():
    quoting = {q.id for q in TEXT_QUESTIONS if q.quotes_child}
    assert quoting == {"child_words", "child_fears"}
    _, document = referral({"seen_alone": "no", "not_seen_alone_reason": "Mum was always in the room"})
    assert part(document, "My notes") == "Mum was always in the room"


def test_an_identified_child_is_named_with_their_identifiers_and_carers():
    child = Identity(nhs="9434765919", given="Jo", family="Bloggs", born=date(2012, 3, 27), postcode="AB1 2CD",
                     address="1 High Street, Anytown", school="Anytown Academy",
                     carers=(Carer("Pat Bloggs", "mother", "07700 900123", "yes"),))
    _, document = referral({}, child)
    assert document.reference == "Jo Bloggs, born 27 March 2012"
    shown = dict(next(p for p in document.parts if p.title == "The child").rows)
    assert (shown["Name"], shown["Date of birth"], shown["NHS number"]) == ("Jo Bloggs", "27 March 2012",
                                                                            "943 476 5919")
    assert shown["Address"] == "1 High Street, Anytown" and shown["School or setting"] == "Anytown Academy"
    assert "Pat Bloggs (mother); 07700 900123; parental responsibility: yes" in part(
        document, "Parents, carers and other agencies")


def test_an_unidentified_child_is_said_to_be_so():
    _, document = referral({"child_reference": "UPN A123"})
    shown = dict(next(p for p in document.parts if p.title == "The child").rows)
    assert shown["Not identified"] == NOT_IDENTIFIED and shown["Referrer's reference"] == "UPN A123"
    assert document.reference == "UPN A123"


def test_telling_the_family_could_increase_the_risk_is_the_first_thing_said():
    _, risky = referral({"telling_family_may_increase_risk": "yes", "parents_aware": "no"})
    assert risky.warning == TIPPING_OFF
    assert referral_text(risky).splitlines()[1] == f"WARNING: {TIPPING_OFF}"
    assert "Do the child's parents or carers know about these concerns?" in " ".join(
        label for p in risky.parts for label, _ in p.rows)
    for answer in ("no", "not_known"):
        assert referral({"telling_family_may_increase_risk": answer})[1].warning == ""


def test_sharing_and_what_is_already_done_reach_the_referral():
    _, document = referral({"sharing_basis": ["without_consent_harm"], "already_done": ["police_told", "gp_told"]})
    family = part(document, "Parents, carers and other agencies")
    assert "Without consent: the child may be at risk of significant harm" in family
    assert "Police told (999 or 101)" in family and "The child's GP told" in family
