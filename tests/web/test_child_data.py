"""A lead's legal hold on a child's records, and the subject access export of everything held about one child, over
HTTP on a real database."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from screening.store import AuditEvent, Screening
from screening.store.models import LegalHold
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.test_child_record import screen, stored, text_of

JAS = {"nhs": "943 476 5919", "given": "Jasmine", "family": "Featherstonehaugh", "born_day": "3", "born_month": "3",
       "born_year": "2012"}
OTHER = {"upn": "B801200005001", "given": "Oliver", "family": "Quennell", "born_day": "9", "born_month": "9",
         "born_year": "2011"}
WORDS = "JASMINE-OWN-WORDS he buys me things"
OTHER_WORDS = "OLIVER-OWN-WORDS they took my phone"


def child_of(app, sid: str) -> str:
    return stored(app, sid).child_id


def lead(app) -> Practitioner:
    return Practitioner(signed_in_client(app, "demo-lead"))


def actions(app, record_id: str) -> list[str]:
    with app.extensions["db"].reading() as tx:
        return [e.action for e in tx.scalars(select(AuditEvent).where(AuditEvent.record_id == record_id)
                                             .order_by(AuditEvent.id))]


@pytest.mark.hazard("H-10")
def test_a_lead_places_and_lifts_a_hold_with_a_reason_and_both_are_audited(app):
    child = child_of(app, screen(app, "demo-practitioner", "school", JAS).sid)
    me = lead(app)
    assert f"/children/{child}/legal-hold" in me.client.get(f"/children/{child}").text
    empty = me.post(f"/children/{child}/legal-hold", {"reason": "  "})
    assert empty.status_code == 400 and errors_in(empty.text) == ["Enter why the records must be kept"]
    with app.extensions["db"].reading() as tx:
        assert tx.scalars(select(LegalHold)).all() == []  # nothing half-saved
    placed = me.post(f"/children/{child}/legal-hold", {"reason": "Care proceedings under way"})
    assert placed.status_code == 302
    page = text_of(me.client.get(f"/children/{child}/legal-hold").text)
    assert "This child's records are on hold" in page and "Care proceedings under way" in page
    no_reason = me.post(f"/children/{child}/legal-hold", {"reason": ""})
    assert errors_in(no_reason.text) == ["Enter why the hold can be lifted"]
    assert me.post(f"/children/{child}/legal-hold", {"reason": "Proceedings ended"}).status_code == 302
    page = text_of(me.client.get(f"/children/{child}/legal-hold").text)
    assert "Place a legal hold" in page and "Proceedings ended" in page  # the lifted hold stays in the history
    assert actions(app, child).count("legal_hold_placed") == 1 and actions(app, child).count("legal_hold_lifted") == 1
    mash = signed_in_client(app, "demo-mash")
    assert mash.get(f"/children/{child}/legal-hold").status_code == 403


@pytest.mark.hazard("H-11")
def test_the_subject_access_export_holds_every_record_of_one_child_and_none_of_another(app):
    first = screen(app, "demo-practitioner", "school", JAS, voice={"child_words": WORDS})
    second = screen(app, "demo-nurse", "health_hospital", {"nhs": JAS["nhs"]})
    theirs = screen(app, "demo-practitioner", "school", OTHER, voice={"child_words": OTHER_WORDS})
    child = child_of(app, first.sid)
    me = lead(app)
    assert me.client.get(f"/children/{child}").status_code == 200  # a look, which the audit shows
    exported = me.client.get(f"/children/{child}/subject-access.json")
    assert exported.status_code == 200 and exported.mimetype == "application/json"
    held = json.loads(exported.text)
    assert {s["id"] for s in held["screenings"]} == {first.sid, second.sid}
    assert [r["given"] for r in held["child_records"]] == ["Jasmine"]
    assert "child_chronology_viewed" in [e["action"] for e in held["audit"]]
    text = exported.text
    assert WORDS in text and theirs.sid not in text and OTHER_WORDS not in text and "Quennell" not in text
    pdf = me.client.get(f"/children/{child}/subject-access.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Featherstonehaugh" in words and "Screening 2 of 2" in words and "Oliver" not in words
    assert actions(app, child)[-2:] == ["subject_access_exported", "subject_access_exported"]


@pytest.mark.hazard("H-11")
def test_other_peoples_details_are_marked_for_review(app):
    first = screen(app, "demo-practitioner", "school", JAS, voice={"child_words": WORDS},
                   contact="DSL Mrs Ahmed, 01632 960 002")
    child = child_of(app, first.sid)
    held = json.loads(lead(app).client.get(f"/children/{child}/subject-access.json").text)
    (screening,) = held["screenings"]
    assert screening["referrer"]["value"] == "demo-practitioner" and "another person" in screening["referrer"]["review"]
    assert screening["referrer_contact"]["value"] == "DSL Mrs Ahmed, 01632 960 002"
    words = screening["answers"]["child_words"]
    assert words["value"] == WORDS and "may name other people" in words["review"]
    assert all("review" in e["actor"] for e in held["audit"])
    pdf = lead(app).client.get(f"/children/{child}/subject-access.pdf")
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Review before release" in words


def test_an_unknown_child_is_not_found(app):
    me = lead(app)
    for path in ("legal-hold", "subject-access", "subject-access.json"):
        assert me.client.get(f"/children/{'0' * 32}/{path}").status_code == 404
    with app.extensions["db"].reading() as tx:
        assert tx.scalars(select(Screening)).all() == []
