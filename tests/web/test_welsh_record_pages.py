"""The follow-through, children's records, dashboard, admin, account and assurance pages in Welsh (ADR 0028): each
page asked for in Welsh says `<html lang="cy">`, shows its own headings, buttons and messages in Welsh with dates in
Welsh (and none of its English), and the same page in English is as it was."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime

import pytest
from babel.dates import format_date
from pypdf import PdfReader
from sqlalchemy import select

from screening.store.models import MeetingRecord
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.conftest import heading_of as heading
from tests.web.conftest import lang_of as lang
from tests.web.conftest import words_of as words
from tests.web.test_after_referral import (
    RECEIVED_CHRISTMAS_EVE_2025,
    SENT_CHRISTMAS_EVE_2025,
    attendance,
    meeting_form,
    referred,
)


def in_welsh(client):
    """`client` (signed in) switched to Welsh with the language link, as a reader would."""
    assert client.get("/language/cy?next=/").status_code == 302
    return client


def welsh_page(client, path: str, h1: str | None, has: tuple[str, ...] = (), lacks: tuple[str, ...] = ()) -> str:
    """GET `path`: Welsh, with heading `h1`, the words `has`, and none of the English words `lacks`."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.text
    assert lang(page) == "cy"
    if h1 is not None:
        assert heading(page) == h1
    shown = words(page)
    for phrase in has:
        assert phrase in shown, phrase
    for phrase in lacks:
        assert phrase not in shown, phrase
    return page


def test_the_referrers_follow_through_in_welsh_with_welsh_dates_and_messages(app):
    who = referred(app)
    in_welsh(who.client)
    url = f"/screenings/{who.sid}/response"
    welsh_page(who.client, url, "Beth ddigwyddodd i'r atgyfeiriad",
               ("Pryd y cafodd ei anfon", "Sut y cafodd ei anfon", "Dros y ffôn", "Drwy e-bost diogel",
                "Cydnabod a phenderfynu", "Diwrnod", "Mis", "Blwyddyn", "Cadw"),
               ("What happened to the referral", "When it was sent", "How it was sent", "By secure email",
                "Acknowledged and decided", "Their reasons"))
    bad = who.post(url, {"sent_day": "31", "sent_month": "2", "sent_year": "2026", "decision": "section_47_strategy"})
    assert bad.status_code == 400 and lang(bad.text) == "cy"
    errors = errors_in(html.unescape(bad.text))
    assert "Y dyddiad yr anfonoch yr atgyfeiriad: rhowch ddyddiad go iawn, fel 27 3 2026" in errors
    assert "Dewiswch sut yr anfonoch ef" in errors and "Nodwch pwy a benderfynodd" in errors
    assert 'visually-hidden">Gwall:</span>' in bad.text  # the error message's hidden word, in Welsh
    saved = who.post(url, SENT_CHRISTMAS_EVE_2025)
    assert saved.status_code == 302
    after = words(who.client.get(saved.location).text)
    assert "Wedi cofnodi sut yr anfonwyd" in after and "Recorded how" not in after
    challenge = welsh_page(who.client, f"/screenings/{who.sid}/challenge", "Herio'r ymateb",
                           ("Dyma gamau'r bartneriaeth ar gyfer anghytundeb proffesiynol",
                            "Dim penderfyniad eto: roedd i fod erbyn 29 Rhagfyr 2025", "Cofnodi'r cam hwn",
                            "Gyda phwy y codoch y mater", "Mae hyn yn datrys yr anghytundeb"),
                           ("Challenge the response", "Record this stage", "No decision yet", "December"))
    assert "Rhybudd" in words(challenge)  # the warning's hidden word
    unfinished = who.post(f"/screenings/{who.sid}/challenge",
                          {"stage": "1", "to_whom": "Rheolwr dyletswydd", "raised_day": "5", "raised_month": "1",
                           "raised_year": "2026"})
    assert unfinished.status_code == 400
    assert "Nodwch pryd y mae'r cam nesaf yn ddyledus, neu dywedwch fod yr anghytundeb wedi'i ddatrys" in \
        errors_in(html.unescape(unfinished.text))
    who.post(f"/screenings/{who.sid}/challenge",
             {"stage": "1", "to_whom": "Rheolwr dyletswydd", "raised_day": "5", "raised_month": "1",
              "raised_year": "2026", "resolved": "yes"})
    welsh_page(who.client, f"/screenings/{who.sid}/challenge", "Herio'r ymateb",
               ("Yr her hyd yma", "Rheolwr dyletswydd, 5 Ionawr 2026", "Dim ateb eto", "Wedi'i ddatrys",
                "Mae'r anghytundeb wedi'i gofnodi fel un sydd wedi'i ddatrys."),
               ("The challenge so far", "No answer yet", "January"))


