"""A referral a MASH can read: one document, built from the stored outcome and the route that counts, shown as
HTML, printed or saved as PDF, and as plain text to paste into an email. No internal ids anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .decided import RouteThatCounts, driving
from .history import headline, source_detail
from .model import CHILD_REFERENCE, REFERRER_CONCERN
from .outcome import Outcome
from .question_types import QUESTION_TYPES

MAX_REASONS = 3  # the rules that set the route, in a referral that must stay within two pages
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
    reference: str
    made: str
    parts: tuple[Part, ...]
    ruleset: str


def build_referral(outcome: Outcome, counted: RouteThatCounts, referrer: Referrer, made: datetime) -> Referral:
    """The referral's parts, in the order a MASH worker reads them."""
    answered = outcome.answered
    reference = next((a.answer for a in answered if a.purpose == CHILD_REFERENCE), "Not given")
    concern = next((a.answer for a in answered if a.purpose == REFERRER_CONCERN), "Not recorded")
    parts = (
        Part("The child", (("Reference", reference),
                           *((a.question, a.answer) for a in answered if QUESTION_TYPES[a.type].child_detail
                             and a.purpose != CHILD_REFERENCE))),
        Part("Who is referring", _referrer_rows(referrer, outcome)),
        Part("What I am worried about", (("", concern),)),
        Part("The child's words and view", tuple((v.question, f"\u201c{v.answer}\u201d" if v.quote else v.answer)
                                               for v in outcome.child_voice) or (("", "Nothing recorded yet."),)),
        Part("Signs present", _signs(outcome) or (("", "None recorded."),)),
        Part("History", _history(outcome) or (("", "No counts recorded."),)),
        Part("What is not known", _gaps(outcome) or (("", "Nothing that would change the route."),)),
        Part("Route and decision", _decision_rows(outcome, counted)),
        Part("What I am asking for, and by when", (("Asking for", counted.referral_asks or counted.label),
                                                    ("By when", counted.timescale))),
    )
    statement = ("This IS a child protection referral." if counted.child_protection
                 else "This is not a child protection referral.")
    return Referral(f"Referral: {counted.label}", statement, reference, made.strftime("%d %B %Y at %H:%M"), parts,
                    f"{outcome.ruleset.id} version {outcome.ruleset.version}")


def _history(outcome: Outcome) -> tuple[tuple[str, str], ...]:
    """The counts, each saying where it came from when the child's record gave it; first, how many screenings."""
    record = {f.fact: f for f in outcome.from_record}
    top = headline(outcome.from_record)
    counts = [(a.question, source_detail(record[a.fact], outcome.route_label_of) if a.fact in record else a.answer)
              for a in outcome.answered if QUESTION_TYPES[a.type].grows or a.fact in record]
    return ((("Child's record", top),) if top else ()) + tuple(counts) + (
        () if outcome.linked else (("Child's record", "This screening is not linked to a child record."),))


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
    lines = [referral.title, referral.child_protection, f"Child: {referral.reference}", f"Made: {referral.made}", ""]
    for part in referral.parts:
        lines.append(part.title.upper())
        lines += [f"{label}: {words}" if label else words for label, words in part.rows]
        lines.append("")
    lines.append(f"Screened with the {referral.ruleset} rules. The tool advises; professionals decide.")
    return "\n".join(lines)
