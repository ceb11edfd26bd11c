"""What templates show, prepared from stored records. Templates render these; they never recompute an outcome."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from .. import words
from ..answers import answer_words, facts_from_answers
from ..decided import counted, on_the_safe_side, settled
from ..engine import evaluate
from ..history import HISTORY_KINDS, ChildRecord, from_record
from ..model import CHILD_REFERENCE, Indicator, Question, RuleSet
from ..outcome import Outcome, outcome_from_dict
from ..store.models import Screening
from .forms.language_review import findings_by_field
from .forms.pages import AGENCY, REFERRER_CONTACT, REFERRER_IS_LEAD, IndicatorGroup, Page, journey_pages

RETURN_TO_CHECK: dict[str, Any] = {"return": "check"}  # ?return=check: 'return' is a Python keyword
NOT_ANSWERED = _l("Not answered (read as not known)")
WHEN = {"recent": _l("now or in the last 6 months"), "earlier": _l("6 to 12 months ago"),
        "both": _l("recently and 6 to 12 months ago")}


def show_answer(fact: Question | Indicator, answer: object) -> str:
    """An answer as the practitioner gave it (as stored: None is unanswered), in words."""
    if answer is None:
        return str(NOT_ANSWERED)
    if answer == "not_known":
        return _("Not known")
    if isinstance(answer, dict):
        return _("Yes (%(when)s)", when=WHEN.get(str(answer.get("when")), ""))
    return answer_words(fact, frozenset(map(str, answer)) if isinstance(answer, list) else answer)


def saved_answers(screening: Screening) -> dict:
    """A draft's answers with what the first page said about the referrer, as its form fields hold them."""
    lead = {True: "yes", False: "no"}.get(screening.referrer_is_lead)  # type: ignore[arg-type]
    extra = {AGENCY: screening.agency, REFERRER_IS_LEAD: lead, REFERRER_CONTACT: screening.referrer_contact or None}
    return {**screening.answers, **{k: v for k, v in extra.items() if v is not None}}


def _answered(answers: dict, question: Question) -> bool:
    return answers.get(question.id) not in (None, "", [])


def applies(rs: RuleSet, question: Question, answers: dict) -> bool:
    """Does the question apply, given the saved answers (its `ask_if` is not false)?"""
    if question.ask_if is None:
        return True
    return question.ask_if.truth(facts_from_answers(rs, {k: v for k, v in answers.items() if k in rs.facts})) \
        is not False


def indicators_by_theme(outcome: Outcome) -> list[tuple[str, list]]:
    """The outcome's signs grouped by theme, in the rule set's theme order."""
    themes: dict[str, list] = {}
    for sign in outcome.indicators:
        themes.setdefault(sign.theme_title, []).append(sign)
    return list(themes.items())


def _questions(page: Page) -> tuple[Question, ...]:
    return tuple(f for f in page.facts if isinstance(f, Question))


def is_linked(screening: Screening) -> bool:
    """Is the screening linked to a child record (so history questions ask only what the record lacks)?"""
    return screening.child_id is not None


CHILD_STEP = "child"  # in pages_done once the practitioner has identified the child, or chosen not to


def missing_answers(rs: RuleSet, screening: Screening) -> list[dict]:
    """Required answers still missing (a "not known" counts as answered), each linked to its question."""
    answers = saved_answers(screening)
    missing = []
    for page in journey_pages(rs, is_linked(screening)):
        href = url_for("screening.page", screening_id=screening.id, page_id=page.id, **RETURN_TO_CHECK)
        for question in _questions(page):
            if question.required and applies(rs, question, answers) and not _answered(answers, question):
                missing.append({"text": _("Answer '%(question)s' (%(page)s)", question=question.label, page=page.title),
                                "href": f"{href}#{question.id}", "page": page.id})
    return missing


