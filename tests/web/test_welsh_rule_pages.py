"""The safeguarding lead's rule pages in Welsh (ADR 0028), and the lead's editor editing both languages (ADR 0026,
addendum): each English text shows its Welsh from the draft's cy.yaml, saying when it is missing or out of date;
saving writes the Welsh the lead wrote with the fingerprint of the English saved with it, keeps a Welsh text left
as it was (out of date when its English changed), and takes out a Welsh text the lead emptied."""

from __future__ import annotations

import difflib
import html
import re

import pytest

from screening.ruleset.translation import fingerprint
from screening.store import rulesets as versions
from tests.web.conftest import active, run_queued_jobs, signed_in_client
from tests.web.conftest import heading_of as heading
from tests.web.conftest import lang_of as lang
from tests.web.conftest import words_of as words
from tests.web.test_rule_editor import FormValues, draft_texts, save

ROUTE = "/rules/edit/routes/universal"
SIGN = "missing_from_placement"  # a sign with two examples and no Welsh yet


@pytest.fixture
def lead(app):
    return signed_in_client(app, "demo-lead")


@pytest.fixture
def welsh_lead(app):
    client = signed_in_client(app, "demo-lead")
    client.get("/language/cy")
    return client





def welsh_block(page: str, name: str) -> str:
    """The Welsh beside English field `name` (its label, hint, field and checkbox), after its state."""
    start = re.search(rf'<div class="govuk-inset-text[^"]*app-welsh" id="cy-{name}-welsh" data-state="([^"]+)">', page)
    assert start, f"no Welsh beside {name}"
    depth, at = 1, start.end()
    for tag in re.finditer(r"<(/?)div\b", page[at:]):
        depth += -1 if tag.group(1) else 1
        if not depth:
            return start.group(1) + " | " + page[at:at + tag.start()]
    raise AssertionError("unclosed")


def cy_entry(texts: dict[str, str], section: str, item: str) -> str:
    """The lines of one item of the draft's cy.yaml section."""
    text = texts["cy.yaml"]
    start = re.search(rf"^  {section}:.*$", text, re.M).end()
    found = re.search(rf"^    {item}:\n((?:      .*\n|\s*\n)*?)(?=^    \S|^  \S|\Z)", text[start:], re.M)
    return found.group(1) if found else ""


# -- the editor, both languages --------------------------------------------------------------------------------

def test_each_english_text_shows_its_welsh_and_its_state(app, lead):
    page = lead.get(ROUTE).text
    route = active(app).route_by_id["universal"]
    welsh = active(app).in_language("cy").route_by_id["universal"]
    label = welsh_block(page, "label")
    assert label.startswith("current | ") and 'lang="cy"' in label and "Cymraeg</span> / Welsh" in label
    assert f'value="{welsh.label}"' in html.unescape(label) and welsh.label != route.label
    assert "No Welsh yet" not in label and "Out of date" not in label
    assert {"cy-label", "cy-timescale", "cy-referrer_expects"} <= set(FormValues(page).values)

    sign = lead.get(f"/rules/edit/signs/{SIGN}").text
    assert {"cy-text", "cy-guidance", "cy-examples"} <= set(FormValues(sign).values)
    assert "as many lines as the English" in welsh_block(sign, "examples")
    assert "cy-level" not in sign and "cy-theme" not in sign  # only texts a reader sees have a Welsh form
    rule = lead.get("/rules/edit/rules/" + active(app).rules[0].id).text
    assert "app-welsh" not in rule  # a rule's page changes numbers and routes only


def test_writing_the_welsh_saves_it_with_the_englishs_fingerprint_and_counts_it(app, lead):
    sign = next(i for i in active(app).indicators if i.id == SIGN)
    emptied = save(lead, f"/rules/edit/signs/{SIGN}", **{"cy-text": "", "cy-guidance": "", "cy-examples": ""})
    assert emptied.status_code == 302  # whatever Welsh the sign had is out of the draft now
    page = lead.get(f"/rules/edit/signs/{SIGN}").text
    for name in ("text", "guidance", "examples"):
        assert welsh_block(page, name).startswith("missing | ") and "No Welsh yet" in welsh_block(page, name)

    response = save(lead, f"/rules/edit/signs/{SIGN}", **{
        "cy-text": "Mae wedi mynd ar goll o'i leoliad",
        "cy-examples": "Enghraifft gyntaf\nAil enghraifft"})
    assert response.status_code == 302, errors_of(response.text)
    texts = draft_texts(app)
    entry = cy_entry(texts, "indicators", SIGN)
    assert "text: Mae wedi mynd ar goll o'i leoliad" in entry
    assert re.search(rf'english: "?{fingerprint(sign.text)}"?', entry)
    assert re.search(rf'english: "?{fingerprint(list(sign.examples))}"?', entry)
    assert "guidance" not in entry  # left empty: no Welsh written
    draft = versions.parse(texts).in_language("cy")
    welsh = next(i for i in draft.indicators if i.id == SIGN)
    assert welsh.examples == ("Enghraifft gyntaf", "Ail enghraifft") and welsh.guidance == sign.guidance
    assert all(texts[name] == text for name, text in dict(active(app).sources).items() if name != "cy.yaml")
    assert re.search(r"The Welsh texts \d+ (added|changed)", words(lead.get("/rules/edit/changes").text))
    page = lead.get(f"/rules/edit/signs/{SIGN}").text
    assert welsh_block(page, "text").startswith("current | ") and welsh_block(page, "guidance").startswith("missing")