def test_the_mash_records_the_decision_in_welsh_and_english_is_unchanged(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/response"
    english = words(mash.client.get(url).text)
    assert "Record what children's social care decided" in english and "When the MASH received it" in english
    in_welsh(mash.client)
    welsh_page(mash.client, url, "Cofnodi penderfyniad y gwasanaethau cymdeithasol i blant",
               ("Pryd y daeth i law'r MASH", "Pwy a benderfynodd", "Bydd yr atgyfeiriwr yn gweld y rhain.",
                "Cadw'r penderfyniad", "Er enghraifft, 09:30"),
               ("Record what children's social care decided", "Save the decision", "The referrer sees these"))
    refused = mash.post(url, {})
    assert refused.status_code == 400
    assert "Dewiswch beth a benderfynodd y gwasanaethau cymdeithasol i blant" in errors_in(html.unescape(refused.text))
    done = mash.post(url, {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "section_47_strategy"})
    assert done.status_code == 302
    assert "Penderfyniad wedi'i gofnodi ar gyfer" in words(mash.client.get(done.location).text)


def test_the_strategy_meeting_its_minutes_and_their_pdf_in_welsh(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    in_welsh(mash.client)
    url = f"/screenings/{who.sid}/meeting"
    welsh_page(mash.client, url, "Cofnod y cyfarfod strategaeth",
               ("Pryd a phwy", "Dyddiad y cyfarfod", "Wyneb yn wyneb", "Asiantaethau", "Safbwyntiau",
                "Ymholiadau adran 47", "Cam gweithredu 1", "Cadw'r drafft", "Cadw a gwneud yn derfynol"),
               ("When and who", "Date of the meeting", "Save the draft", "Save and make final", "Action 1"))
    too_long = mash.post(url, meeting_form(chair_role="x" * 2001))
    assert too_long.status_code == 400
    assert "Rôl y cadeirydd: ni chaiff fod yn fwy na 2000 nod" in errors_in(html.unescape(too_long.text))
    assert mash.post(url, meeting_form(final="yes", **attendance(app, who.sid))).status_code == 302
    with app.extensions["db"].reading() as tx:
        held = datetime.fromisoformat(tx.scalar(select(MeetingRecord.record))["held_at"])
    on = format_date(held, "d MMMM y", locale="cy")
    welsh_page(mash.client, url, "Cofnod y cyfarfod strategaeth",
               ("Fersiwn 1:", "Terfynol", "Cofnodion i'w hargraffu", "Mae'r cofnod hwn yn derfynol",
                "Diwygio'r cofnod hwn"), ("Minutes to print", "Amend this record", "This record is final"))
    in_welsh(who.client)
    minutes = welsh_page(who.client, f"{url}/minutes", "Cofnodion y cyfarfod strategaeth",
                         ("Fersiwn 1, terfynol.", f"Cynhaliwyd {on} am {held:%H:%M}, ar-lein", "Cadeirydd",
                          "Presenoldeb", "Y plentyn:", "Rhieni neu ofalwyr:", "Argymhellion"),
                         ("Strategy meeting minutes", "Version 1", "Attendance", "Parents or carers:"))
    assert "Heb ei gofnodi" not in words(minutes)  # every agency's attendance, recorded by the MASH in Welsh
    pdf = who.client.get(f"{url}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Cofnodion y cyfarfod strategaeth" in printed and "Presenoldeb" in printed
    assert "Strategy meeting minutes" not in printed and "Attendance" not in printed
    english = Practitioner(signed_in_client(app))  # the same account in another browser follows the account: Welsh
    assert lang(english.client.get(f"{url}/minutes").text) == "cy"
    english.client.get("/language/en?next=/")
    back = words(english.client.get(f"{url}/minutes").text)
    assert "Strategy meeting minutes" in back and f"{held.day} {held:%B %Y} at {held:%H:%M}, online" in back


def test_finding_a_child_the_chronology_and_the_childs_data_in_welsh(app):
    who = referred(app, nhs="943 476 5919")
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    mash.post(f"/screenings/{who.sid}/response", {**RECEIVED_CHRISTMAS_EVE_2025, "decision": "section_47_strategy"})
    lead = Practitioner(signed_in_client(app, "demo-lead"))
    in_welsh(lead.client)
    welsh_page(lead.client, "/children", "Dod o hyd i blentyn",
               ("Rhif GIG", "Rhif disgybl unigryw (UPN)", "Enw cyntaf", "Cyfenw", "Dyddiad geni",
                "Dod o hyd i'r plentyn"), ("Find a child", "First name", "Find the child", "Date of birth"))
    none = lead.post("/children", {"given": "Neb", "family": "Yma", "born_day": "1", "born_month": "1",
                                   "born_year": "2012"})
    assert "0 cofnod wedi'u canfod" in words(none.text) and "Nid oes cofnod yn cyfateb" in words(none.text)
    assert "No record matches" not in words(none.text)
    found = lead.post("/children", {"nhs": "9434765919"})
    child = found.location
    page = welsh_page(lead.client, child, None,
                      ("Cronoleg ar draws asiantaethau", "1 sgriniad gan 1 asiantaeth", "Sgriniadau yn nhrefn dyddiad",
                       "Llwybr a argymhellwyd", "Penderfyniad: ", "Amddiffyn plant", "Cadw cyfreithiol",
                       "Mynediad gwrthrych y data", "A oes cofnod arall o'r plentyn hwn?", "Cyfuno â'r cofnod hwn",
                       "Nid y plentyn hwn: datgysylltu"),
                      ("Chronology across agencies", "Screenings in date order", "Decided:", "Legal hold",
                       "Merge into this record", "Not recorded"))
    assert "ganwyd" in heading(page) and "born" not in heading(page)
    assert '<title id="timeline-title">Llinell amser y sgriniadau, un rhes i bob asiantaeth</title>' in page
    hold = f"{child}/legal-hold"
    welsh_page(lead.client, hold, "Cadw cyfreithiol", ("Pam y mae'n rhaid cadw'r cofnodion?", "Gosod cadw cyfreithiol"),
               ("Why must the records be kept?", "Place a legal hold"))
    refused = lead.post(hold, {})
    assert refused.status_code == 400
    assert "Nodwch pam y mae'n rhaid cadw'r cofnodion" in errors_in(html.unescape(refused.text))
    placed = lead.post(hold, {"reason": "Achos gofal"})
    assert placed.status_code == 302
    welsh_page(lead.client, placed.location, "Cadw cyfreithiol",
               ("Mae'r cadw ar waith", "Gosodwyd", "Achos gofal", "Diddymu'r cadw"), ("The hold is in place", "Placed"))
    welsh_page(lead.client, f"{child}/subject-access", "Popeth a gedwir am y plentyn hwn",
               ("cais gwrthrych am wybodaeth", "1 sgriniad wedi'i gwblhau", "Lawrlwytho fel PDF",
                "Lawrlwytho fel JSON"), ("Everything held about this child", "Download as PDF"))
    export = lead.client.get(f"{child}/subject-access.pdf")
    printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(export.data)).pages)
    assert "Popeth a gedwir am blentyn" in printed and "Pwy a edrychodd ar y cofnodion hyn" in printed
    assert "Everything held about a child" not in printed


def test_the_dashboard_and_its_csv_in_welsh(app):
    referred(app)
    lead = signed_in_client(app, "demo-lead")
    assert "Partnership dashboard" in words(lead.get("/dashboard").text)
    in_welsh(lead)
    welsh_page(lead, "/dashboard?from=2025-01-01&to=2025-03-31", "Dangosfwrdd y bartneriaeth",
               ("Sgriniadau a gwblhawyd rhwng 1 Ionawr 2025 a 31 Mawrth 2025.", "Pob asiantaeth", "Dangos",
                "Sgriniadau yn ôl y llwybr a argymhellwyd, fesul mis", "Dim yn y cyfnod hwn.",
                "Lawrlwytho'r tabl hwn (CSV)", "Atgyfeiriadau heb benderfyniad ar ôl eu dyddiad dyledus"),
               ("Partnership dashboard", "Screenings completed", "Every agency", "None in this period",
                "Download this table"))
    wrong = welsh_page(lead, "/dashboard?from=nonsense", None)
    assert "Nodwch ddechrau'r cyfnod fel dyddiad, fel 2026-04-01" in words(wrong)
    table = list(csv.reader(io.StringIO(lead.get("/dashboard/followup.csv").text)))
    assert table[0] == ["Beth", "Nifer"] and table[1][0] == "Atgyfeiriadau heb benderfyniad ar ôl eu dyddiad dyledus"


def test_the_administrators_pages_in_welsh(app):
    admin = in_welsh(signed_in_client(app, "demo-admin"))
    welsh_page(admin, "/admin/users", "Defnyddwyr",
               ("Ychwanegu defnyddiwr", "Cyfrifon", "Yn mewngofnodi gyda", "Cyfrinair yn unig", "Gweithredol",
                "ymarferydd", "arweinydd diogelu"),
               ("Add a user", "Accounts", "Password only", "safeguarding_lead"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get("/admin/users/new").text).group(1)
    refused = admin.post("/admin/users/new", data={"csrf_token": token})
    assert refused.status_code == 400 and lang(refused.text) == "cy"
    assert {"Rhowch yr enw defnyddiwr", "Rhowch yr enw", "Dewiswch y rôl", "Dewiswch yr asiantaeth",
            "Rhowch y cyfrinair"} <= set(errors_in(refused.text))
    assert "Arweinydd diogelu" in words(refused.text) and "Safeguarding lead" not in words(refused.text)
    welsh_page(admin, "/admin/audit", "Log archwilio", ("Unrhyw un", "Hidlo", "Lawrlwytho'r digwyddiadau hyn fel CSV",
                                                         "y mwyaf diweddar yn gyntaf", "Pryd (UTC)"),
               ("Download these events", "newest first", "When (UTC)"))
    welsh_page(admin, "/admin/second-factor", "Pwy sy'n gorfod mewngofnodi gydag ail ffactor?",
               ("Ymarferwyr", "Arweinwyr diogelu", "Gweinyddwyr"), ("Practitioners", "Administrators"))


def test_setting_up_and_using_a_second_factor_in_welsh(app):
    practitioner = in_welsh(signed_in_client(app))
    page = welsh_page(practitioner, "/account/second-factor", "Gosod eich ap dilysu",
                      ("Ychwanegwch gyfrif a sganiwch y cod QR hwn.", "Ni allaf sganio'r cod",
                       "Troi'r ail ffactor ymlaen"),
                      ("Set up your authenticator app", "I cannot scan the code"))
    assert "Cod QR i'w sganio gyda'ch ap dilysu" in html.unescape(page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = practitioner.post("/account/second-factor", data={"csrf_token": token, "code": "12"})
    assert wrong.status_code == 400
    assert "Rhowch y cod 6 digid y mae eich ap dilysu yn ei ddangos nawr" in errors_in(html.unescape(wrong.text))
    anonymous = app.test_client()
    anonymous.get("/language/cy?next=/sign-in")
    welsh_page(anonymous, "/second-factor/code", "Mewngofnodi eto",  # no password entered first: start again
               ("Aeth mwy na 5 munud heibio",), ("More than 5 minutes",))


@pytest.mark.parametrize(("path", "h1", "has", "lacks"), [
    ("/accessibility", "Datganiad hygyrchedd", ("Sut rydym yn ei brofi", "Problemau hysbys", "chwyddo hyd at 400%",
                                                "Mae'r tudalennau yn Gymraeg ac yn Saesneg"),
     ("How we test it", "Known problems", "English only")),
    ("/privacy", "Hysbysiad preifatrwydd", ("Beth rydym yn ei gadw a pham", "Eich hawliau",
                                            "nid oes unrhyw sefydliad yn rheolydd data",
                                            "hyd at 25 mlynedd ar ôl dyddiad geni'r plentyn"),
     ("What we hold and why", "Your rights", "years after")),
    ("/api/v1/docs", None, ("Y disgrifiad llawn, ar gyfer offer", "API JSON"), ("The full description",)),
])
def test_the_public_pages_in_welsh(anonymous, path, h1, has, lacks):
    english = anonymous.get(path).text
    assert lang(english) == "en" and all(phrase in words(english) for phrase in lacks[:1])
    anonymous.get(f"/language/cy?next={path}")
    welsh_page(anonymous, path, h1, has, lacks)


def test_a_meeting_drafted_in_english_keeps_its_attendance_when_read_in_welsh(app):
    who = referred(app)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    url = f"/screenings/{who.sid}/meeting"
    assert mash.post(url, meeting_form(**attendance(app, who.sid, "sent_information"))).status_code == 302  # a draft
    in_welsh(mash.client)
    form = mash.client.get(url).text
    assert lang(form) == "cy"
    assert re.search(r'name="attendance_0" type="radio" value="sent_information" checked', form)
    in_welsh(who.client)
    minutes = words(who.client.get(f"{url}/minutes").text)
    assert "Fersiwn 1, DRAFFT." in minutes and "Heb ei gofnodi" not in minutes
    assert mash.post(url, meeting_form(final="yes", **attendance(app, who.sid, "sent_information"))).status_code == 302
