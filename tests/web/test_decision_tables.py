"""Decision tables over HTTP: a readable, searchable table per route; the same as CSV and as a spreadsheet; and a
spreadsheet changed offline uploaded back into the lead's draft, differing by exactly what was changed."""

from __future__ import annotations

import csv
import difflib
import io
import re

import pytest
from openpyxl import load_workbook

from screening.store import drafts
from screening.store import rulesets as versions
from screening.tools.changes import changes_between
from tests.web.conftest import active, signed_in_client, text_of


@pytest.fixture
def lead(app):
    return signed_in_client(app, "demo-lead")


def token(client, url="/rules/tables/upload") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def upload(lead, data: bytes, name="decision-tables.xlsx"):
    return lead.post("/rules/tables/upload", data={"csrf_token": token(lead), "spreadsheet": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")


def test_a_table_per_route_in_words_and_searchable(app):
    practitioner = signed_in_client(app)  # everyone signed in reads the rules
    page = text_of(practitioner.get("/rules/tables/").text)
    assert "Child protection: section 47 referral and strategy discussion (" in page
    assert "Going missing three or more times in 90 days is a pattern" in page
    found = text_of(practitioner.get("/rules/tables/?q=missing+episodes").text)
    assert "Going missing three or more times in 90 days" in found
    assert "A child under 13 cannot consent" not in found
    assert "No rule matches" in text_of(practitioner.get("/rules/tables/?q=zzzz").text)


def test_the_csv_has_a_row_for_every_rule(app, lead):
    rows = list(csv.reader(io.StringIO(lead.get("/rules/tables/rules.csv").text)))
    assert rows[0] == ["Route", "Rule", "When it applies", "Minimum route", "Minimum level", "Strategy meeting",
                       "Reference"]
    assert len(rows) - 1 == len(active(app).rules)


def test_a_spreadsheet_with_one_threshold_changed_comes_back_as_exactly_that_change(app, lead):
    book = load_workbook(io.BytesIO(lead.get("/rules/tables/rules.xlsx").data))
    sheet = book["Thresholds"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Missing episodes, last 90 days: at least"
               and r[0].value.startswith("Going missing three or more times"))
    assert row[2].value == 3
    row[2].value = 4
    out = io.BytesIO()
    book.save(out)
    response = upload(lead, out.getvalue())
    assert response.status_code == 302 and response.location.endswith("/rules/edit/changes")
    with app.extensions["db"].reading() as tx:
        texts = dict(drafts.draft_of(tx, "demo-lead").texts)
    before = dict(active(app).sources)
    assert [n for n in texts if texts[n] != before[n]] == ["rules.yaml"]
    diff = [line for line in difflib.unified_diff(before["rules.yaml"].splitlines(), texts["rules.yaml"].splitlines(),
                                                  lineterm="", n=0) if line[:1] in "+-" and line[:3] not in "+++---"]
    assert diff == ["-    when: {fact: missing_episodes_90d, at_least: 3}",
                    "+    when: {fact: missing_episodes_90d, at_least: 4}"]
    (change,) = changes_between(active(app), versions.parse(texts))
    assert (change.part, change.before, change.after) == ("Missing episodes, last 90 days: at least", "3", "4")


def test_a_spreadsheet_that_cannot_be_read_back_is_refused_in_words(app, lead):
    assert "The file is not a spreadsheet saved as .xlsx" in upload(lead, b"not a workbook").text
    book = load_workbook(io.BytesIO(lead.get("/rules/tables/rules.xlsx").data))
    book["Thresholds"]["C2"] = "many"
    book["Rules"]["D2"] = "Straight to court"
    out = io.BytesIO()
    book.save(out)
    refused = upload(lead, out.getvalue())
    assert refused.status_code == 400
    assert "Thresholds, row 2: enter a whole number from 0 to 9999 as the value" in text_of(refused.text)
    assert "Rules, row 2: “Straight to court” is not one of the routes" in text_of(refused.text)
    with app.extensions["db"].reading() as tx:
        assert drafts.draft_of(tx, "demo-lead") is None  # nothing half-saved
    assert signed_in_client(app).get("/rules/tables/upload").status_code == 403


def test_a_spreadsheet_downloaded_from_a_welsh_page_uploads_back_unchanged(app, lead):
    """The spreadsheet is the rule set's data, in the English the rule files hold, whatever the page's language."""
    lead.set_cookie("language", "cy")
    data = lead.get("/rules/tables/rules.xlsx").data
    response = upload(lead, data)
    assert response.status_code == 302, text_of(response.text)[:500]
    with app.extensions["db"].reading() as tx:
        texts = dict(drafts.draft_of(tx, "demo-lead").texts)
    assert texts == dict(active(app).sources)
