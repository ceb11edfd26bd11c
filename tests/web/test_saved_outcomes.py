"""A saved outcome never changes: its page, JSON export and referral summary show it exactly as it was produced,
whatever version of the rules is active later."""

from __future__ import annotations

import json
import re

import pytest

import screening
from screening.store import rulesets
from tests.web.conftest import Practitioner, active

RS = screening.load_ruleset("rules/default")
TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def section_47_with_findings(practitioner: Practitioner) -> str:
    practitioner.start()
    practitioner.required_pages(child_voice={"child_words": "He said I owe him", "seen_alone": "yes"},
                                signs={"missing_episodes_90d": "0", "signs__disclosures": ["disclosure_sexual_abuse"],
                                       "disclosure_sexual_abuse__when": "recent"})
    practitioner.finish()
    return practitioner.sid


def everything_shown(client, sid: str) -> tuple[str, str, str]:
    """The outcome page (without its CSRF token), the JSON export and the referral summary."""
    page = client.get(f"/screenings/{sid}/outcome").text
    return (TOKEN.sub("", page), client.get(f"/screenings/{sid}/outcome.json").text,
            client.get(f"/screenings/{sid}/referral.txt").text)


def mark(texts: dict[str, str], key: str, value: str, marker: str) -> dict[str, str]:
    """The rule files with `marker` put before the YAML value `value` of `key` (plain, quoted or folded)."""
    words = r"\s+".join(map(re.escape, value.split()))
    pattern = re.compile(rf"(\b{key}:\s*(?:>-\s*|\")?){words}")
    changed = {name: pattern.sub(lambda m: m.group(1) + marker + m.group(0)[len(m.group(1)):], text, count=1)
               for name, text in texts.items()}
    assert changed != texts, f"{key}: {value!r} not found in the rule files"
    return changed


def renamed_version(stored: dict) -> tuple[dict[str, str], list[str]]:
    """The rule files (version 2.0.0) with the route's and level's labels, a fired rule's description and an
    action's text each renamed by a marker put in front; and the markers."""
    texts = {name.rsplit("/", 1)[-1]: text for name, text in RS.sources}
    renames = [("label", stored["route_label"]), ("label", stored["risk_level_label"]),
               ("description", stored["findings"][0]["description"]), ("what", stored["actions"][0]["what"])]
    markers = []
    for n, (key, value) in enumerate(renames):
        markers.append(f"Renamed{n} ")
        texts = mark(texts, key, value, markers[-1])
    texts["ruleset.yaml"] = texts["ruleset.yaml"].replace('version: "1.0.0"', 'version: "2.0.0"')
    return texts, markers


@pytest.mark.hazard("H-05")
def test_an_old_outcome_shows_what_it_said_after_a_new_version_renames_it(app, practitioner):
    sid = section_47_with_findings(practitioner)
    with app.extensions["db"].reading() as tx:
        stored = tx.get(screening.store.Screening, sid).outcome
    assert stored["route"] == "section_47" and stored["findings"] and stored["actions"]
    before = everything_shown(practitioner.client, sid)
    texts, markers = renamed_version(stored)
    with app.extensions["db"].transaction() as tx:
        version = rulesets.add_version(tx, rulesets.parse(texts), "lead", "new wording")
        rulesets.activate(tx, version.id, "lead", "new wording")
    assert active(app).meta.version == "2.0.0"

    assert everything_shown(practitioner.client, sid) == before
    page, exported, summary = before
    assert "Renamed" not in page + exported + summary
    assert json.loads(exported)["outcome"] == stored and "He said I owe him" in summary

    fresh = everything_shown(practitioner.client, section_47_with_findings(practitioner))
    for shown in fresh[:2]:
        assert all(marker in shown for marker in markers), [m for m in markers if m not in shown]
    assert all(marker in fresh[2] for marker in markers[:3])  # the referral: route, level, reasons (not actions)
    assert "version 2.0.0" in fresh[0]
