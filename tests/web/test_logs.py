"""The request log as JSON lines, read from the configured handler's own stream."""

from __future__ import annotations

import json

from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import log_stream


def test_json_lines_carry_the_route_pattern_status_duration_and_role(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
    stream = log_stream()
    app.test_client().get("/screenings/0123456789abcdef0123456789abcdef?name=ZZ-NAME")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(r["method"], r["route"], r["status"], r["role"]) for r in lines] == [
        ("GET", "/screenings/<screening_id>", 302, "anonymous")]
    assert isinstance(lines[0]["ms"], int) and "ZZ-NAME" not in stream.getvalue()
