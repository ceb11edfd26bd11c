"""Every setting comes from the environment, is checked at start, and is documented; demo mode's secret key is
shared by every worker."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from screening.web import ConfigurationError, create_app, settings
from tests.conftest import ROOT, prepared_database
from tests.web.conftest import signed_in_client

SAMPLES = {  # environment text -> the value the app must hold
    "SCREENING_MODE": ("production", "production"), "SCREENING_DATA_DIR": ("/srv/cse", "/srv/cse"),
    "DATABASE_URL": ("sqlite:////srv/cse/x.db", "sqlite:////srv/cse/x.db"), "SECRET_KEY": ("k" * 8, "k" * 8),
    "RULES_PATH": ("/srv/rules", "/srv/rules"), "VIGNETTES_PATH": ("/srv/vignettes", "/srv/vignettes"),
    "IDLE_TIMEOUT_MINUTES": ("5", 5.0), "IDLE_WARNING_SECONDS": ("30", 30), "SESSION_LIFETIME_HOURS": ("2.5", 2.5),
    "RETENTION_DAYS": ("30", 30), "REQUIRE_SECOND_APPROVAL": ("true", True), "MAX_CONTENT_LENGTH": ("2048", 2048),
    "TRUSTED_PROXY_HOPS": ("1", 1), "HSTS_SECONDS": ("600", 600), "LOG_LEVEL": ("warning", "WARNING"),
    "LOG_FORMAT": ("json", "json"), "SCREENING_IDENTITY_KEYS": ("k1,k2", "k1,k2"),
    "SCREENING_INDEX_KEY": ("aW5kZXg=", "aW5kZXg="), "SUPPRESS_BELOW": ("10", 10),
    "API_CALLS_PER_MINUTE": ("30", 30), "OIDC_PROVIDERS_FILE": ("/srv/providers.yaml", "/srv/providers.yaml"),
    "RETENTION_DRAFT_DAYS": ("30", 30), "RETENTION_YEARS_FROM_BIRTH": ("30", 30),
    "DATA_CONTROLLER": ("Anyshire Council", "Anyshire Council"), "DATA_PROTECTION_OFFICER": ("dpo@x", "dpo@x"),
    "SERVICE_CONTACT": ("help@x", "help@x"),
}


def test_every_setting_has_a_sample_here_and_a_row_in_the_docs():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M))
    names = {s.env for s in settings.SETTINGS}
    assert names == set(SAMPLES) == documented


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.env)
def test_each_setting_is_read_from_the_environment(setting):
    raw, expected = SAMPLES[setting.env]
    assert settings.load({}, {})[setting.name] != expected
    assert settings.load({setting.env: raw}, {})[setting.name] == expected


@pytest.mark.parametrize(("env", "raw"), [("IDLE_TIMEOUT_MINUTES", "soon"), ("IDLE_TIMEOUT_MINUTES", "0"),
                                          ("REQUIRE_SECOND_APPROVAL", "maybe"), ("RETENTION_DAYS", "-1"),
                                          ("SCREENING_MODE", "prod"), ("TRUSTED_PROXY_HOPS", "²")])
def test_a_setting_that_cannot_be_used_stops_the_start_with_one_line(monkeypatch, tmp_path, env, raw):
    monkeypatch.setenv(env, raw)
    with pytest.raises(ConfigurationError, match=rf"^{env}=.* cannot be used: "):
        create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})


def test_settings_from_the_environment_change_what_the_app_does(monkeypatch, tmp_path):
    monkeypatch.setenv("IDLE_TIMEOUT_MINUTES", "5")
    monkeypatch.setenv("REQUIRE_SECOND_APPROVAL", "true")
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True})
    lead = signed_in_client(app, "demo-lead")
    assert 'data-idle-timeout-minutes="5' in lead.get("/").text
    assert app.config["REQUIRE_SECOND_APPROVAL"] is True


def test_demo_mode_keeps_one_secret_for_every_worker(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SCREENING_DATA_DIR", str(tmp_path / "data"))
    url = prepared_database(tmp_path)
    first, second = (create_app({"DATABASE_URL": url, "TESTING": True}) for _ in range(2))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) == 64
    key_file = Path(tmp_path / "data" / "secret_key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings.load({"SCREENING_DATA_DIR": str(tmp_path / "data")}, {})["DATABASE_URL"] == \
        f"sqlite:///{tmp_path / 'data' / 'screening.db'}"


@pytest.mark.parametrize(("raw", "why"), [("0", "above 0"), ("5000000", "below 1,000,000"), ("1e9", "below")])
def test_a_duration_out_of_range_says_which_end_it_is_past(raw, why):
    with pytest.raises(ConfigurationError, match=f"IDLE_TIMEOUT_MINUTES='{raw}' cannot be used: .*{why}"):
        settings.load({"IDLE_TIMEOUT_MINUTES": raw}, {})
