"""In Chromium: a safeguarding lead proposes a broken change, then one that lowers routes, sees the impact,
activates it with a reason and rolls back. axe checks each page."""

from __future__ import annotations

import pytest

from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

THRESHOLD = "when: {fact: missing_episodes_90d, at_least: 3}"


def test_lead_changes_the_rules_safely_and_rolls_back(page, live_server, assert_no_axe_violations):
    sign_in(page, live_server, "demo-lead")
    page.goto(live_server + "/rules/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Propose a change").click()
    editor = page.locator("#text")
    original = editor.input_value()

    editor.fill(original.replace(THRESHOLD, THRESHOLD.replace("missing_episodes_90d", "missing_episods_90d")))
    page.locator("#reason").fill("Tuning")
    page.get_by_role("button", name="Check the rule set").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("unknown fact 'missing_episods_90d'")
    expect(summary).to_contain_text("did you mean 'missing_episodes_90d'?")
    assert_no_axe_violations(page)
    summary.get_by_role("link").first.click()
    expect(page.locator(".app-code-lines__error")).to_contain_text("missing_episods_90d")

    page.locator("#text").fill(original.replace(THRESHOLD, THRESHOLD.replace("3", "30")))
    page.locator("#reason").fill("Only repeated patterns of 30 or more")
    page.get_by_role("button", name="Check the rule set").click()
    expect(page.locator("#transitions")).to_be_visible(timeout=30_000)  # the page refreshes until done
    expect(page.locator("#failing")).to_contain_text("Vignettes that would fail (5)")
    assert_no_axe_violations(page)

    page.locator("#acknowledge").check()  # the failing stages were read
    page.locator("#reason").fill("Agreed at the partnership meeting")
    page.get_by_role("button", name="Activate this version").click()
    expect(page.get_by_role("heading", name="The rules in use")).to_be_visible()
    expect(page.locator("#versions ~ table")).to_contain_text("Only repeated patterns of 30 or more")

    page.get_by_role("link", name="Preview and roll back").first.click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Check the impact").click()
    expect(page.locator("#transitions")).to_be_visible(timeout=30_000)
    page.locator("#reason").fill("Roll back: too many children would lose a social care assessment")
    page.get_by_role("button", name="Activate this version").click()
    rows = page.locator("#versions ~ table tbody tr")
    expect(rows.filter(has_text="Active")).to_contain_text("seeded from")