def task_groups(rs: RuleSet, screening: Screening, child: str) -> list[dict]:
    """The task list in two groups: what every recommendation needs first (with who the child is, `child`
    describing the record linked), then everything else."""
    pages = journey_pages(rs, is_linked(screening))
    needed = {item["page"] for item in missing_answers(rs, screening)}

    def item(page: Page) -> dict:
        done = page.id in screening.pages_done
        status: dict[str, Any]
        if page.id in needed:
            status = {"tag": {"text": _("Required") if not done else _("Answers needed"), "classes": "govuk-tag--pink"}}
        elif done:
            status = {"text": _("Completed")}
        else:
            status = {"tag": {"text": _("Not started"), "classes": "govuk-tag--blue"}}
        return {"title": {"text": page.title}, "status": status,
                "href": url_for("screening.page", screening_id=screening.id, page_id=page.id)}
    who = ({"text": child} if CHILD_STEP in screening.pages_done
           else {"tag": {"text": _("Not started"), "classes": "govuk-tag--blue"}})
    child_item = {"title": {"text": _("Who the child is")}, "status": who,
                  "href": url_for("screening.child", screening_id=screening.id)}
    return [{"title": _("Start here: danger and the essentials"), "items": [item(pages[0]), child_item]},
            {"title": _("What you know"), "items": [item(p) for p in pages[1:]]}]


def checked_not_present(page: Page, answers: dict) -> str:
    """When a theme answered no (or "I have checked") recorded signs as not present, a sentence saying how many
    and where."""
    said = [(g.theme.title, sum(answers.get(s.id) == "no" for s in g.signs)) for g in page.groups]
    said = [(title, n) for title, n in said if n]
    if not said:
        return ""
    total = sum(n for _title, n in said)
    where = ", ".join(f"{title} ({n})" for title, n in said)
    return ngettext("You recorded %(num)d sign as not present: %(where)s. Signs suggested from your words that you "
                    "did not tick stay \u2018not known\u2019. You can change this from 'Check your answers'.",
                    "You recorded %(num)d signs as not present: %(where)s. Signs suggested from your words that you "
                    "did not tick stay \u2018not known\u2019. You can change this from 'Check your answers'.",
                    total, where=where)


def record_notes(rs: RuleSet, record: ChildRecord | None, screening: Screening | None) -> dict[str, str]:
    """For a linked screening, what the child's record holds for each history question, in a sentence."""
    if record is None or screening is None:
        return {}
    _, shown = from_record(rs, record, {}, screening.agency)
    return {f.fact: HISTORY_KINDS[f.kind].note(f) for f in shown}




def provisional_view(rs: RuleSet, screening: Screening, record: ChildRecord | None) -> dict:
    """The route so far, marked provisional, with what is still unanswered; or what is needed before one."""
    answers = saved_answers(screening)
    first = url_for("screening.page", screening_id=screening.id, page_id=journey_pages(rs, is_linked(screening))[0].id)
    ages = [q for q in rs.questions if q.kind.child_age]
    needs = [label for label, given in ((_("Which agency you work for"), AGENCY in answers),
                                          *((q.label, _answered(answers, q)) for q in ages)) if not given]
    in_danger = any(screening.answers.get(s) == "yes" for s in rs.danger_indicators)
    if needs and not in_danger:  # the child in danger now needs nothing else first
        return {"ready": False, "needs": needs, "first": first}
    shown = evaluate(rs, screening.answers, agency=screening.agency,
                     referrer_is_lead=bool(screening.referrer_is_lead), record=record)
    unanswered = [{"title": p.title, "href": url_for("screening.page", screening_id=screening.id, page_id=p.id)}
                  for p in journey_pages(rs, is_linked(screening)) if p.id not in screening.pages_done]
    floor = settled(shown)
    return {"ready": True, "o": shown, "c": counted(shown), "unanswered": unanswered,
            "settled": shown.route_label_of(floor) if floor != shown.route else "",
            "safe_side": on_the_safe_side(shown),
            "unknown_signs": sum(1 for i in rs.indicators if i.id not in screening.answers),
            "first": first, "check": url_for("screening.check", screening_id=screening.id)}


