"""Form factory: WTForms classes built from the rule set's pages (CSRF from Flask-WTF), and page reading."""

from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm

from ...answers import facts_from_answers
from ...model import RuleSet
from .fields import ABSENT, KINDS, Rendered
from .pages import Page


@cache
def page_form_class(page: Page) -> type[FlaskForm]:
    """A FlaskForm subclass with the fields every question on `page` needs."""
    fields = {}
    for fact in page.facts:
        fields.update(KINDS[fact.type].fields(fact))
    return type(f"PageForm_{page.id.replace('-', '_')}", (FlaskForm,), fields)


def read_page(rs: RuleSet, page: Page, data: dict, saved: dict) -> tuple[dict, dict[str, str]]:
    """Answers given on `page` (question id -> answer; unanswered ones left out) and errors by field name.

    A question whose `ask_if` is false, given the answers so far, is skipped and its answer dropped."""
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for fact in page.facts:
        ask_if = getattr(fact, "ask_if", None)
        so_far = {k: v for k, v in {**saved, **answers}.items() if k in rs.facts}
        if ask_if is not None and ask_if.truth(facts_from_answers(rs, so_far)) is False:
            continue
        answer, problems = KINDS[fact.type].read(fact, data)
        errors.update(problems)
        if answer is not ABSENT:
            answers[fact.id] = answer
    return answers, errors


def fill_page(page: Page, answers: dict) -> dict:
    """Form data that shows saved `answers` on `page`."""
    data: dict = {}
    for fact in page.facts:
        if fact.id in answers:
            data.update(KINDS[fact.type].fill(fact, answers[fact.id]))
    return data


def render_page(page: Page, data: dict, errors: dict[str, str]) -> list[Rendered]:
    return [KINDS[fact.type].render(fact, data, errors) for fact in page.facts]
