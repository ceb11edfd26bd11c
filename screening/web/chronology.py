"""A child's chronology: every screening across agencies, in date order, as table rows and as a server-drawn
timeline (one lane per agency, numbered marks that match the table), from the stored outcomes as produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..outcome import Outcome
from ..store.models import Screening
from ..words import long_date
from .followup import decided, flags
from .view_models import stored_outcome

WIDTH, LEFT, RIGHT, LANE, TOP = 760, 170, 30, 44, 30


@dataclass(frozen=True)
class Entry:
    number: int
    on: date
    agency: str
    recommended: str
    decided: str
    child_protection: bool
    key_signs: tuple[str, ...]
    words: tuple[str, ...]  # the child's own words, as recorded
    screening_id: str
    response: str = ""  # what children's social care decided, when it is recorded
    meeting: str = ""  # the strategy meeting's record: when held, and whether final
    flags: tuple[str, ...] = ()


def entries(screenings: list[Screening], agency_names: dict[str, str], responses: dict | None = None,
            meetings: dict | None = None) -> list[Entry]:
    """One entry per screening, oldest first, with what came of its referral and meeting where recorded."""
    out = []
    for number, s in enumerate(screenings, start=1):
        shown = stored_outcome(s)
        counted = shown.step_of(s.decided_route) if s.decided_route else shown.step_of(shown.route)
        response = (responses or {}).get(s.id)
        out.append(Entry(number, (s.completed_at or s.updated_at).date(), agency_names.get(s.agency or "", s.agency
                         or _("Not said")), shown.route_label, shown.route_label_of(s.decided_route)
                         if s.decided_route else "", counted.child_protection, key_signs(shown),
                         tuple(v.answer for v in shown.child_voice if v.quote), s.id,
                         _response_words(shown, response), _meeting_words((meetings or {}).get(s.id)),
                         tuple(flags(s, shown, response))))
    return out


def _response_words(shown: Outcome, response) -> str:
    if response is None:
        return ""
    choice = decided(shown, response)
    if choice is not None:
        return _("Decided: %(decision)s", decision=choice.label)
    return _("Sent %(day)s; no decision recorded", day=long_date(response.sent_at)) if response.sent_at else ""


def _meeting_words(meeting) -> str:
    if meeting is None:
        return ""
    held = meeting.record.get("held_at", "")[:10]
    final = meeting.status == "final"
    if held:
        day = long_date(date.fromisoformat(held))
        return _("Strategy meeting held %(day)s (final)", day=day) if final else \
            _("Strategy meeting held %(day)s (draft)", day=day)
    return _("Strategy meeting (final)") if final else _("Strategy meeting (draft)")


def key_signs(shown: Outcome) -> tuple[str, ...]:
    """The signs present at the highest level any present sign has."""
    order = {lv.id: n for n, lv in enumerate(shown.levels)}
    top = max((order.get(i.level, -1) for i in shown.indicators), default=None)
    return tuple(i.text for i in shown.indicators if order.get(i.level, -1) == top)


@dataclass(frozen=True)
class Mark:
    number: int
    x: float
    y: float
    child_protection: bool
    label: str


def timeline(found: list[Entry]) -> dict:
    """Lanes (agency, y) and marks (x, y) for the SVG, with the first and last dates on the axis."""
    if not found:
        return {"lanes": [], "marks": [], "height": 0}
    agencies = sorted({e.agency for e in found})
    lane_y = {a: TOP + LANE * n + LANE / 2 for n, a in enumerate(agencies)}
    first, last = found[0].on, found[-1].on
    span = max((last - first).days, 1)
    def x_of(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - first).days / span if last != first else 0.5)
    marks = [Mark(e.number, round(x_of(e.on), 1), lane_y[e.agency], e.child_protection,
                  e.decided or e.recommended) for e in found]
    height = TOP + LANE * len(agencies) + 30
    return {"lanes": [(a, lane_y[a]) for a in agencies], "marks": marks, "height": height, "width": WIDTH,
            "left": LEFT, "right": WIDTH - RIGHT, "axis_y": height - 22, "first": first, "last": last}
