"""In Chromium: victim-blaming wording is warned at the top of the page (focus moved there) and beside the field,
and keeping it is recorded."""

from __future__ import annotations

import pytest

from tests.browser.cases import SCHOOL_CASE
from tests.browser.test_practitioner_journey import Journey

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

NOTE = "Mum says she is sexually active and is putting herself at risk by going out."


def test_warning_appears_and_keeping_the_wording_is_stored(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE[:3])
    page.locator("#missing_episodes_90d").fill("0")
    page.locator("#history_notes").fill(NOTE)
    page.get_by_role("button", name="Save and continue").click()

    banner = page.locator(".app-language-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_focused()  # at the top, with focus: it does not look as if saving failed
    expect(banner).to_contain_text("Your answers are saved")
    warning = page.locator("#history_notes-language")
    expect(warning).to_contain_text('"sexually active"')
    expect(warning).to_contain_text("Instead, consider")
    expect(page.locator("#history_notes")).to_have_value(NOTE)  # the words stay as written
    assert_no_axe_violations(page)

    page.get_by_label("Keep my wording as written").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="The child's own words")).to_be_visible()

    page.goto(page.url.rsplit("/pages/", 1)[0] + "/check")
    expect(page.get_by_text("(you chose to keep it as written)")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()
    assert_no_axe_violations(page)
