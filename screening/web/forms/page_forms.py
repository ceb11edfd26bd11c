"""Form factory: WTForms classes built from the rule set's pages (CSRF from Flask-WTF), and page reading."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from flask_wtf import FlaskForm

from ...answers import facts_from_answers
from ...model import Indicator, Question, RuleSet
from ...suggestions import Suggestion, suggest_from_answers
from .fields import ABSENT, FORM_FIELDS, Rendered
from .indicator_groups import (
    fill_group,
    fill_suggested,
    group_fields,
    read_group,
    render_group,
    render_suggestions,
    suggestion_fields,
)
from .pages import IndicatorGroup, Page

Shown = Question | Indicator | IndicatorGroup | Page  # what a rendered item is about


@cache
def page_form_class(page: Page) -> type[FlaskForm]:
    """A FlaskForm subclass with the fields every question and sign group on `page` needs."""
    fields = suggestion_fields() if any(g.opens for g in page.groups) else {}
    for group in page.groups:
        fields.update(group_fields(group))
    for question in _questions(page):
        fields.update(FORM_FIELDS[question.type].fields(question))
    return type(f"PageForm_{page.id.replace('-', '_')}", (FlaskForm,), fields)


def _questions(page: Page) -> tuple[Question, ...]:
    return (*(q for g in page.groups for q in g.questions), *page.questions)


def read_page(rs: RuleSet, page: Page, data: dict, saved: dict, *, enforce_required: bool = True
              ) -> tuple[dict, dict[str, str]]:
    """Answers given on `page` (question id -> answer; unanswered ones left out) and errors by field name.

    A question whose `ask_if` is false, given the answers so far, is skipped and its answer dropped. With
    `enforce_required` false, a required question left blank is not an error (a badly written answer still is)."""
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    suggested = suggested_ids(rs, page, saved)
    for group in asked_groups(rs, page, saved):
        given, problems = read_group(group, data, suggested)
        answers.update(given)
        errors.update(problems)
        _read_questions(rs, group.questions, data, saved, answers, errors, enforce_required)
    _read_questions(rs, page.questions, data, saved, answers, errors, enforce_required)
    return answers, errors


def _read_questions(rs: RuleSet, questions: tuple[Question, ...], data: dict, saved: dict, answers: dict,
                    errors: dict[str, str], enforce_required: bool) -> None:
    for question in questions:
        if _skipped(rs, question, {**saved, **answers}):
            continue
        answer, problems = FORM_FIELDS[question.type].read(question, data)
        if not enforce_required and answer is ABSENT and not _given(question, data):
            problems = {}
        errors.update(problems)
        if answer is not ABSENT:
            answers[question.id] = answer


def _skipped(rs: RuleSet, question: Question, so_far: dict) -> bool:
    """Does this question not apply, given the answers so far?"""
    if question.ask_if is None:
        return False
    known = {k: v for k, v in so_far.items() if k in rs.facts}
    return question.ask_if.truth(facts_from_answers(rs, known)) is False


def _given(question: Question, data: dict) -> bool:
    """Did the practitioner write or tick anything for this question?"""
    return any(data.get(name) not in (None, "", [], False) for name in FORM_FIELDS[question.type].fields(question))


def shown_questions(rs: RuleSet, page: Page, questions: tuple[Question, ...], saved: dict
                    ) -> tuple[Question, ...]:
    """The questions to show: those whose `ask_if` is already ruled out by answers on other pages are left off
    (one that depends on an answer on this page is always shown, since that answer may change)."""
    here = {f.id for f in page.facts}
    return tuple(q for q in questions
                 if q.ask_if is None or q.ask_if.fact_ids() & here or not _skipped(rs, q, saved))


def asked_groups(rs: RuleSet, page: Page, saved: dict) -> tuple[IndicatorGroup, ...]:
    """The page's sign groups as asked of this child: a sign that cannot apply at the child's known age (its
    `ages`) is left out, so it is neither asked nor, answered "no" with its theme, recorded."""
    return tuple(replace(g, signs=tuple(s for s in g.signs if not rs.outside_ages(s.id, saved)))
                 for g in page.groups)


def suggestions_for(rs: RuleSet, page: Page, saved: dict) -> tuple[Suggestion, ...]:
    """The signs on `page` whose themes open with a question, that the words saved so far suggest."""
    shown = {s.id for g in asked_groups(rs, page, saved) if g.opens for s in g.signs}
    return tuple(s for s in suggest_from_answers(rs, saved) if s.indicator in shown)


def suggested_ids(rs: RuleSet, page: Page, saved: dict) -> frozenset[str]:
    return frozenset(s.indicator for s in suggestions_for(rs, page, saved))


def fill_page(rs: RuleSet, page: Page, answers: dict) -> dict:
    """Form data that shows saved `answers` on `page`."""
    suggestions = suggestions_for(rs, page, answers)
    data: dict = fill_suggested(suggestions, answers)
    for group in asked_groups(rs, page, answers):
        data.update(fill_group(group, answers, {s.indicator for s in suggestions}))
    for question in _questions(page):
        if question.id in answers:
            data.update(FORM_FIELDS[question.type].fill(question, answers[question.id]))
    return data


def render_page(rs: RuleSet, page: Page, data: dict, errors: dict[str, str], saved: dict,
                notes: dict[str, str] | None = None) -> list[tuple[Rendered, Shown]]:
    """Each sign group followed by its questions, then the page's own questions, rendered in that order; `notes`
    (what the child's record holds) open the hints of the questions they are about."""
    def questions(qs: tuple[Question, ...]) -> list[tuple[Rendered, Shown]]:
        return [(_noted(FORM_FIELDS[q.type].render(q, data, errors), (notes or {}).get(q.id)), q)
                for q in shown_questions(rs, page, qs, saved)]
    out: list[tuple[Rendered, Shown]] = []
    suggestions = suggestions_for(rs, page, saved)
    if suggestions:
        out.append((render_suggestions(suggestions, {i.id: i for i in rs.indicators}, data, errors), page))
    suggested = {s.indicator for s in suggestions}
    for group in asked_groups(rs, page, saved):
        if group.opens or group.opened:  # its counts go under its "yes", with its signs
            inner = [rendered for rendered, _ in questions(group.questions)]
            out.append((render_group(group, data, errors, suggested, inner), group))
        else:
            out.append((render_group(group, data, errors, suggested), group))
            out.extend(questions(group.questions))
    out.extend(questions(page.questions))
    return out


def _noted(rendered: Rendered, note: str | None) -> Rendered:
    if note:
        params = rendered.params.get("input", rendered.params)  # a count: its input holds the hint
        hint = (params.get("hint") or {}).get("text", "")
        params["hint"] = {"text": f"{note} {hint}".strip()}
    return rendered
