"""A completed screening keeps its outcome in English and in Welsh, produced together and never changed; each
reader sees it, and its referral, in their language (ADR 0029)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from screening.store import Screening
from tests.web.conftest import Practitioner, signed_in_client
from tests.web.conftest import words_of as words

WORRIED = {"family": {"other_children_household": "0", "telling_family_may_increase_risk": "yes"}}



def completed(app) -> tuple[Practitioner, str]:
    practitioner = Practitioner(signed_in_client(app))
    practitioner.start(age="13")
    practitioner.required_pages(**WORRIED)
    practitioner.page("signs", {"missing_episodes_90d": "3", "older_associate_controlling": "yes"})
    practitioner.finish()
    return practitioner, practitioner.sid


def stored(app, screening_id: str) -> Screening:
    with app.extensions["db"].reading() as tx:
        found = tx.get(Screening, screening_id)
        tx.expunge(found)
        return found


def in_welsh(practitioner: Practitioner, path: str):
    practitioner.client.set_cookie("language", "cy")
    try:
        return practitioner.client.get(path)
    finally:
        practitioner.client.set_cookie("language", "en")


@pytest.mark.hazard("H-13")
def test_the_outcome_is_stored_in_both_languages_and_each_reader_sees_their_own(app):
    practitioner, sid = completed(app)
    found = stored(app, sid)
    english, welsh = found.outcome, found.outcome_in_languages["cy"]
    assert (english["language"], welsh["language"]) == ("en", "cy")
    assert welsh["route"] == english["route"] == found.recommended_route
    assert [f["rule"] for f in welsh["findings"]] == [f["rule"] for f in english["findings"]]
    assert welsh["route_label"] != english["route_label"]
    assert english["route_label"] in words(practitioner.client.get(f"/screenings/{sid}/outcome").text)
    page = words(in_welsh(practitioner, f"/screenings/{sid}/outcome").text)
    assert welsh["route_label"] in page and english["route_label"] not in page


@pytest.mark.hazard("H-13")
def test_an_outcome_stored_in_english_only_is_shown_as_it_was_made(app):
    practitioner, sid = completed(app)
    with app.extensions["db"].transaction() as tx:  # as stored before outcomes were kept in Welsh too
        tx.get(Screening, sid).outcome_in_languages = None
    english = stored(app, sid).outcome
    page = in_welsh(practitioner, f"/screenings/{sid}/outcome")
    assert page.status_code == 200 and english["route_label"] in words(page.text)
    text = in_welsh(practitioner, f"/screenings/{sid}/referral.txt").text
    assert text.startswith("Referral: ") and "WARNING: Do not contact the parents" in text  # one language


def test_the_referral_in_welsh_as_text_pdf_and_page(app):
    practitioner, sid = completed(app)
    welsh = stored(app, sid).outcome_in_languages["cy"]
    text = in_welsh(practitioner, f"/screenings/{sid}/referral.txt").text
    lines = text.splitlines()
    assert lines[0] == f"Atgyfeiriad: {welsh['route_label']}" and lines[1].startswith("RHYBUDD: Peidiwch")
    assert "Y PLENTYN" in lines and "Referral" not in text and "The tool advises" not in text
    assert re.search(r"Gwnaed: \d+ \w+ \d{4} am \d\d:\d\d", text)
    english = practitioner.client.get(f"/screenings/{sid}/referral.txt").text
    assert english.startswith("Referral: ") and "WARNING: Do not contact" in english
    pdf = in_welsh(practitioner, f"/screenings/{sid}/referral.pdf")
    read = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Atgyfeiriad" in read and "Peidiwch â chysylltu" in " ".join(read.split())
    page = words(in_welsh(practitioner, f"/screenings/{sid}/referral").text)
    assert "Atgyfeiriad" in page and "Pwy sy'n atgyfeirio" in page


def test_the_json_export_carries_both_languages(app):
    practitioner, sid = completed(app)
    body = practitioner.client.get(f"/screenings/{sid}/outcome.json").json
    assert body["outcome"]["language"] == "en" and body["outcome_in_languages"]["cy"]["language"] == "cy"
    assert body["outcome_in_languages"]["cy"]["route"] == body["outcome"]["route"]


def test_an_api_client_asking_for_welsh_gets_the_same_decision_in_welsh(app):
    from tests.web.test_api import DISCLOSURE, token

    client, auth = app.test_client(), token(app)
    english = client.post("/api/v1/evaluate", json={"answers": DISCLOSURE}, headers=auth).json
    welsh = client.post("/api/v1/evaluate", json={"answers": DISCLOSURE},
                        headers={**auth, "Accept-Language": "cy"}).json
    assert (welsh["route"], welsh["language"], english["language"]) == (english["route"], "cy", "en")
    assert welsh["route_label"] != english["route_label"]


@pytest.mark.hazard("H-13")
def test_a_screening_completed_on_a_welsh_page_stores_its_english_in_english(app):
    """The child's record (another agency's screening) counted in each outcome in that outcome's own words."""
    from tests.web.test_child_record import AMBER, NHS, screen

    screen(app, "demo-practitioner", "school", {"nhs": NHS}, signs=AMBER)
    nurse = Practitioner(signed_in_client(app, "demo-nurse"))
    nurse.client.set_cookie("language", "cy")  # the whole screening made on Welsh pages
    nurse.start(agency="health_hospital")
    nurse.post(f"/screenings/{nurse.sid}/child", {"nhs": NHS})
    nurse.required_pages(signs=AMBER)
    nurse.finish()
    found = stored(app, nurse.sid)
    english, welsh = found.outcome, found.outcome_in_languages["cy"]
    agencies = {f["kind"]: f for f in english["from_record"]}["agencies"]
    assert agencies["recorded"] == 2 and "School or college" in " ".join(agencies["agencies"])
    assert {f["kind"]: f for f in english["from_record"]}["agencies"]["label"].startswith("Agencies")
    welsh_agencies = {f["kind"]: f for f in welsh["from_record"]}["agencies"]
    assert "Ysgol neu goleg" in " ".join(welsh_agencies["agencies"])
    assert english["answered"][0]["question"] != welsh["answered"][0]["question"]


