"""In Chromium, on an app of its own (its rule changes reach no other test): a safeguarding lead makes a sign red
in forms, without YAML, in at most 5 page loads from the editor to the change in use; sees the impact in words;
and activates it with a reason. The stored YAML keeps every comment. A change that sends cases down is flagged
first, and vignette stages that no longer match need an acknowledgement. axe checks every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.store import rulesets as versions
from tests.browser.conftest import _serve, app_with_worker
from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

SIGN = "Has new clothes, jewellery, trainers or other items they cannot explain"
INTERNAL = ("early_help", "child_in_need", "section_47", "gifts_unexplained", "['", "('", "{'")


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory):
    yield from app_with_worker(tmp_path_factory.mktemp("editor"))


@pytest.fixture(scope="module")
def server(editor_app, built_assets: Path) -> Iterator[str]:
    yield from _serve(editor_app)


class Loads:
    """The pages the lead loads: each new address the main frame goes to (a preview refreshing itself while it
    works is the same page, not another load)."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("framenavigated", lambda frame: self._seen(frame) if frame == page.main_frame else None)

    def _seen(self, frame) -> None:
        if not self.urls or self.urls[-1] != frame.url:
            self.urls.append(frame.url)


def no_internal_words(page) -> None:
    text = page.locator("main").inner_text()
    assert not [word for word in INTERNAL if word in text], page.url


