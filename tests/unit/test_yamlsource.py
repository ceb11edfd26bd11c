"""Strict YAML: yes/no stay words, duplicates and tags are errors, every value is located."""

import pytest

from screening.ruleset import yamlsource
from screening.ruleset.yamlsource import parse_yaml, yaml_texts
from tests.conftest import DEFAULT


def test_yes_no_on_off_stay_strings_and_dates_stay_text():
    doc, errors = parse_yaml("a: yes\nb: no\nc: on\nd: 2026-01-01\ne: true\nf: 3\ng: ~\n", "f.yaml")
    assert errors == []
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "2026-01-01", "e": True, "f": 3, "g": None}


def test_locations_are_one_based_line_and_column():
    doc, _ = parse_yaml("top:\n  - id: x\n    value: 3\n", "f.yaml")
    assert str(doc.where(("top", 0, "value"))) == "f.yaml:3:5"
    assert str(doc.where(("top", 0, "missing", "deeper"))) == "f.yaml:2:5"


def test_duplicate_keys_are_errors():
    _, errors = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [str(e.location) for e in errors] == ["f.yaml:3:1"]
    assert "duplicate key 'a'" in errors[0].message


def test_custom_tags_are_refused():
    _, errors = parse_yaml("a: !!python/object:os.system x\n", "f.yaml")
    assert "unsupported YAML tag" in errors[0].message


def test_syntax_error_is_located():
    _, errors = parse_yaml("a: [1,\nb: 2\n", "f.yaml")
    assert errors[0].message.startswith("YAML syntax error")
    assert errors[0].location.file == "f.yaml"


def only_error(text: str) -> str:
    doc, errors = parse_yaml(text, "f.yaml")
    assert len(errors) >= 1, doc.data
    return f"{errors[0].location} {errors[0].message}"


def test_aliases_are_refused_so_an_alias_bomb_is_a_short_error():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8))
    _, errors = parse_yaml(bomb, "f.yaml")
    assert errors[0].message == "anchors and aliases (& and *) are not allowed in rule files"
    assert str(errors[0].location) == "f.yaml:1:4"
    assert len(errors) < 100  # one per anchor and alias written, not one per expansion


def test_a_recursive_alias_is_an_error_not_a_crash():
    assert only_error("a: &x [*x]\n") == "f.yaml:1:4 anchors and aliases (& and *) are not allowed in rule files"


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4 unsupported YAML tag"),
    ("a: !!python/object:os.system {x: 1}\n", "f.yaml:1:4 unsupported YAML tag"),
    ("a: !!bool yes\n", "f.yaml:1:4 unsupported YAML tag"),
    ("a: !!int abc\n", "f.yaml:1:4 unsupported YAML tag"),
    ("a: " + "9" * 5000 + "\n", "f.yaml:1:4 the number 99999999999999999999... is too long"),
    ("a: b\x01c\n", "f.yaml:1:5 the file holds the control character '\\x01'"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1 a rule file holds one YAML document"),
    ("a: " + "[" * 100 + "]" * 100 + "\n", "f.yaml:1:35 lists and mappings are nested more than 32 deep"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "f.yaml:1:35 lists and mappings are nested more than 32 deep"),
    ("{[a]: 1}\n", "f.yaml:1:2 keys must be plain words"),
])
def test_hostile_or_broken_yaml_is_a_located_error(text, expected):
    assert only_error(text).startswith(expected) or expected in only_error(text)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    assert only_error("a: b\n" * 300_000) == "f.yaml:1:1 the file is larger than 1,000,000 characters"


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    (tmp_path / "rules.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    (name, text), = yaml_texts(tmp_path).items()
    _, errors = parse_yaml(text, name)
    assert [str(e.location) for e in errors] == [f"{tmp_path / 'rules.yaml'}:2:7"]
    assert errors[0].message == "the file holds bytes that are not UTF-8"


BROKEN = ["a: [1, 2\n", "a: b: c\n", "- a\nb: 1\n", "a:\n  - b\n c: 1\n", "a: 'open\n", "{a: 1\n", "a: *\n",
          "a: @x\n", "\tb: 1\n", "a: |\n  x\n b\n"]


@pytest.mark.parametrize("text", BROKEN)
def test_libyaml_errors_are_worded_and_located_by_the_pure_parser(text):
    """(Where libyaml is missing, both are the pure parser.)"""
    quick = parse_yaml(text, "f.yaml")
    pure = yamlsource._read(text, "f.yaml", yamlsource._PythonParser)
    assert [str(e) for e in quick[1]] == [str(e) for e in pure[1]] and quick[1]


def test_both_parsers_read_the_default_rule_set_alike():
    for name, text in yaml_texts(DEFAULT).items():
        quick, pure = parse_yaml(text, name)[0], yamlsource._read(text, name, yamlsource._PythonParser)[0]
        assert (quick.data, quick.marks) == (pure.data, pure.marks)
