"""In Chromium, with and without JavaScript: signs suggested from the practitioner's own words (with the words that
matched, none ticked for them), themes that open under yes and record their signs as no under no, and the
follow-up page that asks for the signs of the themes answered yes when the reveals cannot run. axe checks every
page (the scriptless page with its reveals shown, as such a browser shows them)."""

from __future__ import annotations

import re

import pytest

from tests.browser.cases import ABOUT, UNIDENTIFIED, button_for, fill
from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

WORRY = ("She goes missing at weekends and comes back with a new phone she cannot explain. She told me she "
         "sends photos to a man she met online. There is no sign of drugs.")


def to_signs_page(page, base: str, axe=None) -> None:
    sign_in(page, base, axe=axe)
    page.goto(base + "/")
    page.get_by_role("button", name="Start a screening").click()
    for page_id, answers in [("start", {"agency": "school", "age": "13"}), UNIDENTIFIED,
                             ("about_child", {**ABOUT, "child_reference": "B-9", "concern_summary": WORRY})]:
        fill(page, answers)
        page.get_by_role("button", name=button_for(page_id, answers)).click()
    expect(page.get_by_role("heading", name="What you have seen or been told", level=1)).to_be_visible()


def test_the_words_suggest_signs_that_stay_unticked_until_ticked(page, live_server, assert_no_axe_violations):
    to_signs_page(page, live_server, assert_no_axe_violations)
    assert_no_axe_violations(page)
    block = page.locator("#suggested-signs")
    expect(block).to_contain_text("From what you wrote, these may apply")
    boxes = block.locator('input[name="suggested"]')
    offered = {boxes.nth(n).get_attribute("value") for n in range(boxes.count())}
    assert {"late_or_overnight_unexplained", "phone_new_or_multiple", "images_coerced_or_shared"} <= offered
    assert not any(boxes.nth(n).is_checked() for n in range(boxes.count()))  # a suggestion is never an answer
    expect(block).to_contain_text("You wrote: \u201cgoes missing\u201d")
    assert not offered & {"drug_running", "substance_use_concern", "drugs_alcohol_from_adults"}  # "no sign of drugs"
    expect(page.locator('input[name="signs__substances"]').first).to_be_hidden()  # its theme is not opened
    expect(page.locator('input[name="theme__missing"][value="yes"]')).to_be_checked()  # opened by a suggestion


def test_a_theme_opens_under_yes_and_no_records_its_signs_as_not_present(page, live_server,
                                                                        assert_no_axe_violations):
    to_signs_page(page, live_server, assert_no_axe_violations)
    sign = page.locator('input[name="signs__peers_places"][value="parties_with_adults"]')
    expect(sign).to_be_hidden()
    page.locator('input[name="theme__peers_places"][value="yes"]').check()
    expect(sign).to_be_visible()
    assert_no_axe_violations(page)
    page.locator('input[name="theme__peers_places"][value="no"]').check()
    expect(sign).to_be_hidden()
    page.locator('input[name="suggested"][value="phone_new_or_multiple"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="The child's own words", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile(r"You recorded \d+ signs as not present: Peers"))
    page.goto(page.url.replace("child_voice", "signs"))
    expect(page.locator('input[name="theme__peers_places"][value="no"]')).to_be_checked()
    expect(page.locator('input[name="suggested"][value="phone_new_or_multiple"]')).to_be_checked()
    expect(page.locator('input[name="suggested"][value="late_or_overnight_unexplained"]')).not_to_be_checked()


def test_without_javascript_the_signs_of_themes_answered_yes_come_on_their_own_page(scriptless_page, live_server,
                                                                                   assert_no_axe_violations):
    page = scriptless_page
    to_signs_page(page, live_server)
    expect(page.locator('input[name="signs__online"]').first).to_be_hidden()  # the page stays short
    page.locator('input[name="theme__peers_places"][value="yes"]').check()
    page.locator('input[name="theme__substances"][value="no"]').check()
    page.get_by_role("button", name="Save and continue").click()
    opened = page.url.split("open=")[1].split(",")
    assert "peers_places" in opened and "substances" not in opened  # with those its suggestions opened
    assert_no_axe_violations(page)
    expect(page.locator('input[name="theme__peers_places"]')).to_have_count(0)
    page.locator('input[name="signs__peers_places"][value="parties_with_adults"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="The child's own words", level=1)).to_be_visible()
    page.goto(page.url.replace("child_voice", "signs"))
    expect(page.locator('input[name="signs__peers_places"][value="parties_with_adults"]')).to_be_checked()
    expect(page.locator('input[name="theme__substances"][value="no"]')).to_be_checked()