def test_a_lead_makes_a_sign_red_in_forms_sees_the_impact_in_words_and_activates_it(
        page, server, editor_app, assert_no_axe_violations):
    sign_in(page, server, "demo-lead")
    loads = Loads(page)
    page.goto(server + "/rules/edit/")  # 1
    assert_no_axe_violations(page)
    page.get_by_role("link", name=SIGN).click()  # 2
    expect(page.get_by_role("heading", name=SIGN, level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Red: high concern").check()
    page.get_by_role("button", name="Save to my draft").click()  # 3
    changes = page.locator("#changes")
    expect(changes).to_contain_text(f"The sign “{SIGN}”: level")
    expect(changes.locator("dt")).to_have_text(["Before", "After"])
    expect(changes.locator("dd")).to_have_text(["Amber", "Red"])
    expect(page.locator("#version-number")).to_contain_text("version 1.1.0")
    expect(page.locator("#yaml-diff pre").first).not_to_be_visible()  # the YAML is there for those who want it
    assert_no_axe_violations(page)
    no_internal_words(page)
    page.get_by_label("Why are you making these changes?").fill("Agreed at the partnership meeting")
    page.get_by_role("button", name="Check the impact").click()  # 4
    expect(page.locator("#transitions")).to_be_visible(timeout=60_000)  # the page refreshes until done
    expect(page.locator("#change-log")).to_contain_text(f"The sign “{SIGN}”: level changed from “Amber” to “Red”.")
    expect(page.locator("#changed ~ .app-finding").first).to_contain_text("Would go up from Early help (Amber) to "
                                                                          "Child in need (Red).")
    expect(page.locator("#transitions")).to_contain_text("Early help")
    assert_no_axe_violations(page)
    no_internal_words(page)
    if page.locator("#acknowledge").count():  # stages whose authors expected amber: read, and acknowledged
        page.locator("#acknowledge").check()
    page.get_by_label("Why are you activating this version?").fill("Agreed at the partnership meeting")
    page.get_by_role("button", name="Activate this version").click()  # 5
    expect(page.get_by_role("heading", name="The rules in use")).to_be_visible()
    assert_no_axe_violations(page)
    assert len(loads.urls) <= 5, loads.urls

    with editor_app.app_context(), editor_app.extensions["db"].reading() as tx:
        stored = versions.active_version(tx)
        assert stored.version == "1.1.0"
        indicators = stored.texts["indicators.yaml"]
    original = Path("rules/default/indicators.yaml").read_text(encoding="utf-8")
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments and [line for line in indicators.splitlines() if line.lstrip().startswith("#")] == comments
    rs = versions.parse(stored.texts)
    assert next(i for i in rs.indicators if i.text == SIGN).level == "red"


def test_a_lower_threshold_is_flagged_first_and_failing_vignettes_need_an_acknowledgement(
        page, server, assert_no_axe_violations):
    sign_in(page, server, "demo-lead")
    page.goto(server + "/rules/edit/?q=missing")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Going missing three or more times in 90 days").click()
    assert_no_axe_violations(page)
    threshold = page.get_by_label("Missing episodes, last 90 days: at least")
    threshold.fill("")
    page.get_by_role("button", name="Save to my draft").click()
    expect(page.locator(".govuk-error-message").first).to_contain_text("Enter a whole number")
    assert_no_axe_violations(page)
    threshold.fill("30")
    page.get_by_role("button", name="Save to my draft").click()
    expect(page.locator("#changes dd")).to_have_text(["3", "30"])
    page.goto(server + "/rules/edit/?q=danger+right+now")  # and immediate danger no longer immediate protection
    page.get_by_role("link", name="The child is in danger right now").click()
    page.get_by_label("Child protection: section 47 referral and strategy discussion").check()
    page.get_by_role("button", name="Save to my draft").click()
    expect(page.locator("#changes")).to_contain_text("minimum route")
    page.get_by_label("Why are you making these changes?").fill("Only long patterns")
    page.get_by_role("button", name="Check the impact").click()
    expect(page.locator("#transitions")).to_be_visible(timeout=60_000)
    expect(page.locator("#cases-down")).to_be_visible()
    expect(page.locator("#changed ~ .app-finding").first).to_contain_text(
        "Would go DOWN from Immediate protection (Red) to Child protection (Red).")
    no_internal_words(page)
    page.get_by_label("Why are you activating this version?").fill("Only long patterns")
    page.get_by_role("button", name="Activate this version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you have read the vignette stages")
    assert_no_axe_violations(page)
    page.locator("#acknowledge").check()
    page.get_by_label("Why are you activating this version?").fill("Only long patterns")
    page.get_by_role("button", name="Activate this version").click()
    expect(page.get_by_role("heading", name="The rules in use")).to_be_visible()


def test_the_decision_tables_are_read_searched_and_a_wrong_upload_explained(page, server, assert_no_axe_violations):
    sign_in(page, server, "demo-lead")
    page.goto(server + "/rules/")
    page.get_by_role("link", name="The rules as decision tables, one per route").click()
    expect(page.locator("caption", has_text="Child in need: referral to children's social care")).to_have_count(1)
    assert_no_axe_violations(page)
    page.get_by_label("Find rules by their words").fill("missing episodes")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("main")).to_contain_text("Going missing three or more times in 90 days")
    assert_no_axe_violations(page)
    no_internal_words(page)
    page.get_by_role("link", name="Upload a spreadsheet with changed thresholds").click()
    page.get_by_role("button", name="Upload to my draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the spreadsheet to upload")
    assert_no_axe_violations(page)


def test_a_lead_edits_the_welsh_beside_the_english_in_welsh(page, server, assert_no_axe_violations):
    """The editor in both languages (ADR 0026, addendum), on a page in Welsh: a route's Welsh label beside its
    English, written and saved into the draft's Welsh, and counted among the changes."""
    sign_in(page, server, "demo-lead")
    page.goto(server + "/language/cy?next=/rules/edit/routes/universal")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    welsh = page.locator("#cy-label")
    expect(welsh).to_have_attribute("lang", "cy")
    expect(page.get_by_label("Cymraeg / Welsh: Label y llwybr")).to_have_count(1)
    assert_no_axe_violations(page)
    welsh.fill("Cyffredinol: dim pryder y tu hwnt i'r arferol")
    page.get_by_role("button", name="Cadw yn fy nrafft").click()
    expect(page.get_by_role("heading", name="Eich newidiadau i'r rheolau", level=1)).to_be_visible()
    expect(page.locator("#changes")).to_contain_text("Y testunau Cymraeg")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Gwaredu fy nrafft").click()
    page.goto(server + "/language/en?next=/rules/edit/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