def summary_rows(rs: RuleSet, screening: Screening) -> list[dict]:
    """Every page's answers for 'Check your answers', each with a Change link that returns there; a group of
    signs is one row: the signs seen, and how many were checked and not present or are not known."""
    answers = saved_answers(screening)
    choices = screening.language_choices or {}
    sections = []
    for page in journey_pages(rs, is_linked(screening)):
        href = url_for("screening.page", screening_id=screening.id, page_id=page.id, **RETURN_TO_CHECK)
        rows = []
        for group in page.groups:
            rows.append(_group_row(group, answers, href))
            rows += [_row(q, answers, href) for q in group.questions if applies(rs, q, answers)]
        rows += [_row(q, answers, href) for q in page.questions if applies(rs, q, answers)]
        flagged = findings_by_field(rs, page, screening.answers)
        warnings = [{"fact": fact, "findings": flagged[fact.id], "choice": choices.get(fact.id)}
                    for fact in page.facts if fact.id in flagged]
        sections.append({"title": page.title, "id": page.id, "rows": rows, "warnings": warnings})
    return sections


def _row(question: Question, answers: dict, href: str) -> dict:
    return {"key": {"text": question.label}, "value": {"text": show_answer(question, answers.get(question.id))},
            "actions": {"items": [{"href": f"{href}#{question.id}", "text": _("Change"),
                                   "visuallyHiddenText": question.label}]}}


def _group_row(group: IndicatorGroup, answers: dict, href: str) -> dict:
    seen = [s.text + (f" ({WHEN[answers[s.id]['when']]})" if isinstance(answers[s.id], dict)
                      and answers[s.id].get("when") in ("earlier", "both") else "")
            for s in group.signs if answers.get(s.id) == "yes" or isinstance(answers.get(s.id), dict)]
    absent = sum(answers.get(s.id) == "no" for s in group.signs)
    unknown = len(group.signs) - len(seen) - absent
    lines = [_("Seen or told: %(signs)s", signs="; ".join(seen)) if seen else _("None seen or told"),
             *([_("Checked, not present: %(count)s", count=absent)] if absent else []),
             *([_("Not known: %(count)s", count=unknown)] if unknown else [])]
    return {"key": {"text": group.theme.title}, "value": {"html": Markup("<br>").join(lines)},
            "actions": {"items": [{"href": f"{href}#{group.field}", "text": _("Change"),
                                   "visuallyHiddenText": group.theme.title}]}}


def child_reference_id(rs: RuleSet) -> str | None:
    """The question the rule set names as the practitioner's label for the child, if any."""
    return next((q.id for q in rs.questions if q.purpose == CHILD_REFERENCE), None)


def stored_outcome(screening: Screening, language: str | None = None) -> Outcome:
    """A completed screening's outcome, exactly as it was produced: everything it shows (labels, the child's
    words, the ladder its decision form offers) was stored with it, so a newer rule set never changes it. In the
    reader's language (`language`, else the page's) when it was produced in it too, else as produced in English."""
    return outcome_from_dict(stored_words(screening, language) or {})


def stored_words(screening: Screening, language: str | None = None) -> dict | None:
    """A completed screening's stored outcome as data, in `language` (else the page's) if it was produced in it,
    else as produced in English; None for a draft."""
    return (screening.outcome_in_languages or {}).get(language or words.language()) or screening.outcome


def decision_view(outcome: Outcome, data) -> dict:
    """Routes of the producing ladder a practitioner may raise or lower to (from the recommendation), with what
    they chose if the form is shown again."""
    ladder, current = outcome.routes, outcome.rank_of(outcome.route)
    higher, lower = list(ladder[current + 1:]), list(ladder[:current])
    return {
        "higher": higher, "lower": lower,
        "raise_items": [{"value": r.id, "text": r.label, "checked": data.get("raise_route") == r.id} for r in higher],
        "lower_items": [{"value": r.id, "text": r.label, "checked": data.get("lower_route") == r.id} for r in lower],
    }


def received_view(screening: Screening, shown: Outcome, after: dict | None, referrer: str, role: str) -> dict:
    """The outcome as someone who received the referral sees it (the MASH, or a lead who is not its author): who it
    came from and what to record, in words addressed to them rather than to the referrer."""
    expects = bool(after and after["expects"])
    agency = shown.agency_name
    if agency:
        title = _("Referral received from %(agency)s", agency=agency) if expects else _("Screening by %(agency)s",
                                                                                          agency=agency)
    else:
        title = _("Referral received from an agency") if expects else _("Screening by an agency")
    return {"title": title,
            "referrer": referrer, "completed": screening.completed_at, "expects": expects,
            "may_record": expects and role == "mash", "decision": after["decision"] if after else "",
            "href": url_for("followup.response", screening_id=screening.id)}
