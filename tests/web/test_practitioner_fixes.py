"""Fixes from practitioners' reports: age and date of birth, one message per field, the screenings list (route
words, owners, pages) and where each role lands after signing in."""

from __future__ import annotations

import html as markup
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from screening.engine import evaluate
from screening.store import screenings as repo
from screening.web.forms import fields
from screening.web.forms import messages as msg
from screening.web.forms.pages import journey_pages
from tests.web.conftest import active, sign_in, signed_in_client, text_of

TODAY = date(2026, 11, 22)
BORN_14_YEARS_AGO = {"age__dob_day": "22", "age__dob_month": "11", "age__dob_year": "2012"}


def page_of(app, fact_id: str) -> str:
    """The journey page that asks `fact_id` (pages are built from the rule set, so look it up)."""
    return next(p.id for p in journey_pages(active(app)) if any(f.id == fact_id for f in p.facts))


def summary(html: str) -> list[tuple[str, str]]:
    """(link, message) for each entry in the error summary."""
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return re.findall(r'<a href="([^"]+)">\s*(.*?)\s*</a>', found.group(1), re.S) if found else []


def inline(html: str, field_id: str) -> list[str]:
    """The messages shown next to one field (GOV.UK gives each the id '<field id>-error')."""
    found = re.findall(rf'id="{re.escape(field_id)}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    return [text_of(re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", m)).strip() for m in found]


class Draft:
    """A draft of the demo practitioner's, made in the store; its pages opened and posted (with the CSRF token the
    page carries) through the signed-in client."""

    def __init__(self, app, client):
        with app.extensions["db"].transaction() as tx:
            self.sid = repo.create_draft(tx, "demo-practitioner", active(app)).id
        self.client = client

    def get(self, page_id: str) -> str:
        return self.client.get(f"/screenings/{self.sid}/pages/{page_id}").text

    def post(self, page_id: str, data: dict) -> str:
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(page_id)).group(1)
        return self.client.post(f"/screenings/{self.sid}/pages/{page_id}", data={"csrf_token": token, **data}).text


@pytest.fixture
def draft(app, client) -> Draft:
    return Draft(app, client)


# -- 1a. a date of birth that is not a real date -------------------------------------------------------------
def test_an_impossible_date_of_birth_typed_in_the_boxes_shown_gets_the_real_date_message(draft, app):
    """Post the date under the names the page really renders (a browser sends those), with the age box empty."""
    page_id = page_of(app, "age")
    html = draft.get(page_id)
    names = {part: re.search(rf'id="age__dob-{part}" name="([^"]+)"', html).group(1)
             for part in ("day", "month", "year")}
    response = draft.post(page_id, {names["day"]: "31", names["month"]: "2", names["year"]: "2012"})
    assert inline(response, "age__dob") == [msg.DOB_REAL]
    assert ("#age__dob-day", msg.DOB_REAL) in summary(response)
    assert inline(response, "age") == [] and "Enter the child" not in text_of(response)


# -- 1b. age and date of birth both given ----------------------------------------------------------------------
@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(fields, "today", lambda: TODAY)


def age_fact(app):
    return active(app).facts["age"]


def test_an_age_that_agrees_with_the_date_of_birth_is_accepted(app, fixed_today):
    assert fields.FORM_FIELDS["age"].read(age_fact(app), {"age": "14", **BORN_14_YEARS_AGO}) == (14, {})


def test_an_age_that_agrees_with_the_date_of_birth_gets_no_message_on_the_page(draft, app, fixed_today):
    response = draft.post(page_of(app, "age"), {"age": "14", **BORN_14_YEARS_AGO})
    assert inline(response, "age") == [] and inline(response, "age__dob") == []
    assert not [link for link, _ in summary(response) if link in ("#age", "#age__dob-day")]


