"""On PostgreSQL: after the server restarts, the next request on an old pooled connection is served (not a 500),
and /readyz answers 503 while the database is down and 200 again once it is back."""

from __future__ import annotations

import os
import shlex
import subprocess

from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import signed_in_client

PG_CTL = shlex.split(os.environ.get("SCREENING_TEST_PG_CTL", ""))
EXTRA = ["-o", "-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c max_connections=200"]


def pg_ctl(*args: str) -> None:
    port = os.environ["SCREENING_TEST_DATABASE_URL"].rsplit(":", 1)[1].split("/")[0]
    extra = [EXTRA[0], EXTRA[1].format(port=port)] if args[0] in ("start", "restart") else []
    subprocess.run([*PG_CTL, *args, *extra], check=True, capture_output=True, timeout=120, cwd="/")


def test_a_restart_does_not_turn_the_next_request_into_an_error(tmp_path):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
    client = signed_in_client(app)
    assert client.get("/screenings").status_code == 200  # a pooled connection now exists
    pg_ctl("restart", "-m", "fast")
    assert client.get("/screenings").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_readiness_follows_the_database(tmp_path):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    pg_ctl("stop", "-m", "fast")
    try:
        down = client.get("/readyz")
        assert down.status_code == 503 and down.text == "not ready"
        assert client.get("/healthz").status_code == 200  # the process itself is up
    finally:
        pg_ctl("start")
    assert client.get("/readyz").status_code == 200
