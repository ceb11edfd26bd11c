"""Welsh beside English in rule sets and vignettes (ADR 0026): the texts in the language asked for, English where a
Welsh text is missing or out of date, the hash that covers both, located errors, and the completeness check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.engine import evaluate
from screening.errors import RuleSetInvalid
from screening.ruleset import load_ruleset, load_ruleset_texts, yaml_texts
from screening.ruleset.roundtrip import set_fields
from screening.ruleset.translation import RULESET_TEXTS, english_texts, fingerprint
from screening.ruleset.yamlsource import parse_yaml
from screening.tools.changes import WORDING, changes_between
from screening.tools.vignettes import VignettesInvalid, load_vignettes
from tests.conftest import DEFAULT, TINY

# Strings in a rule file that no reader sees as prose: ids and references to them, kinds, patterns, timescales
# the engine reads, provenance. Every other string must be a text that may carry Welsh.
NOT_TEXTS = {"id", "version", "effective", "references", "non_monotone", "section", "type", "purpose", "theme",
             "themes", "options_from", "reference", "level", "levels", "phrases", "patterns", "unless", "source",
             "on_unknown", "route", "min_route", "agencies", "actions", "of", "facts", "when", "ask_if", "within",
             "response_within", "phone", "ages", "weight", "hours"}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def complete_welsh(rules: Path) -> str:
    """A cy.yaml giving every English text of `rules` a (pretend) Welsh text and the right fingerprint."""
    lines, written = ["cy:"], set()
    for source in english_texts(RULESET_TEXTS, _english_sections(rules)):
        key = tuple(map(str, source.key))
        for depth in range(1, len(key)):
            if key[:depth] not in written:
                written.add(key[:depth])
                lines.append("  " * depth + f"{key[depth - 1]}:")
        english = source.english
        welsh = [f"Cymraeg: {e}" for e in english] if isinstance(english, list) else f"Cymraeg: {english}"
        lines.append("  " * len(key) + f"{key[-1]}: {{text: {_quoted(welsh)}, english: {fingerprint(english)}}}")
    return "\n".join(lines) + "\n"


def _quoted(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _english_sections(rules: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for name, text in yaml_texts(rules).items():
        doc = parse_yaml(text, name)[0]
        found.update({k: v for k, v in doc.data.items() if k != "cy"})  # type: ignore[union-attr]
    return found


@pytest.fixture
def welsh_tiny(tmp_path: Path) -> Path:
    """The tiny fixture rule set with every text in (pretend) Welsh."""
    rules = tmp_path / "rules"
    shutil.copytree(TINY, rules)
    (rules / "cy.yaml").write_text(complete_welsh(rules), encoding="utf-8")
    return rules


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# -- the texts in the language asked for ----------------------------------------------------------------------
@pytest.mark.hazard("H-12")
def test_welsh_texts_are_given_where_translated_and_english_elsewhere(default_rules):
    welsh = default_rules.in_language("cy")
    assert welsh.text_language == "cy"
    assert welsh.route_by_id["section_47"].label == "Amddiffyn plant: atgyfeiriad adran 47 a thrafodaeth strategaeth"
    assert welsh.level_by_id["red"].short_label == "Coch"
    assert welsh.contacts[0].when == "Nawr" and welsh.contacts[0].phone == "999"
    assert welsh.facts["age"].label == "Faint yw oed y plentyn, mewn blynyddoedd cyfan?"
    assert welsh.facts["concern_summary"].label.startswith("Beth sy'n eich poeni?")
    assert welsh.in_language("en") is default_rules and default_rules.in_language("cy") is welsh
    assert default_rules.in_language("en") is default_rules


def test_a_rule_set_without_welsh_answers_in_english(tiny):
    assert tiny.in_language("cy") is tiny


@pytest.mark.hazard("H-12")
def test_the_welsh_set_decides_exactly_as_the_english(default_rules):
    welsh = default_rules.in_language("cy")
    answers = {"age": 12, "disclosure_sexual_abuse": "yes", "missing_now_high_risk": "no"}
    english_outcome, welsh_outcome = evaluate(default_rules, answers), evaluate(welsh, answers)
    assert (welsh_outcome.route, welsh_outcome.risk_level) == (english_outcome.route, english_outcome.risk_level)
    assert [(f.rule, f.route, f.level) for f in welsh_outcome.findings] == \
        [(f.rule, f.route, f.level) for f in english_outcome.findings]
    assert [a.id for a in welsh_outcome.actions] == [a.id for a in english_outcome.actions]
    assert welsh_outcome.route_label == "Amddiffyn plant: atgyfeiriad adran 47 a thrafodaeth strategaeth"
    assert welsh.questions_asked == default_rules.questions_asked and welsh.hash == default_rules.hash


def test_the_hash_changes_when_a_welsh_text_changes():
    texts = yaml_texts(DEFAULT)
    name = next(n for n in texts if n.endswith("cy.yaml"))
    changed = {**texts, name: texts[name].replace("text: Nawr,", "text: Ar unwaith,")}
    assert changed[name] != texts[name]
    reloaded = load_ruleset_texts(changed)
    assert reloaded.hash != load_ruleset_texts(texts).hash
    assert reloaded.in_language("cy").contacts[0].when == "Ar unwaith"


def test_every_reader_text_of_the_default_rule_set_may_carry_welsh():
    """Held in step with the rule files: a string that is not a text in RULESET_TEXTS must be an id, a kind, a
    pattern, a timescale or a reference (NOT_TEXTS)."""
    data = _english_sections(DEFAULT)
    texts = {s.path for s in english_texts(RULESET_TEXTS, data)}
    stray = sorted({".".join(map(str, path)) for path, value in _strings(data)
                    if not any(path[:n] in texts for n in range(1, len(path) + 1))
                    and not set(k for k in path if isinstance(k, str)) & NOT_TEXTS})
    assert stray == []


def _strings(node: object, path: tuple = ()):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))


# -- the check: --require-language ----------------------------------------------------------------------------
def test_a_complete_translation_passes_and_one_missing_label_fails_where_it_is_written(welsh_tiny: Path):
    done = run("validate", "--require-language", "cy", welsh_tiny)
    assert done.exit_code == 0, done.output
    assert "every text has its Welsh" in done.output
    welsh = load_ruleset(welsh_tiny).in_language("cy")
    assert all(r.label.startswith("Cymraeg: ") for r in welsh.routes)
    assert all(view.startswith("Cymraeg: ") for view in welsh.strategy_meeting.views_to_gather)  # a list of texts

    cy = welsh_tiny / "cy.yaml"
    route = load_ruleset(welsh_tiny).routes[0].id
    lines = cy.read_text().splitlines()
    start = lines.index(f"    {route}:")
    label = next(n for n in range(start, len(lines)) if lines[n].startswith("      label:"))
    cy.write_text("\n".join(lines[:label] + lines[label + 1:]) + "\n")
    failed = run("validate", "--require-language", "cy", welsh_tiny)
    assert failed.exit_code == 1
    english_file = welsh_tiny / "ruleset.yaml"
    written = english_file.read_text().splitlines()
    line = next(n for n, text in enumerate(written, 1) if f"id: {route}," in text or text.endswith(f"id: {route}"))
    line = next(n for n in range(line, len(written) + 1) if "label:" in written[n - 1])
    column = written[line - 1].index("label:") + 1
    assert f"{english_file}:{line}:{column}: Welsh missing: cy.routes.{route}.label (english " in failed.output
    assert "error: 1 text(s)" in failed.output
    assert load_ruleset(welsh_tiny).in_language("cy").routes[0].label == load_ruleset(TINY).routes[0].label


@pytest.mark.hazard("H-12")
def test_a_changed_english_text_shows_its_welsh_out_of_date_and_is_read_in_english(welsh_tiny: Path):
    rules = welsh_tiny / "ruleset.yaml"
    first = load_ruleset(welsh_tiny).routes[0]
    rules.write_text(set_fields(rules.read_text(), "routes", first.id, {"label": "A newly worded label"}))
    failed = run("validate", "--require-language", "cy", welsh_tiny)
    assert failed.exit_code == 1
    assert f"Welsh out of date: cy.routes.{first.id}.label (english {fingerprint('A newly worded label')}, " \
           f"translated from {fingerprint(first.label)})" in failed.output
    assert "1 text(s)" in failed.output
    welsh = load_ruleset(welsh_tiny).in_language("cy")
    assert welsh.routes[0].label == "A newly worded label"  # never the Welsh of the old words
    assert welsh.routes[0].description.startswith("Cymraeg: ")


def test_the_default_rule_set_is_all_in_welsh_and_a_removed_welsh_label_is_located(tmp_path: Path):
    assert run("validate", "--require-language", "cy", DEFAULT).exit_code == 0
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT, rules)
    cy = rules / "cy.yaml"
    label = next(line for line in cy.read_text().splitlines() if "Beth sy'n eich poeni?" in line)
    cy.write_text(cy.read_text().replace(label + "\n", "", 1))  # the Welsh label of concern_summary, taken out
    result = run("validate", "--require-language", "cy", rules)
    questions = rules / "questions.yaml"
    assert result.exit_code == 1
    at = _line_of(questions, "What are you worried about?")
    assert f"{questions}:{at}:" in result.output and "Welsh missing: cy.questions.concern_summary.label" in \
        result.output
    assert "1 text(s)" in result.output


def test_the_lead_editors_round_trip_keeps_the_welsh_file_and_the_rest_byte_for_byte(welsh_tiny: Path):
    rules = welsh_tiny / "ruleset.yaml"
    before, welsh_before = rules.read_text(), (welsh_tiny / "cy.yaml").read_text()
    rs = load_ruleset(welsh_tiny)
    edited = set_fields(before, "routes", rs.routes[-1].id, {"timescale": "Now, by phone"})
    changed = [n for n, (a, b) in enumerate(zip(before.splitlines(), edited.splitlines(), strict=True)) if a != b]
    assert len(changed) == 1 and len(before.splitlines()) == len(edited.splitlines())
    rules.write_text(edited)
    assert (welsh_tiny / "cy.yaml").read_text() == welsh_before
    assert load_ruleset(welsh_tiny).in_language("cy").routes[-1].timescale == "Now, by phone"


# -- bad Welsh entries: located in the Welsh file ---------------------------------------------------------------
BAD = [
    ('  routes:\n    nonesuch:\n      label: {text: "Cyffredinol", english: 0123abcd}\n', "nonesuch",
     "unknown id 'nonesuch': the English has no such item"),
    ('  levels:\n    {level}:\n      label: {text: "  ", english: 0123abcd}\n', "text:", "the Welsh text is empty"),
    ('  levels:\n    {level}:\n      label: {text: [Gwyrdd], english: 0123abcd}\n', "text:",
     "expected text here, not list"),
    ('  levels:\n    {level}:\n      label: Gwyrdd\n', "label:", "found a plain text"),
    ('  levels:\n    {level}:\n      label: {text: Gwyrdd, english: green}\n', "english: green",
     "'green' is not a fingerprint of the English"),
    ('  levels:\n    {level}:\n      colour: {text: Gwyrdd, english: 0123abcd}\n', "colour:",
     "'colour' is not a text a reader sees"),
    ('  strategy_meeting:\n    views_to_gather: {text: [Barn y plentyn], english: 0123abcd}\n', "views_to_gather",
     "expected a list of 2 texts, one for each English text"),
]


@pytest.mark.hazard("H-12")
@pytest.mark.parametrize(("entry", "at", "message"), BAD)
def test_a_bad_welsh_entry_is_a_located_error(tmp_path: Path, entry: str, at: str, message: str):
    rules = tmp_path / "rules"
    shutil.copytree(TINY, rules)
    level = load_ruleset(TINY).levels[0].id
    cy = rules / "cy.yaml"
    cy.write_text("cy:\n" + entry.replace("{level}", level))
    with pytest.raises(RuleSetInvalid) as caught:
        load_ruleset(rules)
    line = _line_of(cy, at)
    assert any(e.location.file == str(cy) and e.location.line == line and message in e.message
               for e in caught.value.errors), caught.value


def test_a_welsh_explanation_keeps_the_english_placeholders(tmp_path: Path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT, rules)
    rs = load_ruleset(rules)
    rule = next(r for r in rs.rules if "{" in r.explanation)
    cy = rules / "cy.yaml"  # only this Welsh text: the rest of the Welsh file is not needed to show it
    cy.write_text(f"cy:\n  rules:\n    {rule.id}:\n      explanation:\n"
                  f"        text: Esboniad heb enwau\n        english: {fingerprint(rule.explanation)}\n")
    with pytest.raises(RuleSetInvalid) as caught:
        load_ruleset(rules)
    assert [e.location.line for e in caught.value.errors] == [_line_of(cy, "Esboniad heb enwau")]
    assert "must keep the English placeholders" in caught.value.errors[0].message


# -- vignettes ----------------------------------------------------------------------------------------------------
def _english_of(vignette: Path) -> str:
    """A vignette file without its Welsh section."""
    return vignette.read_text().split("\ncy:\n")[0] + "\n"


def test_a_vignette_carries_welsh_and_the_check_lists_what_is_missing(tmp_path: Path, default_rules):
    source = DEFAULT.parent / "vignettes" / "julia.yaml"
    english = load_vignettes(source, default_rules)[0]
    target = tmp_path / "julia.yaml"
    target.write_text(_english_of(source) + f'cy:\n  title: {{text: "Julia", english: {fingerprint(english.title)}}}\n'
                      f"  stages:\n    0:\n      title: {{text: Datgeliad yn 12 oed, "
                      f"english: {fingerprint(english.stages[0].title)}}}\n")
    vignette = load_vignettes(target, default_rules)[0]
    welsh = vignette.in_language("cy")
    assert (welsh.title, welsh.stages[0].title) == ("Julia", "Datgeliad yn 12 oed")
    assert welsh.stages[1].title == english.stages[1].title and welsh.stages[0].answers == english.stages[0].answers
    result = run("vignettes", "--require-language", "cy", "--rules", DEFAULT, target)
    assert result.exit_code == 1
    assert f"{target}:{_line_of(target, 'summary:')}:1: Welsh missing: cy.summary" in result.output
    assert "cy.title" not in result.output and "cy.stages.0.title" not in result.output


def test_a_bad_welsh_vignette_entry_is_located(tmp_path: Path, default_rules):
    target = tmp_path / "julia.yaml"
    target.write_text(_english_of(DEFAULT.parent / "vignettes" / "julia.yaml")
                      + "cy:\n  stages:\n    42:\n      title: {text: Cam, english: 0123abcd}\n")
    with pytest.raises(VignettesInvalid) as caught:
        load_vignettes(target, default_rules)
    assert [str(e.location) for e in caught.value.errors] == [f"{target}:{_line_of(target, '42:')}:5"]
    assert "unknown place '42'" in caught.value.errors[0].message


def test_a_welsh_only_change_is_listed_in_the_change_log_as_wording():
    texts = yaml_texts(DEFAULT)
    name = next(n for n in texts if n.endswith("cy.yaml"))
    old = load_ruleset_texts(texts)
    new = load_ruleset_texts({**texts, name: texts[name].replace("text: Nawr,", "text: Ar unwaith,")})
    assert [(c.kind, c.sentence) for c in changes_between(old, new)] == [(WORDING, "The Welsh texts: 1 changed.")]
    assert changes_between(old, load_ruleset_texts(texts)) == []