def test_a_decision_recorded_on_a_welsh_page_is_kept_in_english_and_read_in_each_language(app):
    from screening.store.models import ReferralResponse
    from tests.web.conftest import active
    from tests.web.test_after_referral import RECEIVED_CHRISTMAS_EVE_2025, referred

    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    mash.client.set_cookie("language", "cy")
    url = f"/screenings/{who.sid}/response"
    assert mash.post(url, {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "early_help"}).status_code == 302
    with app.extensions["db"].reading() as tx:
        kept = tx.get(ReferralResponse, who.sid).decision_label
    english = next(d.label for d in active(app).social_care_decisions if d.id == "early_help")
    welsh = next(d.label for d in active(app).in_language("cy").social_care_decisions if d.id == "early_help")
    assert kept == english != welsh
    assert english in words(who.client.get(f"/screenings/{who.sid}/outcome").text)
    page = words(in_welsh(who, f"/screenings/{who.sid}/outcome").text)
    assert welsh in page and english not in page


def test_an_english_referral_read_on_a_welsh_page_is_english_throughout(app):
    practitioner, sid = completed(app)
    with app.extensions["db"].transaction() as tx:  # as stored before outcomes were kept in Welsh too
        tx.get(Screening, sid).outcome_in_languages = None
    page = in_welsh(practitioner, f"/screenings/{sid}/referral").text
    assert re.search(r'<html lang="en"', page) and "Atgyfeiriad" not in words(page)
    welsh = practitioner.client.get(f"/screenings/{sid}/outcome")  # the page itself still follows the reader
    assert re.search(r'<html lang="en"', welsh.text)
    assert re.search(r'<html lang="cy"', in_welsh(practitioner, f"/screenings/{sid}/outcome").text)
