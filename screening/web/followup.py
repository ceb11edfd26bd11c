"""What views show after the referral: when the decision is due, whether it is late or below the route that
counts, and the options a decision is recorded with (the rule set's social-care decisions, each naming a route;
without them the producing ladder's routes, so any rule set works)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from .. import words
from ..decided import counted
from ..model import RuleSet, SocialCareDecision
from ..outcome import Outcome, Step
from ..store import followup as records
from ..store.db import as_utc
from ..store.models import ReferralResponse, Screening
from ..timescale import parse_timescale
from ..words import long_date
from ..workdays import due, working_days_late
from .context import active_ruleset, active_version
from .view_models import stored_outcome

NO_FURTHER_ACTION, ALREADY_OPEN = "no_further_action", "already_open"


def route_that_counts(screening: Screening, shown: Outcome) -> Step:
    return shown.step_of(counted(shown, screening.decision, screening.decided_route).route)


def expects_response(screening: Screening, shown: Outcome) -> bool:
    """Does the route that counts expect a decision back from children's social care?"""
    return bool(route_that_counts(screening, shown).response_within)


def due_at(screening: Screening, shown: Outcome, sent_at: datetime | None) -> datetime | None:
    within = route_that_counts(screening, shown).response_within
    return due(sent_at, parse_timescale(within)) if sent_at and within else None


def decision_options(rs: RuleSet, shown: Outcome) -> tuple[SocialCareDecision, ...]:
    """What children's social care may decide: the active rule set's `social_care_decisions`, or without them the
    producing ladder's routes, with no further action (below every route) and already open (never compared)."""
    return rs.social_care_decisions or _ladder_options(shown)


def _ladder_options(shown: Outcome) -> tuple[SocialCareDecision, ...]:
    return _ladder((r.id, r.label) for r in shown.routes)


def _ladder(routes: Iterable[tuple[str, str]]) -> tuple[SocialCareDecision, ...]:
    """No further action (below every route), each route, and already open (never compared)."""
    return (SocialCareDecision(NO_FURTHER_ACTION, _("No further action"), NO_FURTHER_ACTION),
            *(SocialCareDecision(route, label, route) for route, label in routes),
            SocialCareDecision(ALREADY_OPEN, _("Already open to children's social care")))


def recorded_options(screening: Screening) -> tuple[SocialCareDecision, ...]:
    """The decisions as a recorded one is kept: in English, whatever the page's language (`decided` shows it in the
    reader's), so that the record reads the same to everyone."""
    with words.speaking("en"):
        return decision_options(active_version(), stored_outcome(screening, "en"))


def _as_the_page_says(recorded: SocialCareDecision, shown: Outcome) -> SocialCareDecision:
    """A decision kept in English, in the page's language where the rule set still words that decision so."""
    if shown.language == "en":
        return recorded
    with words.speaking("en"):
        english = {o.id: o.label for o in _options_of(active_version())}
    said = {o.id: o for o in _options_of(active_ruleset())}
    same = english.get(recorded.id) == recorded.label and recorded.id in said
    return replace(recorded, label=said[recorded.id].label) if same else recorded


def _options_of(rs: RuleSet) -> tuple[SocialCareDecision, ...]:
    return rs.social_care_decisions or _ladder((r.id, r.label) for r in rs.routes)


def decided(shown: Outcome, response: ReferralResponse | None) -> SocialCareDecision | None:
    """The decision recorded on a response, with the words and route it was recorded with; one recorded before they
    were kept reads as it did (the producing ladder's words; its id a route, or below every route)."""
    if response is None or not response.decision:
        return None
    if response.decision_label:
        return _as_the_page_says(SocialCareDecision(response.decision, response.decision_label,
                                                    response.decision_route), shown)
    return next((o for o in _ladder_options(shown) if o.id == response.decision),
                SocialCareDecision(response.decision, response.decision, response.decision))


def flags(screening: Screening, shown: Outcome, response: ReferralResponse | None,
          now: datetime | None = None) -> list[str]:
    """Why this referral needs a prompt or a challenge: no decision by its due date, or a decision below the route
    that counts."""
    if screening.status != "complete" or response is None or not expects_response(screening, shown):
        return []
    now = now or datetime.now(UTC)
    out = []
    if not response.decision and response.due_at and now > as_utc(response.due_at):
        late = working_days_late(as_utc(response.due_at), now)
        out.append(ngettext("No decision yet: it was due by %(day)s, %(num)s working day ago",
                            "No decision yet: it was due by %(day)s, %(num)s working days ago", late,
                            day=long_date(response.due_at)))
    choice = decided(shown, response)
    if choice is not None and choice.route:  # a route not on the producing ladder ranks below it: flagged
        wanted = route_that_counts(screening, shown)
        if shown.rank_of(choice.route) < shown.rank_of(wanted.id):
            out.append(_("The decision (%(decision)s) is below the route decided (%(route)s)", decision=choice.label,
                         route=wanted.label))
    return out


def needs_meeting(screening: Screening, shown: Outcome) -> bool:
    return counted(shown, screening.decision, screening.decided_route).meeting_required


def after_view(tx, screening: Screening, shown: Outcome) -> dict | None:
    """The outcome's 'After the referral' panel: what came back, what is late or too low, the meeting's record."""
    expects, meets = expects_response(screening, shown), needs_meeting(screening, shown)
    if not (expects or meets):
        return None
    response = records.response_of(tx, screening.id)
    stages = records.challenges_of(tx, screening.id)
    choice = decided(shown, response)
    return {"expects": expects, "response": response, "flags": flags(screening, shown, response),
            "decision": choice.label if choice else "",
            "needs_meeting": meets, "meeting": records.latest_meeting(tx, screening.id) if meets else None,
            "stages": stages, "resolved": any(s.resolved for s in stages)}


def flags_by_screening(tx, screenings: list[Screening]) -> dict[str, list[str]]:
    """Flags for each completed screening in a list (one query for their responses)."""
    done = [s for s in screenings if s.status == "complete"]
    held = records.responses_of(tx, [s.id for s in done])
    return {s.id: flags(s, stored_outcome(s), held.get(s.id)) for s in done if s.id in held}


def decisions_by_screening(tx, screenings: list[Screening]) -> dict[str, str]:
    """For the MASH's list: each completed screening that expects a decision back, with the decision recorded in
    its words ("" while there is none)."""
    shown = {s.id: stored_outcome(s) for s in screenings if s.status == "complete"}
    expecting = [s.id for s in screenings if s.id in shown and expects_response(s, shown[s.id])]
    held = records.responses_of(tx, expecting)
    return {sid: choice.label if (choice := decided(shown[sid], held.get(sid))) else "" for sid in expecting}
