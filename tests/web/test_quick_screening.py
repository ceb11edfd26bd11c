"""A screening in minutes, over HTTP: danger first, signs ticked by theme, the route so far, the decision that
counts everywhere (never overwritten), and the referral as HTML, PDF and text."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import text

import screening
from screening.store import AuditEvent, Screening
from screening.store.screenings import decisions_of
from tests.web.conftest import Practitioner, errors_in
from tests.web.conftest import text_of as markup_text

RS = screening.load_ruleset("rules/default")
IDS = {*RS.facts, *(r.id for r in RS.rules), *(r.id for r in RS.routes), *RS.actions}
S47_SIGNS = {"missing_episodes_90d": "3", "signs__associates": ["older_associate_controlling"],
             "older_associate_controlling__when": "recent",
             "signs__education": ["collected_from_school_by_adults"], "collected_from_school_by_adults__when": "recent"}


def text_of(html: str) -> str:
    """The words of a page as a reader sees them (entities decoded)."""
    import html as entities
    return entities.unescape(markup_text(html))


def saved(app, sid: str) -> Screening:
    with app.extensions["db"].reading() as tx:
        return tx.get(Screening, sid)


def ids_shown(html: str) -> set[str]:
    """Rule, route, action and question ids in the words of a page (not in its markup)."""
    return {w for w in re.findall(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", text_of(html)) if w in IDS}


def test_opening_the_first_page_creates_nothing(client, app):
    page = client.get("/screenings/new").text
    assert page.index("Is the child in immediate danger right now?") < page.index("Which agency do you work for?")
    with app.extensions["db"].reading() as tx:
        assert tx.query(Screening).count() == 0


def test_danger_ticked_first_interrupts_with_who_to_call_and_needs_nothing_else(practitioner, app):
    response = practitioner.post("/screenings/new", {"signs__immediate_danger": ["with_abuser_now"]})
    assert response.status_code == 302 and response.location.endswith("/danger")
    sid = response.location.split("/")[2]
    assert saved(app, sid).answers == {"with_abuser_now": "yes"}
    page = text_of(practitioner.client.get(response.location).text)
    assert "Call 999 now" in page and "Police, when a child is in immediate danger: 999" in page
    assert any(c.placeholder for c in RS.contacts)  # the default rule set's MASH and out-of-hours numbers
    for contact in RS.contacts:  # every service named; a placeholder number never shown, what to do instead
        assert contact.name in page
        assert (contact.phone not in page and f"{contact.name}: number not set up yet" in page
                if contact.placeholder else contact.phone in page)
    assert not re.search(r"\[[^\]]*\]", page)  # no "[MASH phone number]", nor anything else in brackets
    route_so_far = text_of(practitioner.client.get(f"/screenings/{sid}/provisional").text)
    assert "So far: Immediate protection" in route_so_far


def test_danger_with_a_badly_written_answer_still_says_call_999_on_the_next_load(practitioner):
    response = practitioner.post("/screenings/new", {"signs__immediate_danger": ["with_abuser_now"], "age": "lots"})
    assert response.status_code == 400
    assert "Call 999 now" in text_of(response.text)


def test_unticked_signs_stay_not_known_and_checked_says_what_it_set(practitioner, app):
    practitioner.start()
    response = practitioner.page("signs", {"signs__missing": ["late_or_overnight_unexplained"],
                                           "late_or_overnight_unexplained__when": "earlier",
                                           "theme__online": "no", "missing_episodes_90d": "1"})
    answers = saved(app, practitioner.sid).answers
    online = [i.id for i in RS.indicators if i.theme == "online"]
    missing = [i.id for i in RS.indicators if i.theme == "missing"]
    assert answers["late_or_overnight_unexplained"] == {"answer": "yes", "when": "earlier"}
    assert all(answers[i] == "no" for i in online)  # the theme answered no: recorded as not present
    assert not any(i in answers for i in missing if i != "late_or_overnight_unexplained")  # still not known
    following = text_of(practitioner.client.get(response.location).text)
    assert f"You recorded {len(online)} signs as not present: Online abuse and technology ({len(online)})" \
        in following
    again = practitioner.client.get(f"/screenings/{practitioner.sid}/pages/signs").text
    assert re.search(r'name="theme__online" type="radio" value="no" checked', again)
    assert re.search(r'name="theme__missing" type="radio" value="yes" checked', again)  # a sign ticked: yes
    assert 'value="late_or_overnight_unexplained" checked' in again


def test_the_route_so_far_needs_the_agency_and_age_and_is_never_stored(practitioner, app):
    response = practitioner.post("/screenings/new", {"next": "provisional"})
    sid = response.location.split("/")[2]
    assert response.location.endswith("/provisional")  # nothing is required to ask for it
    needs = text_of(practitioner.client.get(response.location).text)
    assert "Two answers are needed before a route" in needs and "Which agency you work for" in needs
    practitioner.sid = sid
    practitioner.page("start", {"agency": "school", "age": "12"})
    practitioner.page("signs", S47_SIGNS)
    page = text_of(practitioner.client.get(f"/screenings/{sid}/provisional").text)
    assert "Provisional: on what you have recorded so far" in page
    assert "So far: Child protection: section 47" in page
    assert "Answering more can only keep this route or raise it." in page
    assert "The child's own words" in page  # an unanswered section, linked
    assert saved(app, sid).status == "draft" and saved(app, sid).outcome is None


def test_the_route_so_far_separates_what_is_settled_from_the_safe_side(practitioner):
    practitioner.start(age="", age__nk="y")
    page = text_of(practitioner.client.get(f"/screenings/{practitioner.sid}/provisional").text)
    assert "Your answers so far settle Universal" in page  # age not known: the under-13 rule takes the safe side
    assert "The rules recommend more while these are not known" in page


def test_a_referrer_who_is_the_safeguarding_lead_is_not_told_to_consult_one(practitioner, app):
    practitioner.start(referrer_is_lead="yes")
    practitioner.required_pages()
    practitioner.finish()
    assert "consult_safeguarding_lead" not in [a["id"] for a in saved(app, practitioner.sid).outcome["actions"]]
    other = Practitioner(practitioner.client)
    other.start(referrer_is_lead="no")
    other.required_pages()
    other.finish()
    assert "consult_safeguarding_lead" in [a["id"] for a in saved(app, other.sid).outcome["actions"]]


def test_none_is_an_answer_for_other_agencies_and_cannot_be_mixed(practitioner, app):
    practitioner.start()
    about = {"concern_summary": "x", "current_social_care_status": "none", "previous_concerns_12m": "0"}
    mixed = practitioner.page("about_child", {**about, "other_agencies_involved": ["none", "police"]}, expect=400)
    assert "Select the options that apply, or 'None', not both" in text_of(mixed.text)
    practitioner.page("about_child", {**about, "other_agencies_involved": ["none"]})
    assert saved(app, practitioner.sid).answers["other_agencies_involved"] == ["none"]


def s47(practitioner) -> str:
    practitioner.start()
    practitioner.required_pages(signs=S47_SIGNS, child_voice={"seen_alone": "yes", "child_words": "He scares me"})
    practitioner.finish()
    return practitioner.sid


LOWER = {"decision": "lower", "lower_route": "child_in_need", "lower_reason": "Strategy discussion already held",
         "lower_lead": "A. Lead", "confirm_below_minimum": "yes"}


def test_a_lowered_route_is_the_one_the_outcome_and_every_document_lead_with(practitioner, app):
    sid = s47(practitioner)
    assert practitioner.post(f"/screenings/{sid}/decision", LOWER).status_code == 302
    page = text_of(practitioner.client.get(f"/screenings/{sid}/outcome").text)
    summary = page.split("The detail")[0]
    assert "Child in need: referral to children's social care for assessment" in summary
    assert "Yes. This is a child protection referral" not in page
    assert "Your decision: lowered from the recommended route, Child protection: section 47" in summary
    assert "Not planned. The rules asked for one within 24 hours" in summary
    child_in_need = RS.route_by_id["child_in_need"]
    assert child_in_need.referrer_expects.split(".")[0] in page
    referral = practitioner.client.get(f"/screenings/{sid}/referral.txt").text
    assert referral.startswith("Referral: Child in need") and "Strategy discussion already held" in referral
    assert "Recommended by the rules: Child protection: section 47" in referral
    exported = json.loads(practitioner.client.get(f"/screenings/{sid}/outcome.json").text)
    assert exported["route_that_counts"]["route"] == "child_in_need"
    assert exported["outcome"]["route"] == "section_47"  # the recommendation itself never changes


def test_a_raised_route_brings_its_own_next_steps_and_meeting(practitioner, app):
    practitioner.start()
    practitioner.required_pages()
    practitioner.finish()
    sid = practitioner.sid
    before = text_of(practitioner.client.get(f"/screenings/{sid}/outcome").text)
    assert "No. This is not a child protection referral" in before
    practitioner.post(f"/screenings/{sid}/decision", {"decision": "raise", "raise_route": "section_47",
                                                      "raise_reason": "She told me he hurt her"})
    page = text_of(practitioner.client.get(f"/screenings/{sid}/outcome").text)
    summary = page.split("The detail")[0]
    assert "Yes. This is a child protection referral." in summary and "Yes, within 24 hours." in summary
    assert "nobody will contact you" not in page
    phone = RS.actions["phone_mash_child_protection"].what
    assert phone[:40] in page


@pytest.mark.hazard("H-05")
def test_a_decision_is_never_overwritten_and_the_history_is_shown(practitioner, app):
    sid = s47(practitioner)
    practitioner.post(f"/screenings/{sid}/decision", {"decision": "agree"})
    practitioner.post(f"/screenings/{sid}/decision", LOWER)
    with app.extensions["db"].reading() as tx:
        history = decisions_of(tx, sid)
        actions = [e.action for e in tx.query(AuditEvent).filter_by(record_id=sid).order_by(AuditEvent.id)]
    assert [(d.number, d.decision, d.route) for d in history] == [(1, "agree", "section_47"),
                                                                 (2, "lower", "child_in_need")]
    assert "route_agreed" in actions and actions.index("route_agreed") < actions.index("decision_changed")
    assert saved(app, sid).decided_route == "child_in_need"
    page = practitioner.client.get(f"/screenings/{sid}/outcome").text
    assert page.count('<tr class="govuk-table__row">', page.index('id="decision-history"')) >= 3
    exported = json.loads(practitioner.client.get(f"/screenings/{sid}/outcome.json").text)
    assert [d["decision"] for d in exported["decisions"]] == ["agree", "lower"]
    with app.extensions["db"].engine.connect() as connection, pytest.raises(Exception, match="never changed"):
        connection.execute(text("UPDATE decisions SET route = 'universal'"))


def test_a_reason_with_blaming_words_is_checked_before_the_decision_is_recorded(practitioner, app):
    sid = s47(practitioner)
    blaming = {**LOWER, "lower_reason": "She is sexually active and chooses to go with him"}
    warned = practitioner.post(f"/screenings/{sid}/decision", blaming)
    assert warned.status_code == 200 and "Check the wording of your reason" in warned.text
    assert "sexually active" in text_of(warned.text) and 'name="reason__keep"' in warned.text
    with app.extensions["db"].reading() as tx:
        assert decisions_of(tx, sid) == []
    kept = practitioner.post(f"/screenings/{sid}/decision", {**blaming, "reason__keep": "y"})
    assert kept.status_code == 302
    with app.extensions["db"].reading() as tx:
        assert [d.reason for d in decisions_of(tx, sid)] == [blaming["lower_reason"]]


def test_the_referral_reads_as_a_referral(practitioner, app):
    practitioner.start(referrer_contact="DSL, 01632 960 001")
    practitioner.required_pages(signs=S47_SIGNS, about_child={
        "child_reference": "UPN A123", "concern_summary": "A 19-year-old collects her from school by car",
        "current_social_care_status": "none", "previous_concerns_12m": "0"},
        child_voice={"seen_alone": "yes", "child_words": "I'm scared of him"})
    practitioner.finish()
    html = practitioner.client.get(f"/screenings/{practitioner.sid}/referral").text
    words = text_of(html)
    order = ["Referral: Child protection", "This IS a child protection referral.", "UPN A123", "Who is referring",
             "Demo practitioner", "DSL, 01632 960 001", "What I am worried about",
             "A 19-year-old collects her from school by car", "The child's words and view", "I'm scared of him",
             "Signs present", "History", "Missing episodes, last 90 days", "What is not known", "Route and decision",
             "What I am asking for, and by when"]
    positions = [words.index(w) for w in order]
    assert positions == sorted(positions)
    assert ids_shown(html) == set()
    assert practitioner.sid not in words
    pdf = practitioner.client.get(f"/screenings/{practitioner.sid}/referral.pdf")
    assert pdf.mimetype == "application/pdf"
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) <= 2
    assert "I'm scared of him" in " ".join(p.extract_text() for p in reader.pages)


def test_the_outcome_page_shows_no_ids(practitioner):
    sid = s47(practitioner)
    assert ids_shown(practitioner.client.get(f"/screenings/{sid}/outcome").text) == set()


def test_a_draft_can_be_deleted_by_its_owner_and_a_completed_one_cannot(practitioner, app):
    practitioner.start()
    sid = practitioner.sid
    assert "Delete this draft screening?" in practitioner.client.get(f"/screenings/{sid}/delete").text
    response = practitioner.post(f"/screenings/{sid}/delete")
    assert response.status_code == 302 and saved(app, sid) is None
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(record_id=sid, action="screening_deleted").count() == 1
    done = s47(Practitioner(practitioner.client))
    assert practitioner.post(f"/screenings/{done}/delete").status_code == 404
    assert saved(app, done) is not None


def test_save_and_continue_goes_to_the_next_section(practitioner):
    practitioner.start()
    response = practitioner.page("about_child", {"concern_summary": "x", "current_social_care_status": "none",
                                                 "previous_concerns_12m": "0"})
    assert response.location.endswith(f"/screenings/{practitioner.sid}/pages/signs")
    last = practitioner.page("family", {"other_children_household": "0"})
    assert last.location.endswith(f"/screenings/{practitioner.sid}/check")


def test_the_task_list_marks_the_required_sections(practitioner):
    practitioner.start()
    page = text_of(practitioner.client.get(f"/screenings/{practitioner.sid}").text)
    assert "1. Start here: danger and the essentials" in page and "2. What you know" in page
    assert "About the child and your worry Required" in page  # the worry, in the practitioner's words
    assert "What you have seen or been told Not started" in page  # nothing there that can be not known is required
    assert "Parents, carers and other children Not started" in page
    assert errors_in(page) == []


def test_the_first_page_offers_the_agency_on_the_practitioners_account(client, app):
    from screening.store import users
    with app.extensions["db"].reading() as tx:
        agency = users.find(tx, "demo-practitioner").agency
    assert agency in RS.agency_by_id
    assert f'value="{agency}" checked' in client.get("/screenings/new").text


def test_a_red_level_below_child_protection_says_why_it_is_not_a_referral_yet(practitioner):
    practitioner.start()
    practitioner.required_pages(signs={"missing_episodes_90d": "0", "signs__peers_places": ["hotspots"],
                                       "hotspots__when": "recent"})
    summary = text_of(practitioner.finish().text).split("The detail")[0]
    assert "No. This is not a child protection referral" in summary
    assert "Red signs are recorded, so children's social care must assess" in summary
