"""A referral a MASH can read: one document, built from the stored outcome and the route that counts, shown as
HTML, printed or saved as PDF, and as plain text to paste into an email. No internal ids anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import words
from .answers import NOT_KNOWN_WORDS
from .decided import RouteThatCounts, driving
from .history import HEADLINE_KINDS, headline, source_detail
from .identifiers import Carer, Identity, long_date
from .model import CHILD_REFERENCE, REFERRER_CONCERN, TIPPING_OFF_RISK
from .outcome import Answered, Outcome
from .question_types import NO_WORDS, QUESTION_TYPES, YES_WORDS
from .timescale import timescale_words
from .words import N_, ngettext
from .words import gettext as _

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
    language: str = "en"  # of its words: the outcome's


NOT_IDENTIFIED = N_("The referrer did not identify the child in this tool: ask them for the child's name, date of "
                    "birth and address.")
TIPPING_OFF = N_("Do not contact the parents or carers before speaking to the MASH: the referrer says telling them "
                 "could put the child at greater risk.")


def build_referral(outcome: Outcome, counted: RouteThatCounts, referrer: Referrer, made: datetime,
                   child: Identity | None = None) -> Referral:
    """The referral's parts, in the order a MASH worker reads them. `child` is who the child is (from the child's
    record, for those who may see it); None when the screening is not linked to one. In the outcome's language: the
    whole document in the words it was produced with."""
    with words.speaking(outcome.language):
        return _referral(outcome, counted, referrer, made, child)


def _referral(outcome: Outcome, counted: RouteThatCounts, referrer: Referrer, made: datetime,
              child: Identity | None) -> Referral:
    answered = outcome.answered
    reference = next((a.answer for a in answered if a.purpose == CHILD_REFERENCE), _("Not given"))
    concern = next((a.answer for a in answered if a.purpose == REFERRER_CONCERN), _("Not recorded"))
    parts = (
        Part(_("The child"), _child_rows(child, reference, outcome)),
        Part(_("Parents, carers and other agencies"), _family_rows(child, outcome)),
        Part(_("Who is referring"), _referrer_rows(referrer, outcome)),
        Part(_("What I am worried about"), (("", concern),)),
        Part(_("The child's words and view"),
             tuple((v.question, f"\u201c{v.answer}\u201d" if v.quote else v.answer)
                   for v in outcome.child_voice) or (("", _("Nothing recorded yet.")),)),
        Part(_("My notes"), _notes(outcome)),
        Part(_("Signs present"), _signs(outcome) or (("", _("None recorded.")),)),
        Part(_("History"), _history(outcome) or (("", _("No counts recorded.")),)),
        Part(_("What is not known"), _gaps(outcome) or (("", _("Nothing that would change the route.")),)),
        Part(_("Route and decision"), _decision_rows(outcome, counted)),
        Part(_("What I am asking for, and by when"), ((_("Asking for"), counted.referral_asks or counted.label),
                                                       (_("By when"), counted.timescale))),
    )
    statement = (_("This IS a child protection referral.") if counted.child_protection
                 else _("This is not a child protection referral."))
    told = any(a.purpose == TIPPING_OFF_RISK and a.is_yes for a in answered)
    named = _("%(name)s, born %(born)s", name=child.full_name, born=long_date(child.born)) \
        if child and child.full_name else reference
    return Referral(_("Referral: %(route)s", route=counted.label), statement, named, words.date_time(made),
                    tuple(p for p in parts if p.rows),
                    _("%(rules)s version %(version)s", rules=outcome.ruleset.id, version=outcome.ruleset.version),
                    _(TIPPING_OFF) if told else "", child, counted.route, counted.child_protection, outcome.language)


def _child_rows(child: Identity | None, reference: str, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """Who the child is, then what the screening recorded about them (age, gender and the like)."""
    filled = {f.fact for f in outcome.from_record}  # history, shown under History
    details = tuple((a.question, a.answer) for a in outcome.answered
                    if QUESTION_TYPES[a.type].child_detail and a.purpose != CHILD_REFERENCE and a.fact not in filled)
    if child is None:
        return ((_("Not identified"), _(NOT_IDENTIFIED)), (_("Referrer's reference"), reference), *details)
    held = ((_("Name"), child.full_name), (_("Date of birth"), long_date(child.born) if child.born else ""),
            (_("NHS number"), child.nhs_spaced), (_("Unique pupil number"), child.upn),
            (_("Local authority id"), child.la), (_("Address"), child.address), (_("Postcode"), child.postcode),
            (_("School or setting"), child.school))
    return (*((label, said or _("Not given")) for label, said in held[:2]), *((k, v) for k, v in held[2:] if v),
            (_("Referrer's reference"), reference), *details)


def _family_rows(child: Identity | None, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """Parents and carers (from the child's record), then the choices answered that no other part shows: who knows,
    other agencies, the basis for sharing, what is already done. Only the carers for an outcome stored before its
    answers said whose words they were (it cannot tell the child's words from the rest)."""
    carers = tuple((_("Parent or carer"), carer_words(c)) for c in (child.carers if child else ()))
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
    responsibility = {"yes": _("yes"), "no": _("no")}.get(carer.responsibility, _("not known"))
    return "; ".join(w for w in (carer.name + (f" ({carer.relationship})" if carer.relationship else ""),
                                 carer.contact, _("parental responsibility: %(answer)s", answer=responsibility)) if w)


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
        return record[a.fact].value is not None if a.fact in record else a.is_known
    rows = [(a.question, source_detail(record[a.fact], outcome.route_label_of) if a.fact in record else a.answer)
            for a in counts if known(a)]
    unknown = "; ".join(a.question for a in counts if not known(a))
    record_label = _("Child's record")
    return (((record_label, top),) if top else ()) + tuple(rows) + (((_(NOT_KNOWN_WORDS), unknown),) if unknown
                                                                     else ()) \
        + (() if outcome.linked else ((record_label, _("This screening is not linked to a child record.")),))


def _referrer_rows(referrer: Referrer, outcome: Outcome) -> tuple[tuple[str, str], ...]:
    lead = {True: _(YES_WORDS), False: _(NO_WORDS), None: _("Not said")}[referrer.is_lead]
    return ((_("Name"), referrer.name), (_("Agency"), outcome.agency_name or referrer.agency or _("Not given")),
            (_("Job title and contact"), referrer.contact or _("Not given")),
            (_("Their agency's safeguarding lead"), lead))


def _gaps(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """What is not known, one row per route it could raise the recommendation to."""
    by_route: dict[str, list[str]] = {}
    for gap in outcome.information_gaps:
        by_route.setdefault(gap.could_raise_to, []).append(gap.question)
    def listed(questions: list[str]) -> str:
        more = len(questions) - MAX_GAPS
        return "; ".join(questions[:MAX_GAPS]) + (_("; and %(more)s more", more=more) if more > 0 else "")
    return tuple((_("Could raise it to %(route)s", route=outcome.route_label_of(route)), listed(questions))
                 for route, questions in by_route.items())


def _signs(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    themes: dict[str, list[str]] = {}
    for sign in outcome.indicators:
        level = outcome.level_of(sign.level).short_label
        when = {"earlier": _(" (6 to 12 months ago)"),
                "both": _(" (recently and 6 to 12 months ago)")}.get(sign.when, "")
        themes.setdefault(sign.theme_title, []).append(f"{sign.text}{when} [{level}]")
    return tuple((theme, "; ".join(signs)) for theme, signs in themes.items())


def _decision_rows(outcome: Outcome, counted: RouteThatCounts) -> tuple[tuple[str, str], ...]:
    rows = [(_("Route"), counted.label), (_("Risk level"), outcome.risk_level_label)]
    if counted.changed:
        because = _("Practitioner raised it because") if counted.decision == "raise" \
            else _("Practitioner lowered it because")
        rows += [(_("Recommended by the rules"), counted.recommended_label),
                 (because, counted.reason or _("Not given"))]
        if counted.lead_consulted:
            rows.append((_("Safeguarding lead consulted"), counted.lead_consulted))
    elif counted.decision == "agree":
        rows.append((_("Practitioner's decision"), _("Agreed with the recommendation")))
    setting = [f.description for f in driving(outcome) if f.route == outcome.route] or \
        [f.description for f in driving(outcome)]
    rows.append((_("Why the rules recommend it"), " ".join(setting[:MAX_REASONS]) if setting
                 else _("No rule raised a concern.")))
    if len(setting) > MAX_REASONS:
        rows.append(("", ngettext("And %(num)d more reason, listed on the screening's outcome.",
                                  "And %(num)d more reasons, listed on the screening's outcome.",
                                  len(setting) - MAX_REASONS)))
    if counted.meeting_required:
        rows.append((_("Strategy meeting"),
                     _("Needed within %(within)s", within=timescale_words(counted.meeting_within))))
    return tuple(rows)


def referral_text(referral: Referral) -> str:
    """The referral as plain text, to paste into an email, in the language it was built in."""
    with words.speaking(referral.language):
        lines = [referral.title, *([_("WARNING: %(warning)s", warning=referral.warning)] if referral.warning else []),
                 referral.child_protection, _("Child: %(child)s", child=referral.reference),
                 _("Made: %(when)s", when=referral.made), ""]
        for part in referral.parts:
            lines.append(part.title.upper())
            lines += [f"{label}: {said}" if label else said for label, said in part.rows]
            lines.append("")
        lines.append(_("Screened with the %(rules)s rules. The tool advises; professionals decide.",
                       rules=referral.ruleset))
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
