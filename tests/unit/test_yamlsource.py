"""Strict YAML: yes/no stay words, duplicates and tags are errors, every value is located."""

from screening.ruleset.yamlsource import parse_yaml


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
