"""A referral a MASH can read: one document, built from the stored outcome and the route that counts, shown as
HTML, printed or saved as PDF, and as plain text to paste into an email. No internal ids anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .answers import NOT_KNOWN_WORDS
from .decided import RouteThatCounts, driving
from .history import HEADLINE_KINDS, headline, source_detail
from .identifiers import Carer, Identity, long_date
from .model import CHILD_REFERENCE, REFERRER_CONCERN, TIPPING_OFF_RISK
from .outcome import Answered, Outcome
from .question_types import QUESTION_TYPES, YES_WORDS

MAX_REASONS = 2  # the rules that set the route, in a referral that must stay within two pages
MAX_GAPS = 6  # unknowns listed per route they could raise it to; the rest are counted


@dataclass(frozen=True)
class Referrer:
    name: str
    agency: str
    contact: str
    is_lead: bool | None


@dataclass(frozen=True)
class Part:
    """A titled part of the referral: rows of (label, words), or paragraphs when a row has no label."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Referral:
    title: str
    child_protection: str
    reference: str  # the child's name and date of birth when identified, else the referrer's reference
    made: str
    parts: tuple[Part, ...]
    ruleset: str
    warning: str = ""  # put before everything: do not contact the family first
    child: Identity | None = None  # who the child is, when the referrer identified them
    route: str = ""  # the id of the route that counts
    is_child_protection: bool = False


NOT_IDENTIFIED = ("The referrer did not identify the child in this tool: ask them for the child's name, date of "
                  "birth and address.")
TIPPING_OFF = ("Do not contact the parents or carers before speaking to the MASH: the referrer says telling them "
               "could put the child at greater risk.")


def build_referral(outcome: Outcome, counted: RouteThatCounts, referrer: Referrer, made: datetime,
                   child: Identity | None = None) -> Referral:
    """The referral's parts, in the order a MASH worker reads them. `child` is who the child is (from the child's
    record, for those who may see it); None when the screening is not linked to one."""
    answered = outcome.answered
    reference = next((a.answer for a in answered if a.purpose == CHILD_REFERENCE), "Not given")
    concern = next((a.answer for a in answered if a.purpose == REFERRER_CONCERN), "Not recorded")
    parts = (
        Part("The child", _child_rows(child, reference, outcome)),
        Part("Parents, carers and other agencies", _family_rows(child, outcome)),
        Part("Who is referring", _referrer_rows(referrer, outcome)),
        Part("What I am worried about", (("", concern),)),
        Part("The child's words and view", tuple((v.question, f"\u201c{v.answer}\u201d" if v.quote else v.answer)
                                               for v in outcome.child_voice) or (("", "Nothing recorded yet."),)),
        Part("My notes", _notes(outcome)),
        Part("Signs present", _signs(outcome) or (("", "None recorded."),)),
        Part("History", _history(outcome) or (("", "No counts recorded."),)),
        Part("What is not known", _gaps(outcome) or (("", "Nothing that would change the route."),)),
        Part("Route and decision", _decision_rows(outcome, counted)),
        Part("What I am asking for, and by when", (("Asking for", counted.referral_asks or counted.label),
                                                    ("By when", counted.timescale))),
    )
    statement = ("This IS a child protection referral." if counted.child_protection
                 else "This is not a child protection referral.")
    warning = TIPPING_OFF if any(a.purpose == TIPPING_OFF_RISK and a.answer == YES_WORDS for a in answered) else ""
    named = f"{child.full_name}, born {long_date(child.born)}" if child and child.full_name else reference
    return Referral(f"Referral: {counted.label}", statement, named, made.strftime("%d %B %Y at %H:%M"),
                    tuple(p for p in parts if p.rows), f"{outcome.ruleset.id} version {outcome.ruleset.version}",
                    warning, child, counted.route, counted.child_protection)


