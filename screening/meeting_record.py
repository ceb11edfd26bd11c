"""What a strategy meeting's record holds (MeetingMinutes, stored as JSON as it is) and what it must hold before it
can be made final, checked against the meeting the outcome asked for (its invitees, the views to gather, its
timescale)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict

from .outcome import StrategyMeeting
from .words import N_, date_time
from .words import gettext as _

ATTENDANCE = {"attended": N_("Attended"), "sent_information": N_("Sent information, did not attend"),
              "invited_not_attended": N_("Invited but did not attend"), "not_invited": N_("Not invited")}
ABSENT = ("invited_not_attended", "not_invited")  # these need a reason, and how the agency's information was got
START, NOT_START = "start", "not_start"
DECISIONS = {START: N_("Start section 47 enquiries"), NOT_START: N_("Do not start section 47 enquiries")}
# ATTENDANCE and DECISIONS hold English, marked for the catalogue: gettext them where they are shown


class AgreedAction(TypedDict):
    """One action agreed at the meeting: what, who owns it, their agency, and when it is due (an ISO date)."""

    what: str
    owner: str
    agency: str
    due: str


class MeetingMinutes(TypedDict, total=False):
    """A strategy meeting's record, as entered (a draft may lack any part). Dates and times are ISO text; ""
    is not given."""

    held_at: str
    how: str
    chair_name: str
    chair_role: str
    delay_reason: str
    attendance: dict[str, str]  # invitee role -> an ATTENDANCE key
    absent_reasons: dict[str, str]  # invitee role -> why they were not there, and how their information was got
    child_view: str
    child_view_why_not: str
    parents_view: str
    parents_why_not: str
    decision: str  # START or NOT_START
    decision_why: str
    actions: list[AgreedAction]
    recommendations: list[str]
    next_review: str
    amends: int  # the version this one amends (an amendment starts as a copy of the final record)


def missing(record: Mapping[str, object], spec: StrategyMeeting, due: datetime | None) -> list[str]:
    """Everything the record still lacks, in the order the minutes read; empty when it can be made final."""
    out = _when_and_who(record, due)
    attendance = _mapping(record.get("attendance"))
    reasons = _mapping(record.get("absent_reasons"))
    for invite in spec.invitees:
        status = attendance.get(invite.role)
        if status not in ATTENDANCE:
            out.append(_("Whether this agency was invited and attended: %(role)s", role=invite.role))
        elif status in ABSENT and not _text(reasons.get(invite.role)):
            out.append(_("Why this agency was not there, and how its information was obtained: %(role)s",
                         role=invite.role))
    views = (("child_view", "child_view_why_not", _("The child's views, or why they were not gathered")),
             ("parents_view", "parents_why_not", _("The parents' or carers' views, or why they were not sought")))
    for view, why_not, lacking in views:
        if not _text(record.get(view)) and not _text(record.get(why_not)):
            out.append(lacking)
    if record.get("decision") not in DECISIONS:
        out.append(_("The decision on section 47 enquiries"))
    if not _text(record.get("decision_why")):
        out.append(_("The reasons for the decision"))
    out += _actions(record.get("actions"))
    return out


def _when_and_who(record: Mapping[str, object], due: datetime | None) -> list[str]:
    out = []
    held = _moment(record.get("held_at"))
    if held is None:
        out.append(_("The date and time of the meeting"))
    elif due is not None and held > due and not _text(record.get("delay_reason")):
        out.append(_("Why the meeting was held after it was due (%(due)s)", due=date_time(due)))
    if not _text(record.get("chair_name")):
        out.append(_("The chair's name and role"))
    return out


def _actions(raw: object) -> list[str]:
    actions = [a for a in raw if isinstance(a, Mapping)] if isinstance(raw, list) else []
    if not actions:
        return [_("At least one action, with its owner, agency and due date")]
    out = []
    for n, action in enumerate(actions, start=1):
        for key, lacking in (("owner", _("Action %(n)s needs an owner", n=n)),
                             ("agency", _("Action %(n)s needs an agency", n=n)),
                             ("due", _("Action %(n)s needs a due date", n=n))):
            if not _text(action.get(key)):
                out.append(lacking)
    return out


def late(record: Mapping[str, object], due: datetime | None) -> bool:
    held = _moment(record.get("held_at"))
    return held is not None and due is not None and held > due


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