def test_an_age_that_disagrees_with_the_date_of_birth_is_an_error_on_the_age(draft, app, fixed_today):
    assert msg.AGE_DOB_DIFFER == "The age does not match the date of birth: check both"
    response = draft.post(page_of(app, "age"), {"age": "12", **BORN_14_YEARS_AGO})
    assert inline(response, "age") == [msg.AGE_DOB_DIFFER]
    assert ("#age", msg.AGE_DOB_DIFFER) in summary(response)


@pytest.mark.parametrize("given", [{"age": "14"}, BORN_14_YEARS_AGO, {"age": "14", **BORN_14_YEARS_AGO}])
def test_not_known_with_an_age_or_a_date_of_birth_is_still_an_error(app, fixed_today, given):
    answer, errors = fields.FORM_FIELDS["age"].read(age_fact(app), {**given, "age__nk": True})
    assert answer is fields.ABSENT and errors == {"age": msg.AGE_OR_NOT_KNOWN}


# -- 1c. one message per field ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["abc", "-3"])
def test_one_bad_number_gives_one_message_for_its_field_and_none_repeated(draft, app, bad):
    """The other counts on the page are left empty: their messages must say which question they are about."""
    response = draft.post(page_of(app, "missing_episodes_90d"), {"missing_episodes_90d": bad})
    entries = summary(response)
    links = [link for link, _ in entries]
    assert links.count("#missing_episodes_90d") == 1
    assert len(links) == len(set(links))  # at most one summary entry per field
    assert len({text for _, text in entries}) == len(entries), entries  # no two the same
    mine = inline(response, "missing_episodes_90d")
    label = active(app).facts["missing_episodes_90d"].label
    assert len(mine) == 1 and label in mine[0]


# -- 2. the screenings list ------------------------------------------------------------------------------------
def add_screenings(app, owners: list[str], start: datetime | None = None) -> list[str]:
    """Drafts for `owners`, each saved a minute after the one before; their ids, oldest first."""
    rs, start = active(app), start or datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    with app.extensions["db"].transaction() as tx:
        for n, who in enumerate(owners):
            draft = repo.create_draft(tx, who, rs)
            draft.updated_at = start + timedelta(minutes=n)
            ids.append(draft.id)
    return ids


