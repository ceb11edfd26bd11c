"""The pages' own words in Welsh (ADR 0028): the language link switches and stays (on the account when signed in,
in a cookie otherwise), the browser's Accept-Language chooses by default, `<html lang>` follows, and switching in
the middle of a screening keeps every answer."""

from __future__ import annotations

import re

import pytest

from screening.store import Screening
from screening.store.models import User
from screening.web import ConfigurationError, create_app, locales
from tests.conftest import prepared_database
from tests.web.conftest import Practitioner, sign_in, signed_in_client
from tests.web.conftest import heading_of as heading
from tests.web.conftest import lang_of as lang
from tests.web.conftest import words_of as words


def link_to(page: str, code: str) -> str:
    """The language link's address for `code`, checking it says what language it leads to."""
    found = re.search(rf'<a class="govuk-link" href="([^"]+)" lang="{code}" hreflang="{code}">', page)
    assert found, f"no language link to {code}"
    return found.group(1).replace("&amp;", "&")


def stored_language(app, username: str) -> str | None:
    with app.extensions["db"].reading() as tx:
        return tx.query(User).filter_by(username=username).one().language


def test_english_is_the_default_and_the_browser_can_ask_for_welsh(anonymous):
    english = anonymous.get("/sign-in")
    assert lang(english.text) == "en" and heading(english.text) == "Sign in"
    assert link_to(english.text, "cy") == "/language/cy?next=/sign-in"
    assert lang(anonymous.get("/sign-in", headers={"Accept-Language": "fr-FR, de"}).text) == "en"
    welsh = anonymous.get("/sign-in", headers={"Accept-Language": "cy-GB, en;q=0.5"})
    assert lang(welsh.text) == "cy" and heading(welsh.text) == "Mewngofnodi"
    assert "Neidio i'r prif gynnwys" in words(welsh.text) and 'aria-current="true">Cymraeg</span>' in welsh.text
    assert link_to(welsh.text, "en") == "/language/en?next=/sign-in"


def test_someone_not_signed_in_switches_with_the_link_and_a_cookie_keeps_it(anonymous):
    switched = anonymous.get("/language/cy?next=/sign-in")
    assert switched.status_code == 302 and switched.location == "/sign-in"
    assert re.search(r"language=cy;.*Max-Age=31536000", switched.headers["Set-Cookie"])
    assert heading(anonymous.get("/sign-in").text) == "Mewngofnodi"
    assert heading(anonymous.get("/signed-out").text) == "Rydych wedi allgofnodi"
    anonymous.get("/language/en?next=/sign-in")  # the choice beats the browser's
    assert lang(anonymous.get("/sign-in", headers={"Accept-Language": "cy"}).text) == "en"


def test_a_signed_in_choice_is_kept_on_the_account(app):
    client = signed_in_client(app)
    assert heading(client.get("/").text) == "Screen a concern about child sexual exploitation"
    assert stored_language(app, "demo-practitioner") is None
    assert client.get(link_to(client.get("/").text, "cy")).location == "/"
    assert stored_language(app, "demo-practitioner") == "cy"
    elsewhere = app.test_client()  # another browser, no cookie, a browser that asks for English
    assert sign_in(elsewhere, headers={"Accept-Language": "en"}).status_code == 302
    start = elsewhere.get("/", headers={"Accept-Language": "en"})
    assert lang(start.text) == "cy" and heading(start.text) == "Sgrinio pryder am gamfanteisio'n rhywiol ar blant"
    assert "Wedi mewngofnodi fel Demo practitioner (ymarferydd, modd arddangos)." in words(start.text)
    assert ">Sgriniad newydd<" in start.text  # the menu
    elsewhere.get("/language/en?next=/")
    assert stored_language(app, "demo-practitioner") == "en"
    assert lang(client.get("/").text) == "en"  # every session of the account follows it


def test_switching_in_the_middle_of_a_screening_keeps_the_answers(app, client):
    practitioner = Practitioner(client)
    sid = practitioner.start()
    practitioner.page("about_child", {"child_reference": "REF-77", "concern_summary": "Seen with older men",
                                      "current_social_care_status": "none", "previous_concerns_12m": "2"})
    with app.extensions["db"].reading() as tx:
        before = dict(tx.get(Screening, sid).answers)
    page = f"/screenings/{sid}/pages/about_child"
    switched = client.get(link_to(client.get(page).text, "cy"))
    assert switched.location == page
    again = client.get(page)
    assert lang(again.text) == "cy"
    assert ">REF-77</textarea>" in again.text and ">Seen with older men</textarea>" in again.text
    tasks = client.get(f"/screenings/{sid}")
    assert heading(tasks.text) == "Eich sgriniad" and "Wedi'i gwblhau" in words(tasks.text)
    assert "REF-77" in client.get(f"/screenings/{sid}/check").text
    with app.extensions["db"].reading() as tx:
        assert tx.get(Screening, sid).answers == before


def test_the_link_goes_back_to_the_page_with_its_query(client):
    html = client.get("/screenings?page=2").text
    assert link_to(html, "cy") == "/language/cy?next=/screenings?page%3D2"
    assert client.get(link_to(html, "cy")).location == "/screenings?page=2"


def test_a_bad_language_or_an_address_elsewhere_is_refused(app, anonymous):
    unknown = anonymous.get("/language/fr?next=/sign-in", headers={"Accept-Language": "cy"})
    assert unknown.status_code == 404 and heading(unknown.text) == "Heb ddod o hyd i'r dudalen"
    assert "Set-Cookie" not in unknown.headers
    assert anonymous.get("/language/cy?next=//evil.example/").location == "/"
    assert anonymous.get("/language/cy?next=https://evil.example/").location == "/"
    assert anonymous.get("/language/cy").location == "/"


def test_a_failed_sign_in_is_worded_in_welsh(anonymous):
    anonymous.get("/language/cy?next=/sign-in")
    failed = sign_in(anonymous, "demo-practitioner", "not the password")
    assert failed.status_code == 401
    said = words(failed.text)
    assert "<title>Gwall: Mewngofnodi" in failed.text and "Mae problem wedi codi" in said
    assert "Gwall: Rhowch enw defnyddiwr a chyfrinair cywir" in said  # beside the field, with its hidden prefix


def test_error_pages_and_the_footer_in_welsh(client):
    client.get("/language/cy?next=/")
    missing = client.get("/screenings/no-such-screening")
    assert missing.status_code == 404 and heading(missing.text) == "Heb ddod o hyd i'r dudalen"
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and heading(forbidden.text) == "Nid oes gennych fynediad i'r dudalen hon"
    footer = words(forbidden.text)
    assert "Datganiad hygyrchedd" in footer and "Er eich diogelwch, cewch eich allgofnodi ar ôl 30 munud" in footer


def test_the_cookies_page_names_the_language_cookie_in_either_language(anonymous):
    chosen = anonymous.get("/language/cy?next=/cookies")
    assert {h.split("=")[0] for h in chosen.headers.getlist("Set-Cookie")} == {"language"}
    welsh = words(anonymous.get("/cookies").text)
    assert "Y cwcis rydym yn eu defnyddio" in welsh and "language Yn cofio'r iaith a ddewisoch" in welsh
    anonymous.get("/language/en?next=/cookies")
    assert "language Remembers the language you chose for the pages" in words(anonymous.get("/cookies").text)


def test_the_app_will_not_start_without_the_compiled_welsh(tmp_path, monkeypatch):
    monkeypatch.setattr(locales, "TRANSLATIONS", tmp_path / "translations")  # a copy built without `make`
    with pytest.raises(ConfigurationError, match="run `make translations`"):
        create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
