"""Professional judgement on a recommendation: agree, raise (with a reason) or lower (with a reason and the
safeguarding lead consulted; going below a minimum set by a rule also needs a confirmation naming it). The
recommendation itself is never changed, and every decision is kept."""

from __future__ import annotations

from dataclasses import dataclass

from ...decided import below_minimum
from ...outcome import Outcome
from . import messages as msg

DECISIONS = ("agree", "raise", "lower")
CONFIRM_BELOW = "confirm_below_minimum"


@dataclass(frozen=True)
class Decision:
    decision: str
    route: str
    reason: str
    lead: str
    below_minimum: str = ""  # the minimums the practitioner confirmed going below, in words


def read_decision(outcome: Outcome, form) -> tuple[Decision | None, dict[str, str]]:
    """Check a decision form against the ladder the recommendation was made on; returns the decision or errors
    by field name."""
    decision = (form.get("decision") or "").strip()
    if decision not in DECISIONS:
        return None, {"decision": msg.SELECT_DECISION.format()}
    recommended = outcome.route
    if decision == "agree":
        return Decision("agree", recommended, "", ""), {}
    ids = [r.id for r in outcome.routes]
    rank = ids.index(recommended)
    route = (form.get(f"{decision}_route") or "").strip()
    reason = (form.get(f"{decision}_reason") or "").strip()
    lead = (form.get("lower_lead") or "").strip() if decision == "lower" else ""
    allowed = ids[rank + 1:] if decision == "raise" else ids[:rank]
    errors = {}
    if route not in allowed:
        errors[f"{decision}_route"] = msg.SELECT_ROUTE.format()
    if not reason:
        errors[f"{decision}_reason"] = (msg.REASON_RAISE if decision == "raise" else msg.REASON_LOWER).format()
    if decision == "lower" and not lead:
        errors["lower_lead"] = msg.LEAD_NAME.format()
    for name, value, limit in ((f"{decision}_reason", reason, 2000), ("lower_lead", lead, 200)):
        if len(value) > limit:
            errors[name] = msg.TOO_LONG.format(max=limit)
    below = below_minimum(outcome, route) if decision == "lower" and route in allowed else ()
    if below and form.get(CONFIRM_BELOW) != "yes":
        errors[CONFIRM_BELOW] = msg.CONFIRM_BELOW.format(rules="; ".join(f.description for f in below))
    words = "; ".join(f.description for f in below)
    return (None, errors) if errors else (Decision(decision, route, reason, lead, words), {})
