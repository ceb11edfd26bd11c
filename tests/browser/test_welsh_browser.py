"""In Chromium: a browser set to Welsh gets the sign-in page in Welsh (`<html lang="cy">`); the language link switches
there and back; a practitioner signs in through the Welsh form to the Welsh start page, starts a screening, switches
in the middle and finds the answers kept. Axe checks each page in Welsh.

The app here is its own (not the session's `live_server`): choosing a language is stored on the demo account, which
the other browser tests sign in with."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _serve
from tests.browser.signin import DEMO_PASSWORDS
from tests.conftest import prepared_database


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_assets):
    from screening.web import create_app

    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("welsh")), "TESTING": True})
    yield from _serve(app)


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_the_sign_in_and_start_pages_in_welsh(new_context, site, assert_no_axe_violations):
    page = new_context(locale="cy-GB").new_page()  # the browser asks for Welsh first
    page.goto(f"{site}/sign-in")
    expect(page.get_by_role("heading", name="Mewngofnodi", level=1)).to_be_visible()
    assert html_lang(page) == "cy"
    assert_no_axe_violations(page)

    language = page.get_by_role("navigation", name="Iaith")
    english = language.get_by_role("link", name="English")
    assert english.get_attribute("hreflang") == "en" and english.get_attribute("lang") == "en"
    english.click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert html_lang(page) == "en" and page.url == f"{site}/sign-in"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", name="Mewngofnodi", level=1)).to_be_visible()

    page.get_by_label("Enw defnyddiwr").fill("demo-practitioner")
    page.get_by_label("Cyfrinair", exact=True).fill(DEMO_PASSWORDS["demo-practitioner"])
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sgrinio pryder am gamfanteisio'n rhywiol ar blant")
    assert html_lang(page) == "cy"
    expect(page.get_by_role("button", name="Dechrau sgriniad")).to_be_visible()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    assert_no_axe_violations(page)


def test_switching_in_the_middle_of_a_screening_keeps_the_answers(new_context, site, assert_no_axe_violations):
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{site}/sign-in")
    page.get_by_label("Username").fill("demo-nurse")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORDS["demo-nurse"])
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Start a screening").click()
    page.locator('[name="age"]').fill("15")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/screenings/[^/]+/child"))
    sid = page.url.split("/screenings/")[1].split("/")[0]

    page.goto(f"{site}/screenings/{sid}")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", name="Eich sgriniad", level=1)).to_be_visible()
    assert html_lang(page) == "cy" and page.url == f"{site}/screenings/{sid}"
    expect(page.locator(".govuk-task-list").first).to_contain_text("Wedi'i gwblhau")
    assert_no_axe_violations(page)

    page.locator(".govuk-task-list a").first.click()  # back to the first page, in Welsh now
    assert html_lang(page) == "cy"
    expect(page.locator('[name="age"]')).to_have_value("15")
    expect(page.locator('[name="agency"][value="health_hospital"]')).to_be_checked()  # from the nurse's account
