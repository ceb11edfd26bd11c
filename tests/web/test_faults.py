"""Faults an attacker or a failing environment finds: hostile JSON bodies, NUL characters, thousands of unknown
keys, forged log lines, unhandled errors, 405s without Allow. Each is a clear answer (problem details, a 400 or a
page), never a 500, and nothing of it is saved. These run on both databases (the PostgreSQL leg runs tests/web)."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from screening.store.models import Child, Screening
from screening.web import create_app
from screening.web.access import allow
from tests.conftest import prepared_database
from tests.web.conftest import log_stream, sign_in
from tests.web.test_api import token

NESTED = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(("body", "status", "field"), [
    (NESTED, 400, "0.0.0.0"),  # where the nesting went too deep
    ('{"answers": ' + NESTED + "}", 400, "answers.0.0.0"),
    ('{"answers": {"age": 14, "child_reference": "\\ud800"}}', 400, "body"),  # a lone surrogate
    ('{"answers": {"age": 14, "child_reference": "REF\\u0000-1"}}', 422, "answers.child_reference"),
    ('{"answers": {"age\\u0000": 14}}', 422, "answers.age\\x00"),
    ('{"answers": {"age": 14, "age": 9}}', 400, "body"),  # which age would count?
    ('{"answers": {"age": NaN}}', 400, "body"),
    ("\xff\xfe", 400, "body"),
])
@pytest.mark.parametrize("path", ["/api/v1/evaluate", "/api/v1/screenings"])
def test_hostile_bodies_are_problems_and_nothing_is_saved(app, path, body, status, field):
    response = app.test_client().post(path, data=body.encode("utf-8", "surrogatepass"), headers={
        **token(app), "Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    assert [e["field"][:len(field)] for e in response.json["errors"]] == [field]
    with app.extensions["db"].reading() as tx:
        assert tx.scalar(select(func.count()).select_from(Screening)) == 0


def test_a_nul_in_a_child_identifier_is_refused_before_anything_is_kept(app):
    body = {"answers": {"age": 14}, "child": {"given": "Ann\x00", "family": "Lee", "born": "2012-03-03"}}
    response = app.test_client().post("/api/v1/screenings", json=body, headers=token(app))
    assert response.status_code == 422 and [e["field"] for e in response.json["errors"]] == ["child.given"]
    with app.extensions["db"].reading() as tx:
        assert tx.scalar(select(func.count()).select_from(Child)) == 0


def test_fifty_thousand_unknown_keys_are_refused_at_once(app):
    """Refused by the reader's key cap (413) before any answer is checked; the answers' own cap is tested below."""
    body = {"answers": {f"no_such_question_{n}": "yes" for n in range(50_000)}}
    response = app.test_client().post("/api/v1/evaluate", json=body, headers=token(app))
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_answers_stop_being_checked_at_the_error_cap(app):
    """Under the key cap, unknown keys still cost at most fifty 'did you mean' searches: the problems stop there."""
    body = {"answers": {f"no_such_question_{n}": "yes" for n in range(1_500)}}
    response = app.test_client().post("/api/v1/evaluate", json=body, headers=token(app))
    assert response.status_code == 422 and len(response.json["errors"]) == 50


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/api/v1/evaluate", {"POST", "OPTIONS"}), ("put", "/api/v1/ruleset", {"GET", "HEAD", "OPTIONS"})])
def test_a_wrong_method_on_the_api_says_which_are_allowed(app, method, path, allowed):
    response = getattr(app.test_client(), method)(path, headers=token(app))
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_a_wrong_method_on_a_page_says_which_are_allowed(client):
    response = client.delete("/screenings")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("field", ["concern_summary", "child_reference"])
def test_a_nul_in_a_form_field_is_a_bad_request_and_the_page_is_not_saved(practitioner, app, field):
    practitioner.start()
    response = practitioner.page("about_child", {"child_reference": "REF-1", "concern_summary": "Worried",
                                                 field: "before\x00after"}, expect=400)
    assert "your answers on that page were not saved" in response.text
    with app.extensions["db"].reading() as tx:
        answers = tx.scalar(select(Screening.answers).where(Screening.id == practitioner.sid))
    assert "concern_summary" not in answers and "child_reference" not in answers


def test_a_nul_in_the_address_or_query_is_refused(app):
    lead = app.test_client()
    sign_in(lead, "demo-lead")
    assert lead.get("/admin/audit?actor=a%00b").status_code == 400
    assert lead.get("/screenings/ab%00cd/outcome").status_code == 404


def _log_stream(fmt: str, monkeypatch, tmp_path):
    monkeypatch.setenv("LOG_FORMAT", fmt)
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    stream = log_stream()

    @app.get("/explode/<secret>")
    @allow("public")
    def explode(secret: str):
        raise RuntimeError("the view failed")
    return app, stream


@pytest.mark.hazard("H-08")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_unhandled_error_logs_the_route_and_traceback_never_the_path(fmt, monkeypatch, tmp_path):
    app, stream = _log_stream(fmt, monkeypatch, tmp_path)
    response = app.test_client().get("/explode/ZZ-SECRET-ID")
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.text
    log = stream.getvalue()
    assert "ZZ-SECRET-ID" not in log
    assert "/explode/<secret>" in log and "RuntimeError: the view failed" in log and "Traceback" in log
    if fmt == "json":
        records = [json.loads(line) for line in log.splitlines()]  # every line is one whole record
        assert any("RuntimeError: the view failed" in r.get("traceback", "") for r in records)


def test_no_request_can_forge_a_line_of_the_text_log(monkeypatch, tmp_path):
    app, stream = _log_stream("text", monkeypatch, tmp_path)
    logging.getLogger("screening.test").warning("asked for %s", "x\r\n2026-01-01 INFO forged\x1b[31m\x00")
    app.test_client().get("/explode/x")
    lines = stream.getvalue().splitlines()
    assert not any("forged" in line and not line.startswith(lines[0][:2]) for line in lines)
    assert "x\\r\\n2026-01-01 INFO forged\\x1b[31m\\x00" in lines[0]
    assert all(line[:4].isdigit() or line.startswith("  | ") for line in lines)  # a record, or part of the one above
