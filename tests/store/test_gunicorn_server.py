"""The app under a real gunicorn with the shipped settings: its responses do not name the server or its version."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import prepared_database


@pytest.fixture
def served(tmp_path):
    """gunicorn on a socket this test already listens on, so a request simply waits in the queue until it starts."""
    listener = socket.create_server(("127.0.0.1", 0))
    env = {**os.environ, "DATABASE_URL": prepared_database(tmp_path, "g.db")}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:screening.web.gunicorn_conf", "--workers", "1",
         "--bind", f"fd://{listener.fileno()}", "screening.web.wsgi:app"],
        pass_fds=[listener.fileno()], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield listener.getsockname()[1]
    finally:
        process.terminate()
        process.wait(timeout=60)
        listener.close()


def test_responses_do_not_name_the_server(served):
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=120)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    server = response.getheader("Server") or ""
    response.read()
    connection.close()
    assert response.status == 200
    assert "gunicorn" not in server.lower() and server == "cse-screening"
