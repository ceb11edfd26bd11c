"""Contacts not configured yet ("[MASH phone number]"): a practitioner never sees the brackets, on the call-999
interruption or on an outcome (stored with it, so a later version's numbers do not change it); the safeguarding lead
is told on the rules page, and sees them among a new version's warnings without being stopped from activating it."""

from __future__ import annotations

import html
import re

import pytest

import screening
from screening.store import rulesets
from tests.web.conftest import Practitioner, active, signed_in_client, text_of
from tests.web.test_lead_workspace import finished_preview, report_on, token

RS = screening.load_ruleset("rules/default")
PLACEHOLDERS = ("[MASH phone number]", "[emergency duty team number]")  # the default rule set's, as written
UNSET = [c for c in RS.contacts if c.placeholder]
NUMBERS = ("0300 123 4567", "0300 765 4321")
BRACKETED = re.compile(r"\[[^\]]*\]")


def words(page: str) -> str:
    return html.unescape(text_of(page))


def ruleset_yaml() -> str:
    return dict((n.rsplit("/", 1)[-1], t) for n, t in RS.sources)["ruleset.yaml"]


def filled(text: str, how_many: int = 2) -> str:
    for placeholder, number in list(zip(PLACEHOLDERS, NUMBERS, strict=True))[:how_many]:
        text = text.replace(placeholder, number)
    return text


def activate_filled(app) -> None:
    """Make the default rule set with its numbers filled in the active version (as the release step would)."""
    texts = {**rulesets.texts_of("rules/default"), "ruleset.yaml": filled(ruleset_yaml())}
    with app.extensions["db"].transaction() as tx:
        version = rulesets.add_version(tx, rulesets.parse(texts), "system", "numbers filled in")
        rulesets.activate(tx, version.id, "system", "numbers filled in")


def test_the_default_rule_set_has_placeholder_contacts():
    assert [c.phone for c in UNSET] == list(PLACEHOLDERS)


@pytest.mark.hazard("H-04")
def test_the_999_page_names_each_service_and_never_shows_a_placeholder(practitioner):
    response = practitioner.post("/screenings/new", {"signs__immediate_danger": ["with_abuser_now"]})
    page = words(practitioner.client.get(response.location).text)
    assert "Police, when a child is in immediate danger: 999 (Now)" in page
    for contact in UNSET:
        assert f"{contact.name}: number not set up yet ({contact.when}). Ask your safeguarding lead." in page
    assert not BRACKETED.search(page)


def test_the_first_page_shown_again_with_danger_never_shows_a_placeholder(practitioner):
    response = practitioner.post("/screenings/new", {"signs__immediate_danger": ["with_abuser_now"], "age": "lots"})
    page = words(response.text)
    assert response.status_code == 400 and "Call 999 now" in page
    assert all(c.name in page for c in RS.contacts) and not any(p in page for p in PLACEHOLDERS)


@pytest.mark.hazard("H-04")
def test_an_outcome_says_number_not_set_up_and_keeps_saying_it_after_the_numbers_are_filled_in(app, practitioner):
    practitioner.start()
    practitioner.required_pages()
    before = words(practitioner.finish().text)
    for contact in UNSET:
        assert (f"{contact.name}: number not set up yet (ask your safeguarding lead, or call 999 if the child is in "
                "danger now)") in before
    assert "Police, when a child is in immediate danger: 999" in before
    assert not any(p in before for p in PLACEHOLDERS)
    old = practitioner.sid
    activate_filled(app)
    kept = words(practitioner.client.get(f"/screenings/{old}/outcome").text)
    assert "number not set up yet" in kept and not any(n in kept for n in NUMBERS)  # as it was produced (ADR 0004)
    later = Practitioner(practitioner.client)
    later.start()
    later.required_pages()
    now = words(later.finish().text)
    assert all(f"{c.name}: {n}" in now for c, n in zip(UNSET, NUMBERS, strict=True))
    assert "number not set up yet" not in now


def test_the_leads_rules_page_lists_contacts_not_configured_yet(app):
    page = words(signed_in_client(app, "demo-lead").get("/rules/").text)
    listed = "These contacts are not configured yet: " + "; ".join(c.name for c in UNSET) + "."
    assert listed in page and all(p in page for p in PLACEHOLDERS)
    assert 'href="/rules/propose?file=ruleset.yaml"' in signed_in_client(app, "demo-lead").get("/rules/").text
    assert "not configured yet" not in words(signed_in_client(app).get("/rules/").text)  # a practitioner's view
    activate_filled(app)
    assert "not configured yet" not in words(signed_in_client(app, "demo-lead").get("/rules/").text)


def test_a_new_version_with_a_placeholder_warns_the_lead_and_can_still_be_activated(app):
    lead = signed_in_client(app, "demo-lead")
    proposed = lead.post("/rules/propose?file=ruleset.yaml",
                         data={"csrf_token": token(lead), "text": filled(ruleset_yaml(), how_many=1),
                               "reason": "The MASH number"})
    assert proposed.status_code == 302
    version_id = int(proposed.location.rsplit("/", 1)[1])
    page = finished_preview(app, lead, version_id)
    warned = words(page[page.index('id="ruleset-warnings"'):])
    assert "This version has 1 warning(s)" in warned
    assert 'has a placeholder phone "[emergency duty team number]": add your area\'s number before use' in warned
    assert lead.post(f"/rules/versions/{version_id}/activate",
                     data={"csrf_token": token(lead), "reason": "The MASH number", "report": report_on(page)}
                     ).status_code == 302
    assert [c.phone for c in active(app).contacts if c.placeholder] == ["[emergency duty team number]"]
    assert "not configured yet: Out of hours: the emergency duty team." in words(lead.get("/rules/").text)
