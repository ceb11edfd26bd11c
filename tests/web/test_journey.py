"""The practitioner's journey over HTTP: pages from the rule set, saving, checking, outcome, decision, export."""

from __future__ import annotations

import json
from datetime import date

import pytest

import screening
from screening.store import rulesets
from screening.web.forms import fields
from screening.web.forms.pages import journey_pages
from tests.web.conftest import Practitioner, errors_in, sign_in, signed_in_client, text_of

RS = screening.load_ruleset("rules/default")


def test_start_page_offers_a_screening_and_warns_about_immediate_danger(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Start a screening" in page.text
    assert "call 999 now" in page.text


def test_posting_without_csrf_token_is_refused(client):
    assert client.post("/screenings/new", data={"agency": "school"}).status_code == 400


def test_task_list_has_a_task_for_every_page_of_the_rule_set(practitioner):
    practitioner.start()
    html = practitioner.client.get(f"/screenings/{practitioner.sid}").text
    for page in journey_pages(RS):
        assert page.title.replace("'", "&#39;") in html


@pytest.mark.parametrize("page", journey_pages(RS), ids=lambda p: p.id)
def test_every_page_asks_every_question_and_every_sign(practitioner, page):
    practitioner.start(age="16")  # of an age every sign can apply at
    html = practitioner.client.get(f"/screenings/{practitioner.sid}/pages/{page.id}").text
    for question in page.questions:
        assert f'name="{question.id}"' in html
    for group in page.groups:
        for sign in group.signs:
            assert f'name="{group.field}" type="checkbox" value="{sign.id}"' in html
        for question in group.questions:
            if question.ask_if is None:
                assert f'name="{question.id}"' in html
        assert f'name="{group.opening_field if group.opens else group.checked_field}"' in html


@pytest.mark.parametrize("linked", [False, True], ids=["unlinked", "linked"])
def test_every_indicator_and_question_is_on_exactly_one_page(linked):
    """All but what only the child's record can say (the highest route before), linked to a record or not."""
    on_pages = [f.id for p in journey_pages(RS, linked) for f in p.facts]
    record_only = [q.id for q in RS.history_questions if q.history.of == "highest_route"]
    assert record_only == ["highest_route_12m"]
    expected = [f for f in RS.facts if f not in record_only]
    assert sorted(on_pages) == sorted([*expected, "agency", "referrer_is_lead", "referrer_contact"])


def test_missing_required_answer_shows_error_summary_linked_to_the_field(practitioner):
    practitioner.start()
    response = practitioner.page("about_child", {"child_reference": "X"}, expect=400)
    assert 'class="govuk-error-summary"' in response.text
    assert 'href="#concern_summary"' in response.text
    assert 'href="#current_social_care_status"' not in response.text  # left blank, it is not known: not an error
    assert "<title>Error:" in response.text


def test_the_first_page_needs_the_agency_and_the_age_and_creates_nothing_until_saved(client, app):
    practitioner = Practitioner(client)
    response = practitioner.post("/screenings/new", {})
    assert response.status_code == 400
    assert {"Select one of the options for: Which agency do you work for?"} <= set(errors_in(response.text))
    assert any("Enter the child" in e for e in errors_in(response.text))
    with app.extensions["db"].reading() as tx:
        assert tx.query(screening.store.Screening).count() == 0


ABOUT = {"concern_summary": "Worried", "current_social_care_status": "none", "previous_concerns_12m": "0"}
START = {"agency": "school", "age": "14"}


@pytest.mark.parametrize(("page", "data", "message"), [
    ("signs", {"missing_episodes_90d": "-2"}, "The number must be 0 or more"),
    ("signs", {"missing_episodes_90d": "lots"}, "Enter a whole number, like 3"),
    ("signs", {"missing_episodes_90d": "3", "missing_episodes_90d__nk": "y"}, "not both"),
    ("start", {**START, "age": "18"}, "this tool is for children under 18"),
    ("start", {"agency": "school", "age__dob_day": "1", "age__dob_month": "1", "age__dob_year": "2099"},
     "Date of birth must be in the past"),
    ("start", {"agency": "school", "age__dob_day": "31", "age__dob_month": "2", "age__dob_year": "2015"},
     "Date of birth must be a real date"),
    ("start", {"agency": "school", "age__dob_day": "1", "age__dob_month": "1", "age__dob_year": "1990"},
     "less than 18 years ago"),
    ("about_child", {**ABOUT, "current_social_care_status": "adopted"}, "Select one of the options"),
    ("start", {**START, "agency": "fire_brigade"}, "Select one of the options"),
    ("child_voice", {"seen_alone": "yes", "child_words": "x" * 10_001}, "characters or fewer"),
    ("signs", {"signs__online": ["made_up_sign"]}, "Select signs from the list"),
    ("signs", {"signs__online": ["online_contact_unknown_adults"]}, "Select when this happened"),
    ("about_child", {**ABOUT, "other_agencies_involved": ["police", "martians"]}, "Select one of the options"),
])
def test_bad_input_gets_a_message_next_to_the_field_and_nothing_is_saved(practitioner, page, data, message):
    practitioner.start()
    with practitioner.client.application.extensions["db"].reading() as tx:
        before = tx.get(screening.store.Screening, practitioner.sid).answers
    response = practitioner.page(page, data, expect=400)
    assert any(message in e for e in errors_in(response.text)), errors_in(response.text)
    with practitioner.client.application.extensions["db"].reading() as tx:
        saved = tx.get(screening.store.Screening, practitioner.sid)
    assert saved.answers == before and saved.pages_done == ["start"]


@pytest.mark.parametrize(("born", "age"), [(("22", "11", "2012"), 14), (("23", "11", "2012"), 13)])
def test_date_of_birth_becomes_an_age_in_whole_years(practitioner, monkeypatch, born, age):
    monkeypatch.setattr(fields, "today", lambda: date(2026, 11, 22))
    day, month, year = born
    practitioner.start(age="", age__dob_day=day, age__dob_month=month, age__dob_year=year)
    with practitioner.client.application.extensions["db"].reading() as tx:
        assert tx.get(screening.store.Screening, practitioner.sid).answers["age"] == age


def test_html_in_free_text_is_escaped_on_screen_and_stored_unchanged(practitioner, app):
    script = '<script>alert("x")</script> he said "don\'t tell"'
    practitioner.start()
    practitioner.required_pages(child_voice={"child_words": script})
    outcome = practitioner.finish()
    assert script not in outcome.text
    assert "&lt;script&gt;" in outcome.text
    with app.extensions["db"].reading() as tx:
        assert tx.get(screening.store.Screening, practitioner.sid).answers["child_words"] == script


def test_change_link_returns_to_check_your_answers(practitioner):
    practitioner.start()
    practitioner.required_pages()
    check = practitioner.client.get(f"/screenings/{practitioner.sid}/check").text
    assert f"/screenings/{practitioner.sid}/pages/start?return=check#age" in check
    response = practitioner.page("start", {**START, "age": "12"}, **{"return": "check"})
    assert response.location.endswith(f"/screenings/{practitioner.sid}/check")


def test_conditional_question_is_skipped_when_it_does_not_apply(practitioner, app):
    practitioner.start()
    practitioner.page("about_child", ABOUT)  # concern_agencies_12m does not apply when there were none
    practitioner.page("signs", {"missing_episodes_90d": "0", "missing_overnight_90d": "4"})  # overnight dropped
    with app.extensions["db"].reading() as tx:
        answers = tx.get(screening.store.Screening, practitioner.sid).answers
    assert "missing_overnight_90d" not in answers and "concern_agencies_12m" not in answers
    check = practitioner.client.get(f"/screenings/{practitioner.sid}/check").text
    assert "How many different agencies raised those earlier concerns" not in check


def test_cannot_get_a_recommendation_until_required_sections_are_done(practitioner):
    practitioner.start()
    response = practitioner.post(f"/screenings/{practitioner.sid}/check")
    assert response.status_code == 400
    assert "Answer &#39;What are you worried about? Say it in your own words&#39;" in response.text
    assert f"/screenings/{practitioner.sid}/pages/about_child?return=check#concern_summary" in response.text


def test_section_47_journey_shows_the_full_outcome(practitioner):
    practitioner.start()
    practitioner.required_pages(child_voice={"child_words": "He said I owe him", "seen_alone": "yes"},
                                signs={"missing_episodes_90d": "0", "signs__disclosures": ["disclosure_sexual_abuse"],
                                       "disclosure_sexual_abuse__when": "recent"})
    page = text_of(practitioner.finish().text)
    assert "Child protection: section 47 referral and strategy discussion" in page
    assert "Yes. This is a child protection referral." in page
    assert "Strategy meeting Yes, within 24 hours." in page
    assert "He said I owe him" in page
    assert "disclosure_even_if_withdrawn" not in page and "section_47" not in page  # no ids a practitioner reads
    assert "Owner" in page and "Due date" in page  # the record template's action columns
    assert "If you disagree with the response you get" in page
    assert "default-cse version 1.0.0" in page


def test_universal_journey_says_it_is_not_a_child_protection_referral(practitioner):
    practitioner.start()
    signs = next(p for p in journey_pages(RS) if p.id == "signs")
    practitioner.page("start", {**START, "signs__immediate_danger__checked": "y"})
    practitioner.required_pages(signs={"missing_episodes_90d": "0", "ae_attendances_12m": "0",
                                       "sexual_health_attendances_12m": "0",
                                       **{g.opening_field: "no" for g in signs.groups}})
    page = text_of(practitioner.finish().text)
    assert "No. This is not a child protection referral" in page
    assert "Universal: no CSE concern beyond the ordinary" in page


def test_with_most_signs_not_known_the_outcome_says_it_cannot_recommend_yet(practitioner):
    practitioner.start()
    practitioner.required_pages()
    page = text_of(practitioner.finish().text)
    assert "Not enough is known to recommend a route yet" in page
    assert "Universal: no CSE concern" not in page
    assert "app-outcome-panel--low" not in practitioner.client.get(f"/screenings/{practitioner.sid}/outcome").text


@pytest.mark.hazard("H-05")
def test_completed_screening_cannot_be_edited(practitioner):
    practitioner.start()
    practitioner.required_pages()
    practitioner.finish()
    response = practitioner.page("about_child", ABOUT)
    assert response.location.endswith("/outcome")


@pytest.mark.hazard("H-06")
def test_raising_needs_a_reason_and_lowering_needs_a_reason_and_a_lead(practitioner, app):
    practitioner.start()
    practitioner.required_pages(signs={"missing_episodes_90d": "0", "signs__disclosures": ["disclosure_sexual_abuse"],
                                       "disclosure_sexual_abuse__when": "recent"})
    practitioner.finish()
    url = f"/screenings/{practitioner.sid}/decision"
    missing = practitioner.post(url, {"decision": "lower", "lower_route": "child_in_need"})
    assert missing.status_code == 400
    assert {"Enter why you are lowering the route below the recommendation",
            "Enter the name of the safeguarding lead you consulted"} <= set(errors_in(missing.text))
    too_low = practitioner.post(url, {"decision": "raise", "raise_route": "child_in_need", "raise_reason": "x"})
    assert "Select the route you have decided on" in errors_in(too_low.text)
    lowering = {"decision": "lower", "lower_route": "child_in_need",
                "lower_reason": "Strategy discussion already held today", "lower_lead": "A. Lead"}
    unconfirmed = practitioner.post(url, lowering)  # below a minimum set by a rule: confirm, naming it
    assert unconfirmed.status_code == 400
    assert any(e.startswith("Confirm that you are going below the minimum set by:")
               for e in errors_in(unconfirmed.text))
    ok = practitioner.post(url, {**lowering, "confirm_below_minimum": "yes"})
    assert ok.status_code == 302
    with app.extensions["db"].reading() as tx:
        saved = tx.get(screening.store.Screening, practitioner.sid)
        history = screening.store.screenings.decisions_of(tx, practitioner.sid)
    assert (saved.recommended_route, saved.decided_route, saved.decision) == ("section_47", "child_in_need", "lower")
    assert saved.lead_consulted == "A. Lead" and saved.outcome["route"] == "section_47"
    assert [d.route for d in history] == ["child_in_need"] and history[0].below_minimum
    page = text_of(practitioner.client.get(f"/screenings/{practitioner.sid}/outcome").text)
    assert "Your decision: lowered from the recommended route" in page


def test_json_export_and_referral_summary(practitioner):
    practitioner.start()
    practitioner.required_pages(child_voice={"child_words": "I'm scared of him", "seen_alone": "yes"})
    practitioner.finish()
    exported = practitioner.client.get(f"/screenings/{practitioner.sid}/outcome.json")
    data = json.loads(exported.text)
    assert data["outcome"]["ruleset"] == {"id": "default-cse", "version": "1.0.0", "hash": RS.hash}
    assert data["answers"]["child_words"] == "I'm scared of him"
    summary = practitioner.client.get(f"/screenings/{practitioner.sid}/referral.txt")
    assert summary.mimetype == "text/plain"
    assert summary.text.startswith("Referral: ") and "I'm scared of him" in summary.text


def test_save_and_resume_and_my_screenings(practitioner, client):
    practitioner.start(agency="gp")
    listing = client.get("/screenings").text
    assert f'href="/screenings/{practitioner.sid}"' in listing and "Draft: not finished" in listing
    resumed = client.get(f"/screenings/{practitioner.sid}/pages/start").text
    assert 'value="gp" checked' in resumed


def test_another_practitioner_cannot_see_my_screening_but_a_lead_can(practitioner, app, anonymous):
    practitioner.start()
    with app.extensions["db"].transaction() as tx:
        from screening.store import users
        users.add_user(tx, "other", "Other", "practitioner", "gp", "another long password")
    other = app.test_client()
    sign_in(other, "other", "another long password")
    assert other.get(f"/screenings/{practitioner.sid}").status_code == 404
    assert practitioner.sid not in other.get("/screenings").text
    assert anonymous.get(f"/screenings/{practitioner.sid}").location.startswith("/sign-in")
    lead = signed_in_client(app, "demo-lead")
    assert lead.get(f"/screenings/{practitioner.sid}").status_code == 200
    assert practitioner.sid in lead.get("/screenings").text


@pytest.mark.hazard("H-03")
def test_two_app_instances_on_one_database_switch_rule_sets_together(app, tmp_path):
    from screening.web import create_app
    second = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True})
    texts = {name.rsplit("/", 1)[-1]: text.replace('version: "1.0.0"', 'version: "2.0.0"') for name, text in RS.sources}
    clients = [signed_in_client(app), signed_in_client(second)]
    with app.extensions["db"].transaction() as tx:
        rulesets.activate(tx, rulesets.add_version(tx, rulesets.parse(texts), "lead", "tuning").id, "lead", "tuning")
    for client in clients:  # the very next request of each instance uses 2.0.0, no restart
        practitioner = Practitioner(client)
        practitioner.start()
        practitioner.required_pages()
        assert "default-cse version 2.0.0" in text_of(practitioner.finish().text)


