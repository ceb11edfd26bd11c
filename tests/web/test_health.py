"""Liveness and readiness: /healthz says the process is up, /readyz that the database answers and a rule set is
active."""

from __future__ import annotations

from screening.store import Database


def test_ready_only_while_the_database_answers(app, anonymous, tmp_path):
    assert anonymous.get("/readyz").status_code == 200
    (tmp_path / "gone").mkdir()
    app.extensions["db"] = Database(f"sqlite:///{tmp_path / 'gone'}")  # a path the database cannot open
    assert anonymous.get("/readyz").status_code == 503
    assert anonymous.get("/healthz").status_code == 200  # the process itself is up
