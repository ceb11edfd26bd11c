"""Two agencies screen the same child in the browser; the second is offered the record by name and date of birth,
confirms it, and its outcome counts both agencies; a safeguarding lead then reads the chronology, with and
without JavaScript, and axe finds nothing on any of these pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.cases import ABOUT
from tests.browser.signin import sign_in
from tests.browser.test_practitioner_journey import Journey

CHILD = {"upn": "B801200005001", "given": "Nadia", "family": "Okonkwo-Brightwater", "born_day": "14",
         "born_month": "2", "born_year": "2012"}
REST = [("about_child", {**ABOUT, "previous_concerns_12m": "", "concern_summary": "Older men outside school."}),
        ("signs", {"missing_episodes_90d": "1", "signs__associates": ["older_friendship_group"],
                   }),
        ("child_voice", {"seen_alone": "yes", "child_words": "They are just my mates."}),
        ("family", {"other_children_household": "0"})]


def screen(page, base: str, username: str, agency: str, child: dict, axe, confirm: bool = False) -> None:
    journey = Journey(page, base, axe)
    sign_in(page, base, username)
    journey.start()
    journey.answer({"agency": agency, "age": "14"})
    expect(page.get_by_role("heading", name="Who is the child?")).to_be_visible()
    journey.answer(child, "Find or add the child")
    if confirm:
        expect(page.get_by_role("heading", name="Is this the child?")).to_be_visible()
        expect(page.locator("main")).to_contain_text("N... O..., born 14 February 2012")
        expect(page.locator("main")).not_to_contain_text("Okonkwo")
        page.locator("input[name=record]").first.check()
        page.get_by_role("button", name="Continue").click()
        axe(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("N... O..., born 14 February 2012")
    expect(page.get_by_role("heading", name="The child's details for the referral")).to_be_visible()
    axe(page)  # the record holds no address, school or carer yet: the referral's details are asked, and skipped
    page.get_by_role("link", name="Skip: I do not have these").click()
    journey.record(REST)
    journey.outcome()
    page.get_by_role("button", name="Sign out").click()


def test_two_agencies_one_child_and_the_chronology(page, live_server, assert_no_axe_violations, scriptless_page):
    screen(page, live_server, "demo-practitioner", "school", CHILD, assert_no_axe_violations)
    by_name = {k: v for k, v in CHILD.items() if k != "upn"}
    screen(page, live_server, "demo-nurse", "health_hospital", by_name, assert_no_axe_violations, confirm=True)

    sign_in(page, live_server, "demo-lead")
    page.goto(live_server + "/children")
    assert_no_axe_violations(page)
    page.get_by_label("Unique pupil number (UPN)").fill("b801 2000 05001")
    page.get_by_role("button", name="Find the child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nadia Okonkwo-Brightwater, born 14 February 2012")
    expect(page.locator("svg[role=img] title")).to_have_text("Timeline of screenings, one row per agency")
    rows = page.locator("table.app-chronology tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Hospital or emergency department")
    expect(rows.nth(1)).to_contain_text("They are just my mates.")
    assert page.locator("svg[role=img] circle").count() >= 2
    assert_no_axe_violations(page)
    printed = page.pdf(format="A4")
    assert printed.startswith(b"%PDF")

    chronology = page.url
    scriptless_page.context.add_cookies(page.context.cookies())
    scriptless_page.goto(chronology)
    expect(scriptless_page.locator("table.app-chronology tbody tr")).to_have_count(2)
    assert_no_axe_violations(scriptless_page)
