"""In Chromium, in Welsh: the idle-timeout warning (written by static/js/idle-timeout.js) speaks the page's language,
its words passed from the template, and 'Aros wedi mewngofnodi' keeps the session as 'Stay signed in' does."""

from __future__ import annotations

import pytest

from tests.browser.conftest import _serve
from tests.browser.signin import sign_in
from tests.conftest import prepared_database

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def quick_timeout_server(tmp_path, built_assets):
    from screening.web import create_app

    app = create_app({"DATABASE_URL": prepared_database(tmp_path, "idle-cy.db"), "TESTING": True,
                      "IDLE_TIMEOUT_MINUTES": 0.2, "IDLE_WARNING_SECONDS": 10})  # warn after 2 s, out after 12 s
    yield from _serve(app)


def test_the_idle_warning_in_welsh(page, quick_timeout_server, assert_no_axe_violations):
    sign_in(page, quick_timeout_server)
    page.goto(quick_timeout_server + "/language/cy?next=/screenings/new")
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
