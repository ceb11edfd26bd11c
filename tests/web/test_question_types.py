"""Question types live in two tables: the core's (question_types.QUESTION_TYPES: checking, words, schema, gaps,
comparisons) and the web's (forms.fields.FORM_FIELDS: fields, reading, filling, rendering). These tests hold the two
tables and the published JSON Schema in step, show that a new type needs nothing but its two entries, and that a
type neither table knows is a located error."""

from __future__ import annotations

import pytest
from wtforms import StringField

import screening
from screening.answers import answer_schema
from screening.errors import RuleSetInvalid
from screening.history import HISTORY_KINDS
from screening.question_types import QUESTION_TYPES, QuestionType
from screening.ruleset import structure
from screening.ruleset.condition_parser import COMPARISONS
from screening.web.forms.fields import ABSENT, FORM_FIELDS, FormFields, Rendered
from screening.web.forms.page_forms import read_page, render_page
from screening.web.forms.pages import journey_pages
from tests.conftest import TINY

TINY_TEXT = (TINY / "ruleset.yaml").read_text()
WORDS_QUESTION = "  - {id: words, section: about_child, type: text, label: The child's words, max_length: 50}\n"


def test_the_two_tables_and_the_published_schema_name_the_same_types():
    published = structure.ruleset_schema()["properties"]["questions"]["items"]["properties"]["type"]["enum"]
    assert list(QUESTION_TYPES) == published
    assert list(FORM_FIELDS) == list(QUESTION_TYPES)


def test_history_kinds_are_one_table_and_the_published_schema_lists_them():
    question = structure.ruleset_schema()["properties"]["questions"]["items"]["properties"]
    assert list(HISTORY_KINDS) == question["history"]["properties"]["of"]["enum"]
    assert all(kind.question_type in QUESTION_TYPES for kind in HISTORY_KINDS.values())


def test_every_comparison_fits_some_type_and_every_type_names_real_comparisons():
    assert {op for kind in QUESTION_TYPES.values() for op in kind.comparisons} == set(COMPARISONS)


def test_a_type_no_table_knows_is_a_located_error():
    broken_line = WORDS_QUESTION.replace("type: text", "type: txet")
    broken = TINY_TEXT.replace(WORDS_QUESTION, broken_line)
    with pytest.raises(RuleSetInvalid) as caught:
        screening.load_ruleset_texts({"ruleset.yaml": broken})
    (error,) = caught.value.errors
    line = broken.splitlines().index(broken_line.rstrip("\n")) + 1
    assert (error.location.line, error.location.col) == (line, broken_line.index("type: txet") + 1)
    assert "text" in f"{error.message} {error.hint}"  # says what it could be


def _line_read(fact, data: dict) -> tuple[object, dict[str, str]]:
    value = (data.get(fact.id) or "").strip()
    if len(value) > fact.max_length:
        return ABSENT, {fact.id: f"{fact.label} must be {fact.max_length} characters or fewer"}
    return (value, {}) if value else (ABSENT, {})


def _line_parse(fact, raw: object) -> str:
    if not isinstance(raw, str) or "\n" in raw or len(raw) > fact.max_length:
        raise ValueError("give one line of text")
    return raw


LINE = QuestionType("line", _line_parse, lambda fact: {"type": "string", "pattern": "^[^\\n]*$"},
                    lambda fact: (), (), quoted=True)
LINE_FIELDS = FormFields(lambda fact: {fact.id: StringField()}, _line_read, lambda fact, answer: {fact.id: answer},
                         lambda fact, data, errors: Rendered("govukInput", {"id": fact.id, "name": fact.id,
                                                                            "value": data.get(fact.id) or ""}))


@pytest.fixture
def line_type(monkeypatch):
    """A one-line text type, added to the two tables (and the compiler's view of the schema made again)."""
    monkeypatch.setitem(QUESTION_TYPES, "line", LINE)
    monkeypatch.setitem(FORM_FIELDS, "line", LINE_FIELDS)
    for cached in (structure._checked_schema, structure._validator, structure._quick):
        cached.cache_clear()
    yield
    for cached in (structure._checked_schema, structure._validator, structure._quick):
        cached.cache_clear()


def test_a_new_question_type_needs_only_its_two_table_entries(line_type):
    text = TINY_TEXT.replace(WORDS_QUESTION, WORDS_QUESTION + "  - {id: known_as, section: about_child, type: line, "
                                                              "label: Known as, max_length: 20}\n")
    rs = screening.load_ruleset_texts({"ruleset.yaml": text})
    outcome = screening.evaluate(rs, {"age": 14, "known_as": "Jay"})
    assert ("known_as", "Jay") in [(a.fact, a.answer) for a in outcome.answered]
    with pytest.raises(screening.AnswersInvalid, match="one line"):
        screening.evaluate(rs, {"age": 14, "known_as": "two\nlines"})
    assert answer_schema(rs.facts["known_as"])["anyOf"][0]["type"] == "string"
    (page,) = [p for p in journey_pages(rs) if "known_as" in {f.id for f in p.facts}]
    answers, errors = read_page(rs, page, {"known_as": " Jay "}, {})
    assert answers["known_as"] == "Jay" and "known_as" not in errors
    rendered = {fact.id: shown for shown, fact in render_page(rs, page, {"known_as": "Jay"}, {}, {})}
    assert rendered["known_as"].macro == "govukInput" and rendered["known_as"].params["value"] == "Jay"
