"""The practitioner's journey in Welsh (issue 35, ADR 0028): every page from the first question to the referral
speaks Welsh to someone who chose it (headings, buttons, hints, error messages, hidden words, titles), with
`<html lang="cy">` and none of its English left; the same pages in English are unchanged; and markup kept between
requests (a theme of signs, an outcome's detail and decision form) is never served in the other language."""

from __future__ import annotations

import html
import re

import pytest

from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.conftest import heading_of as heading
from tests.web.conftest import lang_of as lang
from tests.web.conftest import words_of as words

CHILD = {"given": "Jasmine", "family": "Featherstonehaugh", "born_day": "3", "born_month": "3", "born_year": "2012"}
AMBER = {"signs__associates": ["older_associate_controlling"], "older_associate_controlling__when": "recent"}





def errors(page: str) -> list[str]:
    """The messages beside the fields, as read (without their hidden "Gwall:" prefix)."""
    return [html.unescape(e) for e in errors_in(page)]


def title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


def in_welsh(page: str, welsh: list[str], english: list[str]) -> str:
    """Check a page is Welsh: `lang="cy"`, each of `welsh` in it and none of `english`; returns its words."""
    said = words(page)
    assert lang(page) == "cy"
    for phrase in welsh:
        assert phrase in said, f"missing Welsh: {phrase!r}"
    for phrase in english:
        assert phrase not in said, f"English left: {phrase!r}"
    return said


@pytest.fixture
def cymraeg(app):
    """A practitioner who has chosen Welsh with the link at the top of the page."""
    client = signed_in_client(app)
    assert client.get("/language/cy?next=/").status_code == 302
    return Practitioner(client)


def test_the_first_page_and_its_errors_in_welsh(cymraeg):
    first = cymraeg.client.get("/screenings/new").text
    in_welsh(first, ["I ba asiantaeth rydych yn gweithio?", "Ai chi yw arweinydd diogelu eich asiantaeth?",
                     "Cadw a pharhau", "Cadw a gweld y llwybr hyd yma", "Neu ei ddyddiad geni", "Diwrnod Mis Blwyddyn",
                     "Rwyf wedi gwirio: nid oes yr un o'r arwyddion", "Beth i chwilio amdano",
                     "Gallwch roi hyd at 300 nod"],
             ["Save and continue", "Which agency do you work for?", "What to look for", "Or their date of birth",
              "I have checked", "Not known", "You can enter up to"])
    assert 'data-i18n.characters-under-limit.few="Mae gennych %{count} nod ar ôl"' in first  # GOV.UK's counter
    assert 'data-idle-stay-text="Aros wedi mewngofnodi"' in first  # the idle-timeout warning's words, for its script
    refused = cymraeg.post("/screenings/new", {"age": "lots", "referrer_contact": "x" * 400})
    assert refused.status_code == 400
    said = in_welsh(refused.text, ["Mae problem wedi codi"], ["There is a problem", "Enter the child", "Select one"])
    assert title(refused.text).startswith("Gwall: ")
    assert errors(refused.text) == [
        "Dewiswch un o'r opsiynau ar gyfer: I ba asiantaeth rydych yn gweithio?",
        "Rhaid i'r ateb i 'Teitl eich swydd, a rhif ffôn neu gyfeiriad e-bost lle gellir cysylltu â chi' fod yn 300 "
        "nod neu lai",
        "Rhowch oed y plentyn mewn blynyddoedd neu ei ddyddiad geni, neu dewiswch 'Ddim yn hysbys'"]
    assert "Gwall: Rhowch oed y plentyn" in said  # the hidden prefix before each message, in Welsh


