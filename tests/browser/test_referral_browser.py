"""In Chromium: three identified children's referrals (HTML, PDF, plain text and the API's JSON) say who the child is,
who their parents are and, first of all, not to contact them when the referrer says that could raise the risk; each
PDF fits two A4 pages in the sans-serif font the page asks for. An unidentified child's referral says so. axe-core
checks every page visited."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.browser.cases import COUNTY_LINES_BOY, PARTNER_EXPLOITER, SCHOOL_CASE, UNIDENTIFIED
from tests.browser.test_practitioner_journey import Journey, _fetch

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHILDREN = {  # each case's child, as the practitioner identifies them, and a parent or carer
    "school": ({"nhs": "943 476 5919", "given": "Maya", "family": "Okafor", "born_day": "14", "born_month": "2",
                "born_year": "2012"}, ("Grace Okafor", "mother")),
    "county lines": ({"nhs": "401 023 2137", "given": "Tyler", "family": "Brennan", "born_day": "9",
                      "born_month": "11", "born_year": "2011"}, ("Dean Brennan", "father")),
    "partner": ({"nhs": "485 777 3457", "given": "Leah", "family": "Marsh", "born_day": "30", "born_month": "6",
                 "born_year": "2013"}, ("Sara Marsh", "mother")),
}
CASES = {"school": SCHOOL_CASE, "county lines": COUNTY_LINES_BOY, "partner": PARTNER_EXPLOITER}


def identified(case: list, child: dict, carer: tuple[str, str]) -> list:
    """The case with its child identified, a parent or carer given for the referral, and the family page saying
    that telling them could put the child at greater risk."""
    name, relationship = carer
    steps = []
    for page_id, answers in case:
        if (page_id, answers) == UNIDENTIFIED:
            steps += [("child", child), ("child_details", {
                "address": "2 Mill Lane, Anytown", "carer1_name": name, "carer1_relationship": relationship,
                "carer1_contact": "07700 900456", "carer1_pr": "yes"})]
        elif page_id == "family":
            steps.append((page_id, {**answers, "telling_family_may_increase_risk": "yes"}))
        else:
            steps.append((page_id, answers))
    return steps


def pdf_pages(data: bytes) -> tuple[int, str, set[str]]:
    """Pages, text and the fonts each page uses."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"].get("/Font", {}).values()}
    return len(reader.pages), " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages), fonts


def mash_token(app, name: str) -> dict:
    """A case-management system's token at the MASH."""
    from screening.store import tokens
    with app.extensions["db"].transaction() as tx:
        made = tokens.add(tx, name, "mash", "social_care", None)
    return {"Authorization": f"Bearer {made}"}


@pytest.mark.parametrize("case", list(CASES))
def test_an_identified_childs_referral_names_them_their_parents_and_the_risk_of_telling(
        case, page, live_server, browser_app, assert_no_axe_violations):
    child, (carer, relationship) = CHILDREN[case]
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(identified(CASES[case], child, CHILDREN[case][1]))
    outcome = journey.outcome()
    sid = re.search(r"/screenings/([0-9a-f]{32})/", outcome.url).group(1)
    outcome.get_by_role("button", name="Referral to send").click()
    journey.check_page()
    name, born = f"{child['given']} {child['family']}", f"born {child['born_day']} "
    shown = outcome.locator("main")
    expect(shown.locator(".warning")).to_contain_text("Do not contact the parents or carers")
    for words in (name, born, child["nhs"], carer, relationship, "2 Mill Lane, Anytown"):
        expect(shown).to_contain_text(words)
    pages, text, fonts = pdf_pages(_fetch(outcome, f"{live_server}/screenings/{sid}/referral.pdf"))
    assert pages <= 2, pages
    assert all(re.search(r"Liberation-?Sans|Arial", f) for f in fonts), fonts
    for words in (name, child["nhs"], carer, "Do not contact the parents or carers"):
        assert words in text, words
    plain = _fetch(outcome, f"{live_server}/screenings/{sid}/referral.txt").decode()
    assert plain.splitlines()[1].startswith("WARNING: Do not contact the parents or carers")
    assert f"Child: {name}, {born}" in plain and child["nhs"] in plain and carer in plain
    reply = outcome.request.get(f"{live_server}/api/v1/screenings/{sid}/referral",
                                headers=mash_token(browser_app, f"case-system-{case.replace(' ', '-')}"))
    assert reply.status == 200, reply.text()
    structured = json.loads(reply.body())
    assert structured["child"]["name"] == name and structured["child"]["nhs"] == child["nhs"].replace(" ", "")
    assert structured["child"]["born"].endswith(f"-{int(child['born_day']):02d}")
    assert structured["child"]["carers"][0]["name"] == carer
    assert structured["warning"].startswith("Do not contact the parents or carers")


def test_an_unidentified_childs_referral_says_so(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    outcome = journey.outcome()
    outcome.get_by_role("button", name="Referral to send").click()
    journey.check_page()
    expect(outcome.locator("main")).to_contain_text("The referrer did not identify the child in this tool")
