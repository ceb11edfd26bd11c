"""A strategy meeting recorded in the browser by the MASH, from a draft that says what is missing to a final,
read-only record; axe finds nothing on the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.cases import ABOUT
from tests.browser.signin import sign_in
from tests.browser.test_practitioner_journey import Journey

REFERRAL = [("child", {}),
            ("about_child", {**ABOUT, "concern_summary": "She told me a man at the party raped her."}),
            ("signs", {"missing_episodes_90d": "0", "signs__disclosures": ["disclosure_sexual_abuse"],
                       "disclosure_sexual_abuse__when": "recent"}),
            ("child_voice", {"seen_alone": "yes", "child_words": "I don't want him to do it again."}),
            ("family", {"other_children_household": "0"})]


def test_the_mash_records_a_strategy_meeting_to_final(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.answer({"agency": "school", "age": "14"})
    journey.record(REFERRAL)
    outcome = journey.outcome()
    sid = outcome.url.split("/screenings/")[1].split("/")[0]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "demo-mash")
    page.goto(f"{live_server}/screenings/{sid}/outcome#after-referral")
    page.get_by_role("link", name="Strategy meeting record (none yet)").click()
    expect(page.get_by_role("heading", name="Strategy meeting record", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    held = datetime.now(UTC) + timedelta(minutes=30)
    page.locator("#held_day").fill(str(held.day))
    page.locator("#held_month").fill(str(held.month))
    page.locator("#held_year").fill(str(held.year))
    page.locator("#held_time").fill(f"{held:%H:%M}")
    page.locator("#chair_name").fill("Sam Lee")
    page.locator("#chair_role").fill("Team manager, children's social care")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#meeting-status")).to_have_text("Draft")
    expect(page.locator("#missing")).to_contain_text("The decision on section 47 enquiries")
    assert_no_axe_violations(page)

    for radio in page.locator('input[type=radio][value="attended"]').all():
        radio.check()
    page.locator("#child_view").fill("I don't want him to do it again.")
    page.locator("#parents_why_not").fill("Her stepfather is the man she named.")
    page.locator('input[name=decision][value="start"]').check()
    page.locator("#decision_why").fill("She disclosed rape; the man is known to police.")
    page.locator("#action_1_what").fill("Joint police and social work visit")
    page.locator("#action_1_owner").fill("Allocated social worker")
    page.locator("#action_1_agency").fill("Children's social care")
    due = held + timedelta(days=1)
    page.locator("#action_1_due_day").fill(str(due.day))
    page.locator("#action_1_due_month").fill(str(due.month))
    page.locator("#action_1_due_year").fill(str(due.year))
    page.get_by_role("button", name="Save and make final").click()
    expect(page.locator("#meeting-status")).to_have_text("Final")
    expect(page.locator("form input[name=chair_name]")).to_have_count(0)  # read-only now
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Minutes to print").click()
    expect(page.locator("main")).to_contain_text("Joint police and social work visit")
    assert_no_axe_violations(page)
