"""Group training sessions: a room answers a vignette stage by stage on their own devices.

A learner is a random id, also kept in their cookie; an answer is a route, a short reason and the stage. When the
trainer closes the session its answers become anonymous counts per vignette stage (`TrainingTally`) and every row
about the session, its learners and answers is deleted. A session left open for `ABANDONED` is deleted when the
next one starts, without counting it."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import TrainingAnswer, TrainingLearner, TrainingSession, TrainingTally

CODE_LETTERS = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S or 8/B to misread from the back of a room
CODE_LENGTH = 6
PHASES = ("answering", "spread", "revealed", "learning")  # each stage; then "ended" after the last
ABANDONED = timedelta(hours=12)


def new_learner_id() -> str:
    return secrets.token_hex(16)


def normal_code(text: str) -> str:
    """A code as typed (any case, spaces or hyphens) as it is stored."""
    return "".join(text.split()).replace("-", "").upper()[:CODE_LENGTH * 2]


def start(tx: Session, vignette_id: str, trainer: str, now: datetime | None = None) -> TrainingSession:
    """A new session at stage 1 with a join code no open session has."""
    now = now or datetime.now(UTC)
    _delete_abandoned(tx, now - ABANDONED)
    taken = set(tx.scalars(select(TrainingSession.code)))
    code = _code()
    while code in taken:
        code = _code()
    found = TrainingSession(code=code, vignette_id=vignette_id, started_by=trainer, stage=1, phase="answering",
                            started_at=now)
    tx.add(found)
    tx.flush()
    return found


def _code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def _delete_abandoned(tx: Session, before: datetime) -> None:
    for old in list(tx.scalars(select(TrainingSession).where(TrainingSession.started_at < before))):
        _delete(tx, old)


def find(tx: Session, code: str) -> TrainingSession | None:
    return tx.scalar(select(TrainingSession).where(TrainingSession.code == normal_code(code)))


def running(tx: Session, trainer: str) -> list[TrainingSession]:
    """The sessions `trainer` has open, newest first."""
    return list(tx.scalars(select(TrainingSession).where(TrainingSession.started_by == trainer)
                           .order_by(TrainingSession.id.desc())))


def join(tx: Session, found: TrainingSession, learner: str) -> None:
    if not is_learner(tx, found, learner):
        tx.add(TrainingLearner(session_id=found.id, learner=learner))


def is_learner(tx: Session, found: TrainingSession, learner: str) -> bool:
    return tx.scalar(select(TrainingLearner.id).where(TrainingLearner.session_id == found.id,
                                                      TrainingLearner.learner == learner)) is not None


def answer(tx: Session, found: TrainingSession, learner: str, route: str, reason: str) -> bool:
    """Record (or change) the learner's answer to the current stage; False once the room has moved past answering."""
    if found.phase != "answering":
        return False
    given = answer_of(tx, found, learner)
    if given is None:
        tx.add(TrainingAnswer(session_id=found.id, learner=learner, stage=found.stage, route=route, reason=reason))
    else:
        given.route, given.reason = route, reason
    return True


def answer_of(tx: Session, found: TrainingSession, learner: str) -> TrainingAnswer | None:
    """The learner's answer to the current stage, if they gave one."""
    return tx.scalar(select(TrainingAnswer).where(TrainingAnswer.session_id == found.id,
                                                  TrainingAnswer.learner == learner,
                                                  TrainingAnswer.stage == found.stage))


def joined(tx: Session, found: TrainingSession) -> int:
    return tx.scalar(select(func.count()).where(TrainingLearner.session_id == found.id)) or 0


def counts(tx: Session, found: TrainingSession) -> dict[int, dict[str, int]]:
    """Per stage answered so far: learners by route."""
    query = (select(TrainingAnswer.stage, TrainingAnswer.route, func.count())
             .where(TrainingAnswer.session_id == found.id).group_by(TrainingAnswer.stage, TrainingAnswer.route))
    found_counts: dict[int, dict[str, int]] = {}
    for stage, route, n in tx.execute(query):
        found_counts.setdefault(stage, {})[route] = n
    return found_counts


def reasons(tx: Session, found: TrainingSession) -> list[tuple[str, str]]:
    """(route, reason) for the current stage's answers that give a reason, in the order given."""
    query = (select(TrainingAnswer.route, TrainingAnswer.reason)
             .where(TrainingAnswer.session_id == found.id, TrainingAnswer.stage == found.stage,
                    TrainingAnswer.reason != "").order_by(TrainingAnswer.id))
    return [(route, reason) for route, reason in tx.execute(query)]


def advance(found: TrainingSession, stages: int) -> None:
    """The projector's next step: answers, their spread, the rules' route with the room's reasons, the learning
    points, then the next stage (or the end after the last)."""
    if found.phase == "ended":
        return
    at = PHASES.index(found.phase)
    if at < len(PHASES) - 1:
        found.phase = PHASES[at + 1]
    elif found.stage < stages:
        found.stage, found.phase = found.stage + 1, PHASES[0]
    else:
        found.phase = "ended"


def close(tx: Session, found: TrainingSession, rules_routes: Mapping[int, str]) -> None:
    """Add the session's answers to the anonymous counts (`rules_routes`: the rules' route per stage), then delete
    the session, its learners and their answers."""
    for stage, by_route in sorted(counts(tx, found).items()):
        if stage in rules_routes:
            _add_to_tally(tx, found.vignette_id, stage, rules_routes[stage], by_route)
    _delete(tx, found)


def _add_to_tally(tx: Session, vignette_id: str, stage: int, rules_route: str, by_route: Mapping[str, int]) -> None:
    tally = _tally_for_update(tx, vignette_id, stage, rules_route)
    tally.routes = dict(Counter(tally.routes) + Counter(by_route))
    tally.sessions += 1
    tally.learners += sum(by_route.values())


def _tally_for_update(tx: Session, vignette_id: str, stage: int, rules_route: str) -> TrainingTally:
    """The stage's counts row, locked; made first if there is none (another closing session may make it at the
    same moment: then that one is used)."""
    query = select(TrainingTally).where(TrainingTally.vignette_id == vignette_id, TrainingTally.stage == stage,
                                        TrainingTally.rules_route == rules_route).with_for_update()
    tally = tx.scalar(query)
    if tally is not None:
        return tally
    try:
        with tx.begin_nested():
            tx.add(TrainingTally(vignette_id=vignette_id, stage=stage, rules_route=rules_route, routes={},
                                 sessions=0, learners=0))
    except IntegrityError:
        pass
    made: TrainingTally = tx.scalars(query).one()
    return made


def _delete(tx: Session, found: TrainingSession) -> None:
    tx.execute(delete(TrainingAnswer).where(TrainingAnswer.session_id == found.id))
    tx.execute(delete(TrainingLearner).where(TrainingLearner.session_id == found.id))
    tx.delete(found)
    tx.flush()


def tallies(tx: Session) -> list[TrainingTally]:
    return list(tx.scalars(select(TrainingTally).order_by(TrainingTally.vignette_id, TrainingTally.stage)))
