"""In Chromium, in Welsh: the referrer's challenge and the meeting's minutes, a lead's chronology, legal hold and
dashboard, and the administrator's users, each with `<html lang="cy">`, its Welsh heading, and no axe violation.

The app here is its own (not the session's `live_server`): the screenings and the meeting it needs are made first,
through the web layer, and the demo accounts sign in through the Welsh form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _serve
from tests.browser.signin import DEMO_PASSWORDS
from tests.conftest import prepared_database


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_assets):
    from screening.web import create_app
    from tests.web.conftest import Practitioner, signed_in_client
    from tests.web.test_after_referral import SENT_CHRISTMAS_EVE_2025, attendance, meeting_form, referred

    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("welsh-records")), "TESTING": True})
    who = referred(app, nhs="943 476 5919")
    who.post(f"/screenings/{who.sid}/response", SENT_CHRISTMAS_EVE_2025)
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    mash.post(f"/screenings/{who.sid}/meeting", meeting_form(final="yes", **attendance(app, who.sid)))
    child = mash.post("/children", {"nhs": "9434765919"}).location
    for url in _serve(app):
        yield {"url": url, "sid": who.sid, "child": child}


def signed_in_in_welsh(new_context, site, username: str):
    page = new_context(locale="cy-GB").new_page()
    page.goto(f"{site['url']}/sign-in")
    page.get_by_label("Enw defnyddiwr").fill(username)
    page.get_by_label("Cyfrinair", exact=True).fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    return page


def welsh(page, url: str, h1: str, check) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=h1, level=1)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "cy"
    check(page)


def test_the_referrers_challenge_and_the_minutes_in_welsh(new_context, site, assert_no_axe_violations):
    page = signed_in_in_welsh(new_context, site, "demo-practitioner")
    base = f"{site['url']}/screenings/{site['sid']}"
    welsh(page, f"{base}/challenge", "Herio'r ymateb", assert_no_axe_violations)
    expect(page.get_by_text("Dim penderfyniad eto: roedd i fod erbyn 29 Rhagfyr 2025")).to_be_visible()
    page.get_by_role("button", name="Cofnodi'r cam hwn").click()  # nothing chosen: the errors, in Welsh
    expect(page.get_by_role("alert")).to_contain_text("Mae problem wedi codi")
    expect(page.get_by_role("link", name="Dewiswch y cam")).to_be_visible()
    assert_no_axe_violations(page)
    welsh(page, f"{base}/meeting/minutes", "Cofnodion y cyfarfod strategaeth", assert_no_axe_violations)
    expect(page.get_by_role("columnheader", name="Presenoldeb")).to_be_visible()


def test_a_leads_chronology_legal_hold_and_dashboard_in_welsh(new_context, site, assert_no_axe_violations):
    page = signed_in_in_welsh(new_context, site, "demo-lead")
    page.goto(site["url"] + site["child"])
    expect(page.get_by_text("Cronoleg ar draws asiantaethau")).to_be_visible()
    expect(page.get_by_role("img", name="Llinell amser y sgriniadau, un rhes i bob asiantaeth")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_no_axe_violations(page)
    welsh(page, site["url"] + site["child"] + "/legal-hold", "Cadw cyfreithiol", assert_no_axe_violations)
    welsh(page, f"{site['url']}/dashboard", "Dangosfwrdd y bartneriaeth", assert_no_axe_violations)
    expect(page.get_by_role("img", name="Siart o'r tabl isod: Sgriniadau yn ôl y llwybr a argymhellwyd, fesul mis")) \
        .to_be_visible()


def test_the_administrators_users_in_welsh(new_context, site, assert_no_axe_violations):
    page = signed_in_in_welsh(new_context, site, "demo-admin")
    welsh(page, f"{site['url']}/admin/users", "Defnyddwyr", assert_no_axe_violations)
    page.get_by_role("button", name="Ychwanegu defnyddiwr").click()
    expect(page.get_by_role("heading", name="Ychwanegu defnyddiwr", level=1)).to_be_visible()
    page.get_by_role("button", name="Ychwanegu'r defnyddiwr").click()
    expect(page.get_by_role("link", name="Rhowch yr enw defnyddiwr")).to_be_visible()
    assert_no_axe_violations(page)
