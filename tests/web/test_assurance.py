"""The accessibility statement, privacy notice and cookies page: open without signing in, linked from every page's
footer, and filled from the deployment's settings (demo mode says it holds practice data only)."""

from __future__ import annotations

import html

import pytest

from screening.store import sealing
from screening.web import ConfigurationError, create_app
from tests.conftest import prepared_database
from tests.web.conftest import sign_in, signed_in_client, text_of

PAGES = {"/accessibility": "Accessibility statement", "/privacy": "Privacy notice", "/cookies": "Cookies"}
NAMED = {"DATA_CONTROLLER": "Anyshire Safeguarding Children Partnership", "SERVICE_CONTACT": "cse-aid@anyshire.example",
         "DATA_PROTECTION_OFFICER": "dpo@anyshire.example, 01632 960 100"}


def words(response) -> str:
    return html.unescape(text_of(response.text))


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_each_page_opens_without_signing_in(anonymous, path, heading):
    response = anonymous.get(path)
    assert response.status_code == 200 and f'<h1 class="govuk-heading-l">{heading}</h1>' in response.text


@pytest.mark.parametrize("path", ["/sign-in", "/accessibility", "/", "/children"])
def test_every_page_links_the_three_in_its_footer(app, path):
    page = signed_in_client(app, "demo-lead").get(path).text
    footer = page.split('<footer class="govuk-template__footer">')[1]
    assert all(f'href="{link}"' in footer for link in PAGES)
    assert all(f'href="{link}"' in app.test_client().get("/sign-in").text.split("<footer")[1] for link in PAGES)


def test_demo_mode_says_it_holds_practice_data_only(anonymous):
    privacy = words(anonymous.get("/privacy"))
    assert "demonstration copy" in privacy and "no organisation is the data controller" in privacy
    assert "until 25 years after the child's date of birth" in privacy and "90 days" in privacy
    assert "there is no team to contact" in words(anonymous.get("/accessibility"))


def test_the_pages_name_the_deployments_controller_officer_contact_and_periods(tmp_path):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True, **NAMED,
                      "RETENTION_YEARS_FROM_BIRTH": 30, "RETENTION_DAYS": 365})
    client = app.test_client()
    privacy, statement = words(client.get("/privacy")), words(client.get("/accessibility"))
    assert "Anyshire Safeguarding Children Partnership is the data controller" in privacy
    assert "dpo@anyshire.example, 01632 960 100" in privacy and "cse-aid@anyshire.example" in privacy
    assert "until 30 years after the child's date of birth" in privacy and "365 days after" in privacy
    assert "run by Anyshire Safeguarding Children Partnership" in statement and "contact cse-aid@anyshire" in statement
    assert "no organisation is the data controller" not in privacy and "no team to contact" not in statement
    assert "WCAG) version 2.2 at level AA" in statement and "axe-core" in statement


def test_cookies_page_lists_the_one_cookie_the_service_sets(anonymous):
    responses = [anonymous.get("/sign-in"), sign_in(anonymous, "demo-practitioner"), anonymous.get("/")]
    assert {h.split("=")[0] for r in responses for h in r.headers.getlist("Set-Cookie")} == {"session"}
    page = words(anonymous.get("/cookies"))
    assert "session" in page and "no cookies for analytics" in page


def test_production_will_not_start_without_the_names_the_notices_need(tmp_path):
    keys = sealing.new_keys()
    given = {"DATABASE_URL": prepared_database(tmp_path), "MODE": "production", "IDENTITY_KEYS": keys["identity"],
             "INDEX_KEY": keys["index"], "SECRET_KEY": "8f3a0c6e1b9d47f2a5c8e0b3d6f9a2c4e7b1d4f7a0c3e6b9d2f5a8c1e4b7"}
    with pytest.raises(ConfigurationError, match="without DATA_CONTROLLER, DATA_PROTECTION_OFFICER, SERVICE_CONTACT"):
        create_app(given)
    assert create_app({**given, **NAMED}).config["DATA_CONTROLLER"] == NAMED["DATA_CONTROLLER"]
