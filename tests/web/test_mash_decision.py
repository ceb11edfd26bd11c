"""The MASH's view of a referral, over HTTP: from its list to a recorded decision in two page loads, asked only the
MASH's own facts; the options are the rule set's social-care decisions (or, without them, the ladder's routes); a
decision below the route that counts is flagged; decisions recorded before keep reading as they did; and the
outcome page speaks to the receiver, not the referrer."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from flask import request, request_started
from sqlalchemy import select

import screening
from screening.model import SocialCareDecision
from screening.store import rulesets, summaries
from screening.store.dashboard import Period, threshold
from screening.store.models import ReferralResponse
from screening.web.followup import decision_options
from tests.conftest import DEFAULT
from tests.web.conftest import Practitioner, active, errors_in, signed_in_client
from tests.web.test_after_referral import RECEIVED_CHRISTMAS_EVE_2025, referred, text_of


def _without_decisions(name: str, text: str) -> str:
    """The default rule set's files with the social care decisions taken out (and their Welsh: a Welsh text of an
    item the English no longer has is an error)."""
    if name.endswith("ruleset.yaml"):
        return text[:text.index("\n# What children's social care may decide")] + "\n"
    if name.endswith("cy.yaml"):
        start = text.index("\n  social_care_decisions:\n")
        after = re.search(r"\n  \S", text[start + 1:])
        return text[:start] + (text[start + 1 + after.start():] if after else "\n")
    return text


WITHOUT_DECISIONS = {name: _without_decisions(name, text) for name, text in rulesets.texts_of(DEFAULT).items()}


def requests_made(app) -> list[tuple[str, str]]:
    """Every request the app answers from now on, as (method, path)."""
    made: list[tuple[str, str]] = []

    def note(sender, **extra):
        made.append((request.method, request.path))
    request_started.connect(note, app, weak=False)
    return made


def radios(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]*)"', page)


def test_the_mash_records_a_decision_from_its_list_in_two_page_loads_without_sending_details(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    listed = mash.client.get("/screenings").text
    (href,) = re.findall(rf'href="(/screenings/{who.sid}/response\?next=[^"]+)"', listed)
    href = html.unescape(href)
    made = requests_made(app)

    form = mash.client.get(href)  # page load 1: the decision form, straight from the list
    page = text_of(form.text)
    assert form.status_code == 200 and "Record what children's social care decided" in page
    for sending in ('name="sent_how"', 'name="sent_to"', 'name="sent_day"', 'name="acknowledged_day"'):
        assert sending not in form.text  # the referrer's facts are not the MASH's to give
    assert 'name="decided_by" type="text" value="Demo mash"' in form.text  # the signed-in user, changeable
    saved = mash.post(href, {**RECEIVED_CHRISTMAS_EVE_2025, "decided_by": "Sam Lee, MASH team manager",
                             "decision": "section_47_strategy"}, follow_redirects=True)  # page load 2
    assert saved.status_code == 200, errors_in(saved.text)
    assert made == [("GET", f"/screenings/{who.sid}/response"), ("POST", f"/screenings/{who.sid}/response"),
                    ("GET", "/screenings")]  # the POST's redirect back to the list is part of the second load
    back = text_of(saved.text)
    assert "Decision recorded for REF-1: Strategy discussion under section 47." in back  # the confirmation banner
    assert "Strategy discussion under section 47 Change for REF-1" in back  # the row now says what was decided
    with app.extensions["db"].reading() as tx:
        kept = tx.get(ReferralResponse, who.sid)
    assert (kept.sent_at, kept.sent_how, kept.sent_to) == (None, "", "")
    assert f"{kept.received_at:%Y-%m-%d %H:%M}" == "2025-12-24 15:45"
    assert (kept.decision, kept.decision_label, kept.decision_route, kept.decided_by, kept.decision_reasons) == (
        "section_47_strategy", "Strategy discussion under section 47", "section_47", "Sam Lee, MASH team manager",
        "Threshold met on what the school shared")
    assert kept.due_at is not None  # counted from receipt, since nobody recorded when it was sent
    outcome = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)  # the referrer reads it
    assert "Strategy discussion under section 47, by Sam Lee, MASH team manager" in outcome
    assert "Reasons: Threshold met on what the school shared" in outcome


def test_the_mash_is_asked_only_its_own_facts_and_told_what_is_missing(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    empty = mash.post(f"/screenings/{who.sid}/response", {"decided_by": ""})
    assert empty.status_code == 400
    assert errors_in(html.unescape(empty.text)) == [
        "Enter the date the referral was received", "Enter who decided", "Select what children's social care decided",
        "Enter the reasons for the decision"]
    with app.extensions["db"].reading() as tx:
        assert tx.get(ReferralResponse, who.sid) is None


def test_the_options_are_the_rule_sets_social_care_decisions(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    form = mash.client.get(f"/screenings/{who.sid}/response").text
    offered = active(app).social_care_decisions
    assert radios(form, "decision") == [d.id for d in offered] == [
        "no_further_action", "early_help", "section_17_assessment", "section_47_strategy", "police_protection",
        "already_open"]
    assert all(d.label in html.unescape(form) for d in offered)
    referrer = who.client.get(f"/screenings/{who.sid}/response").text  # the referrer, when told, chooses the same
    assert radios(referrer, "decision") == [d.id for d in offered]
    assert 'name="sent_how"' in referrer


def test_a_decision_below_the_route_that_counts_is_flagged_and_already_open_is_not(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/response"
    for decision, flagged in (("no_further_action", True), ("early_help", True), ("already_open", False),
                              ("section_47_strategy", False), ("police_protection", False)):
        assert mash.post(url, {**RECEIVED_CHRISTMAS_EVE_2025, "decision": decision}).status_code == 302
        page = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
        assert ("is below the route decided" in page) is flagged, decision


def test_a_rule_set_without_social_care_decisions_offers_the_ladder_and_still_flags(app):
    with app.extensions["db"].transaction() as tx:
        version = rulesets.add_version(tx, rulesets.parse(WITHOUT_DECISIONS), "lead", "no decisions list")
        rulesets.activate(tx, version.id, "lead", "no decisions list")
    assert active(app).social_care_decisions == ()
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/response"
    assert radios(mash.client.get(url).text, "decision") == [
        "no_further_action", "universal", "early_help", "child_in_need", "section_47", "immediate_protection",
        "already_open"]
    assert mash.post(url, {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "child_in_need"}).status_code == 302
    page = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
    assert "The decision (Child in need: referral to children's social care for assessment) is below" in page
    with app.extensions["db"].reading() as tx:
        kept = tx.get(ReferralResponse, who.sid)
    assert (kept.decision_route, kept.decision_label) == (
        "child_in_need", "Child in need: referral to children's social care for assessment")


def test_the_tiny_rule_set_has_none_and_its_ladder_is_offered(tiny):
    assert tiny.social_care_decisions == ()
    shown = screening.evaluate(tiny, {"age": 14})
    assert decision_options(tiny, shown) == (
        SocialCareDecision("no_further_action", "No further action", "no_further_action"),
        *(SocialCareDecision(r.id, r.label, r.id) for r in tiny.routes),
        SocialCareDecision("already_open", "Already open to children's social care"))


def test_a_decision_recorded_before_the_list_existed_reads_as_it_did(app):
    who = referred(app, nhs="943 476 5919")
    with app.extensions["db"].transaction() as tx:  # as a response was stored before labels and routes were kept
        tx.add(ReferralResponse(screening_id=who.sid, decision="child_in_need", decided_by="Duty manager",
                                sent_how="phone", sent_to="MASH", updated_by="demo-mash"))
    page = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
    assert "Child in need: referral to children's social care for assessment, by Duty manager" in page
    assert "The decision (Child in need: referral to children's social care for assessment) is below" in page
    lead = signed_in_client(app, "demo-lead")
    found = Practitioner(lead).post("/children", {"nhs": "9434765919"})
    chronology = text_of(lead.get(found.location).text)
    assert "Decided: Child in need: referral to children's social care for assessment" in chronology
    with app.extensions["db"].reading() as tx:
        assert tx.scalar(select(ReferralResponse.decision_label)) == ""  # nothing rewritten


def test_the_outcome_page_speaks_to_the_mash_as_the_receiver(app):
    who = referred(app)
    who.post(f"/screenings/{who.sid}/decision", {"decision": "agree"})
    own = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
    assert "You agreed with the recommended route" in own and "Referral received from" not in own
    mash = signed_in_client(app, "demo-mash")
    shown = mash.get(f"/screenings/{who.sid}/outcome").text
    page = text_of(shown)
    assert "Referral received from School or college" in page and "Screened by Demo practitioner on " in page
    assert "The referrer agreed with the recommended route" in page
    assert "Record what children's social care decided" in page
    assert "The referral asks for A child protection response" in page
    assert "The referrer's professional judgement" in page
    for theirs in ("You agreed", "Say so in these words when you phone", "Record your decision", "Referral to send",
                   "Your professional judgement", "Do now", "Challenge the response"):
        assert theirs not in page, theirs
    assert f'action="/screenings/{who.sid}/decision"' not in shown  # no practitioner-only controls
    assert f'href="/screenings/{who.sid}/response"' in shown


def test_a_lead_who_did_not_write_it_reads_it_as_received_but_records_no_decision(app):
    who = referred(app)
    lead = signed_in_client(app, "demo-lead")
    shown = lead.get(f"/screenings/{who.sid}/outcome").text
    page = text_of(shown)
    assert "Referral received from School" in page and "What children's social care decided" in page
    assert "Record what children's social care decided" not in page and "Record your decision" not in page
    assert f'action="/screenings/{who.sid}/decision"' not in shown
    with app.extensions["db"].reading() as tx:
        assert list(tx.scalars(select(ReferralResponse))) == []


def test_the_dashboard_counts_a_decision_below_child_protection_by_its_route_old_or_new(app):
    ranks = {r.id: r.rank for r in active(app).routes}
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    for decision in ("early_help", "already_open", "section_47_strategy"):  # lower; not compared; at the route
        who = referred(app)
        assert mash.post(f"/screenings/{who.sid}/response",
                         {**RECEIVED_CHRISTMAS_EVE_2025, "decision": decision}).status_code == 302
    old = referred(app)
    with app.extensions["db"].transaction() as tx:  # stored before routes were kept: its decision was a route id
        tx.add(ReferralResponse(screening_id=old.sid, decision="child_in_need", updated_by="demo-mash"))
        tx.flush()
        summaries.rebuild(tx)  # as the migration that made the tallies counted responses already stored
    today = datetime.now(UTC).date()
    with app.extensions["db"].reading() as tx:
        counted = threshold(tx, Period(today - timedelta(days=1), today), ranks, "section_47")
    assert [(n, lower) for _, n, _, lower in counted] == [(4, 2)]  # early help, and the old child in need
