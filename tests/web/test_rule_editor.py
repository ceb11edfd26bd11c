"""The lead's rule editor over HTTP: each change on its own page, checked at once, shown in words and as YAML,
kept in the lead's draft with every comment of the files, and proposed as a version numbered by its kind."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from screening.store import rulesets as versions
from screening.store.models import RuleSetVersion
from tests.web.conftest import active, run_queued_jobs, signed_in_client, text_of

SIGN = "gifts_unexplained"


@pytest.fixture
def lead(app):
    return signed_in_client(app, "demo-lead")


def token(client, url="/rules/edit/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


class FormValues(HTMLParser):
    """What a browser would send from a page's form as it stands: inputs, checked radios and textareas."""

    def __init__(self, page: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self.textarea = ""
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and (a.get("type") != "radio" or "checked" in a):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.values[self.textarea] = self.values[self.textarea].strip()
            self.textarea = ""


def save(lead, url: str, **fields):
    """Post an edit page as a lead would: every field as the page shows it, with the ones given changed."""
    data = FormValues(lead.get(url).text).values
    data.pop("q", None)
    return lead.post(url, data={**data, **fields})


def draft_texts(app) -> dict[str, str]:
    from screening.store import drafts
    with app.extensions["db"].reading() as tx:
        return dict(drafts.draft_of(tx, "demo-lead").texts)


def test_making_a_sign_red_keeps_every_comment_and_shows_the_change_in_words(app, lead):
    before = dict(active(app).sources)
    response = save(lead, f"/rules/edit/signs/{SIGN}", level="red")
    assert response.status_code == 302 and response.location.endswith("/rules/edit/changes")
    after = draft_texts(app)
    old, new = before["indicators.yaml"], after["indicators.yaml"]
    comments = [line for line in old.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in new.splitlines() for line in comments)
    changed = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed == [("    level: amber", "    level: red")]  # the only line that differs, in the whole file
    assert all(after[name] == text for name, text in before.items() if name != "indicators.yaml")

    page = text_of(lead.get("/rules/edit/changes").text)
    assert "The sign “Has new clothes, jewellery, trainers or other items they cannot explain”: level" in page
    assert "Before Amber After Red" in page
    assert "would make version 1.1.0" in page
    assert "- level: amber" in page and "+ level: red" in page  # the YAML diff, folded away


def test_an_empty_wording_is_an_error_beside_the_field_and_nothing_is_saved(app, lead):
    response = save(lead, f"/rules/edit/signs/{SIGN}", text="  ")
    assert response.status_code == 400
    assert 'href="#text"' in response.text
    assert re.search(r'id="text-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span> '
                     r"Enter the sign as practitioners read it", response.text)
    with app.extensions["db"].reading() as tx:
        from screening.store import drafts
        assert drafts.draft_of(tx, "demo-lead") is None


def test_a_compiler_error_is_shown_beside_its_field(lead):
    response = save(lead, "/rules/edit/actions/call_999", within="whenever")
    assert response.status_code == 400
    assert 'id="within-error"' in response.text


def test_a_threshold_and_a_minimum_route_are_changed_on_the_rules_page(app, lead):
    url = "/rules/edit/rules/adult_perpetrator_plus_indicators"
    page = text_of(lead.get(url).text)
    assert "How many of its signs are present: at least" in page
    assert save(lead, url, **{"threshold-0": "2"}).status_code == 302
    rule = next(r for r in versions.parse(draft_texts(app)).rules if r.id == "adult_perpetrator_plus_indicators")
    assert "at least 2 amber or red" in rule.when.describe()
    changes = text_of(lead.get("/rules/edit/changes").text)
    assert "How many signs: at least Before 1 After 2" in changes


def test_a_route_change_is_a_major_version_and_a_wording_change_a_patch(app, lead):
    assert save(lead, "/rules/edit/actions/call_999", within="15 minutes").status_code == 302
    assert "would make version 1.0.1" in text_of(lead.get("/rules/edit/changes").text)
    assert save(lead, "/rules/edit/routes/early_help", timescale="Talk to your lead today").status_code == 302
    assert "would make version 2.0.0" in text_of(lead.get("/rules/edit/changes").text)


def test_a_new_sign_goes_after_its_themes_last_sign(app, lead):
    response = save(lead, "/rules/edit/themes/gifts_money/new-sign", level="amber",
                    text="Has a bank card in someone else's name", guidance="Ask who gave it to them.",
                    examples="A card in an adult's name\nA card nobody in the family knows about",
                    reference="Local procedure")
    assert response.status_code == 302
    rs = versions.parse(draft_texts(app))
    sign = next(i for i in rs.indicators if i.text == "Has a bank card in someone else's name")
    assert sign.theme == "gifts_money" and len(sign.examples) == 2
    assert "New, Amber, in Gifts, money and phones" in text_of(lead.get("/rules/edit/changes").text)


def test_proposing_numbers_the_version_stores_it_and_ends_the_draft(app, lead):
    save(lead, f"/rules/edit/signs/{SIGN}", level="red")
    missing = lead.post("/rules/edit/propose", data={"csrf_token": token(lead, "/rules/edit/changes"), "reason": ""})
    assert missing.status_code == 400 and "Enter why you are making these changes" in missing.text
    response = lead.post("/rules/edit/propose", data={"csrf_token": token(lead, "/rules/edit/changes"),
                                                      "reason": "Agreed at the partnership meeting"})
    assert response.status_code == 302 and "/rules/versions/" in response.location
    with app.extensions["db"].reading() as tx:
        newest = tx.query(RuleSetVersion).order_by(RuleSetVersion.id.desc()).first()
        assert newest.version == "1.1.0" and newest.reason == "Agreed at the partnership meeting"
        assert 'version: "1.1.0"' in newest.texts["ruleset.yaml"]
    assert lead.get("/rules/edit/changes").status_code == 302  # no draft any more
    # The next change to the same kind never takes a number in use
    save(lead, f"/rules/edit/signs/{SIGN}", level="green")
    assert "would make version 1.2.0" in text_of(lead.get("/rules/edit/changes").text)


def test_other_roles_cannot_edit(app):
    practitioner = signed_in_client(app)
    assert practitioner.get(f"/rules/edit/signs/{SIGN}").status_code == 403


LITERALS = re.compile(r"[\[({]['\"]|\bNone\b(?! of)")  # ['a', ('a', {'a': and a bare None


def lead_words(html: str) -> str:
    """The words a lead reads in the page's main part: no markup or attributes, and not the YAML diff, which is
    there, folded away, for those who want it."""
    main = html[html.index("<main"):html.index("</main>")]
    return text_of(re.sub(r'<details[^>]*id="yaml-diff".*?</details>', "", main, flags=re.S))


def internal_ids(app) -> set[str]:
    """Every id of the rule set that is not also an ordinary word (ids with an underscore)."""
    rs = active(app)
    found = {*rs.route_by_id, *rs.level_by_id, *(r.id for r in rs.rules), *rs.facts, *rs.actions,
             *(t.id for t in rs.themes), *(e.id for e in rs.language), *(a.id for a in rs.agencies)}
    return {i for i in found if "_" in i}


def test_no_internal_id_or_python_literal_on_any_lead_page(app, lead):
    from tests.web.conftest import Practitioner
    practitioner = Practitioner(signed_in_client(app))  # a stored screening that a threshold change sends down
    practitioner.start()
    practitioner.required_pages(signs={"missing_episodes_90d": "4"})
    practitioner.finish()
    rs, ids = active(app), internal_ids(app)

    def check(url: str) -> str:
        response = lead.get(url)
        assert response.status_code == 200, url
        words = lead_words(response.text)
        assert not LITERALS.search(words), (url, LITERALS.search(words))
        assert not [i for i in ids if re.search(rf"\b{i}\b", words)], url
        return words

    for url in ["/rules/", "/rules/edit/", "/rules/edit/?q=missing", "/rules/insight",
                "/rules/edit/themes/gifts_money/new-sign",
                *(f"/rules/edit/rules/{r.id}" for r in rs.rules), *(f"/rules/edit/routes/{r.id}" for r in rs.routes),
                *(f"/rules/edit/contacts/{n + 1}" for n in range(len(rs.contacts))),
                *(f"/rules/edit/signs/{i.id}" for i in rs.indicators[::10]),
                *(f"/rules/edit/actions/{a}" for a in list(rs.actions)[::10]),
                *(f"/rules/edit/wording/{e.id}" for e in rs.language[::10])]:
        check(url)
    save(lead, "/rules/edit/rules/missing_repeated", **{"threshold-0": "30"})
    save(lead, f"/rules/edit/signs/{SIGN}", level="red")
    check("/rules/edit/changes")
    proposed = lead.post("/rules/edit/propose", data={"csrf_token": token(lead, "/rules/edit/changes"),
                                                      "reason": "Checking the words"})
    run_queued_jobs(app)
    preview = check(proposed.location)
    assert "DOWN: Screening" in preview and "Would go DOWN from Child in need (Amber)" in preview


HOSTILE = ["\x00", "a" * 6000, "{{7*7}}", "it's", 'a "quoted" word', "key: value", "- a list?", "# not a comment",
           "yes", "[a, b]", "&anchor *alias", "!!python/object x", "é ① ٣", "line\nbreak", "   ", "9" * 30]
FIELDS = [("signs", SIGN, "text"), ("signs", SIGN, "guidance"), ("signs", SIGN, "examples"),
          ("routes", "early_help", "label"), ("contacts", "2", "phone"), ("actions", "call_999", "within"),
          ("wording", "putting_self_at_risk", "patterns"), ("rules", "missing_repeated", "threshold-0")]


@pytest.mark.parametrize(("kind", "item", "name"), FIELDS)
def test_hostile_values_are_refused_in_words_or_kept_exactly(app, lead, kind, item, name):
    """Each value is either refused with a message beside its field, or saved and read back as the lead wrote it
    (YAML's own characters quoted, never read as YAML)."""
    url = f"/rules/edit/{kind}/{item}"
    for value in HOSTILE:
        response = save(lead, url, **{name: value})
        assert response.status_code in (302, 400), (name, value)
        if response.status_code == 400 and value != "\x00":  # (the app refuses a NUL in any form before a view)
            assert f'id="{name}-error"' in response.text, (name, value)
        elif response.status_code == 302 and kind == "signs" and name == "text":
            rs = versions.parse(draft_texts(app))
            assert next(i for i in rs.indicators if i.id == SIGN).text == " ".join(value.split())


def test_a_draft_started_before_another_version_was_activated_says_so(app, lead):
    save(lead, f"/rules/edit/signs/{SIGN}", level="red")
    assert 'id="draft-behind"' not in lead.get("/rules/edit/changes").text
    texts = dict(active(app).sources)
    texts["actions.yaml"] = texts["actions.yaml"].replace("within: now", "within: 5 minutes", 1)
    with app.extensions["db"].transaction() as tx:
        version = versions.add_version(tx, versions.parse(texts), "another-lead", "Quicker")
        versions.activate(tx, version.id, "another-lead", "Quicker")
    page = lead.get("/rules/edit/changes").text
    assert 'id="draft-behind"' in page
    assert "The action “Call the police on 999 now." in text_of(page)  # shown as undone by this draft
