"""What templates show, prepared from stored records. Templates render these; they never recompute an outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for

from ..answers import answer_words
from ..model import CHILD_REFERENCE, Indicator, Question, RuleSet
from ..outcome import Outcome, Step, outcome_from_dict
from ..store.models import Screening
from .forms.language_review import findings_by_field
from .forms.pages import AGENCY, journey_pages

RETURN_TO_CHECK: dict[str, Any] = {"return": "check"}  # ?return=check: 'return' is a Python keyword
NOT_ANSWERED = "Not answered (read as not known)"
WHEN = {"recent": "now or in the last 6 months", "earlier": "6 to 12 months ago"}


def show_answer(fact: Question | Indicator, answer: object) -> str:
    """An answer as the practitioner gave it (as stored: None is unanswered), in words."""
    if answer is None:
        return NOT_ANSWERED
    if answer == "not_known":
        return "Not known"
    if isinstance(answer, dict):
        return f"Yes ({WHEN.get(str(answer.get('when')), '')})"
    return answer_words(fact, frozenset(map(str, answer)) if isinstance(answer, list) else answer)


def task_list(rs: RuleSet, screening: Screening) -> list[dict]:
    items = []
    for page in journey_pages(rs):
        done = page.id in screening.pages_done
        status = {"text": "Completed"} if done else {"tag": {"text": "Not started", "classes": "govuk-tag--blue"}}
        items.append({"title": {"text": page.title}, "status": status,
                      "href": url_for("screening.page", screening_id=screening.id, page_id=page.id)})
    return items


def summary_rows(rs: RuleSet, screening: Screening) -> list[dict]:
    """Every page's answers for 'Check your answers', each with a Change link that returns there."""
    answers = {**screening.answers, AGENCY: screening.agency}
    choices = screening.language_choices or {}
    sections = []
    for page in journey_pages(rs):
        href = url_for("screening.page", screening_id=screening.id, page_id=page.id, **RETURN_TO_CHECK)
        rows = [{"key": {"text": fact.label}, "value": {"text": show_answer(fact, answers.get(fact.id))},
                 "actions": {"items": [{"href": f"{href}#{fact.id}", "text": "Change",
                                        "visuallyHiddenText": fact.label}]}}
                for fact in page.facts]
        flagged = findings_by_field(rs, page, screening.answers)
        warnings = [{"fact": fact, "findings": flagged[fact.id], "choice": choices.get(fact.id)}
                    for fact in page.facts if fact.id in flagged]
        sections.append({"title": page.title, "id": page.id, "rows": rows, "warnings": warnings})
    return sections


def child_reference_id(rs: RuleSet) -> str | None:
    """The question the rule set names as the practitioner's label for the child, if any."""
    return next((q.id for q in rs.questions if q.purpose == CHILD_REFERENCE), None)


def stored_outcome(screening: Screening) -> Outcome:
    """A completed screening's outcome, exactly as it was produced: everything it shows (labels, the child's
    words, the ladder its decision form offers) was stored with it, so a newer rule set never changes it."""
    return outcome_from_dict(screening.outcome or {})


def decision_view(ladder: Sequence[Step], recommended: str, data: dict) -> dict:
    """Routes of the producing ladder a practitioner may raise or lower to, with what they chose if the form is
    shown again."""
    ids = [r.id for r in ladder]
    current = ids.index(recommended)
    higher, lower = list(ladder[current + 1:]), list(ladder[:current])
    return {
        "higher": higher, "lower": lower,
        "raise_items": [{"value": r.id, "text": r.label, "checked": data.get("raise_route") == r.id} for r in higher],
        "lower_items": [{"value": r.id, "text": r.label, "checked": data.get("lower_route") == r.id} for r in lower],
    }


def referral_text(screening: Screening, outcome: Outcome, outcome_text: str) -> str:
    """The referral summary: the stored outcome as text, then the practitioner's decision."""
    lines = [f"Screening {screening.id}", outcome_text]
    if screening.decision:
        decided = outcome.route_label_of(screening.decided_route)
        lines += ["", f"Practitioner's decision: {screening.decision} - route {decided} ({screening.decided_route})"]
        if screening.decision_reason:
            lines.append(f"  reason: {screening.decision_reason}")
        if screening.lead_consulted:
            lines.append(f"  safeguarding lead consulted: {screening.lead_consulted}")
    return "\n".join(lines)
