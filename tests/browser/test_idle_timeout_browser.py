"""In Chromium: the idle-timeout warning appears before sign-out, 'Stay signed in' keeps the session, and at
the timeout the browser lands on the signed-out page (the server has ended the session too); in Welsh the warning
speaks the page's language, its words passed from the template."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import _serve
from tests.browser.signin import sign_in
from tests.conftest import prepared_database

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def _quick_server(tmp_path, minutes: float, warning_seconds: int):
    from screening.web import create_app

    app = create_app({"DATABASE_URL": prepared_database(tmp_path, "idle.db"), "TESTING": True,
                      "IDLE_TIMEOUT_MINUTES": minutes, "IDLE_WARNING_SECONDS": warning_seconds})
    yield from _serve(app)


@pytest.fixture
def quick_timeout_server(tmp_path, built_assets):
    yield from _quick_server(tmp_path, 0.1, 4)  # warn after 2 s, out after 6 s


@pytest.fixture
def slower_timeout_server(tmp_path, built_assets):
    yield from _quick_server(tmp_path, 0.2, 10)  # warn after 2 s, out after 12 s: time to read and click


def test_idle_warning_then_sign_out(page, quick_timeout_server, assert_no_axe_violations):
    sign_in(page, quick_timeout_server)
    warning = page.locator("#app-idle-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out")
    assert_no_axe_violations(page)
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/signed-out\?idle=1$"), timeout=15_000)
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
    page.goto(quick_timeout_server + "/screenings")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_the_idle_warning_in_welsh(page, slower_timeout_server, assert_no_axe_violations):
    sign_in(page, slower_timeout_server)
    page.goto(slower_timeout_server + "/language/cy?next=/screenings/new")
    warning = page.locator("#app-idle-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Pwysig")
    expect(warning).to_contain_text("Cewch eich allgofnodi cyn bo hir am nad ydych wedi gwneud dim ers tro.")
    expect(warning).not_to_contain_text("You will be signed out")
    assert_no_axe_violations(page)
    warning.get_by_role("button", name="Aros wedi mewngofnodi").click()
    expect(warning).to_be_hidden()
    page.reload()  # the keep-alive held the session: still signed in, still in Welsh
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name="Cadw a pharhau")).to_be_visible()