def test_welsh_written_for_a_sign_goes_in_beside_the_others_and_leaves_the_rest_as_it_was(app, lead):
    sign = active(app).indicators[-1]
    url = f"/rules/edit/signs/{sign.id}"
    assert save(lead, url, **{"cy-text": "", "cy-guidance": "", "cy-examples": ""}).status_code == 302
    before = draft_texts(app)["cy.yaml"].splitlines()
    response = save(lead, url, **{"cy-guidance": "Canllaw newydd"})
    assert response.status_code == 302
    after = draft_texts(app)["cy.yaml"].splitlines()
    diff = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert [line[2:].strip().replace('"', "") for line in diff if line.startswith("+ ")] == [
        f"{sign.id}:", "guidance:", "text: Canllaw newydd", f"english: {fingerprint(sign.guidance)}"]
    assert not [line for line in diff if line.startswith("- ")]  # every other line as it was
    assert versions.parse(draft_texts(app)).in_language("cy").indicators[-1].guidance == "Canllaw newydd"


def errors_of(page: str) -> list[str]:
    return re.findall(r'<p id="[^"]*-error" class="govuk-error-message">(.*?)</p>', page, re.S)


def test_welsh_left_as_it_was_keeps_its_fingerprint_and_shows_out_of_date_when_the_english_changed(app, lead):
    was = cy_entry(dict(active(app).sources), "routes", "universal")
    response = save(lead, ROUTE, label="Universal: nothing beyond the ordinary")
    assert response.status_code == 302
    texts = draft_texts(app)
    assert cy_entry(texts, "routes", "universal") == was  # never silently claimed current
    page = lead.get(ROUTE).text
    label = welsh_block(page, "label")
    assert label.startswith("out of date | ") and "Out of date: the English has changed" in label
    assert "The Welsh still says what the English says" in label
    assert welsh_block(page, "timescale").startswith("current | ")
    draft = versions.parse(texts).in_language("cy").route_by_id["universal"]
    assert draft.label == "Universal: nothing beyond the ordinary"  # out of date: readers see the English

    response = save(lead, ROUTE, **{"cy-label-current": "yes"})  # the lead says the Welsh still holds
    assert response.status_code == 302
    assert f"english: {fingerprint('Universal: nothing beyond the ordinary')}" in cy_entry(
        draft_texts(app), "routes", "universal").replace('"', "")
    assert welsh_block(lead.get(ROUTE).text, "label").startswith("current | ")


def test_changing_the_welsh_with_the_english_makes_it_current(app, lead):
    response = save(lead, ROUTE, label="Universal: nothing beyond the ordinary",
                    **{"cy-label": "Cyffredinol: dim byd y tu hwnt i'r arferol"})
    assert response.status_code == 302
    route = versions.parse(draft_texts(app)).in_language("cy").route_by_id["universal"]
    assert route.label == "Cyffredinol: dim byd y tu hwnt i'r arferol"
    changes = words(lead.get("/rules/edit/changes").text)
    assert "The Welsh texts" in changes and "1 changed" in changes


