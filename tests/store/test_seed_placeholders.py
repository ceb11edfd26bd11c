"""The release step for real use (`screening db seed` without demo accounts) refuses a first rule set whose contacts
are still placeholders, "[MASH phone number]", listing each where it is written, unless told
--allow-placeholder-contacts; demo mode seeds as before, and a rule set with its numbers filled in needs nothing."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.store import Database, rulesets, schema
from tests.conftest import DEFAULT


@pytest.fixture
def upgraded(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'release.db'}"
    schema.upgrade(Database(url))
    return url


def seed(url: str, *options: str, rules=DEFAULT):
    return CliRunner().invoke(main, ["db", "seed", "--rules", str(rules), "--database", url, *options])


def active(url: str):
    with Database(url).reading() as tx:
        return rulesets.active_version(tx)


@pytest.mark.hazard("H-04")
def test_a_production_seed_refuses_placeholder_contacts_and_lists_each_where_it_is_written(upgraded):
    refused = seed(upgraded, "--no-demo")
    assert refused.exit_code == 1
    located = re.findall(rf"^{re.escape(str(DEFAULT))}/ruleset\.yaml:\d+:\d+: contact \"[^\"]+\" has a placeholder "
                         r"phone \"\[([^\]]+)\]\"", refused.output, re.M)
    assert located == ["MASH phone number", "emergency duty team number"]
    assert "error: 2 contact(s) in" in refused.output and "--allow-placeholder-contacts" in refused.output
    assert active(upgraded) is None  # nothing seeded: the app would still refuse to start
    with pytest.raises(rulesets.PlaceholderContacts):
        schema.seed(Database(upgraded), DEFAULT, demo=False)


def test_the_option_seeds_them_anyway(upgraded):
    seeded = seed(upgraded, "--no-demo", "--allow-placeholder-contacts")
    assert seeded.exit_code == 0, seeded.output
    assert "seeded: a rule set is active" in seeded.output and "demo" not in seeded.output
    assert active(upgraded) is not None
    assert seed(upgraded, "--no-demo").exit_code == 0  # run again each release: a rule set is active, nothing to do


def test_demo_mode_seeds_as_before(upgraded, monkeypatch):
    monkeypatch.setenv("SCREENING_MODE", "demo")
    seeded = seed(upgraded)
    assert seeded.exit_code == 0 and "demo accounts (DEMO ONLY)" in seeded.output


def test_production_mode_is_the_default_that_refuses(upgraded, monkeypatch):
    monkeypatch.setenv("SCREENING_MODE", "production")
    assert seed(upgraded).exit_code == 1 and active(upgraded) is None


def test_a_rule_set_with_its_numbers_filled_in_seeds_for_production(upgraded, tmp_path):
    filled = tmp_path / "ours"
    shutil.copytree(DEFAULT, filled)
    text = (filled / "ruleset.yaml").read_text(encoding="utf-8")
    (filled / "ruleset.yaml").write_text(text.replace("[MASH phone number]", "0300 123 4567")
                                         .replace("[emergency duty team number]", "0300 765 4321"), encoding="utf-8")
    seeded = seed(upgraded, "--no-demo", rules=filled)
    assert seeded.exit_code == 0, seeded.output
    assert active(upgraded) is not None
