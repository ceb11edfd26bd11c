"""After the referral, over HTTP: what children's social care decided and when it was due (in working days, across
bank holidays), flags when it is late or too low, a challenge through the escalation steps, and a strategy-meeting
record that says what is missing, becomes final, and is then kept as it is."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from screening.store import AuditEvent
from screening.store.models import MeetingRecord, ReferralResponse, Screening
from screening.web.view_models import stored_outcome
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.conftest import text_of as tags_off

DISCLOSURE = {"signs__disclosures": ["disclosure_sexual_abuse"], "disclosure_sexual_abuse__when": "recent"}
SENT_CHRISTMAS_EVE_2025 = {"sent_day": "24", "sent_month": "12", "sent_year": "2025", "sent_time": "15:30",
                           "sent_how": "phone", "sent_to": "MASH duty team"}
RECEIVED_CHRISTMAS_EVE_2025 = {"received_day": "24", "received_month": "12", "received_year": "2025",
                               "received_time": "15:45", "decided_by": "MASH manager",
                               "decision_reasons": "Threshold met on what the school shared"}


def text_of(page: str) -> str:
    return html.unescape(tags_off(page))


def referred(app, signs: dict | None = None, nhs: str = "") -> Practitioner:
    """A completed school screening: a child protection referral unless `signs` say less."""
    who = Practitioner(signed_in_client(app))
    who.start()
    who.post(f"/screenings/{who.sid}/child", {"nhs": nhs}) if nhs else who.post(f"/screenings/{who.sid}/child/skip")
    who.required_pages(signs=DISCLOSURE if signs is None else signs)
    assert who.finish().status_code == 200
    return who


def actions(app, action: str) -> list[AuditEvent]:
    with app.extensions["db"].reading() as tx:
        return list(tx.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_decision_not_back_by_its_working_day_is_flagged_across_bank_holidays(app):
    who = referred(app)
    saved = who.post(f"/screenings/{who.sid}/response", SENT_CHRISTMAS_EVE_2025)
    assert saved.status_code == 302, errors_in(saved.text)
    with app.extensions["db"].reading() as tx:
        due = tx.get(ReferralResponse, who.sid).due_at
    assert due.date().isoformat() == "2025-12-29"  # 25 and 26 December are bank holidays, 27-28 a weekend
    page = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
    assert "No decision yet: it was due by 29 December 2025" in page and "Challenge the response" in page
    listed = text_of(who.client.get("/screenings").text)
    assert "Needs attention No decision yet: it was due by 29 December 2025" in listed
    assert actions(app, "referral_response_recorded")[0].detail == {"decision": "", "sent": True, "received": False}


def test_a_decision_below_the_route_that_counts_is_flagged_and_one_at_it_is_not(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    low = {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "section_17_assessment"}
    assert mash.post(f"/screenings/{who.sid}/response", low).status_code == 302
    page = text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)
    assert "The decision (Assessment under section 17 (child in need)) is below the route " \
           "decided (Child protection: section 47 referral and strategy discussion)" in page
    assert "No decision yet" not in page
    assert mash.post(f"/screenings/{who.sid}/response", {**low, "decision": "section_47_strategy"}).status_code == 302
    assert "is below the route decided" not in text_of(who.client.get(f"/screenings/{who.sid}/outcome").text)


def test_the_response_form_says_what_is_wrong_next_to_each_field_and_saves_nothing(app):
    who = referred(app)
    bad = who.post(f"/screenings/{who.sid}/response", {"sent_day": "31", "sent_month": "2", "sent_year": "2026",
                                                       "decision": "section_47_strategy"})
    assert bad.status_code == 400
    errors = errors_in(html.unescape(bad.text))
    assert "The date you sent the referral must be a real date, like 27 3 2026" in errors
    assert "Select how you sent it" in errors and "Enter who decided" in errors
    assert 'href="#sent_day"' in bad.text
    with app.extensions["db"].reading() as tx:
        assert tx.get(ReferralResponse, who.sid) is None


def test_only_the_referrer_or_the_mash_records_the_response(app):
    who = referred(app)
    lead = Practitioner(signed_in_client(app, "demo-lead"))
    assert lead.client.get(f"/screenings/{who.sid}/response").status_code == 200  # a lead may read it
    assert lead.post(f"/screenings/{who.sid}/response", SENT_CHRISTMAS_EVE_2025).status_code == 403
    other = Practitioner(signed_in_client(app, "demo-nurse"))
    assert other.client.get(f"/screenings/{who.sid}/response").status_code == 404
    early = referred(app, signs={})  # no concern: the route expects no referral response
    assert early.client.get(f"/screenings/{early.sid}/response").status_code == 404


def test_a_challenge_goes_through_two_stages_to_resolution(app):
    who = referred(app)
    who.post(f"/screenings/{who.sid}/response", {**SENT_CHRISTMAS_EVE_2025, "decision": "no_further_action",
                                                  "decided_by": "Duty manager", "decided_day": "29",
                                                  "decided_month": "12", "decided_year": "2025"})
    url = f"/screenings/{who.sid}/challenge"
    page = text_of(who.client.get(url).text)
    assert "The decision (No further action) is below the route decided" in page
    assert "Stage 1: talk to the person who made the decision" in page  # the rule set's escalation steps
    unfinished = who.post(url, {"stage": "1", "to_whom": "Duty manager", "raised_day": "5", "raised_month": "1",
                                "raised_year": "2026"})
    assert unfinished.status_code == 400
    assert "Enter when the next stage is due, or say the disagreement is resolved" in html.unescape(unfinished.text)
    first = who.post(url, {"stage": "1", "to_whom": "Duty manager", "raised_day": "5", "raised_month": "1",
                           "raised_year": "2026", "answer": "Threshold not met", "next_due_day": "7",
                           "next_due_month": "1", "next_due_year": "2026"})
    assert first.status_code == 302
    second = who.post(url, {"stage": "2", "to_whom": "Head of service", "raised_day": "7", "raised_month": "1",
                            "raised_year": "2026", "answer": "Strategy discussion booked", "resolved": "yes"})
    assert second.status_code == 302
    page = text_of(who.client.get(url).text)
    assert "Head of service, 7 January 2026" in page and "The disagreement is recorded as resolved" in page
    assert who.post(url, {"stage": "3", "to_whom": "x"}).status_code == 403  # ended
    assert [e.detail["stage"] for e in actions(app, "challenge_recorded")] == [1, 2]


def meeting_form(after: timedelta = timedelta(minutes=10), **change) -> dict:
    """A complete meeting record, held `after` the screening (made moments before)."""
    held = datetime.now(UTC) + after
    data = {"held_day": str(held.day), "held_month": str(held.month), "held_year": str(held.year),
            "held_time": f"{held:%H:%M}", "how": "online",
            "chair_name": "Sam Lee", "chair_role": "Team manager", "child_view": "I want it to stop",
            "parents_why_not": "Sharing it would put her at risk", "decision": "start",
            "decision_why": "She disclosed rape", "action_1_what": "Joint visit", "action_1_owner": "Social worker",
            "action_1_agency": "CSC", "action_1_due_day": "4", "action_1_due_month": "12", "action_1_due_year": "2026",
            "recommendations": "Refer to the exploitation panel"}
    return {**data, **change}


def attendance(app, sid: str, status: str = "attended") -> dict:
    """Every invitee the screening's meeting asked for, recorded as `status`."""
    with app.extensions["db"].reading() as tx:
        invitees = stored_outcome(tx.get(Screening, sid)).strategy_meeting.invitees
    return {f"attendance_{n}": status for n in range(len(invitees))}