def test_finding_the_child_in_welsh(cymraeg):
    sid = cymraeg.start()
    find = cymraeg.client.get(f"/screenings/{sid}/child").text
    assert heading(find) == "Pwy yw'r plentyn?"
    in_welsh(find, ["Rhif disgybl unigryw (UPN)", "Dod o hyd i'r plentyn neu ei ychwanegu",
                    "Parhau heb adnabod y plentyn", "Sut y caiff manylion y plentyn eu cadw"],
             ["Who is the child?", "Find or add the child", "First name", "Postcode (optional)", "Day"])
    wrong = cymraeg.post(f"/screenings/{sid}/child", {"given": "Jasmine"})
    assert wrong.status_code == 400 and errors(wrong.text) == [
        "Rhowch ddyddiad geni'r plentyn i ddod o hyd iddo yn ôl ei enw"]
    found = cymraeg.post(f"/screenings/{sid}/child", CHILD)
    details = cymraeg.client.get(found.location).text
    assert heading(details) == "Manylion y plentyn ar gyfer yr atgyfeiriad"
    in_welsh(details, ["Mae cofnod y plentyn yn cynnwys 0 sgriniad cynharach.",  # the flash, in Welsh
                       "Rhiant neu ofalwr 1", "Oes gan y person hwn gyfrifoldeb rhiant?",
                       "Hepgor: nid yw'r rhain gennyf"],
             ["earlier screening", "Parent or carer", "parental responsibility", "Skip: I do not have these"])
    carer = cymraeg.post(found.location, {"carer1_relationship": "mam"})
    assert errors(carer.text) == ["Rhowch enw'r rhiant neu'r gofalwr, neu gadewch ei fanylion yn wag"]
    linked = cymraeg.client.get(f"/screenings/{sid}/child").text
    in_welsh(linked, ["Mae'r sgriniad hwn yn ymwneud â", "Nid hwn yw'r plentyn cywir",
                      "Nid oes unrhyw asiantaeth arall wedi cwblhau sgriniad"],
             ["This screening is about", "This is not the right child", "No other agency"])


def test_two_children_with_the_same_name_are_offered_in_welsh(app, cymraeg):
    other = Practitioner(signed_in_client(app, "demo-nurse"))
    other.start(agency="health_community")
    assert other.post(f"/screenings/{other.sid}/child", CHILD).status_code == 302
    sid = cymraeg.start()
    offered = cymraeg.post(f"/screenings/{sid}/child", CHILD)
    assert offered.status_code == 200 and heading(offered.text) == "Ai hwn yw'r plentyn?"
    in_welsh(offered.text, ["ganwyd 3 Mawrth 2012", "heb ei sgrinio o'r blaen", "neu",
                            "Dim un o'r rhain: ychwanegu cofnod newydd ar gyfer y plentyn hwn", "Parhau"],
             ["born", "not screened before", "None of these", "Continue"])
    refused = cymraeg.post(f"/screenings/{sid}/child/confirm", {**CHILD, "record": "somebody else"})
    assert refused.status_code == 400 and errors(refused.text) == ["Dewiswch y cofnod sy'n perthyn i'r plentyn hwn"]


def test_a_question_page_its_errors_and_the_wording_warning_in_welsh(cymraeg):
    sid = cymraeg.start()
    signs = cymraeg.page("signs", {"missing_episodes_90d": "-3", "theme__missing": "no",
                                    "signs__missing": ["returns_changed_after_missing"]}, expect=400).text
    assert set(errors(signs)) == {
        "Rhaid i'r rhif fod yn 0 neu fwy ar gyfer: Sawl gwaith mae'r plentyn wedi bod ar goll, neu i ffwrdd heb "
        "ganiatâd, yn y 90 diwrnod diwethaf?",
        "Gwnaethoch ateb na i \u2018Ydy'r plentyn wedi mynd ar goll, wedi aros allan yn hwyr neu dros nos, neu wedi "
        "bod yn absennol heb esboniad?\u2019 ond ticio arwyddion ohono: dad-diciwch nhw, neu atebwch ie"}
    in_welsh(signs, ["Pryd?", "Nawr neu yn ystod y 6 mis diwethaf", "Y ddau: yn ddiweddar a 6 i 12 mis yn ôl"],
             ["When?", "Now or in the last 6 months", "months ago", "which of these have you seen"])
    saved = cymraeg.page("signs", {"missing_episodes_90d": "0", "theme__missing": "no", "js": "1"})
    assert "/pages/" in saved.location or "/check" in saved.location
    tasks = cymraeg.client.get(f"/screenings/{sid}/pages/signs").text
    in_welsh(tasks, ["Rydych wedi cofnodi 4 arwydd fel rhai nad ydynt yn bresennol: Mynd ar goll ac absenoldeb (4)"],
             ["You recorded", "as not present"])


