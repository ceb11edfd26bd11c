"""What templates show, prepared from stored records. Templates render these; they never recompute an outcome."""

from __future__ import annotations

from flask import url_for

from ..model import Indicator, Question, RuleSet
from ..outcome import outcome_from_dict
from ..store.models import Screening
from .language_review import findings_by_field
from .pages import AGENCY, journey_pages

CHILD_VOICE_SECTION = "child_voice"  # the rule set's section holding the child's own words
NOT_ANSWERED = "Not answered (read as not known)"
WHEN = {"recent": "now or in the last 6 months", "earlier": "6 to 12 months ago"}
TRISTATE = {"yes": "Yes", "no": "No", "not_known": "Not known"}


def show_answer(fact: Question | Indicator, answer: object) -> str:
    """An answer as the practitioner gave it, in words."""
    if answer is None:
        return NOT_ANSWERED
    if answer == "not_known":
        return "Not known"
    if isinstance(answer, dict):
        return f"Yes ({WHEN.get(answer.get('when'), '')})"
    options = {o.id: o.label for o in getattr(fact, "options", ())}
    if isinstance(answer, list):
        return ", ".join(options.get(a, a) for a in answer) or "None"
    if fact.type == "tristate":
        return TRISTATE.get(str(answer), str(answer))
    return options.get(str(answer), str(answer))


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
        href = url_for("screening.page", screening_id=screening.id, page_id=page.id, **{"return": "check"})
        rows = [{"key": {"text": fact.label}, "value": {"text": show_answer(fact, answers.get(fact.id))},
                 "actions": {"items": [{"href": f"{href}#{fact.id}", "text": "Change",
                                        "visuallyHiddenText": fact.label}]}}
                for fact in page.facts]
        flagged = findings_by_field(rs, page, screening.answers)
        warnings = [{"fact": fact, "findings": flagged[fact.id], "choice": choices.get(fact.id)}
                    for fact in page.facts if fact.id in flagged]
        sections.append({"title": page.title, "id": page.id, "rows": rows, "warnings": warnings})
    return sections


def child_voice(rs: RuleSet, screening: Screening) -> list[dict]:
    """The child's own words (quoted) and views, as recorded."""
    return [{"label": q.label, "answer": show_answer(q, screening.answers[q.id]), "quote": q.type == "text"}
            for q in rs.questions if q.section == CHILD_VOICE_SECTION and q.id in screening.answers]


def outcome_view(rs: RuleSet, screening: Screening) -> dict:
    """The stored outcome and what the page shows beside it."""
    labels = {r.id: r.label for r in rs.routes}
    return {
        "outcome": outcome_from_dict(screening.outcome or {}),
        "child_voice": child_voice(rs, screening),
        "agency": rs.agency_by_id[screening.agency].name if screening.agency in rs.agency_by_id else "",
        "route_labels": labels,
        "level_labels": {lv.id: lv.label for lv in rs.levels},
        "decided_label": labels.get(screening.decided_route or "", screening.decided_route),
    }


def decision_view(rs: RuleSet, recommended: str, data: dict) -> dict:
    """Routes a practitioner may raise or lower to, with what they chose if the form is shown again."""
    current = rs.route_by_id[recommended].rank
    higher = [r for r in rs.routes if r.rank > current]
    lower = [r for r in rs.routes if r.rank < current]
    return {
        "higher": higher, "lower": lower,
        "raise_items": [{"value": r.id, "text": r.label, "checked": data.get("raise_route") == r.id} for r in higher],
        "lower_items": [{"value": r.id, "text": r.label, "checked": data.get("lower_route") == r.id} for r in lower],
    }


def referral_text(rs: RuleSet, screening: Screening, outcome_text: str) -> str:
    lines = [f"Screening {screening.id}", outcome_text, "", "The child's own words and views:"]
    lines += [f"  {v['label']}: {v['answer']}" for v in child_voice(rs, screening)] or ["  none recorded"]
    if screening.decision:
        lines += ["", f"Practitioner's decision: {screening.decision} - route {screening.decided_route}"]
        if screening.decision_reason:
            lines.append(f"  reason: {screening.decision_reason}")
        if screening.lead_consulted:
            lines.append(f"  safeguarding lead consulted: {screening.lead_consulted}")
    return "\n".join(lines)
