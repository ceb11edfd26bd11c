"""The screening journey's pages, derived from the rule set: about you, its question sections, its indicator themes."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Indicator, Option, Question, RuleSet

ABOUT_YOU = "about-you"
AGENCY = "agency"  # answered on the about-you page; passed to the engine as the referrer's agency


@dataclass(frozen=True, eq=False)
class Page:
    id: str
    title: str
    description: str
    facts: tuple[Question | Indicator, ...]


_CACHE: dict[str, tuple[Page, ...]] = {}


def journey_pages(rs: RuleSet) -> tuple[Page, ...]:
    """About you, the first question section (about the child), every indicator theme, then the other sections."""
    if rs.hash not in _CACHE:
        _CACHE[rs.hash] = _build_pages(rs)
    return _CACHE[rs.hash]


def _build_pages(rs: RuleSet) -> tuple[Page, ...]:
    sections = [Page(s.id, s.title, s.description, tuple(q for q in rs.questions if q.section == s.id))
                for s in rs.sections]
    themes = [Page(f"indicators-{t.id}", t.title, t.description,
                   tuple(i for i in rs.indicators if i.theme == t.id)) for t in rs.themes]
    about_you = Page(ABOUT_YOU, "About you and your agency",
                     "Which agency you work for, so that the next steps fit your role.", (agency_question(rs),))
    pages = [about_you, *sections[:1], *(t for t in themes if t.facts), *sections[1:]]
    return tuple(p for p in pages if p.facts)


def agency_question(rs: RuleSet) -> Question:
    """The referrer's agency, asked like any other question."""
    return Question(AGENCY, ABOUT_YOU, "choice", "Which agency do you work for?", "", True, False, None, None,
                    None, tuple(Option(a.id, a.name) for a in rs.agencies), 0, None, "")


def page_by_id(rs: RuleSet, page_id: str) -> Page | None:
    return next((p for p in journey_pages(rs) if p.id == page_id), None)
