"""History the system counts: the facts a rule set fills from the child's earlier screenings.

A screening linked to a child record is evaluated with that record: each history question (`Question.history`)
takes the record's figure over its window, combined with the practitioner's answer (added to it for counts of
concerns and agencies, or the higher of the two for a count both may hold), and the outcome keeps where each
number came from. A screening not linked to a child is answered by the practitioner alone, like any question.
The record's figure is a known minimum: more history can only raise it, so the rules stay monotone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeGuard

from .identifiers import long_date
from .model import NONE_OPTION, Question, RuleSet
from .outcome import FromRecord, Seen


@dataclass(frozen=True, slots=True)
class Earlier:
    """One earlier completed screening of the same child, as history reads it."""

    completed_on: date
    agency: str
    agency_name: str
    recommended: str
    decided: str  # "" when no decision was recorded
    answers: Mapping[str, object]  # the practitioner's answers, as stored


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """What the system holds about a child on `as_of`: their earlier completed screenings."""

    as_of: date
    earlier: tuple[Earlier, ...] = ()


def from_record(rs: RuleSet, record: ChildRecord, values: Mapping[str, object], agency: str | None
                ) -> tuple[dict[str, object], tuple[FromRecord, ...]]:
    """The value each history question takes (`values` are the checked answers, None for not known), and where
    each came from."""
    filled: dict[str, object] = {}
    shown = []
    for question in rs.questions:
        history = question.history
        if history is None:
            continue
        found = _KINDS[history.of](rs, question, _within(record, history.window_days), values.get(question.id),
                                   agency)
        found.window_days = history.window_days
        filled[question.id] = found.value
        shown.append(found)
    return filled, tuple(shown)


def _within(record: ChildRecord, window: int) -> list[Earlier]:
    return [e for e in record.earlier if 0 <= (record.as_of - e.completed_on).days < window]


def _seen(screenings: list[Earlier]) -> tuple[Seen, ...]:
    return tuple(Seen(e.completed_on.isoformat(), e.agency_name) for e in
                 sorted(screenings, key=lambda e: e.completed_on))


def _added(question: Question, counted: int, behind: list[Earlier], yours: object,
           names: tuple[str, ...] = ()) -> FromRecord:
    added = yours if isinstance(yours, int) else None
    return FromRecord(question.id, question.short_label or question.label, question.history.of,  # type: ignore
                      counted, added, counted + (added or 0), _seen(behind), names)


def _earlier_screenings(rs: RuleSet, q: Question, within: list[Earlier], yours: object, agency: str | None
                        ) -> FromRecord:
    return _added(q, len(within), within, yours)


def _agencies(rs: RuleSet, q: Question, within: list[Earlier], yours: object, agency: str | None) -> FromRecord:
    names = {e.agency: e.agency_name for e in within}
    here = rs.agency_by_id.get(agency or "")
    if here is not None:
        names[here.id] = here.name
    return _added(q, len(names), within, yours, tuple(sorted(names.values())))


def _screenings_with(rs: RuleSet, q: Question, within: list[Earlier], yours: object, agency: str | None
                     ) -> FromRecord:
    def said_yes(answer: object) -> bool:
        return answer == "yes" or (isinstance(answer, Mapping) and answer.get("answer") == "yes")
    behind = [e for e in within if any(said_yes(e.answers.get(f)) for f in q.history.facts)]  # type: ignore
    return _added(q, len(behind), behind, yours)


def _whole(value: object) -> TypeGuard[int]:
    """A count as stored (True is an int to Python, but never a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _highest_recorded(rs: RuleSet, q: Question, within: list[Earlier], yours: object, agency: str | None
                      ) -> FromRecord:
    recorded = [e for e in within if _whole(e.answers.get(q.id))]
    top = max(recorded, key=lambda e: e.answers[q.id], default=None)  # type: ignore[arg-type, return-value]
    figure = top.answers[q.id] if top else None
    mine = yours if _whole(yours) else None
    value = max((v for v in (figure, mine) if _whole(v)), default=None)
    return FromRecord(q.id, q.short_label or q.label, "highest_recorded", figure, mine, value,
                      _seen([top] if top else []))


def _highest_route(rs: RuleSet, q: Question, within: list[Earlier], yours: object, agency: str | None
                   ) -> FromRecord:
    offered = {o.id for o in q.options}
    ranks = {r.id: r.rank for r in rs.routes if r.id in offered}
    reached = [(ranks[route], route, e) for e in within for route in (e.recommended, e.decided) if route in ranks]
    top = max(reached, key=lambda found: found[0], default=None)
    value = top[1] if top else (NONE_OPTION if NONE_OPTION in offered else None)
    return FromRecord(q.id, q.short_label or q.label, "highest_route", top[1] if top else "", None, value,
                      _seen([top[2]] if top else []))


_KINDS = {"earlier_screenings": _earlier_screenings, "agencies": _agencies, "screenings_with": _screenings_with,
          "highest_recorded": _highest_recorded, "highest_route": _highest_route}


def _window(days: int) -> str:
    return f"{days // 365 * 12} months" if days % 365 == 0 else f"{days} days"


def long_day(iso: str) -> str:
    """An ISO date as '3 March 2026'."""
    return long_date(date.fromisoformat(iso))


def source_words(found: FromRecord, route_label: Callable[[str], str] = str) -> str:
    """Where one history figure came from, in a sentence for the outcome."""
    return f"{found.label}: {source_detail(found, route_label)}"


def source_detail(found: FromRecord, route_label: Callable[[str], str] = str) -> str:
    """The figure and where it came from: '3 (1 from the child's record (school, 3 March 2026), and 2 added...)'."""
    seen = "; ".join(f"{s.agency}, {long_day(s.on)}" for s in found.screenings)
    added = f", and {found.added} added by the practitioner" if found.added else ""
    if found.kind == "highest_route":
        return f"{route_label(str(found.value))} (child's record: {seen})." if found.recorded \
            else "none in the child's record."
    if found.kind == "highest_recorded":
        theirs = f"the child's record holds {found.recorded} ({seen})" if found.recorded is not None \
            else "the child's record holds none"
        yours = f"the practitioner recorded {found.added}" if found.added is not None else "the practitioner: not known"
        return f"{found.value if found.value is not None else 'not known'} ({theirs}; {yours})."
    if found.kind == "agencies":
        return (f"{found.value} ({found.recorded} from the child's record, this screening's agency included: "
                f"{', '.join(found.agencies)}{added}).")
    held = f"{found.recorded} from the child's record" + (f" ({seen})" if seen else "")
    return f"{found.value} ({held}{added})."


def headline(shown: tuple[FromRecord, ...]) -> str:
    """'Screening 3 of this child in 12 months, from 3 agencies.' ('' unless the rule set counts both); which
    agencies, and what came from where, are in `source_words`."""
    earlier = next((f for f in shown if f.kind == "earlier_screenings"), None)
    agencies = next((f for f in shown if f.kind == "agencies"), None)
    if earlier is None or agencies is None or not isinstance(earlier.value, int):
        return ""
    count = agencies.value
    return (f"Screening {earlier.value + 1} of this child in {_window(earlier.window_days)}, from "
            f"{count} agenc{'y' if count == 1 else 'ies'}.")
