"""Impact of a rule-set change: every case evaluated under the old and the new rules, side by side.

A case is a vignette stage, a case file or a stored screening's answers. The report counts route transitions,
lists every changed case with the rules that now fire or no longer fire, and flags every case whose route, level
or strategy meeting would go DOWN (ranked on the new ladder; a route or level the new set lacks counts as down),
every case the new rules cannot evaluate (e.g. it answers a removed question), and every vignette stage or case
expectation that would fail. Pure Python: no web or database import.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import facts_from_answers
from ..conditions import Facts
from ..engine import decide, evaluate
from ..errors import AnswersInvalid
from ..history import ChildRecord
from ..model import Level, Route, RuleSet
from ..ruleset.yamlsource import parse_yaml, yaml_files
from .casefile import case_from_data
from .vignettes import Vignette
from .vignettes import compare as compare_expectation

KINDS = ("vignette", "screening", "case")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Case:
    """Answers to evaluate. `expect` (for vignettes.compare; `exact` for vignette stages) is optional."""

    id: str
    kind: str  # vignette | screening | case
    label: str
    agency: str | None
    answers: Mapping[str, object] = field(repr=False)  # a child's details: kept out of reprs and logs
    expect: Mapping[str, Any] | None = None
    exact: bool = False
    where: str = ""  # file:line, when the case comes from a file
    record: ChildRecord | None = field(default=None, repr=False)  # a stored screening's child record, then


@dataclass(frozen=True, slots=True)
class Result:
    """What one rule set says about one case; `problems` are differences from the case's expectation."""

    route: str
    level: str
    fired: tuple[str, ...]
    strategy_meeting: bool
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "level": self.level, "fired": list(self.fired),
                "strategy_meeting": self.strategy_meeting}


@dataclass(frozen=True)
class ChangedCase:
    """A case whose route, level, strategy meeting or fired rules differ; `down_reasons` say how it went down."""

    case: Case
    old: Result
    new: Result
    now_fire: tuple[str, ...]
    no_longer_fire: tuple[str, ...]
    down_reasons: tuple[str, ...]

    @property
    def down(self) -> bool:
        return bool(self.down_reasons)

    def to_dict(self) -> dict[str, Any]:
        return {**_case_dict(self.case), "old": self.old.to_dict(), "new": self.new.to_dict(),
                "now_fire": list(self.now_fire), "no_longer_fire": list(self.no_longer_fire),
                "down": self.down, "down_reasons": list(self.down_reasons)}


@dataclass(frozen=True)
class CannotEvaluate:
    """A case whose answers one rule set rejects (a removed question, option or agency); '' when it accepts them."""

    case: Case
    old_reason: str
    new_reason: str

    @property
    def reason(self) -> str:
        parts = [("old", self.old_reason), ("new", self.new_reason)]
        return "; ".join(f"cannot evaluate under the {side} rules: {why}" for side, why in parts if why)

    def to_dict(self) -> dict[str, Any]:
        return {**_case_dict(self.case), "old_reason": self.old_reason, "new_reason": self.new_reason,
                "reason": self.reason}


@dataclass(frozen=True)
class Failing:
    """A vignette stage (or case with an expectation) that the new rules would fail."""

    case: Case
    problems: tuple[str, ...]
    failed_before: bool
    expected: Mapping[str, str] = field(default_factory=dict)  # the route (and level) the stage expects

    def to_dict(self) -> dict[str, Any]:
        return {**_case_dict(self.case), "problems": list(self.problems), "failed_before": self.failed_before,
                "expected": dict(self.expected)}


@dataclass(frozen=True)
class Transition:
    from_route: str
    to_route: str
    count: int
    direction: str  # up | down | same

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_route, "to": self.to_route, "count": self.count, "direction": self.direction}


