"""Trainer mode over HTTP: library, a walk-through one stage at a time, summary, facilitator notes, bad input;
choices live in the browser session only and nothing is written to the screenings store."""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from screening.store import Screening
from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import Practitioner, active, errors_in, signed_in_client, text_of

LIBRARY = Path(__file__).resolve().parents[2] / "rules" / "vignettes"
BANNER = "Training: practice cases only."
CASE = "older_teen"  # two stages: child in need, then child protection


@pytest.fixture
def client(app):
    """Training is for trainers (and safeguarding leads)."""
    return signed_in_client(app, "demo-trainer")


class Group:
    """A training group driving the walk-through with the CSRF token a browser would send."""

    def __init__(self, client):
        self.client = client
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/training/{CASE}").text).group(1)

    def start(self, case: str = CASE):
        return self.client.post(f"/training/{case}/start", data={"csrf_token": self.token})

    def choose(self, number: int, route: str | None, reason: str = "", case: str = CASE):
        data = {"csrf_token": self.token, "reason": reason, **({"route": route} if route else {})}
        return self.client.post(f"/training/{case}/stages/{number}", data=data)


@pytest.fixture
def group(client):
    return Group(client)


def plain(page: str) -> str:
    """A page's words, unescaped, whitespace collapsed."""
    return markup.unescape(text_of(page))


def stored_screenings(app) -> int:
    with app.extensions["db"].reading() as tx:
        return tx.scalar(select(func.count()).select_from(Screening))


def test_the_library_lists_every_vignette_with_its_notes(client, app):
    assert client.get("/training").location.endswith("/training/")
    page = client.get("/training/")
    assert page.status_code == 200
    vignettes = app.extensions["vignettes"]
    assert len(vignettes) >= 10
    for vignette in vignettes.values():
        assert f'href="/training/{vignette.id}"' in page.text
        assert f'href="/training/{vignette.id}/notes"' in page.text
        assert vignette.title in plain(page.text)


def test_every_training_page_shows_the_training_banner_and_has_no_inline_script_or_style(client, group):
    group.start()
    group.choose(1, "universal")
    group.choose(2, "section_47")
    for url in ("/training/", f"/training/{CASE}", f"/training/{CASE}/stages/1/reveal",
                f"/training/{CASE}/summary", f"/training/{CASE}/notes"):
        html = client.get(url).text
        assert BANNER in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html, url
    group.start()
    assert BANNER in client.get(f"/training/{CASE}/stages/1").text


def test_a_stage_shows_its_facts_and_asks_for_a_route_from_the_rule_set(client, group, app):
    group.start()
    html = client.get(f"/training/{CASE}/stages/1").text
    stage = app.extensions["vignettes"][CASE].stages[0]
    assert "stage 1 of 2" in html
    assert "fourth visit to the sexual health clinic" in plain(html)
    for route in active(app).routes:
        assert f'value="{route.id}"' in html
    assert 'name="reason"' in html and stage.title in html


def test_no_route_chosen_shows_an_error_summary_and_an_inline_message(group):
    group.start()
    response = group.choose(1, None, reason="We could not agree")
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in response.text and 'href="#route"' in response.text
    assert errors_in(response.text) == ["Select the route your group chose"]
    assert "<title>Error:" in response.text
    assert "We could not agree" in response.text  # the reason is kept


@pytest.mark.parametrize(("route", "reason", "field", "message"), [
    ("martians", "", "route", "Select the route your group chose"),
    ("universal", "x" * 201, "reason", "The reason must be 200 characters or fewer"),
])
def test_bad_input_is_refused_with_a_message_by_the_field(group, route, reason, field, message):
    group.start()
    response = group.choose(1, route, reason)
    assert response.status_code == 400
    assert f'href="#{field}"' in response.text
    assert errors_in(response.text) == [message]


def test_posting_without_a_csrf_token_is_refused(client):
    assert client.post(f"/training/{CASE}/start").status_code == 400
    assert client.post(f"/training/{CASE}/stages/1", data={"route": "universal"}).status_code == 400


def test_the_reveal_shows_the_groups_answer_the_tools_route_rationale_and_learning_points(client, group, app):
    group.start()
    response = group.choose(1, "universal", "She is 17 and it is her choice")
    assert response.status_code == 302 and response.location == f"/training/{CASE}/stages/1/reveal"
    html = plain(client.get(response.location).text)
    rs, stage = active(app), app.extensions["vignettes"][CASE].stages[0]
    assert "Your group chose Universal: no CSE concern beyond the ordinary" in html
    assert "She is 17 and it is her choice" in html
    assert "Below the rules' route" in html
    assert rs.route_by_id["child_in_need"].label in html
    for rule in rs.rules:
        assert (rule.description in html) == (rule.id in stage.expect.fired), rule.id
    assert stage.learning_points[0].text in html
    assert f'href="/training/{CASE}/stages/2"' in client.get(response.location).text