def test_check_answers_the_route_so_far_and_deleting_a_draft_in_welsh(cymraeg):
    sid = cymraeg.start()
    check = cymraeg.client.get(f"/screenings/{sid}/check").text
    assert heading(check) == "Gwirio eich atebion"
    in_welsh(check, ["Newid pwy yw'r plentyn", "Heb ei ateb (fe'i darllenir fel ddim yn hysbys)",
                     "Dim wedi'u gweld na chael gwybod amdanynt", "Cael yr argymhelliad"],
             ["Check your answers", "Not answered", "None seen or told", "Change", "Get the recommendation"])
    missing = cymraeg.post(f"/screenings/{sid}/check")
    assert missing.status_code == 400 and title(missing.text).startswith("Gwall: Gwirio eich atebion")
    assert "Atebwch 'Beth sy'n eich poeni? Dywedwch hynny yn eich geiriau eich hun' (Am y plentyn a'ch pryder)" \
        in words(missing.text)
    cymraeg.required_pages(signs=AMBER)
    so_far = cymraeg.client.get(f"/screenings/{sid}/provisional").text
    in_welsh(so_far, ["Dros dro: ar sail yr hyn rydych wedi'i gofnodi hyd yma", "Hyd yma: ",
                      "I'w wneud nawr: y 3 mwyaf brys",
                      "Ddim yn hysbys eto, ac a allai ei godi", "Parhau i gofnodi",
                      "Gwirio eich atebion a chael yr argymhelliad"],
             ["Provisional", "So far:", "Do now", "could raise it to", "Carry on recording", "signs are not recorded"])
    assert title(so_far).startswith("Y llwybr hyd yma (dros dro)")
    ask = cymraeg.client.get(f"/screenings/{sid}/delete").text
    assert heading(ask) == "Dileu'r sgriniad drafft hwn?"
    in_welsh(ask, ["Ie, dileu'r drafft", "Na, ei gadw"], ["Yes, delete", "No, keep it"])
    deleted = cymraeg.post(f"/screenings/{sid}/delete")
    mine = cymraeg.client.get(deleted.location).text
    in_welsh(mine, ["Cafodd y sgriniad drafft ei ddileu.", "Nid ydych wedi dechrau unrhyw sgriniadau eto."],
             ["was deleted", "You have not started"])


def test_the_danger_page_in_welsh(cymraeg):
    danger = cymraeg.post("/screenings/new", {"signs__immediate_danger": ["with_abuser_now"], "agency": "school",
                                              "age": "14"})
    page = cymraeg.client.get(danger.location).text
    assert heading(page) == "Ffoniwch 999 nawr" and title(page).startswith("Ffoniwch 999 nawr")
    in_welsh(page, ["Mae'r plentyn mewn perygl nawr", "Peidiwch ag aros i orffen y sgriniad hwn",
                    "nid yw'r rhif wedi'i osod eto", "Rwyf wedi ffonio: parhau i gofnodi", "Gweld y llwybr hyd yma"],
             ["The child is in danger now", "number not set up yet", "Ask your safeguarding lead", "I have called"])