@dataclass(frozen=True)
class ImpactReport:
    old: Mapping[str, str]  # id, version, hash
    new: Mapping[str, str]
    transitions: Mapping[tuple[str, str], int]  # (from route, to route) -> cases, unchanged ones included
    rows: tuple[Transition, ...]  # the same, ordered up the ladder, with direction
    changed: tuple[ChangedCase, ...]
    cannot_evaluate: tuple[CannotEvaluate, ...]
    failing: tuple[Failing, ...]
    total: int

    @property
    def down(self) -> tuple[ChangedCase, ...]:
        return tuple(c for c in self.changed if c.down)

    @property
    def failing_vignettes(self) -> tuple[Failing, ...]:
        return tuple(f for f in self.failing if f.case.kind == "vignette")

    @property
    def needs_attention(self) -> bool:
        """True when any case goes down or cannot be evaluated: the change must not go through unseen."""
        return bool(self.cannot_evaluate) or any(c.down for c in self.changed)

    @property
    def totals(self) -> dict[str, int]:
        kinds = Counter(c.case.kind for c in self.changed)
        return {"cases": self.total, "evaluated": sum(self.transitions.values()),
                "unchanged": self.total - len(self.changed) - len(self.cannot_evaluate),
                "changed": len(self.changed), "route_up": sum(r.count for r in self.rows if r.direction == "up"),
                "route_down": sum(r.count for r in self.rows if r.direction == "down"), "down": len(self.down),
                "cannot_evaluate": len(self.cannot_evaluate), "failing": len(self.failing),
                "failing_vignette_stages": len(self.failing_vignettes),
                **{f"changed_{kind}": kinds[kind] for kind in KINDS}}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"old": dict(self.old), "new": dict(self.new), "totals": self.totals,
                "needs_attention": self.needs_attention, "transitions": [r.to_dict() for r in self.rows],
                "changed": [c.to_dict() for c in self.changed], "down": [c.to_dict() for c in self.down],
                "cannot_evaluate": [c.to_dict() for c in self.cannot_evaluate],
                "failing": [f.to_dict() for f in self.failing]}

    def table_text(self) -> str:
        """The transition table: one row per (from, to) with its count; rows going down are marked DOWN."""
        width = max([len(r.from_route) for r in self.rows] + [len("from")])
        to_width = max([len(r.to_route) for r in self.rows] + [len("to")])
        lines = [f"{'from':<{width}}    {'to':<{to_width}}  {'cases':>7}"]
        for r in self.rows:
            mark = {"down": "  <<< DOWN", "up": "  up", "same": ""}[r.direction]
            lines.append(f"{r.from_route:<{width}} -> {r.to_route:<{to_width}}  {r.count:>7,}{mark}")
        return "\n".join(lines)


def changed_from_dict(d: Mapping[str, Any]) -> ChangedCase:
    """A changed case as `to_dict` stored it (without its answers), for showing it again."""
    return ChangedCase(_case_from_dict(d), _result_from_dict(d["old"]), _result_from_dict(d["new"]),
                       tuple(d["now_fire"]), tuple(d["no_longer_fire"]), tuple(d["down_reasons"]))


def cannot_from_dict(d: Mapping[str, Any]) -> CannotEvaluate:
    return CannotEvaluate(_case_from_dict(d), d["old_reason"], d["new_reason"])


def failing_from_dict(d: Mapping[str, Any]) -> Failing:
    return Failing(_case_from_dict(d), tuple(d["problems"]), d["failed_before"], d.get("expected", {}))


def _case_from_dict(d: Mapping[str, Any]) -> Case:
    return Case(d["id"], d["kind"], d["label"], d.get("agency"), {}, where=d.get("where", ""))


def _result_from_dict(d: Mapping[str, Any]) -> Result:
    return Result(d["route"], d["level"], tuple(d["fired"]), d["strategy_meeting"])


def _case_dict(case: Case) -> dict[str, Any]:
    return {"id": case.id, "kind": case.kind, "label": case.label, "agency": case.agency, "where": case.where}


# --- Comparing ------------------------------------------------------------------------------------------------


def compare(old: RuleSet, new: RuleSet, cases: Iterable[Case], progress: Progress | None = None, *,
            every: int = 1000, workers: int | None = None) -> ImpactReport:
    """Evaluate every case once under `old` and once under `new`, and report the differences.

    `progress(done, total)` is called after every `every` cases (every slice of at least CHUNK cases when more than
    one core works) and once at the end. From PARALLEL_FROM cases, the cases are shared out among `workers`
    processes (default: the cores this process may use); the report is the same as from one."""
    cases = tuple(cases)
    total = len(cases)
    workers = _cores() if workers is None else workers
    if workers > 1 and total >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        return _in_parallel(old, new, cases, progress, max(every, CHUNK), workers)
    tally = _Tally(old, new)
    for done, case in enumerate(cases, 1):
        tally.add(case)
        if progress is not None and (done % every == 0 or done == total):
            progress(done, total)
    return tally.report(total)


PARALLEL_FROM = 5_000  # fewer cases are compared at once in this process: starting workers would cost more
CHUNK = 2_000  # cases per slice handed to a worker
_SHARED: dict[str, tuple[RuleSet, RuleSet, tuple[Case, ...]]] = {}  # what forked workers read, by job


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _in_parallel(old: RuleSet, new: RuleSet, cases: tuple[Case, ...], progress: Progress | None, chunk: int,
                 workers: int) -> ImpactReport:
    """Slices of the cases compared in forked worker processes, which inherit the rule sets and cases (so
    nothing is copied to them) and send back only what differs, by the case's place; the parent puts the
    slices back together in order."""
    job = secrets.token_hex(8)
    _SHARED[job] = (old, new, cases)
    tally, total, done = _Tally(old, new), len(cases), 0
    slices = [(start, min(start + chunk, total)) for start in range(0, total, chunk)]
    found: dict[int, _Slice] = {}
    try:
        with ProcessPoolExecutor(min(workers, len(slices)), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(_compare_slice, job, start, stop): start for start, stop in slices}
            for future in as_completed(futures):
                found[futures[future]] = future.result()
                done += found[futures[future]].size
                if progress is not None:
                    progress(done, total)
    finally:
        del _SHARED[job]
    for start, _ in slices:
        tally.merge(found[start], cases)
    return tally.report(total)


