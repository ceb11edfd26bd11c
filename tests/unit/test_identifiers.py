"""Identifiers as practitioners type them: checked, written one way, and shown masked."""

from __future__ import annotations

from datetime import date

import pytest

from screening.identifiers import (
    Identity,
    NotAnIdentifier,
    local_authority_id,
    name_key,
    nhs_number,
    postcode,
    pupil_number,
)


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", " 943-476-5919 ", "943 4765 919"])
def test_an_nhs_number_is_the_same_whatever_its_spacing(typed):
    assert nhs_number(typed) == "9434765919"


@pytest.mark.parametrize(("typed", "why"), [
    ("9434765918", "last digit does not match"), ("943476591", "10 digits"), ("94347659190", "10 digits"),
    ("943476591x", "10 digits"), ("٩٤٣٤٧٦٥٩١٩", "10 digits"), ("", "10 digits"),
    ("1000000010", "last digit does not match"),  # its check digit would be 10: no NHS number has it
])
def test_a_wrong_nhs_number_says_why(typed, why):
    with pytest.raises(NotAnIdentifier, match=why):
        nhs_number(typed)


def test_a_pupil_number_has_its_check_letter():
    assert pupil_number("b801 2000 05001") == "B801200005001"
    for wrong in ("A801200005001", "B80120000500", "B80120000A001", "1801200005001"):
        with pytest.raises(NotAnIdentifier):
            pupil_number(wrong)


def test_local_authority_ids_and_postcodes_are_written_one_way():
    assert local_authority_id(" la-77 / 31415 ") == "LA77/31415"
    assert postcode("se1 7pb") == "SE17PB"
    for wrong in ("<script>", "x" * 31):
        with pytest.raises(NotAnIdentifier):
            local_authority_id(wrong)
    with pytest.raises(NotAnIdentifier):
        postcode("not a postcode")


def test_names_match_without_case_accents_spaces_or_punctuation():
    assert name_key("O'Brien-Smíth") == name_key("obrien smith") == "obriensmith"
    assert name_key("Zoë") == name_key("ZOE")


def test_a_name_and_date_of_birth_give_keys_for_either_name_and_the_child_is_masked():
    who = Identity(given="Jasmine", family="Featherstonehaugh", born=date(2012, 3, 3))
    assert who.name_keys() == {"given_born": "jasmine|2012-03-03", "family_born": "featherstonehaugh|2012-03-03"}
    assert Identity(given="Jasmine").name_keys() == {}  # a name alone finds nobody
    assert who.masked == "J... F..." and who.exact() == {}
    assert Identity(nhs="9434765919", la="LA7").exact() == {"nhs": "9434765919", "la": "LA7"}
