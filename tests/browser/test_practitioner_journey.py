"""End to end in Chromium: a practitioner screens a child from the start page to the outcome and the referral.

The case is the one from the walk-through that measured 48 page loads: a school's safeguarding lead screening a
14-year-old girl. Page loads are counted from the browser's own load events; axe-core checks every page visited.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.browser.cases import SCHOOL_CASE, button_for, fill
from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

S47 = "Child protection: section 47 referral and strategy discussion"
CIN = "Child in need: referral to children's social care for assessment"


class Journey:
    """Drives the screening pages by field name, counting the page loads a practitioner sits through."""

    def __init__(self, page, base: str, axe=None):
        self.page, self.base, self.axe = page, base, axe
        self.loads = 0
        page.on("load", lambda _: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def check_page(self) -> None:
        if self.axe:
            self.axe(self.page)

    def sign_in(self) -> None:
        sign_in(self.page, self.base, axe=self.axe)
        self.loads = 0

    def start(self) -> None:
        self.page.goto(self.base + "/")
        self.check_page()
        self.page.get_by_role("button", name="Start a screening").click()
        expect(self.page.get_by_role("heading", name="Is the child in danger now?", level=1)).to_be_visible()
        self.check_page()

    def answer(self, answers: dict, button: str = "Save and continue") -> None:
        later = fill(self.page, answers)
        self.page.get_by_role("button", name=button).click()
        if later:  # without JavaScript: the themes answered yes, asked on their own page
            self.check_page()
            assert not fill(self.page, later), later
            self.page.get_by_role("button", name="Save and continue").click()
        self.check_page()

    def record(self, pages: list[tuple[str, dict]]) -> None:
        for page_id, answers in pages:
            self.answer(answers, button_for(page_id, answers))

    def outcome(self):
        expect(self.page.get_by_role("heading", name="Check your answers")).to_be_visible()
        self.page.get_by_role("button", name="Get the recommendation").click()
        expect(self.page.locator("#route-panel")).to_be_visible()
        self.check_page()
        return self.page


def _fetch(page, url: str) -> bytes:
    """A document as the signed-in browser gets it (same cookies), without navigating away."""
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    return response.body()


def _pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages)


def test_the_school_case_takes_at_most_ten_page_loads_and_fits_one_screen(page, live_server,
                                                                           assert_no_axe_violations):
    page.set_viewport_size({"width": 1280, "height": 800})
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    outcome = journey.outcome()
    assert journey.loads <= 10, journey.loads
    expect(outcome.locator("#route-panel h1")).to_have_text(S47)
    expect(outcome.locator("#child-protection")).to_contain_text("Yes. This is a child protection referral.")
    expect(outcome.locator("#strategy-meeting-summary")).to_contain_text("Yes, within")
    expect(outcome.locator("#summary blockquote").first).to_contain_text("I'm scared of him")
    expect(outcome.locator("#do-now + ol li")).to_have_count(3)
    # The referrer is their school's safeguarding lead: the tool does not send them to one.
    expect(outcome.locator("#summary")).not_to_contain_text("safeguarding lead within")
    box = outcome.locator("#summary").bounding_box()
    assert box and box["y"] + box["height"] <= 800, box
    assert not re.search(r"\bsection_47\b|\bchild_in_need\b|older_associate_controlling",
                         outcome.locator("main").inner_text())
    printed, _ = _pdf_text(outcome.pdf(format="A4"))
    assert printed <= 4, printed


def test_a_lowered_decision_is_the_outcome_that_counts_everywhere(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    outcome = journey.outcome()
    outcome.locator('[name="decision"][value="lower"]').check()
    outcome.locator('[name="lower_route"][value="child_in_need"]').check()
    outcome.locator("#lower_reason").fill("Strategy discussion already held this morning with police")
    outcome.locator("#lower_lead").fill("A. Lead")
    outcome.get_by_role("button", name="Record my decision").click()
    expect(outcome.locator(".govuk-error-summary")).to_contain_text("Confirm that you are going below the minimum")
    journey.check_page()
    outcome.locator('[name="confirm_below_minimum"]').check()
    outcome.get_by_role("button", name="Record my decision").click()
    journey.check_page()
    expect(outcome.locator("#route-panel h1")).to_have_text(CIN)
    expect(outcome.locator("#route-panel")).to_contain_text("lowered from the recommended route")
    expect(outcome.locator("#child-protection")).to_contain_text("No.")
    expect(outcome.locator("#decision-history tbody tr")).to_have_count(1)
    sid = re.search(r"/screenings/([0-9a-f]{32})/", outcome.url).group(1)
    outcome.get_by_role("button", name="Referral to send").click()
    journey.check_page()
    expect(outcome.locator("h1")).to_have_text(f"Referral: {CIN}")
    expect(outcome.locator("main")).to_contain_text("Strategy discussion already held this morning")
    pages, text = _pdf_text(_fetch(outcome, f"{live_server}/screenings/{sid}/referral.pdf"))
    assert pages <= 2 and "Child in need" in text and "Strategy discussion already held" in text
    plain = _fetch(outcome, f"{live_server}/screenings/{sid}/referral.txt").decode()
    assert plain.startswith("Referral: Child in need") and "This is not a child protection referral." in plain
    counted = json.loads(_fetch(outcome, f"{live_server}/screenings/{sid}/outcome.json"))["route_that_counts"]
    assert (counted["route"], counted["decision"], counted["child_protection"]) == ("child_in_need", "lower", False)


def test_a_raised_decision_makes_it_a_child_protection_referral(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record([*SCHOOL_CASE[:3], ("signs", {"missing_episodes_90d": "0"}),
                    ("child_voice", {"seen_alone": "yes"}), SCHOOL_CASE[5]])
    outcome = journey.outcome()
    expect(outcome.locator("#child-protection")).to_contain_text("No.")
    outcome.locator('[name="decision"][value="raise"]').check()
    outcome.locator('[name="raise_route"][value="section_47"]').check()
    outcome.locator("#raise_reason").fill("She disclosed to me this afternoon that he hurt her")
    outcome.get_by_role("button", name="Record my decision").click()
    journey.check_page()
    expect(outcome.locator("#child-protection")).to_contain_text("Yes. This is a child protection referral.")
    expect(outcome.locator("#strategy-meeting-summary")).to_contain_text("Yes, within 24 hours")
    expect(outcome.locator("#summary")).not_to_contain_text("nobody will contact you")
    sid = re.search(r"/screenings/([0-9a-f]{32})/", outcome.url).group(1)
    _, text = _pdf_text(_fetch(outcome, f"{live_server}/screenings/{sid}/referral.pdf"))
    assert "This IS a child protection referral." in text and "disclosed to me this afternoon" in text
    plain = _fetch(outcome, f"{live_server}/screenings/{sid}/referral.txt").decode()
    assert "This IS a child protection referral." in plain


def test_immediate_danger_as_the_first_answer_interrupts_on_the_next_load(page, live_server,
                                                                          assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.answer({"signs__immediate_danger": ["with_abuser_now"]})  # nothing else answered
    expect(page.get_by_role("heading", name="Call 999 now", level=1)).to_be_visible()
    expect(page.locator(".app-danger-banner")).to_contain_text("999")
    expect(page.locator(".app-danger-banner")).to_contain_text("MASH")
    assert journey.loads == 3  # start page, first page, the 999 page
    page.get_by_role("link", name="See the route so far").click()
    journey.check_page()
    expect(page.locator("#route-panel h1")).to_contain_text("Immediate protection")


def test_a_provisional_route_within_four_page_loads(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.answer({"agency": "health_hospital", "age": "12",
                    "signs__immediate_danger__checked": "y"}, button="Save and see the route so far")
    expect(page.locator(".govuk-caption-l")).to_have_text("Provisional: on what you have recorded so far")
    expect(page.get_by_text(re.compile(r"Answering more can\s+only keep"))).to_be_visible()
    expect(page.get_by_role("heading", name="Sections not answered yet")).to_be_visible()
    assert journey.loads <= 4, journey.loads


def test_the_school_case_without_javascript(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    journey = Journey(page, live_server)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    outcome = journey.outcome()
    assert journey.loads <= 10, journey.loads
    assert "js-enabled" not in (outcome.locator("body").get_attribute("class") or "")
    expect(outcome.locator("#child-protection")).to_contain_text("Yes. This is a child protection referral.")


def test_pages_without_javascript_pass_axe(scriptless_page, live_server, assert_no_axe_violations):
    journey = Journey(scriptless_page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    journey.outcome()


def test_the_outcome_fits_a_phone_without_sideways_scrolling(page, live_server):
    journey = Journey(page, live_server)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    outcome = journey.outcome()
    outcome.set_viewport_size({"width": 375, "height": 812})
    for fold in outcome.locator("details.app-fold").all():
        fold.evaluate("d => d.open = true")
    assert outcome.evaluate("document.documentElement.scrollWidth") <= 375


def test_error_path_links_the_summary_to_the_fields(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.answer({"agency": "school"})
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    summary.get_by_role("link", name=re.compile("age in years")).click()
    expect(page.locator("#age")).to_be_focused()
    expect(page.locator("#age-error")).to_contain_text("Enter the child's age")


def test_save_and_resume_from_your_screenings(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE[:3])
    page.goto(live_server + "/screenings")
    journey.check_page()
    page.get_by_role("link", name="UPN A123").first.click()
    expect(page.get_by_role("heading", name="Your screening")).to_be_visible()
    journey.check_page()
    page.get_by_role("link", name="Is the child in danger now?").click()
    expect(page.locator("#age")).to_have_value("14")
