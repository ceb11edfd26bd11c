"""History the system counts: the facts a rule set fills from the child's earlier screenings.

A screening linked to a child record is evaluated with that record: each history question (`Question.history`)
takes the record's figure over its window, combined with the practitioner's answer (added to it for counts of
concerns and agencies, or the higher of the two for a count both may hold), and the outcome keeps where each
number came from. A screening not linked to a child is answered by the practitioner alone, like any question.
The record's figure is a known minimum: more history can only raise it, so the rules stay monotone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeGuard

from .identifiers import long_date
from .model import NONE_OPTION, Question, RuleSet
from .outcome import FromRecord, Seen
from .words import N_, ngettext
from .words import gettext as _


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

    def named_in(self, rs: RuleSet) -> ChildRecord:
        """The same record with each earlier screening's agency named as `rs` (in its language) names it."""
        names = {a.id: a.name for a in rs.agencies}
        return ChildRecord(self.as_of, tuple(replace(e, agency_name=names.get(e.agency, e.agency_name))
                                             for e in self.earlier))


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
        found = HISTORY_KINDS[history.of].figure(rs, question, _within(record, history.window_days),
                                                  values.get(question.id), agency)
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




def _window(days: int) -> str:
    if days % 365 == 0:
        return ngettext("%(num)d month", "%(num)d months", days // 365 * 12)
    return ngettext("%(num)d day", "%(num)d days", days)


def long_day(iso: str) -> str:
    """An ISO date as '3 March 2026'."""
    return long_date(date.fromisoformat(iso))


def source_words(found: FromRecord, route_label: Callable[[str], str] = str) -> str:
    """Where one history figure came from, in a sentence for the outcome."""
    return f"{found.label}: {source_detail(found, route_label)}"


def source_detail(found: FromRecord, route_label: Callable[[str], str] = str) -> str:
    """The figure and where it came from: '3 (1 from the child's record (school, 3 March 2026), and 2 added...)'."""
    return HISTORY_KINDS[found.kind].detail(found, route_label)


def _seen_words(found: FromRecord) -> str:
    return "; ".join(f"{s.agency}, {long_day(s.on)}" for s in found.screenings)


def _added_words(found: FromRecord) -> str:
    return _(", and %(added)s added by the practitioner", added=found.added) if found.added else ""


def _count_detail(found: FromRecord, route_label: Callable[[str], str]) -> str:
    seen = _seen_words(found)
    held = _("%(recorded)s from the child's record (%(seen)s)", recorded=found.recorded, seen=seen) if seen \
        else _("%(recorded)s from the child's record", recorded=found.recorded)
    return f"{found.value} ({held}{_added_words(found)})."  # the figure, then where it came from


def _agencies_detail(found: FromRecord, route_label: Callable[[str], str]) -> str:
    held = _("%(recorded)s from the child's record, this screening's agency included: %(agencies)s",
             recorded=found.recorded, agencies=", ".join(found.agencies))
    return f"{found.value} ({held}{_added_words(found)})."  # the figure, then where it came from


def _highest_recorded_detail(found: FromRecord, route_label: Callable[[str], str]) -> str:
    theirs = _("the child's record holds %(recorded)s (%(seen)s)", recorded=found.recorded,
               seen=_seen_words(found)) if found.recorded is not None else _("the child's record holds none")
    yours = _("the practitioner recorded %(added)s", added=found.added) if found.added is not None \
        else _("the practitioner: not known")
    return f"{found.value if found.value is not None else _('not known')} ({theirs}; {yours})."


def _highest_route_detail(found: FromRecord, route_label: Callable[[str], str]) -> str:
    return _("%(route)s (child's record: %(seen)s).", route=route_label(str(found.value)),
             seen=_seen_words(found)) if found.recorded else _("none in the child's record.")


def _count_note(found: FromRecord) -> str:
    seen = _seen_words(found)
    return _("The child's record shows %(recorded)s: %(seen)s.", recorded=found.recorded, seen=seen) if seen \
        else _("The child's record shows %(recorded)s.", recorded=found.recorded)


def _agencies_note(found: FromRecord) -> str:
    recorded = found.recorded if isinstance(found.recorded, int) else 0
    return ngettext("The child's record shows %(num)d agency with concerns in this period, yours included: "
                    "%(agencies)s.", "The child's record shows %(num)d agencies with concerns in this period, "
                    "yours included: %(agencies)s.", recorded, agencies=", ".join(found.agencies))


def _highest_recorded_note(found: FromRecord) -> str:
    return (_("The child's record holds %(recorded)s (%(seen)s); the higher of that and yours is used.",
              recorded=found.recorded, seen=_seen_words(found))
            if found.recorded is not None else _("The child's record holds no figure for this."))


@dataclass(frozen=True)
class HistoryKind:
    """One kind of figure a question can take from the child's record (`history: {of: NAME}` in a rule file).

    `figure` works it out; `detail` says where it came from (outcome and referral) and `note` what the record holds
    (beside the question). `adds`: the practitioner's answer adds to the record's figure, and a linked screening asks
    only for what the record does not show (`asks`, unless the rule set words it). `of_routes`: the highest route in
    the record, whose options are routes and which the record alone answers."""

    name: str
    question_type: str
    figure: Callable[[RuleSet, Question, list[Earlier], object, str | None], FromRecord]
    detail: Callable[[FromRecord, Callable[[str], str]], str]
    note: Callable[[FromRecord], str] = _count_note
    adds: bool = False
    asks: str = ""
    needs_facts: bool = False
    of_routes: bool = False


HISTORY_KINDS: dict[str, HistoryKind] = {k.name: k for k in (
    HistoryKind("earlier_screenings", "count", _earlier_screenings, _count_detail, adds=True,
                asks=N_("Any other concerns in this period that the child's record does not show: how many?")),
    HistoryKind("agencies", "count", _agencies, _agencies_detail, _agencies_note, adds=True,
                asks=N_("Any other agencies with concerns in this period that the record does not show: how many?")),
    HistoryKind("screenings_with", "count", _screenings_with, _count_detail, adds=True, needs_facts=True,
                asks=N_("Any other times in this period that the child's record does not show: how many?")),
    HistoryKind("highest_recorded", "count", _highest_recorded, _highest_recorded_detail, _highest_recorded_note),
    HistoryKind("highest_route", "choice", _highest_route, _highest_route_detail, of_routes=True),
)}


HEADLINE_KINDS = ("earlier_screenings", "agencies")  # the figures the headline gives


def headline(shown: tuple[FromRecord, ...]) -> str:
    """'Concern 3 about this child in 12 months: 1 in the child's record (School, 3 March 2026) and 1 reported by
    the practitioner. Agencies concerned: 3.' ('' unless the rule set counts both). A concern the practitioner
    reports is never called a screening; which agencies, and what came from where, are in `source_words`."""
    earlier = next((f for f in shown if f.kind == "earlier_screenings"), None)
    agencies = next((f for f in shown if f.kind == "agencies"), None)
    if earlier is None or agencies is None or not isinstance(earlier.value, int):
        return ""
    before = [_("%(recorded)s in the child's record (%(seen)s)", recorded=earlier.recorded,
                seen=_seen_words(earlier))] if earlier.recorded else []
    before += [_("%(added)s reported by the practitioner", added=earlier.added)] if earlier.added else []
    said = _(" and ").join(before) or _("none before this one")
    return _("Concern %(number)s about this child in %(window)s: %(said)s. Agencies concerned: %(agencies)s.",
             number=earlier.value + 1, window=_window(earlier.window_days), said=said, agencies=agencies.value)