def test_security_headers(client):
    response = client.get("/")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_screening_and_page_are_404(practitioner, client):
    """Signed in: a screening that does not exist is simply not found."""
    assert client.get("/screenings/nope").status_code == 404
    practitioner.start()
    assert client.get(f"/screenings/{practitioner.sid}/pages/nope").status_code == 404
    assert "Page not found" in client.get("/screenings/nope").text


BLAMING = "She has been sexually active since she was 12 and keeps putting herself at risk."


def test_victim_blaming_wording_is_warned_once_and_the_choice_to_keep_it_is_stored(practitioner, app):
    practitioner.start()
    history = {"missing_episodes_90d": "0", "history_notes": BLAMING}
    first = practitioner.page("signs", history)
    assert first.location.endswith("/pages/signs?review=language")  # saved, then shown again with the warning
    warned = practitioner.client.get(first.location).text
    assert "Check the wording in" in warned and "sexually active" in warned and 'name="history_notes__keep"' in warned
    assert warned.index("Saved: check your wording") < warned.index("<h1")  # at the top, before the questions
    again = practitioner.page("signs", history)  # same words, no decision: never stopped twice
    assert again.location.endswith("/pages/child_voice")
    kept = practitioner.page("signs", {**history, "history_notes__keep": "y"})
    assert kept.location.endswith("/pages/child_voice")
    with app.extensions["db"].reading() as tx:
        saved = tx.get(screening.store.Screening, practitioner.sid)
    assert saved.answers["history_notes"] == BLAMING  # kept exactly as written
    assert saved.language_choices["history_notes"]["choice"] == "kept"
    assert {"sexually_active", "putting_self_at_risk"} <= set(saved.language_choices["history_notes"]["entries"])
    check = text_of(practitioner.client.get(f"/screenings/{practitioner.sid}/check").text)
    assert "(you chose to keep it as written)" in check


