"""Editing rule files in place (comments, order and every other line kept), the change between two rule sets in
words, and the version number it earns."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from screening.ruleset import roundtrip
from screening.store.rulesets import parse, texts_of
from screening.tools.changes import ROUTES, THRESHOLDS, WORDING, changes_between, kind_of, next_version, numbered

DEFAULT = texts_of("rules/default")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]


FILES = sorted(Path("rules").glob("*/*.yaml")) + sorted(Path("rules").glob("examples/*/*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=str)
def test_changing_the_first_middle_and_last_item_of_every_list_changes_only_that_item(path):
    text = path.read_text(encoding="utf-8")
    doc = roundtrip.load(text)
    for section, items in doc.items():
        if not (isinstance(items, list) and items and all(isinstance(i, dict) for i in items)):
            continue
        for place in sorted({0, len(items) // 2, len(items) - 1}):
            assert roundtrip.change_item(text, section, place, lambda item: None) == text
            edited = roundtrip.change_item(text, section, place, lambda item: item.insert(len(item) - 1, "zz", "x"))
            changed = changed_lines(text, edited)
            if items[place].fa.flow_style():  # a one-line item: that line, with the new field
                assert len(changed) == 2 and changed[1].startswith("+  - {") and "zz: x" in changed[1]
            else:  # only the new line: the item's other lines, hand-wrapped lists included, as written
                assert changed == [f"+{' ' * items.lc.item(place)[1]}zz: x"], (section, place)


def test_a_long_text_is_folded_and_yaml_characters_are_quoted():
    text = DEFAULT["indicators.yaml"]
    long = "Belongings the family did not buy: " + "and more words " * 20
    edited = roundtrip.set_fields(text, "indicators", "gifts_unexplained",
                                  {"guidance": long.strip(), "text": "yes", "examples": ["key: value", "# hash"]})
    sign = next(i for i in parse({**DEFAULT, "indicators.yaml": edited}).indicators if i.id == "gifts_unexplained")
    assert sign.guidance == long.strip() and sign.text == "yes" and sign.examples == ("key: value", "# hash")
    assert "    guidance: >-" in edited and '    text: "yes"' in edited


def test_a_new_item_follows_the_one_named_and_comes_before_the_comments_after_it():
    text = DEFAULT["indicators.yaml"]
    last_gift = [i.id for i in parse(DEFAULT).indicators if i.theme == "gifts_money"][-1]
    edited = roundtrip.insert_item(text, "indicators", last_gift, {"id": "card_in_other_name", "theme": "gifts_money",
                                                                    "level": "amber", "text": "Has a card",
                                                                    "guidance": "Ask.", "reference": "Local"})
    added = changed_lines(text, edited)
    assert "+  - id: card_in_other_name" in added and all(a.startswith("+") for a in added)
    lines = edited.splitlines()
    after = [line for line in lines[lines.index("  - id: card_in_other_name") + 6:] if line.strip()]
    assert after[0].lstrip().startswith("# ====")  # the next theme's heading, below the new sign


def test_the_version_number_follows_the_kind_of_change_and_is_never_one_in_use():
    assert next_version("1.0.0", WORDING, ["1.0.0"]) == "1.0.1"
    assert next_version("1.0.0", THRESHOLDS, ["1.0.0", "1.1.0"]) == "1.2.0"
    assert next_version("1.4.2", ROUTES, []) == "2.0.0"
    assert next_version("2026-draft", THRESHOLDS, []) == "0.1.0"


@pytest.mark.parametrize(("file", "section", "key", "values", "kind", "sentence"), [
    ("indicators.yaml", "indicators", "gifts_unexplained", {"level": "red"}, THRESHOLDS,
     "level changed from “Amber” to “Red”."),
    ("indicators.yaml", "indicators", "gifts_unexplained", {"guidance": "Ask where they came from."}, WORDING,
     "guidance changed from"),
    ("actions.yaml", "actions", "call_999", {"within": "15 minutes"}, WORDING, "timescale changed from “now”"),
    ("ruleset.yaml", "routes", "early_help", {"timescale": "Today"}, ROUTES, "timescale changed from"),
    ("ruleset.yaml", "contacts", 1, {"phone": "01632 960000"}, WORDING, "phone changed from “[MASH phone number]”"),
    ("language.yaml", "language", "putting_self_at_risk", {"why": "It blames the child."}, WORDING,
     "why it harms changed from"),
])
def test_each_change_in_words_and_its_kind(file, section, key, values, kind, sentence):
    new = parse({**DEFAULT, file: roundtrip.set_fields(DEFAULT[file], section, key, values)})
    (change,) = changes_between(parse(DEFAULT), new)
    assert change.kind == kind and sentence in change.sentence
    assert kind_of([change]) == kind


def test_a_threshold_change_names_what_is_compared_and_the_number_goes_into_meta():
    old = parse(DEFAULT)
    rules = roundtrip.change_item(DEFAULT["rules.yaml"], "rules", "under_13_sexual_activity",
                                  lambda item: item["when"]["all"][0].__setitem__("below", 14))
    texts = {**DEFAULT, "rules.yaml": rules}
    (change,) = changes_between(old, parse(texts))
    assert change.sentence.endswith("Age: under changed from “13” to “14”.")
    renumbered = numbered(texts, old, parse(texts), ["1.0.0", "1.1.0"])
    assert parse(renumbered).meta.version == "1.2.0"
    assert changed_lines(DEFAULT["ruleset.yaml"], renumbered["ruleset.yaml"]) == ['-  version: "1.0.0"',
                                                                                  '+  version: "1.2.0"']
