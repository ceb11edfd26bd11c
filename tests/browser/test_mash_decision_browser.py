"""The MASH in Chromium: a referral it received reads as received (not as its author's), and from its list to a
recorded decision takes two page loads, asked only when it was received, who decided, the decision and why; axe
finds nothing on the way."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.cases import ABOUT
from tests.browser.signin import sign_in
from tests.browser.test_practitioner_journey import Journey

REFERRAL = [("child", {}),
            ("about_child", {**ABOUT, "child_reference": "MASH-B1",
                             "concern_summary": "She told me a man at the party raped her."}),
            ("signs", {"missing_episodes_90d": "0", "signs__disclosures": ["disclosure_sexual_abuse"],
                       "disclosure_sexual_abuse__when": "recent"}),
            ("child_voice", {"seen_alone": "yes", "child_words": "I don't want him to do it again."}),
            ("family", {"other_children_household": "0"})]


def test_the_mash_records_what_childrens_social_care_decided(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.answer({"agency": "school", "age": "14"})
    journey.record(REFERRAL)
    sid = journey.outcome().url.split("/screenings/")[1].split("/")[0]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "demo-mash")
    page.goto(f"{live_server}/screenings/{sid}/outcome")
    expect(page.locator("#received-from")).to_have_text("Referral received from School or college (including the "
                                                        "designated safeguarding lead)")
    expect(page.locator("#summary")).not_to_contain_text("Do now")
    expect(page.get_by_role("link", name="Record what children's social care decided").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/screenings/{sid}/response")
    page.get_by_role("button", name="Save the decision").click()  # nothing entered: each problem by its field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the referral was received")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/screenings")
    assert_no_axe_violations(page)
    journey.loads = 0
    page.locator(f'a[href^="/screenings/{sid}/response?next="]').click()  # page load 1
    expect(page.get_by_role("heading", name="Record what children's social care decided", level=1)).to_be_visible()
    expect(page.locator("input[name=sent_how]")).to_have_count(0)
    expect(page.locator("#decided_by")).to_have_value("Demo mash")
    assert_no_axe_violations(page)
    page.locator("#received_day").fill("2")
    page.locator("#received_month").fill("3")
    page.locator("#received_year").fill("2026")
    page.locator("#received_time").fill("09:30")
    page.get_by_label("Strategy discussion under section 47").check()
    page.locator("#decision_reasons").fill("She disclosed rape; police and health join the discussion today.")
    page.get_by_role("button", name="Save the decision").click()  # page load 2: back on the list
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Decision recorded for MASH-B1: Strategy discussion under section 47.")
    expect(page.get_by_role("heading", name="All screenings", level=1)).to_be_visible()
    assert journey.loads == 2, journey.loads
    assert_no_axe_violations(page)
    page.goto(f"{live_server}/screenings/{sid}/outcome#after-referral")
    expect(page.locator("#referral-decision")).to_contain_text("Strategy discussion under section 47, by Demo mash")
    expect(page.locator("#referral-received")).to_have_text("2 March 2026 at 09:30")
    assert_no_axe_violations(page)