def listed(html: str) -> list[list[str]]:
    """The table's rows, each as its cells' text."""
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
    return [[markup.unescape(text_of(c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def listed_ids(html: str) -> list[str]:
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'href="/screenings/([0-9a-f]+)', body)


def test_the_list_shows_route_words_from_the_stored_outcome_never_route_ids(app, client):
    rs = active(app)
    outcome = evaluate(rs, {}, agency="school")
    decided = next(r for r in rs.routes if r.id != outcome.route)
    outcome_rank = rs.route_by_id[outcome.route].rank
    with app.extensions["db"].transaction() as tx:
        found = repo.create_draft(tx, "demo-practitioner", rs)
        repo.complete(tx, found, outcome, rs)
        found.decision, found.decided_route = "lower" if decided.rank < outcome_rank else "raise", decided.id
    [row] = listed(client.get("/screenings").text)
    assert outcome.route_label in row and decided.label in row
    assert not {r.id for r in rs.routes} & set(row)


def test_a_lead_sees_whose_screening_each_is(app):
    add_screenings(app, ["demo-practitioner", "someone-else"])
    html = signed_in_client(app, "demo-lead").get("/screenings").text
    assert "Started by" in html
    assert [row[1] for row in listed(html)] == ["someone-else", "demo-practitioner"]
    assert "Started by" not in signed_in_client(app).get("/screenings").text


def _link(html: str, text: str) -> str | None:
    found = re.search(r'href="([^"]+)"[^>]*>\s*<svg[^>]*>.*?</svg>\s*<span class="govuk-pagination__link-title">'
                      + text, html, re.S) or re.search(r'href="([^"]+)"[^>]*>(?:(?!</a>).)*' + text, html, re.S)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_lead_pages_through_everyones_screenings_newest_first_fifty_a_page(app):
    ids = add_screenings(app, [f"user-{n % 3}" for n in range(120)])[::-1]  # newest first
    lead = signed_in_client(app, "demo-lead")
    first = lead.get("/screenings").text
    assert listed_ids(first) == ids[:50] and _link(first, "Newer screenings") is None
    second = lead.get(_link(first, "Older screenings")).text
    assert listed_ids(second) == ids[50:100]
    third = lead.get(_link(second, "Older screenings")).text
    assert listed_ids(third) == ids[100:] and _link(third, "Older screenings") is None
    back = lead.get(_link(third, "Newer screenings")).text
    assert listed_ids(back) == ids[50:100]
    assert listed_ids(lead.get(_link(back, "Newer screenings")).text) == ids[:50]


@pytest.mark.parametrize("query", ["older=abc", "older=", "newer=~", "older=" + "9" * 5000, "page=2",
                                   "older=20260101T000000000000", "newer=99991231T235959999999~zz"])
def test_a_cursor_that_cannot_be_read_or_is_past_either_end_gives_the_newest_page(app, query):
    ids = add_screenings(app, ["demo-practitioner"] * 60)[::-1]
    response = signed_in_client(app, "demo-lead").get(f"/screenings?{query}")
    assert response.status_code == 200
    assert listed_ids(response.text) == ids[:50] and "Newer screenings" not in response.text


def test_paging_is_done_by_the_database_by_key_without_counting(app):
    add_screenings(app, ["demo-practitioner"] * 7 + ["other"] * 3)
    statements: list[str] = []
    database = app.extensions["db"]
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2].lower()))
    with database.reading() as tx:
        first = repo.list_for_viewer(tx, "demo-practitioner", sees_all=False, per_page=5)
        second = repo.list_for_viewer(tx, "demo-practitioner", sees_all=False, older=first.older, per_page=5)
    assert len(first.items) == 5 and len(second.items) == 2 and second.older is None
    assert {s.owner for s in first.items + second.items} == {"demo-practitioner"}
    listing = [s for s in statements if "from screenings" in s]
    assert len(listing) == 2 and not any("count(" in s for s in listing) and all("limit" in s for s in listing)
    assert "(screenings.updated_at, screenings.id) <" in listing[1]  # by key, not by skipping rows


# -- 3. where each role lands ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("username", "landing"), [
    ("demo-practitioner", "/"), ("demo-lead", "/"), ("demo-trainer", "/training/"), ("demo-admin", "/admin/users"),
])
def test_each_role_lands_on_the_first_page_it_may_use(app, username, landing):
    client = app.test_client()
    response = sign_in(client, username)
    assert response.status_code == 302 and response.location == landing
    assert client.get(landing).status_code == 200


def sign_in_to(client, username: str, target: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    return client.post(f"/sign-in?next={target}", data={"csrf_token": token, "username": username,
                                                         "password": f"{username}-password"})


def test_a_next_page_the_role_cannot_open_is_not_followed(app, anonymous):
    assert anonymous.get("/").location == "/sign-in?next=/"  # where a trainer who opens the site is sent
    assert sign_in_to(anonymous, "demo-trainer", "/").location == "/training/"


def test_a_next_page_the_role_may_open_is_kept(app, anonymous):
    assert sign_in_to(anonymous, "demo-trainer", "/rules/").location == "/rules/"


@pytest.mark.parametrize("username", ["demo-trainer", "demo-admin"])
def test_the_no_access_page_links_to_a_page_the_user_can_open(app, username):
    client = signed_in_client(app, username)
    refused = client.get("/")
    assert refused.status_code == 403 and "You do not have access to this page" in refused.text
    link = re.search(r'<a class="govuk-link" href="([^"]+)">Go to the start page</a>', refused.text).group(1)
    assert link != "/" and client.get(link).status_code == 200
