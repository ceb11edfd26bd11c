"""The worry in the practitioner's own words first, signs suggested from them (never answered for them), themes that
open only when they apply, and a follow-up page for the themes answered yes when the page's reveals could not run.
The same facts give the same route whichever way they are entered."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

import screening
from screening.store import Screening
from screening.suggestions import suggest
from tests.browser.cases import CASES
from tests.web.conftest import Practitioner, errors_in, signed_in_client, text_of

RS = screening.load_ruleset("rules/default")
WORRY = ("He has two phones and comes home with new trainers he cannot explain. He goes missing at weekends. "
         "No sign of drugs.")
ABOUT = {"child_reference": "REF-7", "current_social_care_status": "none", "previous_concerns_12m": "0"}
PHONES, MISSING = "phone_new_or_multiple", "late_or_overnight_unexplained"


def answers(app, sid: str) -> dict:
    with app.extensions["db"].reading() as tx:
        return tx.scalar(select(Screening.answers).where(Screening.id == sid))


@pytest.fixture
def worried(practitioner):
    practitioner.start()
    practitioner.page("about_child", {**ABOUT, "concern_summary": WORRY})
    return practitioner


@pytest.mark.hazard("H-01")
def test_signs_the_words_describe_are_suggested_with_the_words_and_none_is_ticked(worried):
    html = worried.client.get(f"/screenings/{worried.sid}/pages/signs").text
    suggested = re.findall(r'name="suggested" type="checkbox" value="(\w+)"( checked)?', html)
    assert {PHONES, MISSING, "gifts_unexplained"} <= {sign for sign, _ in suggested}
    assert all(not ticked for _, ticked in suggested)  # a suggestion is never an answer
    page = text_of(html)
    assert "From what you wrote, these may apply" in page
    assert "You wrote: \u201chas two phones\u201d" in page or "You wrote: \u201ctwo phones\u201d" in page
    assert not any(i.theme == "substances" for i in RS.indicators if i.id in {s for s, _ in suggested})


def test_no_sign_of_drugs_suggests_no_drug_sign():
    found = {s.indicator for s in suggest(RS, ["No sign of drugs or alcohol. She denies using cannabis."])}
    assert not found & {i.id for i in RS.indicators if i.theme == "substances"}


@pytest.mark.hazard("H-01")
def test_a_suggestion_left_unticked_stays_not_known_even_under_a_theme_answered_no(worried, app):
    response = worried.page("signs", {"suggested": [PHONES], "theme__missing": "no", "js": "1"})
    saved = answers(app, worried.sid)
    assert saved[PHONES] == "yes"
    assert MISSING not in saved and "gifts_unexplained" not in saved  # suggested, not ticked: not known
    assert saved["found_with_adults_after_missing"] == "no" and "returns_changed_after_missing" not in saved
    following = text_of(worried.client.get(response.location).text)
    assert "as not present: Missing and absence" in following and "stay \u2018not known\u2019" in following


@pytest.mark.parametrize("ticked", [{"signs__online": ["secretive_phone_internet"]},  # left behind a hidden reveal
                                    {"suggested": [PHONES], "theme__gifts_money": "no"}])  # a suggestion confirmed
def test_a_theme_answered_no_with_signs_of_it_ticked_is_a_question_not_a_guess(worried, app, ticked):
    response = worried.page("signs", {"theme__online": "no", **ticked}, expect=400)
    assert any("You answered no to" in e for e in errors_in(response.text))
    assert not {"secretive_phone_internet", PHONES} & set(answers(app, worried.sid))


def test_without_javascript_themes_answered_yes_are_asked_on_a_follow_up_page(worried, app):
    response = worried.page("signs", {"theme__online": "yes", "theme__substances": "no"})
    assert response.location.endswith(f"/screenings/{worried.sid}/pages/signs?open=online")
    follow_up = worried.client.get(response.location).text
    online = [i.id for i in RS.indicators if i.theme == "online"]
    assert all(f'value="{sign}"' in follow_up for sign in online)
    assert 'name="signs__missing"' not in follow_up and 'name="theme__online"' not in follow_up
    done = worried.post(response.location, {"signs__online": ["secretive_phone_internet"]})
    assert done.status_code == 302 and "open=" not in done.location
    saved = answers(app, worried.sid)
    assert saved["secretive_phone_internet"] == "yes"
    assert not any(sign in saved for sign in online if sign != "secretive_phone_internet")  # not known
    assert saved["drug_running"] == "no"  # the first page's "no" is kept


def test_with_javascript_the_page_itself_asked_and_no_follow_up_is_needed(worried):
    response = worried.page("signs", {"theme__online": "yes", "signs__online": ["secretive_phone_internet"],
                                      "js": "1"})
    assert "open=" not in response.location


def test_a_theme_opens_itself_when_a_sign_of_it_is_suggested(worried):
    html = worried.client.get(f"/screenings/{worried.sid}/pages/signs").text
    assert re.search(r'name="theme__gifts_money" type="radio" value="yes" checked', html)
    assert not re.search(r'name="theme__online" type="radio" value="\w+" checked', html)


def _as_form(pages: list[tuple[str, dict]], by_hand: bool) -> list[tuple[str, dict]]:
    """A case's pages as a practitioner posts them: ticking suggested signs where suggested (narrative), or with
    the worry in neutral words and every sign ticked in its opened theme (by hand)."""
    words = [a[k] for _, a in pages for k in ("concern_summary", "child_words") if k in a]
    suggested = set() if by_hand else {s.indicator for s in suggest(RS, words)}
    out = []
    for page_id, given in pages:
        form = dict(given)
        if by_hand and "concern_summary" in form:
            form["concern_summary"] = "See my notes."
        for name, value in given.items():
            if name.startswith("signs__") and isinstance(value, list) and page_id == "signs":
                form[name] = [v for v in value if v not in suggested]
                form.setdefault("suggested", []).extend(v for v in value if v in suggested)
                if form[name]:
                    form[f"theme__{name[7:]}"] = "yes"
        out.append((page_id, {**form, "js": "1"}))
    return out


def _record(app, pages: list[tuple[str, dict]]):
    practitioner = Practitioner(signed_in_client(app))
    for page_id, form in pages:
        if page_id == "start":
            practitioner.start(**form)
        elif page_id == "child":
            practitioner.post(f"/screenings/{practitioner.sid}/child/skip")
        elif page_id != "danger":
            practitioner.page(page_id, form)
    practitioner.finish()
    with app.extensions["db"].reading() as tx:
        return tx.get(Screening, practitioner.sid).outcome


@pytest.mark.parametrize("name", list(CASES))
def test_the_route_is_the_same_however_the_facts_are_entered(app, name):
    narrative, by_hand = (_record(app, _as_form(CASES[name], hand)) for hand in (False, True))
    assert (narrative["route"], narrative["risk_level"]) == (by_hand["route"], by_hand["risk_level"])
    assert sorted(f["rule"] for f in narrative["findings"]) == sorted(f["rule"] for f in by_hand["findings"])
