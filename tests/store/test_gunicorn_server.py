"""The app under a real gunicorn with the shipped settings: its responses do not name the server, and its logs
(the app's request lines and gunicorn's access log, read from the process's real output) say what was asked by route
pattern only: never a query string, an answer or a child's reference."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.conftest import prepared_database

SECRET_WORDS = ("ZZ-CHILD-REF-9917", "QUOKKA-SECRET-WORDS", "ZZ-QUERY-NAME")


@pytest.fixture
def served(tmp_path):
    """gunicorn on a socket this test already listens on, so a request simply waits in the queue until it starts.
    Yields (port, the log file), the log complete once the test is done with the server."""
    listener = socket.create_server(("127.0.0.1", 0))
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": prepared_database(tmp_path, "g.db")}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:screening.web.gunicorn_conf", "--workers", "1",
             "--bind", f"fd://{listener.fileno()}", "screening.web.wsgi:app"],
            pass_fds=[listener.fileno()], env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield listener.getsockname()[1], log, process
        finally:
            process.terminate()
            process.wait(timeout=60)
            listener.close()


def test_responses_do_not_name_the_server(served):
    port, _, _ = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    server = response.getheader("Server") or ""
    response.read()
    connection.close()
    assert response.status == 200
    assert "gunicorn" not in server.lower() and server == "cse-screening"


class Browser:
    """Just enough of a browser: cookies, and the CSRF token from each page it reads."""

    def __init__(self, port: int):
        self.base, self.token = f"http://127.0.0.1:{port}", ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode({"csrf_token": self.token, **form}).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        found = re.search(r'name="csrf_token" value="([^"]+)"', body)
        self.token = found.group(1) if found else self.token
        return status, body


@pytest.mark.hazard("H-08")
def test_the_logs_of_a_journey_name_routes_never_what_was_said(served):
    port, log, process = served
    browser = Browser(port)
    browser.open("/sign-in")
    browser.open("/sign-in", {"username": "demo-practitioner", "password": "demo-practitioner-password"})
    browser.open("/screenings/new")
    status, page = browser.open("/screenings/new", {"agency": "school", "age": "13"})
    sid = re.search(r"/screenings/([0-9a-f]{32})", page).group(1)
    browser.open(f"/screenings/{sid}/pages/about_child?next={SECRET_WORDS[2]}",
                 {"child_reference": SECRET_WORDS[0], "concern_summary": "x", "current_social_care_status": "none",
                  "previous_concerns_12m": "0"})
    browser.open(f"/screenings/{sid}/pages/child_voice", {"seen_alone": "yes", "child_words": SECRET_WORDS[1]})
    browser.open(f"/admin/audit?actor={SECRET_WORDS[2]}")  # refused for a practitioner, and logged
    process.terminate()
    process.wait(timeout=60)
    text = log.read_text()
    assert "POST /screenings/<screening_id>/pages/<page_id> -> 302" in text  # the app's request line
    assert re.search(r"GET /admin/audit -> 403 in \d+ ms \(practitioner\)", text)
    assert re.search(r'"POST /screenings/[0-9a-f]{32}/pages/about_child" 302', text)  # gunicorn's access line
    assert not any(word in text for word in SECRET_WORDS) and "?next=" not in text and "?actor=" not in text


def test_no_address_can_forge_an_access_log_line(served):
    port, log, process = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/healthz%0d%0a127.0.0.1%20FORGED%00%1b[31m")
    connection.getresponse().read()
    connection.close()
    process.terminate()
    process.wait(timeout=60)
    lines = log.read_text().splitlines()
    (access,) = [line for line in lines if "FORGED" in line]  # one line, the forged one inside it escaped
    assert "\\r\\n127.0.0.1 FORGED\\x00\\x1b[31m" in access


def test_instances_on_one_host_share_no_control_socket():
    """gunicorn's control socket is one path per user by default: a second instance would take the first's over.
    The shipped settings, read as gunicorn reads them, turn it off."""
    from gunicorn.config import Config

    from screening.web import gunicorn_conf
    cfg = Config()
    for name, value in vars(gunicorn_conf).items():  # as gunicorn reads a settings module
        if name in cfg.settings:
            cfg.set(name, value)
    assert cfg.control_socket_disable is True
    assert cfg.logger_class is gunicorn_conf.EscapedAccessLog
