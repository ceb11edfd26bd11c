"""The screening journey's pages, derived from the rule set: one page per section, in the rule set's order.

A section may show whole indicator themes as groups of signs ("which of these have you seen?"), with the counts
that belong to each theme beside it. The first page also asks the built-in questions about the practitioner:
their agency, whether they are its safeguarding lead, and how to reach them. Themes no section shows get a page
of their own after the first, so every indicator is always asked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from flask_babel import gettext as _

from ...history import HISTORY_KINDS
from ...model import IMMEDIATE_DANGER, Indicator, Option, Question, RuleSet, Section
from ...words import language

AGENCY = "agency"  # the referrer's agency, passed to the engine
REFERRER_IS_LEAD = "referrer_is_lead"  # "yes" / "no": the referrer is their agency's safeguarding lead
REFERRER_CONTACT = "referrer_contact"  # how children's social care can reach the referrer
REFERRER_FIELDS = (AGENCY, REFERRER_IS_LEAD, REFERRER_CONTACT)  # stored on the screening, not engine answers
UNPLACED_SIGNS = "signs-other"


@dataclass(frozen=True, eq=False)
class IndicatorGroup:
    """One theme's signs, answered as ticks, with the theme's own questions (counts) beside them. A theme opens
    with one question (`opening_field`: yes, no or not known) and its signs show under yes; the immediate-danger
    theme has no opening question: its signs are always shown, with "I have checked" (`checked_field`)."""

    theme: Section
    signs: tuple[Indicator, ...]
    questions: tuple[Question, ...]
    opened: bool = False  # already answered yes (the follow-up page without JavaScript): its signs, no question

    @property
    def field(self) -> str:
        return f"signs__{self.theme.id}"

    @property
    def opens(self) -> bool:
        """Does the group start with its theme's question?"""
        return self.theme.purpose != IMMEDIATE_DANGER and not self.opened

    @property
    def checks(self) -> bool:
        """Does the group end with "I have checked" (the immediate-danger theme)?"""
        return self.theme.purpose == IMMEDIATE_DANGER

    @property
    def opening_field(self) -> str:
        return f"theme__{self.theme.id}"

    @property
    def checked_field(self) -> str:
        return f"signs__{self.theme.id}__checked"


@dataclass(frozen=True, eq=False)
class Page:
    id: str
    title: str
    description: str
    groups: tuple[IndicatorGroup, ...]
    questions: tuple[Question, ...]  # the page's own questions, after its groups

    @property
    def facts(self) -> tuple[Question | Indicator, ...]:
        """Everything the page answers, in the order it is read and shown."""
        facts: list[Question | Indicator] = []
        for group in self.groups:
            facts += [*group.signs, *group.questions]
        return (*facts, *self.questions)


_CACHE: dict[tuple[str, bool, str], tuple[Page, ...]] = {}


def journey_pages(rs: RuleSet, linked: bool = False) -> tuple[Page, ...]:
    """The sections' pages in order, the referrer's questions on the first, unplaced themes on a page after it.
    For a screening `linked` to a child record, history questions ask only what the record does not show. The
    pages hold the app's own words too, so they are kept for each language."""
    key = (rs.hash, linked, language())
    if key not in _CACHE:
        _CACHE[key] = _build_pages(rs, linked)
    return _CACHE[key]


def _asked(question: Question, linked: bool) -> Question | None:
    """A question as this screening asks it (None: the system alone answers it)."""
    history = question.history
    if history is None:
        return question
    kind = HISTORY_KINDS[history.of]
    if kind.of_routes:  # the record alone answers it
        return None
    if not linked or not kind.adds:
        return question
    return replace(question, label=history.added_label or _(kind.asks), required=False, ask_if=None,
                   allow_not_known=False, hint=_("Leave it blank if you know of none."))


def _build_pages(rs: RuleSet, linked: bool) -> tuple[Page, ...]:
    asked = {q.id: _asked(q, linked) for q in rs.questions}
    return _place(rs, tuple(a for a in asked.values() if a is not None))


def _place(rs: RuleSet, questions: tuple[Question, ...]) -> tuple[Page, ...]:
    themes = {t.id: t for t in rs.themes}
    placed = {t for s in rs.sections for t in s.themes}
    pages = []
    for number, section in enumerate(rs.sections):
        groups = tuple(_group(rs, themes[t], questions) for t in section.themes)
        own = tuple(q for q in questions if q.section == section.id and not q.theme)
        if number == 0:
            own = (*referrer_questions(rs), *own)
        pages.append(Page(section.id, section.title, section.description, groups, own))
    unplaced = tuple(_group(rs, t, questions) for t in rs.themes if t.id not in placed)
    if unplaced:
        pages.insert(1, Page(UNPLACED_SIGNS, _("What you have seen or been told"),
                             _("Tick each sign you have seen or been told about. Unticked signs stay 'not known'."),
                             unplaced, ()))
    return tuple(p for p in pages if p.facts)


def _group(rs: RuleSet, theme: Section, questions: tuple[Question, ...]) -> IndicatorGroup:
    return IndicatorGroup(theme, tuple(i for i in rs.indicators if i.theme == theme.id),
                     tuple(q for q in questions if q.theme == theme.id))


def referrer_questions(rs: RuleSet) -> tuple[Question, ...]:
    """The built-in questions about the practitioner, asked like any other question on the first page."""
    def ask(qid: str, kind: str, label: str, hint: str, required: bool, options=(), max_length=0) -> Question:
        return Question(qid, "", kind, label, hint, required, False, None, None, None, tuple(options),
                        max_length, None, "")
    return (
        ask(AGENCY, "choice", _("Which agency do you work for?"), "", True,
            [Option(a.id, a.name) for a in rs.agencies]),
        ask(REFERRER_IS_LEAD, "choice", _("Are you your agency's safeguarding lead?"),
            _("For example the designated safeguarding lead in a school, or a named nurse."), False,
            [Option("yes", _("Yes")), Option("no", _("No"))]),
        ask(REFERRER_CONTACT, "text", _("Your job title, and a phone number or email where you can be reached"),
            _("Children's social care uses this to call you back about the referral."), False, max_length=300),
    )


@lru_cache(maxsize=256)
def follow_up(page: Page, theme_ids: frozenset[str]) -> Page | None:
    """The page again with only the groups of `theme_ids`, opened (their signs, no question): asked after a page
    whose themes were answered yes where the page's reveals could not run (no JavaScript). None if none."""
    groups = tuple(replace(g, opened=True) for g in page.groups if g.opens and g.theme.id in theme_ids)
    return Page(page.id, page.title, _("You answered yes to these. Tick each sign you have seen or been told about; "
                                       "a sign you leave unticked stays \u2018not known\u2019."),
                groups, ()) if groups else None


def page_by_id(rs: RuleSet, page_id: str, linked: bool = False) -> Page | None:
    return next((p for p in journey_pages(rs, linked) if p.id == page_id), None)


def next_page(rs: RuleSet, page: Page, linked: bool = False) -> Page | None:
    pages = journey_pages(rs, linked)
    index = next(n for n, p in enumerate(pages) if p.id == page.id)
    return pages[index + 1] if index + 1 < len(pages) else None
