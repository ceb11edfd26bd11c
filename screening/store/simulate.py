"""A synthetic partnership to look at and to measure: `screening demo simulate --screenings N`.

Children (about one for every five screenings) with histories across agencies over the last `years`; each
screening's answers drawn from a case mix (mostly early concerns, fewer for children's social care, some child
protection, a few children in danger now), its outcome produced by the engine from those answers, so the routes,
the rules that fired and everything the dashboard counts are the rules' own. Then what follows a screening:
practitioners' decisions (most agree, some raise or lower a step), referral responses (most decided by children's
social care, some still waiting past their due time), challenges of some late ones, and strategy-meeting records
for some child protection referrals. Names say they are simulated. Written in batches; the dashboard's tallies are
counted at the end. Practice data only: a demo or bench database, never a live one."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from ..engine import evaluate
from ..identifiers import Identity
from ..model import CHILD_REFERENCE, RuleSet
from ..outcome import Outcome
from ..question_types import numeric_range
from ..workdays import due
from . import summaries
from .db import Database
from .models import Challenge, Child, ChildKey, Decision, FiredRule, MeetingRecord, ReferralResponse, Screening
from .screenings import age_band
from .sealing import Keys

OWNER = "simulated"
BATCH = 2_000
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
    """Fill `database` (prepared, with `rs` active) with `screenings` completed screenings of simulated children."""
    now = now or datetime.now(UTC)
    if screenings > 1_000_000:
        raise ValueError("at most 1,000,000 screenings (the NHS numbers set aside for simulated children)")
    people = _children(rs, keys, max(1, screenings // 5), rng, years, now)
    with database.transaction() as tx:
        tx.execute(insert(Child), [p.row for p in people])
        tx.execute(insert(ChildKey), [k for p in people for k in p.keys])
    made = Made(screenings, len(people))
    for start in range(0, screenings, BATCH):
        rows = [_screening(rs, rng, people, years, now, trim_outcomes) for _ in range(min(BATCH, screenings - start))]
        with database.transaction() as tx:
            _write(tx, rs, rng, rows, now, made)
    with database.transaction() as tx:
        summaries.rebuild(tx)
    return made


@dataclass(frozen=True)
class _Person:
    id: str
    born: date
    row: dict[str, Any]
    keys: list[dict[str, Any]]


def _children(rs: RuleSet, keys: Keys, count: int, rng: random.Random, years: float, now: datetime
              ) -> list[_Person]:
    found = []
    for n in range(count):
        born = (now - timedelta(days=rng.uniform(12.5, 18.5) * 365.25)).date()  # 10 to 17 when screened, mostly
        who = Identity(nhs=_nhs_number(n), given=f"Simulated{n}", family=rng.choice(FAMILY), born=born)
        child_id = uuid.uuid4().hex
        found.append(_Person(child_id, born, {"id": child_id, "identity": keys.seal(who), "created_at": now},
                             [{"child_id": child_id, "kind": kind, "digest": keys.blind(kind, value)}
                              for kind, value in (*who.exact().items(), *who.name_keys().items())]))
    return found


def _nhs_number(n: int) -> str:
    """A valid NHS number of its own for child n, from the range set aside for testing (999 000 0000 upwards)."""
    for stem in range(999_000_000 + n * 4, 999_000_000 + n * 4 + 4):
        digits = [int(d) for d in str(stem)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return f"{stem}{0 if check == 11 else check}"
    raise ValueError(n)


def _screening(rs: RuleSet, rng: random.Random, people: list[_Person], years: float, now: datetime,
               trim: bool) -> tuple[dict[str, Any], Outcome]:
    done = now - timedelta(days=rng.random() * years * 365.25)
    person = rng.choice(people) if rng.random() < 0.8 else None
    age = ((done.date() - person.born).days * 100 // 36525) if person else rng.choice([12, 13, 14, 14, 15, 15, 16, 17])
    agency = rng.choice(rs.agencies).id
    answers = _answers(rs, rng, min(17, max(8, age)))
    outcome = evaluate(rs, answers, agency=agency)
    stored = outcome.to_dict()
    if trim:  # the benches: what the list and dashboard read, without the ladder, actions and trace
        stored = {**stored, "routes": [], "actions": [], "findings": [], "escalation": [], "answered": [],
                  "information_gaps": [], "nearby": [], "nearest": None}
    row = {"id": uuid.uuid4().hex, "owner": OWNER, "created_at": done - timedelta(minutes=rng.randint(5, 40)),
           "updated_at": done, "completed_at": done, "completed_month": done.strftime("%Y-%m"), "status": "complete",
           "agency": agency, "answers": answers, "pages_done": [], "language_choices": {}, "ruleset_id": rs.meta.id,
           "ruleset_version": rs.meta.version, "ruleset_hash": rs.hash, "outcome": stored,
           "recommended_route": outcome.route, "age_band": age_band(age), "child_id":
           person.id if person else None, "decision_reason": "", "lead_consulted": "", "referrer_contact": ""}
    return row, outcome


def _answers(rs: RuleSet, rng: random.Random, age: int) -> dict[str, Any]:
    mix = _pick(rng, [(m, m[0]) for m in CASE_MIX])
    _, green, amber, red, danger = mix
    signs = [i for i in rs.indicators if not rs.outside_ages(i.id, {"age": age})]
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


def _write(tx: Any, rs: RuleSet, rng: random.Random, rows: list[tuple[dict[str, Any], Outcome]], now: datetime,
           made: Made) -> None:
    ranks = {r.id: r.rank for r in rs.routes}
    ladder = [r.id for r in rs.routes]
    fired, decisions, responses, challenges, meetings = [], [], [], [], []
    for row, outcome in rows:
        fired += [{"screening_id": row["id"], "rule_id": r} for r in sorted({f.rule for f in outcome.findings})]
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
        if outcome.strategy_meeting.required and rng.random() < 0.4:
            meetings.append({"screening_id": row["id"], "child_id": row["child_id"], "version": 1, "status": "final",
                             "held_at": row["completed_at"] + timedelta(days=1), "made_by": OWNER,
                             "made_at": row["completed_at"] + timedelta(days=1), "finalised_by": OWNER,
                             "finalised_at": row["completed_at"] + timedelta(days=1),
                             "record": _minutes(outcome, rng)})
            made.meetings += 1
    for table, batch in ((Screening, [r for r, _ in rows]), (FiredRule, fired), (Decision, decisions),
                         (ReferralResponse, responses), (Challenge, challenges), (MeetingRecord, meetings)):
        if batch:
            tx.execute(insert(table), batch)


def _social_care_decision(rs: RuleSet, rng: random.Random, rank: int) -> Any:
    """Mostly the route referred or one step either side; now and then no further action."""
    options = [o for o in rs.social_care_decisions if o.route in rs.route_by_id]
    near = [o for o in options if abs(rs.route_by_id[o.route].rank - rank) <= 1]
    return rng.choice(near or options)


def _minutes(outcome: Outcome, rng: random.Random) -> dict[str, Any]:
    """A final meeting record: who came (now and then an agency missing), and the child's and parents' views."""
    came = {i.role: rng.choice(["attended", "attended", "attended", "sent_information", "absent"])
            for i in outcome.strategy_meeting.invitees}
    return {"attendance": came, "child_view": "Simulated: the child's view, in their words" if rng.random() < 0.8
            else "", "parents_view": "Simulated" if rng.random() < 0.6 else "",
            "parents_why_not": "" if rng.random() < 0.6 else "Telling them could raise the risk"}


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]