def _child_rows(child: Identity | None, reference: str, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """Who the child is, then what the screening recorded about them (age, gender and the like)."""
    filled = {f.fact for f in outcome.from_record}  # history, shown under History
    details = tuple((a.question, a.answer) for a in outcome.answered
                    if QUESTION_TYPES[a.type].child_detail and a.purpose != CHILD_REFERENCE and a.fact not in filled)
    if child is None:
        return (("Not identified", NOT_IDENTIFIED), ("Referrer's reference", reference), *details)
    held = (("Name", child.full_name), ("Date of birth", long_date(child.born) if child.born else ""),
            ("NHS number", child.nhs_spaced), ("Unique pupil number", child.upn), ("Local authority id", child.la),
            ("Address", child.address), ("Postcode", child.postcode), ("School or setting", child.school))
    return (*((label, words or "Not given") for label, words in held[:2]), *((k, v) for k, v in held[2:] if v),
            ("Referrer's reference", reference), *details)


def _family_rows(child: Identity | None, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """Parents and carers (from the child's record), then the choices answered that no other part shows: who knows,
    other agencies, the basis for sharing, what is already done. Only the carers for an outcome stored before its
    answers said whose words they were (it cannot tell the child's words from the rest)."""
    carers = tuple(("Parent or carer", carer_words(c)) for c in (child.carers if child else ()))
    if any(a.quotes_child is None for a in outcome.answered):
        return carers
    shown = {v.fact for v in outcome.child_voice}
    others = tuple((a.question, a.answer) for a in outcome.answered
                   if a.fact not in shown and not a.purpose and not _shown_elsewhere(a))
    return carers + others


def _shown_elsewhere(a: Answered) -> bool:
    kind = QUESTION_TYPES[a.type]
    return kind.quoted or kind.grows or kind.child_detail


def carer_words(carer: Carer) -> str:
    """'Jo Smith (mother); 07700 900123; parental responsibility: yes'."""
    responsibility = {"yes": "yes", "no": "no"}.get(carer.responsibility, "not known")
    return "; ".join(w for w in (carer.name + (f" ({carer.relationship})" if carer.relationship else ""),
                                 carer.contact, f"parental responsibility: {responsibility}") if w)


def _notes(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """The referrer's own free words beyond their worry: never the child's, never quoted."""
    return tuple((a.question, a.answer) for a in outcome.answered
                 if a.quotes_child is False and QUESTION_TYPES[a.type].quoted
                 and a.purpose not in (CHILD_REFERENCE, REFERRER_CONCERN))


def _history(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """First which concern this is and from how many agencies (then not repeated), then each count known, saying
    where it came from when the child's record gave it, then in one row the counts not known."""
    record = {f.fact: f for f in outcome.from_record}
    top = headline(outcome.from_record)
    told = {f.fact for f in outcome.from_record if f.kind in HEADLINE_KINDS} if top else set()
    counts = [a for a in outcome.answered if (QUESTION_TYPES[a.type].grows or a.fact in record) and a.fact not in told]

    def known(a: Answered) -> bool:
        return record[a.fact].value is not None if a.fact in record else a.answer != NOT_KNOWN_WORDS
    rows = [(a.question, source_detail(record[a.fact], outcome.route_label_of) if a.fact in record else a.answer)
            for a in counts if known(a)]
    unknown = "; ".join(a.question for a in counts if not known(a))
    return ((("Child's record", top),) if top else ()) + tuple(rows) + ((("Not known", unknown),) if unknown else ()) \
        + (() if outcome.linked else (("Child's record", "This screening is not linked to a child record."),))


def _referrer_rows(referrer: Referrer, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    lead = {True: "Yes", False: "No", None: "Not said"}[referrer.is_lead]
    return (("Name", referrer.name), ("Agency", outcome.agency_name or referrer.agency or "Not given"),
            ("Job title and contact", referrer.contact or "Not given"), ("Their agency's safeguarding lead", lead))


def _gaps(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """What is not known, one row per route it could raise the recommendation to."""
    by_route: dict[str, list[str]] = {}
    for gap in outcome.information_gaps:
        by_route.setdefault(gap.could_raise_to, []).append(gap.question)
    def listed(questions: list[str]) -> str:
        more = len(questions) - MAX_GAPS
        return "; ".join(questions[:MAX_GAPS]) + (f"; and {more} more" if more > 0 else "")
    return tuple((f"Could raise it to {outcome.route_label_of(route)}", listed(questions))
                 for route, questions in by_route.items())


def _signs(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    themes: dict[str, list[str]] = {}
    for sign in outcome.indicators:
        level = outcome.level_of(sign.level).short_label
        when = {"earlier": " (6 to 12 months ago)", "both": " (recently and 6 to 12 months ago)"}.get(sign.when, "")
        themes.setdefault(sign.theme_title, []).append(f"{sign.text}{when} [{level}]")
    return tuple((theme, "; ".join(signs)) for theme, signs in themes.items())


def _decision_rows(outcome: Outcome, counted: RouteThatCounts) -> tuple[tuple[str, str], ...]:
    rows = [("Route", counted.label), ("Risk level", outcome.risk_level_label)]
    if counted.changed:
        verb = "raised" if counted.decision == "raise" else "lowered"
        rows += [("Recommended by the rules", counted.recommended_label),
                 (f"Practitioner {verb} it because", counted.reason or "Not given")]
        if counted.lead_consulted:
            rows.append(("Safeguarding lead consulted", counted.lead_consulted))
    elif counted.decision == "agree":
        rows.append(("Practitioner's decision", "Agreed with the recommendation"))
    setting = [f.description for f in driving(outcome) if f.route == outcome.route] or \
        [f.description for f in driving(outcome)]
    rows.append(("Why the rules recommend it", " ".join(setting[:MAX_REASONS]) if setting
                 else "No rule raised a concern."))
    if len(setting) > MAX_REASONS:
        rows.append(("", f"And {len(setting) - MAX_REASONS} more reasons, listed on the screening's outcome."))
    if counted.meeting_required:
        rows.append(("Strategy meeting", f"Needed within {counted.meeting_within}"))
    return tuple(rows)


def referral_text(referral: Referral) -> str:
    """The referral as plain text, to paste into an email."""
    lines = [referral.title, *([f"WARNING: {referral.warning}"] if referral.warning else []),
             referral.child_protection, f"Child: {referral.reference}", f"Made: {referral.made}", ""]
    for part in referral.parts:
        lines.append(part.title.upper())
        lines += [f"{label}: {words}" if label else words for label, words in part.rows]
        lines.append("")
    lines.append(f"Screened with the {referral.ruleset} rules. The tool advises; professionals decide.")
    return "\n".join(lines)


def referral_json(referral: Referral, screening: str, made_at: datetime) -> dict[str, Any]:
    """The referral as structured data, for a case-management system to import (the API's ReferralOut)."""
    child = referral.child
    return {"screening": screening, "title": referral.title, "child_protection": referral.is_child_protection,
            "route": referral.route, "warning": referral.warning, "made_at": made_at.isoformat(),
            "child": _child_json(child) if child else None,
            "parts": [{"title": p.title, "rows": [{"label": label, "words": words} for label, words in p.rows]}
                      for p in referral.parts],
            "ruleset": referral.ruleset}


def _child_json(child: Identity) -> dict[str, Any]:
    responsibility = {"yes": True, "no": False}
    return {"name": child.full_name, "given": child.given, "family": child.family,
            "born": child.born.isoformat() if child.born else None, "nhs": child.nhs, "upn": child.upn,
            "la": child.la, "address": child.address, "postcode": child.postcode, "school": child.school,
            "carers": [{"name": c.name, "relationship": c.relationship, "contact": c.contact,
                        "parental_responsibility": responsibility.get(c.responsibility)} for c in child.carers]}
