"""In Chromium, in Welsh: a school's safeguarding lead screens the walk-through case from the start page to the
outcome and the referral (page, PDF and text), axe checking every page with `lang="cy"`; half-way through they switch
to English and back, and every answer is still there.

The app here is its own (as in test_welsh_browser): a language chosen with the link is kept on the demo account,
which other browser tests sign in with."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from screening import load_ruleset, words
from tests.browser.cases import SCHOOL_CASE, fill
from tests.browser.conftest import _serve
from tests.browser.signin import DEMO_PASSWORDS
from tests.conftest import DEFAULT, prepared_database

WELSH = load_ruleset(DEFAULT).in_language("cy")


def cy(english: str) -> str:
    """The catalogue's Welsh for one of the pages' own words: the test reads what a Welsh reader is shown."""
    welsh = words.catalogue("cy").gettext(english)
    assert welsh != english, f"no Welsh for {english!r}"
    return welsh


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_assets):
    from screening.web import create_app

    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("welsh-journey")), "TESTING": True})
    yield from _serve(app)


def in_welsh(page, axe) -> None:
    assert page.locator("html").get_attribute("lang") == "cy"
    axe(page)


def switch(page, to: str) -> None:
    name = {"en": "Iaith", "cy": "Language"}[to]  # the link sits in a navigation named in the page's language
    page.get_by_role("navigation", name=name).get_by_role("link", name={"en": "English", "cy": "Cymraeg"}[to]).click()


def answer(page, answers: dict, button: str, axe) -> None:
    later = fill(page, answers)
    page.get_by_role("button", name=button).click()
    if later:  # a theme's signs asked on their own page
        assert not fill(page, later), later
        page.get_by_role("button", name=cy("Save and continue")).click()
    in_welsh(page, axe)


def test_the_whole_journey_in_welsh_with_a_switch_half_way(new_context, site, assert_no_axe_violations):
    page = new_context(locale="cy-GB").new_page()  # the browser asks for Welsh
    axe = assert_no_axe_violations
    page.goto(f"{site}/sign-in")
    page.get_by_label("Enw defnyddiwr").fill("demo-practitioner")
    page.get_by_label("Cyfrinair", exact=True).fill(DEMO_PASSWORDS["demo-practitioner"])
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()
    in_welsh(page, axe)
    page.get_by_role("button", name="Dechrau sgriniad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WELSH.sections[0].title)
    in_welsh(page, axe)

    (_, start), _, (_, about), (_, signs), (_, voice), (_, family) = SCHOOL_CASE
    answer(page, start, cy("Save and continue"), axe)
    page.get_by_role("button", name=cy("Continue without identifying the child")).click()
    in_welsh(page, axe)
    answer(page, about, cy("Save and continue"), axe)
    answer(page, signs, cy("Save and continue"), axe)
    sid = re.search(r"/screenings/([0-9a-f]{32})", page.url).group(1)

    # half-way: to English and back, from the signs page; nothing entered so far is lost
    page.goto(f"{site}/screenings/{sid}/pages/signs")
    switch(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator('[name="missing_episodes_90d"]')).to_have_value("3")
    switch(page, "cy")
    in_welsh(page, axe)
    expect(page.locator('[name="missing_episodes_90d"]')).to_have_value("3")
    expect(page.locator('[value="older_associate_controlling"]:checked')).not_to_have_count(0)  # suggested or listed
    page.goto(f"{site}/screenings/{sid}/pages/about_child")
    expect(page.locator('[name="child_reference"]')).to_have_value("UPN A123")

    page.goto(f"{site}/screenings/{sid}/pages/child_voice")
    answer(page, voice, cy("Save and continue"), axe)
    answer(page, family, cy("Save and continue"), axe)
    expect(page.get_by_role("heading", name=cy("Check your answers"))).to_be_visible()
    page.get_by_role("button", name=cy("Get the recommendation")).click()
    route = WELSH.route_by_id["section_47"].label
    expect(page.locator("#route-panel h1")).to_have_text(route)
    expect(page.locator("#summary blockquote").first).to_contain_text("I'm scared of him")  # the child's own words
    in_welsh(page, axe)

    page.get_by_role("button", name=cy("Referral to send")).click()
    expect(page.locator("h1")).to_have_text(f"Atgyfeiriad: {route}")
    expect(page.locator("main")).to_contain_text("Atgyfeiriad amddiffyn plant YW hwn.")
    in_welsh(page, axe)
    pdf = page.request.get(f"{site}/screenings/{sid}/referral.pdf")
    assert pdf.ok
    text = " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Atgyfeiriad amddiffyn plant YW hwn." in text and "Pwy sy'n atgyfeirio" in text
    assert "This IS a child protection referral" not in text
    plain = page.request.get(f"{site}/screenings/{sid}/referral.txt").text()
    assert plain.startswith(f"Atgyfeiriad: {route}") and "I'm scared of him" in plain
