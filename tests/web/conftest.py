"""Flask test-client fixtures: a fresh app on a temporary SQLite file, and a practitioner driving it over HTTP."""

from __future__ import annotations

import html
import io
import logging
import re

import pytest

from screening.model import RuleSet
from screening.web import create_app
from screening.web.context import active_ruleset
from tests.conftest import prepared_database, run_burst_worker


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})


def run_queued_jobs(app) -> None:
    """Run every queued job (impact previews) in a real procrastinate worker, here, until the queue is empty: no
    threads, no waiting, no timing assumptions."""
    run_burst_worker(app.config["DATABASE_URL"], app.config["VIGNETTES_PATH"])


def queued_jobs(app, status: str = "todo") -> list[str]:
    """The names of the tasks queued (and not yet run)."""
    return [job.task_name for job in app.extensions["impact_previews"].queue.jobs(status)]


def log_stream() -> io.StringIO:
    """What the app logs from now on (its own standard-error handler, as configured), read back as text."""
    stream = io.StringIO()
    (handler,) = [h for h in logging.getLogger("screening").handlers if type(h) is logging.StreamHandler]
    handler.setStream(stream)
    return stream


def active(app) -> RuleSet:
    """The app's active rule set, as its next request will read it."""
    with app.app_context():
        return active_ruleset()


DEMO_PASSWORDS = {"demo-practitioner": "demo-practitioner-password", "demo-lead": "demo-lead-password",
                  "demo-nurse": "demo-nurse-password", "demo-mash": "demo-mash-password",
                  "demo-board": "demo-board-password",
                  "demo-trainer": "demo-trainer-password", "demo-admin": "demo-admin-password"}


def sign_in(client, username: str = "demo-practitioner", password: str | None = None, headers: dict | None = None):
    """Sign in through the real form; returns the response."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in", headers=headers).text).group(1)
    return client.post("/sign-in", headers=headers, data={"csrf_token": token, "username": username,
                                                          "password": password or DEMO_PASSWORDS[username]})


def signed_in_client(app, username: str = "demo-practitioner"):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


@pytest.fixture
def client(app):
    """A practitioner (the demo account), signed in."""
    return signed_in_client(app)


@pytest.fixture
def anonymous(app):
    return app.test_client()


class Practitioner:
    """Drives the journey through real HTTP requests, with the CSRF token a browser would send."""

    def __init__(self, client):
        self.client = client
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
        self.sid = ""

    def post(self, url: str, data: dict | None = None, **kw):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kw)

    def start(self, **first) -> str:
        """Save the first page (agency and age, unless overridden), which creates the draft."""
        response = self.post("/screenings/new", {"agency": "school", "age": "14", **first})
        assert response.status_code == 302, errors_in(response.text)
        self.sid = response.location.split("/screenings/")[1].split("/")[0].split("?")[0]
        return self.sid

    def page(self, page_id: str, data: dict, expect: int = 302, **query):
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        response = self.post(f"/screenings/{self.sid}/pages/{page_id}{suffix}", data)
        assert response.status_code == expect, errors_in(response.text)
        return response

    def required_pages(self, **overrides) -> None:
        """Answer every page that has a required question, with low-concern answers unless overridden."""
        pages = {
            "about_child": {"child_reference": "REF-1", "concern_summary": "Seen getting into cars with older men",
                            "current_social_care_status": "none", "previous_concerns_12m": "0"},
            "signs": {"missing_episodes_90d": "0"},
            "child_voice": {"seen_alone": "yes"},
            "family": {"other_children_household": "0"},
        }
        for page_id, data in pages.items():
            self.page(page_id, {**data, **overrides.get(page_id, {})})

    def finish(self):
        response = self.post(f"/screenings/{self.sid}/check")
        assert response.status_code == 302, errors_in(response.text)
        return self.client.get(f"/screenings/{self.sid}/outcome")


def errors_in(html: str) -> list[str]:
    """The inline error messages on a page, without GOV.UK's visually hidden 'Error:' prefix."""
    found = re.findall(r'govuk-error-message">(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<span[^>]*>.*?</span>", "", m)).strip() for m in found]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def words_of(page: str) -> str:
    """A page's text as a reader sees it: no tags, no character references, spaces collapsed."""
    return " ".join(html.unescape(text_of(page)).split())


def lang_of(page: str) -> str:
    """The language the page says it is in (`<html lang>`)."""
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def heading_of(page: str) -> str:
    return words_of(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))


@pytest.fixture
def practitioner(client):
    return Practitioner(client)
