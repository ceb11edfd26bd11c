"""A synthetic partnership to look at and to measure: `screening demo simulate --screenings N`.

Children (about one for every five screenings) with histories across agencies over the last `years`; each
screening's answers drawn from a case mix (mostly early concerns, fewer for children's social care, some child
protection, a few children in danger now), its outcome produced by the engine from those answers, so the routes,
the rules that fired and everything the dashboard counts are the rules' own. Then what follows a screening:
practitioners' decisions (most agree, some raise or lower a step), referral responses (most decided by children's
social care, some still waiting past their due time), challenges of some late ones, and strategy-meeting records
for some child protection referrals. Names say they are simulated. Written in batches, each one transaction that
counts itself into the dashboard's tallies; a second run adds children and screenings to the first (the benches
grow a database this way). Practice data only: a demo or bench database, never a live one."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..engine import decide, evaluate
from ..identifiers import Identity
from ..model import CHILD_REFERENCE, RuleSet
from ..question_types import numeric_range
from ..workdays import due
from . import summaries
from .db import Database
from .models import Challenge, Child, ChildKey, Decision, FiredRule, MeetingRecord, ReferralResponse, Screening
from .screenings import age_band
from .sealing import Keys

OWNER = "simulated"
BATCH = 2_000
MOST_CHILDREN = 250_000  # NHS numbers 999 000 0000 upwards, four to a child
# (share of screenings, green signs, amber signs, red signs, a sign of immediate danger)
CASE_MIX = ((0.50, (1, 2), (0, 1), (0, 0), False), (0.30, (0, 2), (1, 2), (0, 0), False),
            (0.17, (0, 2), (0, 2), (1, 1), False), (0.03, (0, 1), (0, 2), (0, 1), True))
DECISIONS = (("agree", 0.70), ("raise", 0.10), ("lower", 0.08), ("", 0.12))
FAMILY = ("Simulated-Ash", "Simulated-Birch", "Simulated-Cedar", "Simulated-Elm", "Simulated-Oak", "Simulated-Yew")


@dataclass
class Made:
    """What a simulation made."""

    screenings: int = 0
    children: int = 0
    responses: int = 0
    overdue: int = 0  # responses still waiting past their due time
    meetings: int = 0


def simulate(database: Database, rs: RuleSet, keys: Keys, screenings: int, rng: random.Random, years: float = 2.0,
             trim_outcomes: bool = False, now: datetime | None = None) -> Made:
    """Add `screenings` completed screenings of new simulated children to `database` (prepared, with `rs` active;
    it may hold a simulation already, which this one adds to). Each batch is one transaction that keeps the
    dashboard's tallies in step, so nothing is counted again at the end and memory stays that of a batch."""
    now = now or datetime.now(UTC)
    with database.reading() as tx:
        first = tx.scalar(select(func.count()).select_from(Child)) or 0
    count = max(1, screenings // 5)
    if first + count > MOST_CHILDREN:
        raise ValueError(f"at most {MOST_CHILDREN * 5:,} screenings in all (the NHS numbers set aside for "
                         "simulated children)")
    people: list[_Person] = []
    for start in range(first, first + count, BATCH):
        made_now = _children(keys, range(start, min(first + count, start + BATCH)), rng, now)
        with database.transaction() as tx:
            _insert(tx, Child, [row for row, _ in made_now])
            _insert(tx, ChildKey, [k for _, person in made_now for k in person.keys])
        people += [_Person(person.id, person.born) for _, person in made_now]
    made = Made(screenings, count)
    outcomes = _Outcomes(rs, trim_outcomes)
    for start in range(0, screenings, BATCH):
        rows = [_screening(rs, rng, people, years, now, outcomes) for _ in range(min(BATCH, screenings - start))]
        ids = [row["id"] for row, _ in rows]
        with database.transaction() as tx, summaries.kept(tx, ids, {r["child_id"] for r, _ in rows} - {None}):
            _write(tx, rs, rng, rows, now, made)
            summaries.count_stored(tx, ids)
    return made


@dataclass(frozen=True)
class _Person:
    id: str
    born: date
    keys: tuple[dict[str, Any], ...] = ()


def _children(keys: Keys, numbers: range, rng: random.Random, now: datetime) -> list[tuple[dict[str, Any], _Person]]:
    """Simulated child `n` for each n in `numbers`: their row, and who they are with their blind indexes."""
    found = []
    for n in numbers:
        born = (now - timedelta(days=rng.uniform(12.5, 18.5) * 365.25)).date()  # 10 to 17 when screened, mostly
        family = f"{rng.choice(FAMILY)}{rng.randrange(1000)}"  # as rarely shared with a birthday as real names are
        who = Identity(nhs=_nhs_number(n), given=f"Simulated{n}", family=family, born=born)
        child_id = uuid.uuid4().hex
        blind = tuple({"child_id": child_id, "kind": kind, "digest": keys.blind(kind, value)}
                      for kind, value in (*who.exact().items(), *who.name_keys().items()))
        found.append(({"id": child_id, "identity": keys.seal(who), "created_at": now}, _Person(child_id, born, blind)))
    return found


def _nhs_number(n: int) -> str:
    """A valid NHS number of its own for child n, from the range set aside for testing (999 000 0000 upwards)."""
    for stem in range(999_000_000 + n * 4, 999_000_000 + n * 4 + 4):
        digits = [int(d) for d in str(stem)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return f"{stem}{0 if check == 11 else check}"
    raise ValueError(n)


@dataclass(frozen=True)
class _Result:
    """What the rest of a simulated screening needs of its outcome."""

    route: str
    fired: tuple[str, ...]
    invitees: tuple[str, ...] | None  # the meeting's invitees' roles; None: no strategy meeting


class _Outcomes:
    """Simulated screenings' outcomes, from the rules. Whole, or for the benches trimmed to what the list and the
    dashboard read: the route, level and rules fired come from `decide` (a fraction of the cost); the route's and
    agency's words from one whole outcome per route, level and agency; a strategy meeting, when the rules ask
    for one, from the whole outcome of that screening (its invitees depend on the answers)."""

    CUT: dict[str, Any] = {"routes": [], "actions": [], "findings": [], "escalation": [], "answered": [],
                           "information_gaps": [], "nearby": [], "nearest": None, "indicators": [], "child_voice": []}

    def __init__(self, rs: RuleSet, trim: bool) -> None:
        self.rs, self.trim = rs, trim
        self.shells: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.hard = {r.id for r in rs.rules if r.then.hard_trigger}

    def of(self, answers: dict[str, Any], agency: str) -> tuple[dict[str, Any], _Result]:
        if self.trim:
            brief = decide(self.rs, answers, agency=agency)
            shell = self.shells.get((brief.route, brief.level, agency))
            if shell is not None and not brief.strategy_meeting:
                return ({**shell, "route": brief.route, "risk_level": brief.level,
                         "hard_triggers": [r for r in brief.fired if r in self.hard],
                         "signs_answered": len(self.rs.indicator_ids & answers.keys())},
                        _Result(brief.route, brief.fired, None))
        outcome = evaluate(self.rs, answers, agency=agency)
        stored = {**outcome.to_dict(), **(self.CUT if self.trim else {})}
        meeting = outcome.strategy_meeting
        if self.trim and not meeting.required:
            self.shells[(outcome.route, outcome.risk_level, agency)] = stored
        return stored, _Result(outcome.route, tuple(sorted({f.rule for f in outcome.findings})),
                               tuple(i.role for i in meeting.invitees) if meeting.required else None)


def _screening(rs: RuleSet, rng: random.Random, people: list[_Person], years: float, now: datetime,
               outcomes: _Outcomes) -> tuple[dict[str, Any], _Result]:
    done = now - timedelta(days=rng.random() * years * 365.25)
    person = rng.choice(people) if rng.random() < 0.8 else None
    age = ((done.date() - person.born).days * 100 // 36525) if person else rng.choice([12, 13, 14, 14, 15, 15, 16, 17])
    agency = rng.choice(rs.agencies).id
    answers = _answers(rs, rng, min(17, max(8, age)))
    stored, result = outcomes.of(answers, agency)
    row = {"id": uuid.uuid4().hex, "owner": OWNER, "created_at": done - timedelta(minutes=rng.randint(5, 40)),
           "updated_at": done, "completed_at": done, "completed_month": done.strftime("%Y-%m"), "status": "complete",
           "agency": agency, "answers": answers, "pages_done": [], "language_choices": {}, "ruleset_id": rs.meta.id,
           "ruleset_version": rs.meta.version, "ruleset_hash": rs.hash, "outcome": stored,
           "recommended_route": result.route, "age_band": age_band(age), "child_id":
           person.id if person else None, "decision_reason": "", "lead_consulted": "", "referrer_contact": ""}
    return row, result


def _answers(rs: RuleSet, rng: random.Random, age: int) -> dict[str, Any]:
    mix = _pick(rng, [(m, m[0]) for m in CASE_MIX])
    _, green, amber, red, danger = mix
    signs = _signs_at(rs, age)
    chosen: list[str] = []
    for level, (low, high) in (("green", green), ("amber", amber), ("red", red)):
        pool = [i.id for i in signs if i.level == level and i.theme != "immediate_danger"]
        chosen += rng.sample(pool, min(len(pool), rng.randint(low, high)))
    if danger:
        chosen.append(rng.choice([i.id for i in signs if i.theme == "immediate_danger"]))
    answers: dict[str, Any] = {}
    for sign in signs:
        if sign.id in chosen:
            answers[sign.id] = {"answer": "yes", "when": "recent"} if sign.recency else "yes"
        elif rng.random() < 0.5:
            answers[sign.id] = "no"
    history = {q.id for q in rs.history_questions}  # what a child's record gives: left to the record
    for question in rs.questions:
        value = None if question.id in history else _answer(question, rng, age)
        if value is not None:
            answers[question.id] = value
    return answers


_SIGNS: dict[tuple[str, int], list[Any]] = {}


def _signs_at(rs: RuleSet, age: int) -> list[Any]:
    """The signs that apply at `age` (worked out once per rule set and age)."""
    key = (rs.hash, age)
    if key not in _SIGNS:
        _SIGNS[key] = [i for i in rs.indicators if not rs.outside_ages(i.id, {"age": age})]
    return _SIGNS[key]


def _answer(question: Any, rng: random.Random, age: int) -> Any:
    if question.kind.child_age:
        return age
    if question.purpose == CHILD_REFERENCE:
        return f"SIM-{rng.randrange(10**6):06d}"
    if question.type == "count":
        low, high = numeric_range(question)
        if rng.random() < 0.15:
            return "not_known"
        return 0 if rng.random() < 0.7 else min(high, max(low, 1 + int(rng.expovariate(0.8))))
    if question.type == "tristate":
        return rng.choice(["yes", "no", "no", "not_known"])
    if question.type == "choice" and question.options:
        return rng.choice(question.options).id
    return None  # free text and the rest: left unanswered, as a hurried practitioner might


def _write(tx: Any, rs: RuleSet, rng: random.Random, rows: list[tuple[dict[str, Any], _Result]], now: datetime,
           made: Made) -> None:
    ranks = {r.id: r.rank for r in rs.routes}
    ladder = [r.id for r in rs.routes]
    fired, decisions, responses, challenges, meetings = [], [], [], [], []
    for row, outcome in rows:
        fired += [{"screening_id": row["id"], "rule_id": r} for r in sorted(set(outcome.fired))]
        decision = _pick(rng, list(DECISIONS))
        step = {"agree": 0, "raise": 1, "lower": -1}.get(decision, 0)
        route = ladder[min(len(ladder) - 1, max(0, ranks[outcome.route] + step))] if decision else None
        if decision and (step == 0 or route != outcome.route):
            row.update(decision=decision, decided_route=route, decided_at=row["completed_at"],
                       lead_consulted="Simulated lead" if decision == "lower" else "")
            decisions.append({"screening_id": row["id"], "number": 1, "decision": decision, "route": route,
                              "reason": "Simulated", "lead_consulted": row["lead_consulted"], "made_by": OWNER,
                              "made_at": row["completed_at"]})
        counted = rs.route_by_id[row.get("decided_route") or outcome.route]
        if counted.response_within is not None:
            sent = row["completed_at"] + timedelta(minutes=rng.randint(10, 240))
            due_at = due(sent, counted.response_within)
            waiting = due_at < now and rng.random() < 0.1
            option = _social_care_decision(rs, rng, counted.rank)
            responses.append({"screening_id": row["id"], "sent_at": sent, "sent_how": "phone", "sent_to": "MASH",
                              "due_at": due_at, "updated_by": OWNER, "updated_at": sent,
                              **({} if waiting or due_at > now else {
                                  "decision": option.id, "decision_label": option.label,
                                  "decision_route": option.route, "decided_by": "Simulated MASH manager",
                                  "decided_at": due_at - timedelta(hours=rng.randint(1, 8))})})
            made.responses += 1
            made.overdue += waiting
            if waiting and rng.random() < 0.5:
                challenges.append({"screening_id": row["id"], "stage": 1, "to_whom": "MASH team manager",
                                   "raised_on": due_at.date(), "made_by": OWNER, "made_at": due_at,
                                   "resolved": False})
        if outcome.invitees is not None and rng.random() < 0.4:
            meetings.append({"screening_id": row["id"], "child_id": row["child_id"], "version": 1, "status": "final",
                             "held_at": row["completed_at"] + timedelta(days=1), "made_by": OWNER,
                             "made_at": row["completed_at"] + timedelta(days=1), "finalised_by": OWNER,
                             "finalised_at": row["completed_at"] + timedelta(days=1),
                             "record": _minutes(outcome, rng)})
            made.meetings += 1
    for table, batch in ((Screening, [r for r, _ in rows]), (FiredRule, fired), (Decision, decisions),
                         (ReferralResponse, responses), (Challenge, challenges), (MeetingRecord, meetings)):
        if batch:
            _insert(tx, table, batch)


def _insert(tx: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Write rows in bulk: on PostgreSQL by COPY (several times faster than INSERT at a simulation's volume: 40,000
    rules fired in 0.26 s against 1.9 s), each column a row leaves out given its default; elsewhere by executemany."""
    if tx.get_bind().dialect.name != "postgresql":
        tx.execute(insert(table), rows)
        return
    given = set().union(*rows)
    columns = [c for c in table.__table__.columns if c.key in given or c.default is not None]
    if any(not c.default.is_scalar and any(c.key not in row for row in rows) for c in columns if c.default):
        tx.execute(insert(table), rows)  # a default worked out per row (an id, a time): SQLAlchemy gives it
        return
    names = ", ".join(c.name for c in columns)
    with tx.connection().connection.driver_connection.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
            f"COPY {table.__tablename__} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copied(row[c.key]) if c.key in row else c.default.arg if c.default else None
                            for c in columns])


def _copied(value: Any) -> Any:
    return orjson.dumps(value).decode() if isinstance(value, (dict, list)) else value


def _social_care_decision(rs: RuleSet, rng: random.Random, rank: int) -> Any:
    """Mostly the route referred or one step either side; now and then no further action."""
    options = [o for o in rs.social_care_decisions if o.route in rs.route_by_id]
    near = [o for o in options if abs(rs.route_by_id[o.route].rank - rank) <= 1]
    return rng.choice(near or options)


def _minutes(outcome: _Result, rng: random.Random) -> dict[str, Any]:
    """A final meeting record: who came (now and then an agency missing), and the child's and parents' views."""
    came = {role: rng.choice(["attended", "attended", "attended", "sent_information", "invited_not_attended"])
            for role in outcome.invitees or ()}
    return {"attendance": came, "child_view": "Simulated: the child's view, in their words" if rng.random() < 0.8
            else "", "parents_view": "Simulated" if rng.random() < 0.6 else "",
            "parents_why_not": "" if rng.random() < 0.6 else "Telling them could raise the risk"}


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]

