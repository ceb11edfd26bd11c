"""A group session end to end in Chromium: a trainer's projector and three learners, each in a browser context of
their own (no account), join by code, answer a stage, and follow the projector from "3 of 3 answered" through
the spread and the rules' route to the next stage; axe on every page. Then the same room without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CASE = "older_teen"
STAGE_1, STAGE_2 = "Repeat visits to the clinic", "Seen alone at last"
CHOICES = [("Early help: support for vulnerabilities or an emerging concern", "Not enough known yet"),
           ("Child in need: referral to children's social care for assessment", "Four visits add up"),
           ("Child in need: referral to children's social care for assessment", "")]


def scriptless(new_context):
    """A page whose scripts never load: what someone without JavaScript sees (axe can still run)."""
    context = new_context()
    context.route("**/*", lambda route: route.abort() if route.request.resource_type == "script"
                  else route.continue_())
    return context.new_page()


def start_session(projector, live_server, axe) -> str:
    sign_in(projector, live_server, "demo-trainer", axe=axe)
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.goto(f"{live_server}/training/{CASE}")
    axe(projector)
    projector.get_by_role("button", name="Start a group session").click()
    expect(projector.get_by_role("heading", level=1)).to_have_text(STAGE_1)
    expect(projector.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    axe(projector)
    return projector.locator(".app-projector__code").inner_text()


def join_and_answer(learner, live_server, code: str, route: str, reason: str, axe) -> None:
    learner.goto(f"{live_server}/join")
    axe(learner)
    learner.get_by_label("Join a training session").fill(code.lower())
    learner.get_by_role("button", name="Join").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(STAGE_1)
    axe(learner)
    learner.get_by_role("button", name="Send my answer").click()
    expect(learner.locator("#route-error")).to_contain_text("Select the route")
    axe(learner)
    learner.get_by_label(route).check()
    learner.get_by_label("Why? (optional)").fill(reason)
    learner.get_by_role("button", name="Send my answer").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Your answer is in")
    axe(learner)


def show_spread_and_reveal(projector, axe) -> None:
    projector.get_by_role("button", name="Show the answers").click()
    spread = projector.locator("table.app-projector__spread")
    expect(spread.locator("caption")).to_have_text("3 of 3 answered")
    expect(spread.get_by_role("row", name=re.compile("^Early help"))).to_contain_text("1")
    expect(spread.get_by_role("row", name=re.compile("^Child in need"))).to_contain_text("2")
    axe(projector)
    projector.get_by_role("button", name="Reveal the rules' route").click()
    expect(projector.get_by_role("heading", level=1)).to_have_text(re.compile("^Child in need"))
    expect(projector.get_by_text("1 of 3 chose a lower route than the rules.")).to_be_visible()
    expect(projector.get_by_text("Four visits add up")).to_be_visible()
    axe(projector)
    projector.get_by_role("button", name="Learning points").click()
    expect(projector.get_by_role("heading", level=1)).to_have_text("Learning points")
    axe(projector)
    projector.get_by_role("button", name="Next stage").click()
    expect(projector.get_by_role("heading", level=1)).to_have_text(STAGE_2)
    axe(projector)


def test_a_trainer_and_three_learners_with_javascript(page, new_context, live_server, assert_no_axe_violations):
    code = start_session(page, live_server, assert_no_axe_violations)
    learners = [new_context().new_page() for _ in CHOICES]
    for learner, (route, reason) in zip(learners, CHOICES, strict=True):
        join_and_answer(learner, live_server, code, route, reason, assert_no_axe_violations)
    expect(page.locator("#live-count")).to_have_text("3 of 3 answered")  # arrives without a reload
    show_spread_and_reveal(page, assert_no_axe_violations)
    for learner in learners:  # each learner's page follows the projector by itself
        expect(learner.get_by_role("heading", level=1)).to_have_text(STAGE_2)
    assert_no_axe_violations(learners[0])

    for button in ("Show the answers", "Reveal the rules' route", "Learning points", "See how the room agreed"):
        page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How consistently the room read the case")
    assert_no_axe_violations(page)
    expect(learners[0].get_by_role("heading", level=1)).to_have_text("The case is over")
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How consistently practitioners read the same case")
    expect(page.get_by_text("Not shown: fewer than 5 learners").first).to_be_visible()
    assert_no_axe_violations(page)


def test_the_same_room_without_javascript(new_context, live_server, assert_no_axe_violations):
    projector = scriptless(new_context)
    code = start_session(projector, live_server, assert_no_axe_violations)
    learners = [scriptless(new_context) for _ in CHOICES]
    for learner, (route, reason) in zip(learners, CHOICES, strict=True):
        join_and_answer(learner, live_server, code, route, reason, assert_no_axe_violations)
    projector.get_by_role("link", name="Refresh").click()
    expect(projector.locator("#live-count")).to_have_text("3 of 3 answered")
    show_spread_and_reveal(projector, assert_no_axe_violations)
    for learner in learners:
        expect(learner.get_by_role("heading", level=1)).to_have_text("Your answer is in")
        learner.get_by_role("link", name="Check for the next stage").click()
        expect(learner.get_by_role("heading", level=1)).to_have_text(STAGE_2)
    assert_no_axe_violations(learners[0])
