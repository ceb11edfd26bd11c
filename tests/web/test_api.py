"""The JSON API over HTTP: tokens (made once, hashed, expiring, revocable, rate-limited), each endpoint, each error
as problem details, the same role rules as the pages, and an audit entry per call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from screening.cli.tokens import tokens as tokens_cli
from screening.store import AuditEvent, tokens
from screening.store.models import ApiToken
from tests.web.conftest import signed_in_client

DISCLOSURE = {"age": 14, "disclosure_sexual_abuse": "yes"}


def token(app, role: str = "practitioner", name: str | None = None, agency: str = "school") -> dict:
    with app.extensions["db"].transaction() as tx:
        made = tokens.add(tx, name or f"{role.replace('_', '-')}-system", role, agency, None)
    return {"Authorization": f"Bearer {made}"}


def test_evaluate_answers_like_the_command_line_and_stores_nothing(app):
    client = app.test_client()
    response = client.post("/api/v1/evaluate", json={"answers": DISCLOSURE}, headers=token(app))
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    assert body["route"] == "section_47" and body["child_protection"] is True and body["agency"] == "school"
    assert "disclosure_even_if_withdrawn" in [f["rule"] for f in body["findings"]]
    with app.extensions["db"].reading() as tx:
        assert tx.scalar(select(AuditEvent.detail).where(AuditEvent.action == "api_call")) == {"status": 200}


def test_filing_a_screening_stores_it_links_the_child_and_counts_history(app):
    headers = token(app)
    child = {"nhs": "943 476 5919", "given": "Amy", "family": "Smith", "born": "2012-03-03"}
    client = app.test_client()
    first = client.post("/api/v1/screenings", json={"answers": {"age": 14}, "child": child}, headers=headers)
    assert first.status_code == 201 and first.json["child"]["linked"] is True
    second = client.post("/api/v1/screenings", json={"agency": "police", "answers": DISCLOSURE,
                                                     "child": {"nhs": "9434765919"}}, headers=headers)
    assert second.json["child"]["child_id"] == first.json["child"]["child_id"]
    agencies = next(h for h in second.json["history"] if h["kind"] == "agencies")
    assert agencies["recorded"] == 2 and second.json["outcome"]["route"] == "section_47"
    fetched = client.get(f"/api/v1/screenings/{second.json['id']}", headers=headers)
    assert fetched.status_code == 200 and fetched.json["outcome"] == second.json["outcome"]
    by_name = client.post("/api/v1/screenings", json={"answers": {"age": 14}, "child": {
        "given": "Amy", "family": "Smith", "born": "2012-03-03"}}, headers=headers)
    assert by_name.json["child"] == {"linked": False, "child_id": None, "candidates": 1}  # never assumed


def test_the_chronology_and_the_ruleset(app):
    filed = app.test_client().post("/api/v1/screenings", json={"answers": DISCLOSURE, "child": {"upn":
                                   "B801200005001"}}, headers=token(app))
    child = filed.json["child"]["child_id"]
    mash = token(app, "mash")
    chronology = app.test_client().get(f"/api/v1/children/{child}/chronology", headers=mash)
    assert chronology.status_code == 200
    [entry] = chronology.json["screenings"]
    assert entry["child_protection"] is True and entry["agency"].startswith("School")
    ruleset = app.test_client().get("/api/v1/ruleset", headers=mash).json
    assert ruleset["id"] == "default-cse" and {"id": "age", "kind": "question", "type": "age"}.items() <= next(
        f for f in ruleset["facts"] if f["id"] == "age").items()


def test_the_referral_as_structured_data_names_the_child_for_those_who_may_open_it(app):
    client, practitioner = app.test_client(), token(app)
    child = {"nhs": "943 476 5919", "given": "Amy", "family": "Smith", "born": "2012-03-03"}
    filed = client.post("/api/v1/screenings", json={"answers": {**DISCLOSURE, "telling_family_may_increase_risk":
                                                                "yes", "child_words": "He hurt me"},
                                                    "child": child}, headers=practitioner).json
    for headers in (practitioner, token(app, "mash")):
        got = client.get(f"/api/v1/screenings/{filed['id']}/referral", headers=headers)
        assert got.status_code == 200, got.json
        referral = got.json
        assert referral["child"]["name"] == "Amy Smith" and referral["child"]["nhs"] == "9434765919"
        assert referral["child"]["born"] == "2012-03-03" and referral["route"] == "section_47"
        assert referral["child_protection"] is True and referral["warning"].startswith("Do not contact the parents")
        words = next(p for p in referral["parts"] if p["title"] == "The child's words and view")["rows"]
        assert words[0]["words"] == "\u201cHe hurt me\u201d"
    unlinked = client.post("/api/v1/screenings", json={"answers": DISCLOSURE}, headers=practitioner).json
    assert client.get(f"/api/v1/screenings/{unlinked['id']}/referral", headers=practitioner).json["child"] is None
    other = token(app, name="another-school")
    assert client.get(f"/api/v1/screenings/{filed['id']}/referral", headers=other).status_code == 404
    assert client.get(f"/api/v1/screenings/{filed['id']}/referral",
                      headers=token(app, "trainer")).status_code == 403
    with app.extensions["db"].reading() as tx:
        exported = [e for e in tx.scalars(select(AuditEvent)) if e.action == "screening_exported"]
    assert len(exported) == 3  # the two readers and the unlinked one


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"answers": {"age": "twelve"}}, 422, "answers.age"),
    ({"answers": {"no_such_question": "yes"}}, 422, "answers.no_such_question"),
    ({"answers": [1, 2]}, 422, "answers"),
    ({"answers": {}, "unknown": 1}, 422, "unknown"),
    ({"answers": {}, "child": {"nhs": "943 476 5918"}}, 422, "child.nhs"),
])
def test_bad_bodies_are_problems_with_one_entry_per_field(app, body, status, field):
    path = "/api/v1/screenings" if "child" in body else "/api/v1/evaluate"
    response = app.test_client().post(path, json=body, headers=token(app))
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert field in [e["field"] for e in response.json["errors"]]
    assert response.json["status"] == status and response.json["title"]


def test_not_json_too_large_and_unknown_paths_are_problems(app):
    headers = token(app)
    client = app.test_client()
    assert client.post("/api/v1/evaluate", data="age=3", headers=headers).status_code == 415
    broken = client.post("/api/v1/evaluate", data="{", headers={**headers, "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.mimetype == "application/problem+json"
    huge = client.post("/api/v1/evaluate", data="x" * (2 * 1024 * 1024), headers={
        **headers, "Content-Type": "application/json"})
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"
    assert client.get("/api/v1/nothing", headers=headers).json["status"] == 404


def test_tokens_not_cookies_and_roles_as_on_the_pages(app):
    signed_in = signed_in_client(app, "demo-lead")  # a browser session is never enough
    assert signed_in.post("/api/v1/evaluate", json={"answers": {}}).status_code == 401
    client = app.test_client()
    assert client.post("/api/v1/evaluate", json={}, headers={"Authorization": "Bearer cse_wrong"}).status_code == 401
    trainer = token(app, "trainer")
    assert client.post("/api/v1/evaluate", json={"answers": {}}, headers=trainer).status_code == 403
    practitioner = token(app)
    filed = client.post("/api/v1/screenings", json={"answers": {"age": 9}, "child": {"nhs": "9434765919"}},
                        headers=practitioner).json
    assert client.get(f"/api/v1/children/{filed['child']['child_id']}/chronology",
                      headers=practitioner).status_code == 403
    other = token(app, name="another-school")
    assert client.get(f"/api/v1/screenings/{filed['id']}", headers=other).status_code == 404  # not theirs
    assert client.get(f"/api/v1/screenings/{filed['id']}", headers=token(app, "mash")).status_code == 200


def test_expired_and_revoked_tokens_stop_working(app):
    headers = token(app, name="old-system")
    client = app.test_client()
    with app.extensions["db"].transaction() as tx:
        tx.scalar(select(ApiToken).where(ApiToken.name == "old-system")).expires_at = datetime.now(UTC) - \
            timedelta(seconds=1)
    assert client.get("/api/v1/ruleset", headers=headers).status_code == 401
    fresh = token(app, name="new-system")
    assert client.get("/api/v1/ruleset", headers=fresh).status_code == 200
    with app.extensions["db"].transaction() as tx:
        tokens.revoke(tx, "new-system")
    assert client.get("/api/v1/ruleset", headers=fresh).status_code == 401


def test_each_token_has_a_rate_per_minute(app):
    app.config["API_CALLS_PER_MINUTE"] = 3
    headers = token(app)
    client = app.test_client()
    statuses = [client.get("/api/v1/ruleset", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/ruleset", headers=headers)
    assert limited.headers["Retry-After"] == "60" and limited.mimetype == "application/problem+json"


def test_the_description_and_its_reference_page_need_no_token(app):
    client = app.test_client()
    described = client.get("/api/v1/openapi.json").json
    assert described["openapi"] == "3.1.0"
    assert set(described["paths"]) == {"/evaluate", "/screenings", "/screenings/{screening_id}",
                                       "/screenings/{screening_id}/referral",
                                       "/children/{child_id}/chronology", "/ruleset"}
    assert "422" in described["paths"]["/evaluate"]["post"]["responses"]
    page = client.get("/api/v1/docs").text
    assert "POST /api/v1/evaluate" in page and "openapi.json" in page


def test_the_tokens_command_shows_a_token_once_and_keeps_its_hash(app):
    url = app.config["DATABASE_URL"]
    runner = CliRunner()
    made = runner.invoke(tokens_cli, ["add", "school-log", "--role", "practitioner", "--agency", "school",
                                      "--expires-days", "30", "--database", url])
    assert made.exit_code == 0, made.output
    secret = made.output.split()[0]
    assert secret.startswith("cse_")
    with app.extensions["db"].reading() as tx:
        stored = tx.scalar(select(ApiToken))
    assert secret not in (stored.token_hash, stored.name) and len(stored.token_hash) == 64
    assert app.test_client().get("/api/v1/ruleset", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert "school-log\tpractitioner\tschool\tlive" in runner.invoke(tokens_cli, ["list", "--database", url]).output
    assert runner.invoke(tokens_cli, ["revoke", "school-log", "--database", url]).exit_code == 0
    assert "revoked" in runner.invoke(tokens_cli, ["list", "--database", url]).output
    again = runner.invoke(tokens_cli, ["add", "school-log", "--role", "practitioner", "--agency", "school",
                                       "--database", url])
    assert again.exit_code != 0 and "already a token named school-log" in again.output


@pytest.mark.parametrize("role", ["practitioner", "safeguarding_lead", "mash", "board", "trainer", "admin"])
def test_the_api_role_matrix(app, role):
    """Each operation answers a token of each role as the pages' roles say (tests/web/test_access.py EXPECTED)."""
    from tests.web.test_access import EXPECTED
    headers = token(app, role)
    client = app.test_client()
    calls = {"api.evaluate_answers": lambda: client.post("/api/v1/evaluate", json={"answers": {}}, headers=headers),
             "api.file_screening": lambda: client.post("/api/v1/screenings", json={"answers": {}}, headers=headers),
             "api.get_screening": lambda: client.get("/api/v1/screenings/" + "0" * 32, headers=headers),
             "api.chronology": lambda: client.get("/api/v1/children/" + "0" * 32 + "/chronology", headers=headers),
             "api.ruleset": lambda: client.get("/api/v1/ruleset", headers=headers)}
    for endpoint, call in calls.items():
        status = call().status_code
        assert (status == 403) is (role not in EXPECTED[endpoint]), (endpoint, role, status)
        assert status != 401