def test_the_outcome_the_decision_the_referral_and_the_list_in_welsh(app, cymraeg):
    sid = cymraeg.start()
    cymraeg.required_pages(signs=AMBER)
    outcome = cymraeg.finish().text
    in_welsh(outcome, ["Ai atgyfeiriad amddiffyn plant yw hwn?", "Nage. Nid yw hwn yn atgyfeiriad amddiffyn plant",
                       "Geiriau'r plentyn ei hun", "Atgyfeiriad i'w anfon",
                       "Y manylion", "Pam: y rhesymau dros y llwybr hwn", "Arwyddion a gofnodwyd gennych, fesul thema",
                       "Ydych chi'n cytuno â'r llwybr a argymhellir?", "Cofnodi fy mhenderfyniad",
                       "Anfon, argraffu neu gadw", "Lawrlwytho fel JSON"],
             ["Is this a child protection referral?", "The detail", "Why: the reasons", "Record my decision",
              "Do you agree", "Download as JSON", "Produced by rule set", "Printed from"])
    assert title(outcome).startswith("Canlyniad: ")
    assert re.search(r"Cynhyrchwyd gan set reolau default-cse fersiwn 1\.0\.0 ar \d+ \w+ \d{4} am \d\d:\d\d\.",
                     words(outcome))
    refused = cymraeg.post(f"/screenings/{sid}/decision", {"decision": "lower"})
    assert refused.status_code == 400 and errors(refused.text) == [
        "Dewiswch y llwybr rydych wedi penderfynu arno",
        "Rhowch y rheswm pam rydych yn gostwng y llwybr yn is na'r argymhelliad",
        "Rhowch enw'r arweinydd diogelu y buoch yn ymgynghori ag ef neu hi"]
    cymraeg.post(f"/screenings/{sid}/decision", {"decision": "agree"})
    decided = cymraeg.client.get(f"/screenings/{sid}/outcome").text
    in_welsh(decided, ["Gwnaethoch gytuno â'r llwybr a argymhellwyd.", "Penderfyniadau a gofnodwyd", "Cytunwyd",
                       "Cofnodi penderfyniad gwahanol"], ["You agreed", "Decisions recorded", "Agreed"])
    referral = cymraeg.client.get(f"/screenings/{sid}/referral").text
    in_welsh(referral, ["Yn ôl i'r canlyniad", "Testun plaen ar gyfer e-bost", "Mae'r adnodd yn cynghori"],
             ["Back to the outcome", "Plain text for an email", "The tool advises"])
    listed = cymraeg.client.get("/screenings").text
    assert heading(listed) == "Eich sgriniadau"
    in_welsh(listed, ["Cyfeirnod y plentyn", "Cadwyd ddiwethaf", "Wedi'i gwblhau", "Dechrau sgriniad newydd"],
             ["Child reference", "Last saved", "Complete", "Start a new screening"])
    mash = signed_in_client(app, "demo-mash")
    mash.get("/language/cy?next=/")
    received = mash.get(f"/screenings/{sid}/outcome").text
    in_welsh(received, ["Sgriniwyd gan Demo practitioner ar",
                        "Cofnodi penderfyniad y gwasanaethau cymdeithasol i blant",
                        "Darllen yr atgyfeiriad", "Cytunodd yr atgyfeiriwr â'r llwybr a argymhellwyd."],
             ["Screened by", "Read the referral", "The referrer agreed"])


def test_english_is_unchanged_and_never_served_in_welsh(cymraeg):
    """Pages drawn in Welsh first (a theme of signs, the outcome's kept detail and decision form) are drawn again in
    English when the reader switches, in the same process; and back again."""
    sid = cymraeg.start()
    cymraeg.required_pages(signs=AMBER)
    cymraeg.finish()
    other = cymraeg.start()
    welsh = {"outcome": cymraeg.client.get(f"/screenings/{sid}/outcome").text,
             "signs": cymraeg.client.get(f"/screenings/{other}/pages/signs").text}
    assert "Pam: y rhesymau dros y llwybr hwn" in words(welsh["outcome"])
    assert "Ie Na Ddim yn hysbys" in words(welsh["signs"])
    cymraeg.client.get("/language/en?next=/")
    outcome = cymraeg.client.get(f"/screenings/{sid}/outcome").text
    said = words(outcome)
    assert lang(outcome) == "en"
    for phrase in ["Is this a child protection referral?", "Why: the reasons for this route", "The detail",
                   "Do you agree with the recommended route?", "Record my decision", "Signs you recorded, by theme"]:
        assert phrase in said
    for phrase in ["Pam: y rhesymau", "Cofnodi fy mhenderfyniad", "Ai atgyfeiriad", "Ddim yn hysbys"]:
        assert phrase not in said
    signs = cymraeg.client.get(f"/screenings/{other}/pages/signs").text
    assert lang(signs) == "en" and "Yes No Not known" in words(signs)
    assert "Ie Na Ddim yn hysbys" not in words(signs) and "Pryd?" not in words(signs)
    first = cymraeg.client.get("/screenings/new").text
    assert "Save and continue" in words(first) and "Which agency do you work for?" in words(first)
    assert "data-i18n.characters-under-limit" not in first  # English passes nothing: GOV.UK's own English
    cymraeg.client.get("/language/cy?next=/")
    again = cymraeg.client.get(f"/screenings/{sid}/outcome").text
    assert words(again) == words(welsh["outcome"])  # the Welsh kept is the Welsh drawn