def test_rephrasing_clears_the_warning_and_records_it(practitioner, app):
    practitioner.start()
    history = {"missing_episodes_90d": "0", "history_notes": BLAMING}
    practitioner.page("signs", history)
    practitioner.page("signs", {**history, "history_notes": "She has been sexually abused since she was 12."})
    with app.extensions["db"].reading() as tx:
        saved = tx.get(screening.store.Screening, practitioner.sid)
    assert saved.language_choices["history_notes"]["choice"] == "rephrased"
    assert "Wording to check" not in practitioner.client.get(f"/screenings/{practitioner.sid}/check").text


def test_neutral_text_gets_no_warning(practitioner):
    practitioner.start()
    response = practitioner.page("signs", {"missing_episodes_90d": "0",
                                           "history_notes": "Adults have been contacting her online."})
    assert response.location.endswith("/pages/child_voice")


def test_rules_explorer_shows_the_active_rules_in_plain_words(app, client):
    page = text_of(client.get("/rules/").text)
    assert "The rules in use" in page and "Rules in plain English" in page
    assert "Versions" not in page  # the simpler view for practitioners
    lead = signed_in_client(app, "demo-lead")
    full = text_of(lead.get("/rules/").text)
    assert "Versions" in full and "Active" in full and "Language list" in full
    yaml_file = lead.get("/rules/files/rules.yaml")
    assert yaml_file.status_code == 200 and "rules:" in yaml_file.text
    assert lead.get("/rules/files/nope.yaml").status_code == 404
