"""Mutated rule files: every one is either a valid rule set or a located RuleSetInvalid, never another exception,
and never slow (the reader's limits bound its work by the file's length)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import screening
from screening.ruleset import structure
from screening.ruleset.yamlsource import parse_yaml
from tests.conftest import DEFAULT, TINY
from tests.fuzz.conftest import FUZZ, timed

BASES = {path.name: path.read_text(encoding="utf-8") for path in (TINY / "ruleset.yaml", DEFAULT / "rules.yaml")}
NASTY = ["&a ", "*a", "!!int ", "!!python/object/apply:os.system ", "[", "{", "]", "}", ": ", "- ", "\t", "\x00",
         "\x01", "\x85", "\ufeff", "\ud800", "'", '"', "#", "---\n", "...\n", "9" * 5000, "-1", "1e999", "nan",
         "yes", "no", "~", "? ", "|\n", ">-\n", "\\", "%YAML 1.1\n", "\n  ", "  ", "é", "\u202e"]

mutation = st.tuples(st.sampled_from(["insert", "delete", "replace", "duplicate_line", "drop_line"]),
                     st.floats(0, 1), st.integers(1, 40), st.sampled_from(NASTY) | st.text(max_size=8))


def mutate(text: str, steps: list[tuple[str, float, int, str]]) -> str:
    for kind, where, size, snippet in steps:
        at = int(where * len(text))
        lines = text.splitlines(keepends=True)
        row = int(where * max(len(lines) - 1, 0))
        if kind == "insert":
            text = text[:at] + snippet + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + size:]
        elif kind == "replace":
            text = text[:at] + snippet + text[at + len(snippet):]
        elif kind == "duplicate_line" and lines:
            text = "".join(lines[:row + 1] + lines[row:])
        elif lines:
            text = "".join(lines[:row] + lines[row + 1:])
    return text


@FUZZ
@given(st.sampled_from(sorted(BASES)), st.lists(mutation, min_size=1, max_size=4))
def test_a_mutated_rule_file_is_valid_or_a_located_error(name, steps):
    texts = {f"rules/{n}": t for n, t in BASES.items() if n == name or name == "rules.yaml"}
    if name == "rules.yaml":  # the default set's rules need the rest of the default set
        texts = {f"rules/{p.name}": p.read_text(encoding="utf-8") for p in DEFAULT.glob("*.yaml")}
    texts[f"rules/{name}"] = mutate(texts[f"rules/{name}"], steps)
    try:
        with timed("mutated rule files"):
            screening.load_ruleset_texts(texts)
    except screening.RuleSetInvalid as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.location.file in texts and error.location.line >= 1 and error.location.col >= 1, error


@FUZZ
@given(st.sampled_from(sorted(BASES)), st.lists(mutation, min_size=1, max_size=4))
def test_the_quick_schema_check_agrees_with_jsonschema(name, steps):
    """jsonschema-rs passes a file only when jsonschema finds nothing wrong with it, mutated any way."""
    doc, problems = parse_yaml(mutate(BASES[name], steps), name)
    if doc.data is None:
        return
    worded = structure.schema_errors(doc, structure._validator())
    assert structure._quick().is_valid(doc.data) == (not worded), worded