def test_a_meeting_record_lists_what_is_missing_then_becomes_final_and_is_kept(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/meeting"
    everyone = attendance(app, who.sid)
    draft = mash.post(url, meeting_form(child_view="", action_1_owner="", **{"final": "yes", **everyone,
                                                                               "attendance_1": ""}))
    assert draft.status_code == 400
    page = text_of(draft.text)
    for lacking in ("Whether this agency was invited and attended: Police", "The child's views, or why they were "
                    "not gathered", "Action 1 needs an owner"):
        assert lacking in page
    with app.extensions["db"].reading() as tx:
        kept = tx.scalar(select(MeetingRecord))
    assert kept.status == "draft" and kept.record["chair_name"] == "Sam Lee"  # the draft is kept
    assert mash.post(url, meeting_form(final="yes", **everyone)).status_code == 302
    final = text_of(mash.client.get(url).text)
    assert "Final" in final and "This record is final and is kept as it is" in final
    assert mash.post(url, meeting_form(chair_name="Someone else", **everyone)).status_code == 403
    with pytest.raises(DatabaseError), app.extensions["db"].transaction() as tx:  # the database refuses too
        tx.execute(text("UPDATE meeting_records SET status = 'draft'"))
    minutes = text_of(who.client.get(f"{url}/minutes").text)  # the referrer reads the minutes
    for line in ("Joint visit", "Refer to the exploitation panel", "“I want it to stop”"):
        assert line in minutes
    pdf = who.client.get(f"{url}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert who.post(url, meeting_form(**everyone)).status_code == 403  # the referrer does not write it
    assert mash.post(f"{url}/amend").status_code == 302
    with app.extensions["db"].reading() as tx:
        versions = [(m.version, m.status) for m in tx.scalars(select(MeetingRecord).order_by(MeetingRecord.version))]
    assert versions == [(1, "final"), (2, "draft")]
    assert [e.action for e in actions(app, "meeting_finalised")] == ["meeting_finalised"]
    assert len(actions(app, "meeting_amended")) == 1


def test_a_meeting_held_later_than_required_needs_its_reason(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/meeting"
    late = mash.post(url, meeting_form(timedelta(days=3), final="yes", **attendance(app, who.sid)))
    assert late.status_code == 400 and "Why the meeting was held after it was due" in text_of(late.text)
    explained = mash.post(url, meeting_form(timedelta(days=3), final="yes", delay_reason="Police unavailable",
                                            **attendance(app, who.sid)))
    assert explained.status_code == 302


def test_the_chronology_shows_what_was_decided_and_the_meeting(app):
    who = referred(app, nhs="943 476 5919")
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    mash.post(f"/screenings/{who.sid}/response", {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "section_47_strategy"})
    mash.post(f"/screenings/{who.sid}/meeting", meeting_form(final="yes", **attendance(app, who.sid)))
    found = mash.post("/children", {"nhs": "9434765919"})
    page = text_of(mash.client.get(found.location).text)
    assert "Decided: Strategy discussion under section 47" in page
    with app.extensions["db"].reading() as tx:
        held = datetime.fromisoformat(tx.scalar(select(MeetingRecord.record))["held_at"])
    assert f"Strategy meeting held {held.day} {held:%B %Y} (final)" in page  # the long date, as pages write it
