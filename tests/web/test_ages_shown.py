"""Over HTTP: a sign for 16- and 17-year-olds is not asked of a younger child (and their theme's "no" does not
record it), and a child protection outcome says plainly that only immediate danger would raise it."""

from __future__ import annotations

from screening.store import Screening
from tests.web.conftest import Practitioner

SIGN = 'value="age_gap_relationship"'


def test_a_sign_for_older_teenagers_is_asked_only_at_their_ages(client):
    for age, asked in (("14", False), ("16", True)):
        who = Practitioner(client)
        who.start(age=age)
        who.post(f"/screenings/{who.sid}/child/skip")
        page = client.get(f"/screenings/{who.sid}/pages/signs").text
        assert (SIGN in page) is asked, age


def test_a_theme_answered_no_records_only_the_signs_asked(app, client):
    who = Practitioner(client)
    who.start(age="14")
    who.post(f"/screenings/{who.sid}/child/skip")
    who.required_pages(signs={"theme__associates": "no"})
    with app.extensions["db"].reading() as tx:
        answers = tx.get(Screening, who.sid).answers
    assert answers["older_associate_controlling"] == "no" and "age_gap_relationship" not in answers


def test_a_child_protection_outcome_says_only_immediate_danger_would_raise_it(client):
    who = Practitioner(client)
    who.start(age="14")
    who.post(f"/screenings/{who.sid}/child/skip")
    who.required_pages(signs={"signs__disclosures": ["disclosure_sexual_abuse"],
                              "disclosure_sexual_abuse__when": "recent"})
    page = who.finish().text
    assert 'id="only-danger"' in page and "only the child being in danger now would" in page
