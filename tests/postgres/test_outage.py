"""On PostgreSQL: the database stops in the middle of a request, and stays down for a while. Pages answer a plain
503 page and the API problem details, both with Retry-After; each request is one log line, never a traceback;
once the server is back the next request succeeds, and nothing saved before is lost."""

from __future__ import annotations

import json

import pytest
from flask import request
from sqlalchemy import select

from screening.store.models import Screening
from screening.web import create_app
from tests.conftest import prepared_database
from tests.postgres.test_restart import pg_ctl
from tests.web.conftest import Practitioner, log_stream, signed_in_client
from tests.web.test_api import token


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
    app.config["STOP_DATABASE_AT"] = ""

    @app.before_request  # after the session is read: the database goes away during the request itself
    def stop_database_here() -> None:
        if app.config["STOP_DATABASE_AT"] and request.path == app.config["STOP_DATABASE_AT"]:
            app.config["STOP_DATABASE_AT"] = ""
            pg_ctl("stop", "-m", "fast")
    return app


def test_an_outage_is_503_with_retry_after_and_loses_nothing(app):
    practitioner = Practitioner(signed_in_client(app))
    practitioner.start()
    practitioner.required_pages()
    assert practitioner.finish().status_code == 200  # a completed screening, saved before the outage
    api = token(app)
    stream = log_stream()
    app.config["STOP_DATABASE_AT"] = f"/screenings/{practitioner.sid}/outcome"
    try:
        page = practitioner.client.get(f"/screenings/{practitioner.sid}/outcome")
        assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
        assert "Sorry, the service is unavailable" in page.text and "Nothing you had already saved is lost" in page.text
        assert practitioner.client.get("/screenings").status_code == 503  # still down: the session cannot be read
        called = app.test_client().post("/api/v1/evaluate", json={"answers": {"age": 14}}, headers=api)
        assert called.status_code == 503 and called.mimetype == "application/problem+json"
        assert called.headers["Retry-After"].isdigit() and called.json["status"] == 503
        saving = practitioner.post(f"/screenings/{practitioner.sid}/decision", {"choice": "agree"})
        assert saving.status_code == 503
    finally:
        pg_ctl("start")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["status"] for line in lines] == [503] * 4  # one line per request, and no traceback
    assert all(line["error"] == "database unavailable" and "traceback" not in line for line in lines)
    assert practitioner.client.get(f"/screenings/{practitioner.sid}/outcome").status_code == 200
    assert app.test_client().post("/api/v1/evaluate", json={"answers": {"age": 14}}, headers=api).status_code == 200
    with app.extensions["db"].reading() as tx:
        saved = tx.get(Screening, practitioner.sid)
        assert saved.status == "complete" and saved.outcome["route"] == saved.recommended_route
        assert tx.scalar(select(Screening.decided_route).where(Screening.id == practitioner.sid)) is None
