"""One child across agencies, over HTTP: the child found by what practitioners hold, history the system counts
itself, who sees what, merges and their undoing, and identifiers that never reach the database in plain text."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from screening.store import AuditEvent, Screening
from screening.store.models import Base, Child, ChildKey
from screening.web.context import identity_keys
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.conftest import text_of as tags_off

NHS = "943 476 5919"
CHILD = {"given": "Jasmine", "family": "Featherstonehaugh", "born_day": "3", "born_month": "3", "born_year": "2012"}
WORRY = "FIRST-AGENCY-WORRY seen getting into cars"
WORDS = "FIRST-AGENCY-CHILD-WORDS he buys me things"
NOTES = "FIRST-AGENCY-HISTORY-NOTES found at the flat"
AMBER = {"signs__associates": ["older_associate_controlling"], "older_associate_controlling__when": "recent"}


def screen(app, username: str, agency: str, child: dict, *, signs: dict | None = None, about: dict | None = None,
           voice: dict | None = None, contact: str = "") -> Practitioner:
    """A whole screening by `username`, the child identified by `child` (linked without confirmation)."""
    who = Practitioner(signed_in_client(app, username))
    who.start(agency=agency, referrer_contact=contact)
    found = who.post(f"/screenings/{who.sid}/child", child)
    assert found.status_code == 302 and found.location.endswith("/child/details"), errors_in(found.text)
    who.required_pages(about_child={"previous_concerns_12m": "", **(about or {})},
                       signs={**(signs or {})}, child_voice={"seen_alone": "yes", **(voice or {})})
    assert who.finish().status_code == 200
    return who


def text_of(page: str) -> str:
    return html.unescape(tags_off(page))


def stored(app, sid: str) -> Screening:
    with app.extensions["db"].reading() as tx:
        found = tx.get(Screening, sid)
        tx.expunge(found)
        return found


def count(app, model) -> int:
    with app.extensions["db"].reading() as tx:
        return tx.scalar(select(func.count()).select_from(model))


def audit_actions(app) -> list[str]:
    with app.extensions["db"].reading() as tx:
        return [e.action for e in tx.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_two_agencies_one_child_and_the_rule_fires_from_the_system(app):
    first = screen(app, "demo-practitioner", "school", {"nhs": NHS, **CHILD}, signs=AMBER)
    second = screen(app, "demo-nurse", "health_hospital", {"nhs": NHS.replace(" ", "")}, signs=AMBER)
    assert count(app, Child) == 1
    assert stored(app, first.sid).child_id == stored(app, second.sid).child_id is not None
    outcome = stored(app, second.sid).outcome
    shown = {f["kind"]: f for f in outcome["from_record"]}
    assert shown["agencies"]["recorded"] == 2 and shown["agencies"]["value"] == 2
    assert shown["earlier_screenings"]["recorded"] == 1 and shown["earlier_screenings"]["added"] is None
    assert "repeat_concerns_never_stepped_up" in {f["rule"] for f in outcome["findings"]}
    assert outcome["route"] == "section_47"
    page = text_of(second.client.get(f"/screenings/{second.sid}/outcome").text)
    assert "Concern 2 about this child in 12 months: 1 in the child's record (" in page
    assert "Agencies concerned: 2." in page
    # the first screening, made when the record held nothing, is kept as it was
    assert {f["kind"]: f for f in stored(app, first.sid).outcome["from_record"]}["agencies"]["recorded"] == 1


def test_what_the_practitioner_adds_is_counted_and_said_apart(app):
    screen(app, "demo-practitioner", "school", {"nhs": NHS}, signs={"missing_episodes_90d": "5"})
    second = screen(app, "demo-nurse", "health_hospital", {"nhs": NHS},
                    about={"previous_concerns_12m": "2", "concern_agencies_12m": "1"},
                    signs={"missing_episodes_90d": "1"})
    shown = {f["fact"]: f for f in stored(app, second.sid).outcome["from_record"]}
    assert (shown["previous_concerns_12m"]["recorded"], shown["previous_concerns_12m"]["added"],
            shown["previous_concerns_12m"]["value"]) == (1, 2, 3)
    assert shown["concern_agencies_12m"]["value"] == 3
    assert (shown["missing_episodes_90d"]["recorded"], shown["missing_episodes_90d"]["value"]) == (5, 5)
    page = text_of(second.client.get(f"/screenings/{second.sid}/outcome").text)
    assert "Earlier concerns, last 12 months: 3 (1 from the child's record" in page
    assert "and 2 added by the practitioner" in page


def test_the_linked_page_asks_only_what_the_record_does_not_show(app):
    screen(app, "demo-practitioner", "school", {"nhs": NHS})
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.start(agency="health_hospital")
    assert nurse.post(f"/screenings/{nurse.sid}/child", {"nhs": NHS}).location.endswith("/child/details")
    about = nurse.client.get(f"/screenings/{nurse.sid}/pages/about_child").text
    about = text_of(about)
    assert "the child's record does not show" in about
    assert "The child's record shows 1: School or college" in about
    assert "How many earlier referrals" not in about  # the unlinked wording is not asked


def test_a_screening_of_long_ago_is_outside_the_window(app):
    first = screen(app, "demo-practitioner", "school", {"nhs": NHS}, signs=AMBER)
    with app.extensions["db"].transaction() as tx:
        tx.get(Screening, first.sid).completed_at = datetime.now(UTC) - timedelta(days=400)
    second = screen(app, "demo-nurse", "health_hospital", {"nhs": NHS}, signs=AMBER)
    shown = {f["kind"]: f for f in stored(app, second.sid).outcome["from_record"]}
    assert shown["earlier_screenings"]["recorded"] == 0 and shown["agencies"]["recorded"] == 1
    assert "repeat_concerns_never_stepped_up" not in {f["rule"] for f in stored(app, second.sid).outcome["findings"]}


def test_an_earlier_disclosure_in_the_record_needs_a_section_47_decision(app):
    screen(app, "demo-nurse", "sexual_health", {"nhs": NHS},
           signs={"signs__disclosures": ["disclosure_withdrawn"], "disclosure_withdrawn__when": "recent"})
    later = screen(app, "demo-practitioner", "school", {"nhs": NHS})
    outcome = stored(app, later.sid).outcome
    assert "earlier_disclosure_still_counts" in {f["rule"] for f in outcome["findings"]}
    assert outcome["route"] == "section_47"
    assert "tell_mash_about_earlier_referral" in {a["id"] for a in outcome["actions"]}


@pytest.mark.hazard("H-02")
def test_a_name_and_date_of_birth_match_is_offered_never_assumed(app):
    screen(app, "demo-practitioner", "school", {"nhs": NHS, **CHILD})
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.start(agency="health_hospital")
    offered = nurse.post(f"/screenings/{nurse.sid}/child", CHILD)
    assert offered.status_code == 200
    page = text_of(offered.text)
    assert "Is this the child?" in page and "J... F..., born 3 March 2012" in page and "screened 1 time before" in page
    assert "Featherstonehaugh" not in page.replace('value="Featherstonehaugh"', "")
    assert stored(app, nurse.sid).child_id is None  # nothing linked until the practitioner confirms
    wrong = nurse.post(f"/screenings/{nurse.sid}/child/confirm", {**CHILD, "record": "0" * 32})
    assert wrong.status_code == 400 and "Select the record that is this child" in wrong.text
    with app.extensions["db"].reading() as tx:
        record = tx.scalar(select(Child.id))
    confirmed = nurse.post(f"/screenings/{nurse.sid}/child/confirm", {**CHILD, "record": record})
    assert confirmed.status_code == 302
    assert stored(app, nurse.sid).child_id == record
    assert count(app, Child) == 1


def test_none_of_these_adds_a_new_record(app):
    screen(app, "demo-practitioner", "school", {"nhs": NHS, **CHILD})
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.start(agency="health_hospital")
    nurse.post(f"/screenings/{nurse.sid}/child", CHILD)
    assert nurse.post(f"/screenings/{nurse.sid}/child/confirm", {**CHILD, "record": "new"}).status_code == 302
    assert count(app, Child) == 2
    assert stored(app, nurse.sid).child_id is not None


@pytest.mark.hazard("H-02")
@pytest.mark.parametrize(("field", "value", "anchor", "message"), [
    ("nhs", "943 476 5918", "nhs", "its last digit does not match"),
    ("nhs", "12345", "nhs", "An NHS number is 10 digits"),
    ("upn", "A801200005001", "upn", "does not pass the pupil number check"),
    ("given", "Jasmine", "born_day", "Enter the child's date of birth to find them by name"),
    ("born_day", "31", "born_day", "Date of birth must be a real date"),
])
def test_a_wrong_identifier_is_named_next_to_its_field_and_nothing_is_saved(app, field, value, anchor, message):
    who = Practitioner(signed_in_client(app))
    who.start()
    response = who.post(f"/screenings/{who.sid}/child", {field: value})
    assert response.status_code == 400
    assert any(message in e.replace("&#39;", "'") for e in errors_in(response.text)), errors_in(response.text)
    assert f'href="#{anchor}"' in response.text
    assert count(app, Child) == count(app, ChildKey) == 0


def test_a_screening_can_go_on_unlinked(app):
    who = Practitioner(signed_in_client(app))
    who.start()
    skipped = who.post(f"/screenings/{who.sid}/child/skip")
    assert skipped.status_code == 302 and skipped.location.endswith("/pages/about_child")
    who.required_pages()
    page = text_of(who.finish().text)
    assert "Other agencies: not linked to a child record." in page
    assert stored(app, who.sid).outcome["linked"] is False


@pytest.mark.hazard("H-09")
def test_a_practitioner_never_receives_another_agencys_free_text(app):
    first = screen(app, "demo-practitioner", "school", {"nhs": NHS, **CHILD},
                   about={"concern_summary": WORRY}, voice={"child_words": WORDS},
                   signs={"history_notes": NOTES}, contact="DSL Mrs Ahmed, 01632 960 002")
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.start(agency="health_hospital")
    pages = [nurse.client.get(nurse.post(f"/screenings/{nurse.sid}/child", {"nhs": NHS}).location).text,
             nurse.client.get(f"/screenings/{nurse.sid}/child").text]
    nurse.required_pages(about_child={"previous_concerns_12m": ""})
    pages += [nurse.finish().text, nurse.client.get(f"/screenings/{nurse.sid}/referral").text,
              nurse.client.get(f"/screenings/{nurse.sid}/referral.txt").text,
              nurse.client.get(f"/screenings/{nurse.sid}/outcome.json").text,
              nurse.client.get(f"/screenings/{nurse.sid}/provisional").text]
    for shown in pages:
        for theirs in (WORRY, WORDS, NOTES, "Featherstonehaugh", "Jasmine"):
            assert theirs not in shown
    assert "DSL Mrs Ahmed, 01632 960 002" in pages[1]  # whom to contact is shown
    assert nurse.client.get(f"/screenings/{first.sid}/outcome").status_code == 404
    with app.extensions["db"].reading() as tx:
        child = tx.get(Screening, first.sid).child_id
    assert nurse.client.get(f"/children/{child}").status_code == 403


@pytest.mark.hazard("H-09")
def test_the_mash_and_leads_read_the_chronology_and_every_view_is_audited(app):
    first = screen(app, "demo-practitioner", "school", {"nhs": NHS, **CHILD}, voice={"child_words": WORDS})
    screen(app, "demo-nurse", "health_hospital", {"nhs": NHS})
    mash = signed_in_client(app, "demo-mash")
    child = stored(app, first.sid).child_id
    page = mash.get(f"/children/{child}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Jasmine Featherstonehaugh, born 3 March 2012" in text and "943 476 5919" in text
    assert "2 screenings from 2 agencies" in text and WORDS in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and 'role="img"' in page.text
    assert "Undo this merge" not in page.text and "Merge into this record" not in text  # leads only
    assert mash.get(f"/screenings/{first.sid}/outcome").status_code == 200
    with app.extensions["db"].reading() as tx:
        events = list(tx.scalars(select(AuditEvent).where(AuditEvent.actor == "demo-mash")))
    assert [(e.action, e.record_id) for e in events if e.action != "sign_in"] == [
        ("child_chronology_viewed", child), ("screening_viewed", first.sid)]
    assert events[-1].detail == {"own": False}
    draft = Practitioner(signed_in_client(app))
    draft.start()
    listed = mash.get("/screenings").text
    assert first.sid in listed and draft.sid not in listed  # the MASH sees completed screenings, not drafts
    token = Practitioner(mash).token
    found = mash.post("/children", data={"csrf_token": token, "nhs": "9434765919"})
    assert found.status_code == 302 and found.location.endswith(f"/children/{child}")


@pytest.mark.hazard("H-02")
def test_merge_and_undo_are_audited_and_change_what_history_counts(app):
    a = screen(app, "demo-practitioner", "school", {"nhs": NHS})
    b = screen(app, "demo-nurse", "health_hospital", {"upn": "B801200005001"})
    keep, other = stored(app, a.sid).child_id, stored(app, b.sid).child_id
    assert keep != other
    lead = Practitioner(signed_in_client(app, "demo-lead"))
    merged = lead.post(f"/children/{keep}/merge", {"other": other})
    assert merged.status_code == 302
    page = text_of(lead.client.get(f"/children/{keep}").text)
    assert "2 screenings from 2 agencies" in page and "Records merged into this one" in page
    assert lead.client.get(f"/children/{other}").location.endswith(f"/children/{keep}")
    third = screen(app, "demo-practitioner", "school", {"upn": "B801200005001"})  # found through the merged record
    assert {f["kind"]: f for f in stored(app, third.sid).outcome["from_record"]}["earlier_screenings"]["recorded"] == 2
    assert lead.post(f"/children/{keep}/unmerge/{other}").status_code == 302
    assert "2 screenings from 1 agency" in text_of(lead.client.get(f"/children/{keep}").text)  # both schools'
    assert "1 screening from 1 agency" in text_of(lead.client.get(f"/children/{other}").text)
    assert {"children_merged", "children_unmerged"} <= set(audit_actions(app))


@pytest.mark.hazard("H-02")
def test_a_lead_takes_a_screening_off_the_wrong_child_and_its_outcome_stays(app):
    a = screen(app, "demo-practitioner", "school", {"nhs": NHS})
    b = screen(app, "demo-nurse", "health_hospital", {"nhs": NHS})
    child, before = stored(app, a.sid).child_id, stored(app, b.sid).outcome
    lead = Practitioner(signed_in_client(app, "demo-lead"))
    assert lead.post(f"/children/{child}/screenings/{a.sid}/unlink").status_code == 302
    assert stored(app, a.sid).child_id is None and stored(app, b.sid).outcome == before
    assert "1 screening from 1 agency" in text_of(lead.client.get(f"/children/{child}").text)
    assert "child_unlinked" in audit_actions(app)


@pytest.mark.hazard("H-08")
def test_the_database_holds_no_name_or_identifier_in_plain_text(app):
    screen(app, "demo-practitioner", "school", {"nhs": NHS, "upn": "B801200005001", "la": "LA-77/31415",
                                                 "postcode": "SE1 7PB", **CHILD})
    database = app.extensions["db"]
    with database.reading() as tx:  # every row of every table, as text (SQLite and PostgreSQL alike)
        rows = [str(tuple(row)) for table in Base.metadata.sorted_tables for row in tx.execute(table.select())]
    data = "\n".join(rows).encode()
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):  # and the file itself, with its write-ahead log
        database.engine.dispose()
        path = Path(url.removeprefix("sqlite:///"))
        data += b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"demo-practitioner" in data  # the rows were read
    for plain in ("Jasmine", "Featherstonehaugh", "9434765919", "943 476 5919", "B801200005001", "LA77/31415",
                  "SE17PB", "SE1 7PB", "2012-03-03"):
        assert plain.encode() not in data and plain.lower().encode() not in data, plain
    with app.app_context(), database.reading() as tx:
        who = identity_keys().unseal(tx.scalar(select(Child.identity)))
    assert (who.given, who.nhs, who.born.isoformat()) == ("Jasmine", "9434765919", "2012-03-03")


def test_the_referral_names_the_child_as_each_reader_may_see_them_and_asks_only_what_the_record_lacks(app):
    school = Practitioner(signed_in_client(app))
    school.start(agency="school")
    linked = school.post(f"/screenings/{school.sid}/child", {"nhs": NHS, **CHILD})
    details = linked.location
    assert details.endswith("/child/details") and 'name="carer1_name"' in school.client.get(details).text
    refused = school.post(details, {"carer1_contact": "07700 900123"})
    assert refused.status_code == 400 and "Enter the name of the parent or carer" in refused.text
    saved = school.post(details, {"address": "1 High Street, Anytown", "school": "Anytown Academy",
                                  "carer1_name": "Pat Featherstonehaugh", "carer1_relationship": "mother",
                                  "carer1_contact": "07700 900123", "carer1_pr": "yes"})
    assert saved.status_code == 302 and "/pages/" in saved.location
    school.required_pages(family={"telling_family_may_increase_risk": "yes"})
    assert school.finish().status_code == 200
    text = school.client.get(f"/screenings/{school.sid}/referral.txt").text
    assert "Child: Jasmine Featherstonehaugh, born 3 March 2012" in text and "NHS number: 943 476 5919" in text
    assert "Pat Featherstonehaugh (mother); 07700 900123; parental responsibility: yes" in text
    assert text.splitlines()[1].startswith("WARNING: Do not contact the parents or carers")
    # a nurse linking by NHS number is not asked again, and her referral names the child as she entered them
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.start(agency="health_hospital")
    again = nurse.post(f"/screenings/{nurse.sid}/child", {"nhs": NHS})
    assert "/pages/" in again.location
    nurse.required_pages()
    nurse.finish()
    hers = nurse.client.get(f"/screenings/{nurse.sid}/referral.txt").text
    assert "NHS number: 943 476 5919" in hers
    for theirs in ("Jasmine", "Featherstonehaugh", "High Street", "07700"):
        assert theirs not in hers
    # the MASH reads the whole record in either referral
    mash = signed_in_client(app, "demo-mash")
    for sid in (school.sid, nurse.sid):
        whole = mash.get(f"/screenings/{sid}/referral").text
        assert "Jasmine Featherstonehaugh" in whole and "1 High Street, Anytown" in whole