@dataclass(frozen=True)
class _Slice:
    """What one slice of cases gave, each case named by its place in the whole."""

    size: int
    transitions: Counter[tuple[str, str]]
    changed: list[tuple[int, Result, Result]]
    cannot: list[tuple[int, str, str]]
    failing: list[tuple[int, tuple[str, ...], bool]]


def _compare_slice(job: str, start: int, stop: int) -> _Slice:
    """In a worker: compare cases[start:stop] of the shared job."""
    old, new, cases = _SHARED[job]
    tally = _Tally(old, new)
    part = _Slice(stop - start, tally.transitions, [], [], [])
    for n in range(start, stop):
        counts = len(tally.changed), len(tally.cannot), len(tally.failing)
        tally.add(cases[n])
        if len(tally.changed) > counts[0]:
            part.changed.append((n, tally.changed[-1].old, tally.changed[-1].new))
        if len(tally.cannot) > counts[1]:
            part.cannot.append((n, tally.cannot[-1].old_reason, tally.cannot[-1].new_reason))
        if len(tally.failing) > counts[2]:
            part.failing.append((n, tally.failing[-1].problems, tally.failing[-1].failed_before))
    return part


def _ref(rs: RuleSet) -> dict[str, str]:
    return {"id": rs.meta.id, "version": rs.meta.version, "hash": rs.hash}


@dataclass
class _Tally:
    old: RuleSet
    new: RuleSet
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    changed: list[ChangedCase] = field(default_factory=list)
    cannot: list[CannotEvaluate] = field(default_factory=list)
    failing: list[Failing] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.same_questions = self.old.questions_asked == self.new.questions_asked

    def add(self, case: Case) -> None:
        checked: Facts | None = None
        if self.same_questions and case.expect is None:  # the answers are checked once, for both
            try:
                checked = facts_from_answers(self.old, case.answers)
            except AnswersInvalid as exc:
                self.cannot.append(CannotEvaluate(case, str(exc), str(exc)))
                return
        before, old_reason = _try(self.old, case, checked)
        after, new_reason = _try(self.new, case, checked)
        if case.expect is not None and (after is None or after.problems):
            problems = after.problems if after else (f"cannot evaluate under the new rules: {new_reason}",)
            self.failing.append(Failing(case, problems, before is None or bool(before.problems), _expected(case)))
        if before is None or after is None:
            self.cannot.append(CannotEvaluate(case, old_reason, new_reason))
            return
        self.transitions[before.route, after.route] += 1
        if _differs(before, after):
            self.changed.append(_changed(self.new, case, before, after))

    def merge(self, part: _Slice, cases: tuple[Case, ...]) -> None:
        """Add a slice compared elsewhere."""
        self.transitions.update(part.transitions)
        self.changed += [_changed(self.new, cases[n], before, after) for n, before, after in part.changed]
        self.cannot += [CannotEvaluate(cases[n], old, new) for n, old, new in part.cannot]
        self.failing += [Failing(cases[n], problems, before, _expected(cases[n]))
                         for n, problems, before in part.failing]

    def report(self, total: int) -> ImpactReport:
        return ImpactReport(_ref(self.old), _ref(self.new), dict(self.transitions), _rows(self),
                            tuple(self.changed), tuple(self.cannot), tuple(self.failing), total)


def _expected(case: Case) -> dict[str, str]:
    """The route and level a case expects, as words can be found for them."""
    expect = case.expect or {}
    return {k: str(expect[k]) for k in ("route", "level") if k in expect}


def _try(rs: RuleSet, case: Case, checked: Facts | None = None) -> tuple[Result | None, str]:
    try:
        return _evaluate(rs, case, checked), ""
    except AnswersInvalid as exc:
        return None, str(exc)


def _evaluate(rs: RuleSet, case: Case, checked: Facts | None = None) -> Result:
    """Route, level and fired rules; the full outcome only for a case with an expectation to check."""
    if case.expect is not None:
        outcome = evaluate(rs, case.answers, agency=case.agency, record=case.record)
        problems = tuple(compare_expectation(case.expect, outcome, exact=case.exact))
        return Result(outcome.route, outcome.risk_level, tuple(f.rule for f in outcome.findings),
                      outcome.strategy_meeting.required, problems)
    decision = decide(rs, case.answers, agency=case.agency, record=case.record, checked=checked)
    return Result(decision.route, decision.level, decision.fired, decision.strategy_meeting)