def test_stages_are_revealed_one_at_a_time_in_order(client, group):
    group.start()
    assert client.get(f"/training/{CASE}/stages/2").location == f"/training/{CASE}/stages/1"
    assert client.get(f"/training/{CASE}/stages/1/reveal").location == f"/training/{CASE}/stages/1"
    assert client.get(f"/training/{CASE}/summary").location == f"/training/{CASE}/stages/1"
    assert group.choose(2, "universal").location == f"/training/{CASE}/stages/1"
    group.choose(1, "child_in_need")
    assert client.get(f"/training/{CASE}/stages/1").location == f"/training/{CASE}/stages/1/reveal"


def test_the_summary_shows_where_the_group_was_below_above_or_level_with_the_rules(client, group):
    group.start()
    group.choose(1, "section_47", "Too many visits")
    last = group.choose(2, "child_in_need")
    assert client.get(last.location).text.count(f'href="/training/{CASE}/summary"') == 1
    html = plain(client.get(f"/training/{CASE}/summary").text)
    assert "the same route as the rules no times, a lower route once and a higher route once" in html
    assert "Above the rules' route" in html and "Below the rules' route" in html
    assert "Why: Too many visits" in html
    assert "Questions for discussion" in html


def test_the_choices_live_in_the_session_and_starting_again_clears_them(client, group):
    group.start()
    group.choose(1, "early_help", "Support first")
    with client.session_transaction() as session:
        assert session["training"] == {"vignette": CASE, "choices": {"1": {"route": "early_help",
                                                                           "reason": "Support first"}}}
    group.start()
    with client.session_transaction() as session:
        assert session["training"] == {"vignette": CASE, "choices": {}}
    group.start("julia")
    group.choose(1, "section_47", case="julia")
    assert client.get(f"/training/{CASE}/stages/1").status_code == 200  # one case at a time


def test_a_full_walk_through_writes_nothing_to_the_screenings_store(client, app):
    Practitioner(signed_in_client(app)).start()  # one real draft, so the count is not trivially zero
    before = stored_screenings(app)
    for vignette in app.extensions["vignettes"].values():
        group = Group(client)
        group.start(vignette.id)
        for stage in vignette.stages:
            assert group.choose(stage.number, "section_47", "Why not", case=vignette.id).status_code == 302
            assert client.get(f"/training/{vignette.id}/stages/{stage.number}/reveal").status_code == 200
        assert client.get(f"/training/{vignette.id}/summary").status_code == 200
        assert client.get(f"/training/{vignette.id}/notes").status_code == 200
    assert stored_screenings(app) == before == 1


def test_the_facilitator_notes_give_every_stage_its_expected_route_and_rules(client, app):
    vignette = app.extensions["vignettes"]["julia"]
    html = plain(client.get("/training/julia/notes").text)
    rs = active(app)
    assert "For the facilitator" in html and "Thurrock" in html
    for stage in vignette.stages:
        assert f"Stage {stage.number}: {stage.title}" in html
        assert rs.route_by_id[stage.expect.route].label in html
        assert all(rule_id in html for rule_id in stage.expect.fired)
    for question in vignette.discussion_questions:
        assert question in html
    assert "The rule set in use recommends" not in html


@pytest.mark.parametrize("url", ["/training/nobody", "/training/nobody/notes", f"/training/{CASE}/stages/0",
                                 f"/training/{CASE}/stages/3", f"/training/{CASE}/stages/3/reveal"])
def test_unknown_cases_and_stages_are_not_found(client, url):
    assert client.get(url).status_code == 404


def _app_with_library(tmp_path: Path, files: dict[str, str]):
    library = tmp_path / "library"
    library.mkdir()
    for name, text in files.items():
        (library / name).write_text(text)
    return create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True,
                       "VIGNETTES_PATH": str(library)})


def test_when_the_rules_disagree_with_a_case_the_trainer_is_told(tmp_path):
    text = (LIBRARY / f"{CASE}.yaml").read_text().replace("route: child_in_need", "route: early_help", 1)
    client = signed_in_client(_app_with_library(tmp_path, {f"{CASE}.yaml": text}), "demo-trainer")
    group = Group(client)
    group.start()
    group.choose(1, "early_help")
    html = plain(client.get(f"/training/{CASE}/stages/1/reveal").text)
    assert "this case was written expecting Early help" in html
    assert "The rule set in use recommends" in plain(client.get(f"/training/{CASE}/notes").text)


def test_a_broken_library_is_reported_and_does_not_stop_screening(tmp_path):
    app = _app_with_library(tmp_path, {"broken.yaml": "id: broken\ntitel: oops\n"})
    assert app.extensions["vignettes"] == {}
    assert "The case library could not be loaded" in signed_in_client(app, "demo-trainer").get("/training/").text
    assert signed_in_client(app).get("/").status_code == 200