def test_an_emptied_welsh_field_takes_that_welsh_text_out(app, lead):
    old = dict(active(app).sources)["cy.yaml"]
    response = save(lead, "/rules/edit/contacts/1", **{"cy-when": ""})
    assert response.status_code == 302
    new = draft_texts(app)["cy.yaml"]
    gone = [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert len(gone) == 1 and gone[0].startswith("-") and gone[0][2:].strip().startswith("when: {text: Nawr")
    welsh = versions.parse(draft_texts(app)).in_language("cy").contacts[0]
    assert welsh.when == active(app).contacts[0].when and welsh.name != active(app).contacts[0].name
    assert "1 taken out" in words(lead.get("/rules/edit/changes").text)
    assert welsh_block(lead.get("/rules/edit/contacts/1").text, "when").startswith("missing | ")


def test_a_welsh_mistake_is_shown_beside_the_welsh_field_and_nothing_is_saved(app, lead):
    response = save(lead, f"/rules/edit/signs/{SIGN}", **{"cy-examples": "Un enghraifft yn unig"})
    assert response.status_code == 400
    assert "Expected a list of 2 texts" in welsh_block(response.text, "examples")
    assert 'href="#cy-examples"' in response.text
    assert "Un enghraifft yn unig" in welsh_block(response.text, "examples")  # as the lead wrote it
    with app.extensions["db"].reading() as tx:
        from screening.store import drafts
        assert drafts.draft_of(tx, "demo-lead") is None


# -- the lead's rule pages in Welsh ------------------------------------------------------------------------------

WELSH_PAGES = [  # (address, its heading in Welsh, English of ours that must not be left on it)
    ("/rules/", "Y rheolau sy'n cael eu defnyddio",
     ["The rules in use", "Routes, lowest first", "Rules in plain English", "Download the YAML", "Content hash",
      "Change the rules in forms", "Timescale:"]),
    ("/rules/insight", "Lle mae barn a rheolau'n anghytuno", ["completed screenings it fired in", "Lowered"]),
    ("/rules/propose", "Cynnig newid i'r rheolau", ["File to edit", "Check the rule set", "Or upload a file"]),
    ("/rules/tables/", "Tablau penderfynu", ["Download as CSV", "When it applies", "Find rules by their words"]),
    ("/rules/tables/upload", "Uwchlwytho taenlen wedi'i newid", ["Upload to my draft", "Thresholds&rdquo; sheet"]),
    ("/rules/edit/", "Newid y rheolau", ["Signs, by theme", "Find by its words", "Add a sign to"]),
    (ROUTE, None, ["Save to my draft", "What the referrer should expect", "Your change goes into your draft",
                   "No Welsh yet", "Change a route"]),
]


@pytest.mark.parametrize(("url", "title", "english"), WELSH_PAGES, ids=[p[0] for p in WELSH_PAGES])
def test_each_rule_page_speaks_welsh(welsh_lead, lead, url, title, english):
    page = welsh_lead.get(url)
    assert page.status_code == 200 and lang(page.text) == "cy"
    if title:
        assert heading(page.text) == title
    left = [phrase for phrase in english if phrase in words(page.text)]
    assert left == [], f"English left on {url}"
    in_english = lead.get(url)  # the same account's page in English, after switching back, is as it was
    assert lang(in_english.text) == "cy"  # the account remembers Welsh ...
    lead.get("/language/en")
    again = lead.get(url).text
    assert lang(again) == "en" and english[0] in words(again)


def test_the_editor_and_its_changes_in_welsh(app, welsh_lead):
    page = welsh_lead.get(ROUTE).text
    assert "Newid llwybr" in words(page) and "Cadw yn fy nrafft" in words(page) and "Cymraeg / Welsh" in words(page)
    refused = save(welsh_lead, ROUTE, label="")
    assert refused.status_code == 400 and "Rhowch label y llwybr" in words(refused.text)
    assert "Enter the route's label" not in words(refused.text)
    assert save(welsh_lead, ROUTE, label="Universal: nothing beyond the ordinary").status_code == 302
    changes = welsh_lead.get("/rules/edit/changes").text
    assert heading(changes) == "Eich newidiadau i'r rheolau"
    assert "Y llwybr “" in words(changes) and "y llwybrau" in words(changes)  # what changes, and its kind
    assert not [p for p in ("Your changes to the rules", "changed from", "Discard my draft", "Check the impact",
                            "they change") if p in words(changes)]
    refused = welsh_lead.post("/rules/edit/propose", data={"csrf_token": token_of(changes), "reason": ""})
    assert refused.status_code == 400 and "Rhowch pam rydych chi'n gwneud y newidiadau hyn" in words(refused.text)


def test_the_impact_of_a_version_in_welsh(app, welsh_lead):
    from tests.web.test_lead_workspace import STRICTER, finished_preview, propose, rules_text
    refused = propose(welsh_lead, rules_text(), reason="")
    assert refused.status_code == 400 and "Rhowch pam rydych chi'n cynnig y newid hwn" in words(refused.text)
    response = propose(welsh_lead, rules_text().replace(*STRICTER))
    version_id = int(response.location.rsplit("/", 1)[1])
    page = finished_preview(app, welsh_lead, version_id)
    assert lang(page) == "cy" and heading(page).startswith("Effaith fersiwn")
    text = words(page)
    assert "Senarios a fyddai'n methu (" in text and "Mae ei awduron yn disgwyl" in text
    assert "Achosion sydd wedi newid (" in text and "Rhoi'r fersiwn hon ar waith" in text
    assert not [p for p in ("Vignettes that would fail", "Its authors expect", "Changed cases", "Would go",
                            "Activate this version", "Routes before and after", "What this version changes")
                if p in text]
    run_queued_jobs(app)


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_wording_change_made_in_welsh_is_numbered_and_listed_as_in_english(app, welsh_lead):
    assert save(welsh_lead, "/rules/edit/contacts/1", when="Straight away").status_code == 302
    changes = welsh_lead.get("/rules/edit/changes").text
    assert "<strong>1.0.1</strong>" in changes  # wording only: a patch, as in English
    assert len(re.findall(r'class="app-finding"', changes)) == 1