def _differs(before: Result, after: Result) -> bool:
    """Route, level, strategy meeting or the set of fired rules (in any order) differ."""
    return (before.route != after.route or before.level != after.level
            or before.strategy_meeting != after.strategy_meeting
            or (before.fired != after.fired and set(before.fired) != set(after.fired)))


def _changed(new: RuleSet, case: Case, before: Result, after: Result) -> ChangedCase:
    old_fired, new_fired = set(before.fired), set(after.fired)
    return ChangedCase(case, before, after, tuple(r for r in after.fired if r not in old_fired),
                       tuple(r for r in before.fired if r not in new_fired), tuple(_down_reasons(new, before, after)))


def _down_reasons(new: RuleSet, before: Result, after: Result) -> Iterator[str]:
    if _lower(new.route_by_id, before.route, after.route):
        yield f"route {before.route} -> {after.route}"
    if _lower(new.level_by_id, before.level, after.level):
        yield f"level {before.level} -> {after.level}"
    if before.strategy_meeting and not after.strategy_meeting:
        yield "strategy meeting no longer recommended"


def _lower(ladder: Mapping[str, Route | Level], before: str, after: str) -> bool:
    """Is `after` below `before` on the new ladder? A step the new ladder lacks counts as down."""
    if before == after:
        return False
    return before not in ladder or ladder[after].rank < ladder[before].rank


def _rows(tally: _Tally) -> tuple[Transition, ...]:
    return transition_rows(tally.old, tally.new, tally.transitions)


def transition_rows(old: RuleSet, new: RuleSet, transitions: Mapping[tuple[str, str], int]
                    ) -> tuple[Transition, ...]:
    """(from route, to route) -> cases as rows up the old ladder, each marked up, down or same on the new one."""
    new_routes = new.route_by_id
    old_rank = {r.id: r.rank for r in old.routes}

    def direction(start: str, end: str) -> str:
        if start == end:
            return "same"
        return "down" if _lower(new_routes, start, end) else "up"

    ordered = sorted(transitions.items(), key=lambda kv: (old_rank.get(kv[0][0], -1), new_routes[kv[0][1]].rank))
    return tuple(Transition(a, b, n, direction(a, b)) for (a, b), n in ordered)


# --- Building cases --------------------------------------------------------------------------------------------


def cases_from_vignettes(vignettes: Iterable[Vignette]) -> list[Case]:
    """One case per vignette stage, with the answers accumulated so far and the stage's exact expectation."""
    return [Case(f"{v.id}/{stage.number}", "vignette",
                 f"{v.title}, stage {stage.number} of {len(v.stages)}: {stage.title}", stage.agency,
                 stage.answers, stage.expect.as_dict(), True, str(stage.location))
            for v in vignettes for stage in v.stages]


def cases_from_screenings(rows: Iterable[tuple[str, str, str | None, Mapping[str, object], ChildRecord | None]]
                          ) -> list[Case]:
    """One case per stored screening, from (id, status, agency, answers, child record) rows, drafts included."""
    return [Case(sid, "screening", f"Screening {sid[:8]} ({status})", agency, answers, record=record)
            for sid, status, agency, answers, record in rows]


def cases_from_dir(path: str | Path) -> list[Case]:
    """Cases from the case files (*.yaml) at `path`, a directory or one file.

    A file holds one case (agency, answers) or a list of them (scenario files, each with a name and an
    optional `expect`, checked like a scenario test). Raises ValueError with a located message."""
    path = Path(path)
    return [case for file in yaml_files(path) for case in _cases_in_file(file, path)]


def _cases_in_file(file: Path, root: Path) -> Iterator[Case]:
    doc, errors = parse_yaml(file.read_text(encoding="utf-8"), str(file))
    if errors:
        raise ValueError("\n".join(str(e) for e in errors))
    name = str(file.relative_to(root)) if root.is_dir() else file.name
    entries = doc.data if isinstance(doc.data, list) else [doc.data]
    for index, data in enumerate(entries):
        where = doc.where((index,) if isinstance(doc.data, list) else ())
        try:
            agency, answers = case_from_data(data)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
        expect = data.get("expect")
        if expect is not None and not (isinstance(expect, dict) and "route" in expect):
            raise ValueError(f"{where}: 'expect' must be a mapping with at least 'route'")
        case_id = f"{name}#{index + 1}" if isinstance(doc.data, list) else name
        yield Case(case_id, "case", str(data.get("name") or case_id), agency, answers, expect, False, str(where))
