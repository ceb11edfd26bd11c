"""End to end in Chromium: a practitioner screens a child from the start page to the outcome.

Four journeys reach four routes; one shows the error path; one saves and resumes; one runs with JavaScript off.
axe-core checks every page each journey visits.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

LOW_CONCERN = {
    "about_child": {"child_reference": "BRW-1", "age": "15", "current_social_care_status": "none"},
    "history": {"missing_episodes_90d": "0", "previous_concerns_12m": "0"},
    "child_voice": {"seen_alone": "yes"},
    "household": {"other_children_household": "0"},
}


class Journey:
    """Drives the screening pages by field name, as a keyboard or mouse user would fill them."""

    def __init__(self, page, base: str, axe=None):
        self.page, self.base, self.axe = page, base, axe

    def check_page(self) -> None:
        if self.axe:
            self.axe(self.page)

    def start(self, agency: str = "school") -> None:
        sign_in(self.page, self.base, axe=self.axe)
        self.page.goto(self.base + "/")
        self.check_page()
        self.page.get_by_role("button", name="Start a screening").click()
        expect(self.page.get_by_role("heading", name="Your screening")).to_be_visible()
        self.check_page()
        self.fill("about-you", {"agency": agency})

    def open_task(self, page_id: str) -> None:
        self.page.locator(f'a[href$="/pages/{page_id}"]').first.click()

    def fill(self, page_id: str, answers: dict) -> None:
        self.open_task(page_id)
        self.check_page()
        for name, value in answers.items():
            field = self.page.locator(f'[name="{name}"]')
            kind = field.first.get_attribute("type")
            if kind in ("radio", "checkbox"):
                self.page.locator(f'[name="{name}"][value="{value}"]').check()
            else:
                field.fill(value)
        self.page.get_by_role("button", name="Save and continue").click()
        expect(self.page.get_by_role("heading", name="Your screening")).to_be_visible()

    def answer_all(self, pages: dict[str, dict]) -> None:
        for page_id, answers in pages.items():
            self.fill(page_id, answers)

    def outcome(self):
        self.page.get_by_role("button", name="Check your answers").click()
        expect(self.page.get_by_role("heading", name="Check your answers")).to_be_visible()
        self.check_page()
        self.page.get_by_role("button", name="Get the recommendation").click()
        expect(self.page.locator(".govuk-panel__title")).to_contain_text("Recommended route")
        self.check_page()
        return self.page


def test_low_concern_journey_reaches_universal_or_early_help(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start()
    journey.answer_all({**LOW_CONCERN, "indicators-vulnerabilities": {"bereavement_or_loss": "yes"}})
    outcome = journey.outcome()
    expect(outcome.locator(".govuk-panel__title")).to_contain_text(re.compile("Universal|Early help"))
    expect(outcome.get_by_text("No. This is not a child protection referral")).to_be_visible()


def test_child_in_need_journey(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start("health_hospital")
    journey.answer_all({**LOW_CONCERN, "history": {"missing_episodes_90d": "4", "previous_concerns_12m": "0"}})
    outcome = journey.outcome()
    expect(outcome.locator(".govuk-panel__title")).to_contain_text("Child in need")
    expect(outcome.get_by_role("heading", name="What to do next")).to_be_visible()


def test_section_47_journey_requires_a_strategy_meeting(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start("gp")
    journey.answer_all({
        **LOW_CONCERN,
        "child_voice": {"seen_alone": "yes", "child_words": "He told me I owe him for the phone"},
        "indicators-disclosures": {"disclosure_sexual_abuse": "yes", "disclosure_sexual_abuse__when": "recent"},
    })
    outcome = journey.outcome()
    expect(outcome.locator(".govuk-panel__title")).to_contain_text(re.compile("Section 47|[Cc]hild protection"))
    expect(outcome.get_by_text("Yes. This is a child protection referral.")).to_be_visible()
    expect(outcome.get_by_text("A strategy meeting or discussion is needed within")).to_be_visible()
    expect(outcome.locator("blockquote")).to_have_text("He told me I owe him for the phone")
    expect(outcome.locator(".app-record-template th")).to_contain_text(["Action", "Owner", "Due date"])
    # Raising needs a reason: the error summary links to the field.
    outcome.locator('[name="decision"][value="raise"]').check()
    outcome.get_by_role("button", name="Record my decision").click()
    expect(outcome.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(outcome)


def test_immediate_protection_journey_puts_999_first(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start("police")
    journey.answer_all({**LOW_CONCERN, "indicators-immediate_danger": {"with_abuser_now": "yes"}})
    outcome = journey.outcome()
    expect(outcome.locator(".govuk-panel__title")).to_contain_text("Immediate protection")
    first_action = outcome.locator("#next-steps ~ table tbody tr").first
    expect(first_action).to_contain_text("now")
    expect(first_action).to_contain_text("999")


def test_error_path_links_the_summary_to_the_fields(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start()
    journey.open_task("about_child")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert_no_axe_violations(page)
    summary.get_by_role("link", name=re.compile("age in years")).click()
    expect(page.locator("#age")).to_be_focused()
    expect(page.locator("#age-error")).to_contain_text("Enter the child's age")


def test_save_and_resume_from_your_screenings(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.start("youth_service")
    journey.fill("about_child", LOW_CONCERN["about_child"])
    page.goto(live_server + "/screenings")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="BRW-1").first.click()
    expect(page.get_by_role("heading", name="Your screening")).to_be_visible()
    journey.open_task("about_child")
    expect(page.locator("#age")).to_have_value("15")
    page.get_by_role("button", name="Save and continue").click()
    journey.answer_all({k: v for k, v in LOW_CONCERN.items() if k != "about_child"})
    expect(journey.outcome().locator(".govuk-panel__title")).to_be_visible()


def test_whole_journey_works_without_javascript(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    journey = Journey(page, live_server)
    journey.start()
    journey.answer_all({**LOW_CONCERN, "indicators-online": {"online_contact_unknown_adults": "yes",
                                                             "online_contact_unknown_adults__when": "earlier"}})
    outcome = journey.outcome()
    assert "js-enabled" not in (outcome.locator("body").get_attribute("class") or "")
    expect(outcome.locator(".govuk-panel__title")).to_contain_text("Recommended route")


def test_pages_without_javascript_pass_axe(scriptless_page, live_server, assert_no_axe_violations):
    journey = Journey(scriptless_page, live_server, assert_no_axe_violations)
    journey.start()
    journey.answer_all(LOW_CONCERN)
    journey.outcome()
