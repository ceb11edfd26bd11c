"""Running tallies the partnership dashboard reads instead of the screenings, so that its cost follows the days
and kinds of screening asked about, not how many there are.

Two tables (models.ScreeningSummary, models.RuleSummary) count completed screenings by the day they were completed
(UTC) and agency, and by what the dashboard groups on; two more count the same by month (ScreeningMonthSummary,
RuleMonthSummary), so that a period's whole months cost a month's rows each, not a month of days'. They are kept in
step in the same transaction as every write that changes what they count: a screening completed (`count_in`), a
practitioner's decision and children's social care's decision (`count_out` with the old values, then `count_in`
with the new), screenings deleted (`forget`).
Each change is an increment of one row (an upsert), so concurrent writers never lose one another's counts.

Three more follow what comes after a screening and a child's other screenings (models.FollowupSummary,
AwaitingSummary: followup_summaries.py; RepeatSummary: repeat_summaries.py). What they count of one screening
depends on several rows (its challenges, its meeting records' newest version, its child's other screenings), so a
write to them runs inside `kept`: the screening's and child's rows locked, what they counted taken out and what
they count now added, in the same transaction.

`rebuild` counts them all again from the stored rows (`screening db resummarise`), and `recount` says what they should
hold, for the checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import followup_summaries, repeat_summaries
from .db import as_utc
from .models import (
    AwaitingSummary,
    Child,
    FiredRule,
    FollowupSummary,
    ReferralResponse,
    RepeatSummary,
    RuleMonthSummary,
    RuleSummary,
    Screening,
    ScreeningMonthSummary,
    ScreeningSummary,
)

ScreeningKey = tuple[date, str, str, str, str, str, str]  # day, agency, recommended, decided, decision, age, csc
RuleKey = tuple[date, str, str, str]  # day, agency, rule, decision
Tallies = Counter[Any]  # a key of one of the tables -> screenings


@dataclass(frozen=True)
class Kind:
    """One table of tallies: its key columns and the column that counts."""

    table: Any
    columns: tuple[str, ...]
    count: str = "screenings"


SCREENINGS = Kind(ScreeningSummary, ("day", "agency", "recommended_route", "decided_route", "decision", "age_band",
                                     "csc_route"))
RULES = Kind(RuleSummary, ("day", "agency", "rule_id", "decision"))
SCREENING_MONTHS = Kind(ScreeningMonthSummary, SCREENINGS.columns)
RULE_MONTHS = Kind(RuleMonthSummary, RULES.columns)
FOLLOWUP = Kind(FollowupSummary, ("day", "agency", "what"))
AWAITING = Kind(AwaitingSummary, ("day", "agency", "due_at"))
REPEATS = Kind(RepeatSummary, ("agency", "day", "routes"), "children")
KINDS = (SCREENINGS, RULES, FOLLOWUP, AWAITING, REPEATS, SCREENING_MONTHS, RULE_MONTHS)
MONTHS = {SCREENINGS: SCREENING_MONTHS, RULES: RULE_MONTHS}  # each day's counts, counted by month too


def csc_route(decision: str | None, label: str | None, route: str | None) -> str:
    """Children's social care's decision (a referral response's decision, its label and route) as the dashboard
    compares it: '' for none yet; the route of the option chosen, or for one recorded before routes were kept (no
    label), its id."""
    return "" if not decision else decision if not label else route or ""


def csc_of(response: ReferralResponse | None) -> str:
    return csc_route(response.decision, response.decision_label, response.decision_route) if response else ""


def _key(done: datetime | None, agency: str | None, recommended: str | None, decided: str | None, decision: str | None,
         band: str | None, csc: str) -> ScreeningKey:
    return (_day(done), agency or "", recommended or "", decided or "", decision or "", band or "not_known",
            csc)


def _day(done: datetime | None) -> date:
    """The day (UTC) a screening was completed: the dashboard's periods are days."""
    if done is None:
        raise ValueError("a screening is counted only once it is completed")
    return as_utc(done).date()


def _screening_key(screening: Screening, csc: str) -> ScreeningKey:
    return _key(screening.completed_at, screening.agency, screening.recommended_route, screening.decided_route,
                screening.decision, screening.age_band, csc)


def _rule_keys(screening: Screening, rules: Iterable[str]) -> list[RuleKey]:
    day, agency, decision = _day(screening.completed_at), screening.agency or "", screening.decision or ""
    return [(day, agency, rule, decision) for rule in rules]


def count_in(tx: Session, screening: Screening, csc: str = "", rules: Iterable[str] | None = None) -> None:
    """Add a completed screening as it stands (`rules`: those that fired, when not yet stored)."""
    _change(tx, screening, csc, rules, +1)


def count_out(tx: Session, screening: Screening, csc: str = "") -> None:
    """Take a completed screening out as it stands, before a change to what is counted."""
    _change(tx, screening, csc, None, -1)


def _change(tx: Session, screening: Screening, csc: str, rules: Iterable[str] | None, by: int) -> None:
    if screening.status != "complete" or screening.completed_at is None:
        return
    if rules is None:
        rules = tx.scalars(select(FiredRule.rule_id).where(FiredRule.screening_id == screening.id))
    _bump_days(tx, SCREENINGS, Counter({_screening_key(screening, csc): by}))
    _bump_days(tx, RULES, Counter({key: by for key in _rule_keys(screening, rules)}))


def forget(tx: Session, screening_ids: list[str]) -> None:
    """Take out the completed screenings among `screening_ids`, before they are deleted."""
    _stored(tx, screening_ids, -1)


def count_stored(tx: Session, screening_ids: list[str]) -> None:
    """Add the completed screenings among `screening_ids`, as stored (written in bulk, as a simulation writes)."""
    _stored(tx, screening_ids, +1)


def _stored(tx: Session, screening_ids: list[str], by: int) -> None:
    for start in range(0, len(screening_ids), 500):
        screenings, rules = _counts(tx, Screening.id.in_(screening_ids[start:start + 500]))
        _bump_days(tx, SCREENINGS, Counter({k: by * n for k, n in screenings.items()}))
        _bump_days(tx, RULES, Counter({k: by * n for k, n in rules.items()}))


def _bump_days(tx: Session, kind: Kind, changes: Tallies) -> None:
    """Add changes to a table by day and to its twin by month."""
    _bump(tx, kind, changes)
    _bump(tx, MONTHS[kind], by_month(changes))


def by_month(days: Tallies) -> Tallies:
    """Counts keyed by day (first in the key) counted again by month (keyed by its first day)."""
    months: Tallies = Counter()
    for (day, *rest), n in days.items():
        months[(day.replace(day=1), *rest)] += n
    return months


def _bump(tx: Session, kind: Kind, changes: Tallies) -> None:
    """Add each change to its row, making the row if there is none, in one statement (an upsert). Awaited
    referrals' rows go when they count none, so that table holds only what is still awaited."""
    rows = [{**dict(zip(kind.columns, key, strict=True)), kind.count: by} for key, by in changes.items() if by]
    if not rows:
        return
    table, count = kind.table, getattr(kind.table, kind.count)
    insert = (postgresql.insert if tx.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    tx.execute(insert.on_conflict_do_update(index_elements=list(kind.columns),
                                            set_={kind.count: count + getattr(insert.excluded, kind.count)}), rows)
    if kind is AWAITING:
        tx.execute(delete(table).where(count == 0, table.day.in_({row["day"] for row in rows})))


@contextmanager
def kept(tx: Session, screening_ids: Collection[str], children: Iterable[str] = ()) -> Iterator[None]:
    """Keep the follow-up and repeat tallies in step with what the block changes of these screenings (and of
    `children`, besides those they are linked to): what they counted before is taken out and what they count after
    is added. Their rows are locked first, so two writers of one screening or child take turns."""
    ids = sorted(set(screening_ids))
    linked = set(children)
    for start in range(0, len(ids), 500):
        linked |= set(tx.scalars(select(Screening.child_id).where(Screening.id.in_(ids[start:start + 500]))
                                 .with_for_update()))
    linked.discard(None)
    tx.execute(select(Child.id).where(Child.id.in_(sorted(linked))).with_for_update())
    before: tuple[Tallies, ...] = (*followup_summaries.counted(tx, ids), repeat_summaries.counted(tx, linked))
    yield
    tx.flush()
    after: tuple[Tallies, ...] = (*followup_summaries.counted(tx, ids), repeat_summaries.counted(tx, linked))
    for kind, old, new in zip((FOLLOWUP, AWAITING, REPEATS), before, after, strict=True):
        new.subtract(old)
        _bump(tx, kind, new)


def _counts(tx: Session, *where: Any) -> tuple[Tallies, Tallies]:
    """What the tables should hold for the completed screenings matching `where`, counted from the stored rows
    (read in batches, the columns counted only)."""
    complete = (Screening.status == "complete", Screening.completed_at.is_not(None), *where)
    counted = (Screening.completed_at, Screening.agency, Screening.recommended_route, Screening.decided_route,
               Screening.decision, Screening.age_band)
    screenings: Tallies = Counter()
    query = select(*counted, ReferralResponse.decision, ReferralResponse.decision_label,
                   ReferralResponse.decision_route).outerjoin(
        ReferralResponse, ReferralResponse.screening_id == Screening.id).where(*complete)
    for done, agency, recommended, decided, decision, band, csc, label, route in tx.execute(
            query.execution_options(yield_per=5000)):
        screenings[_key(done, agency, recommended, decided, decision, band, csc_route(csc, label, route))] += 1
    rules: Tallies = Counter()
    fired = select(Screening.completed_at, Screening.agency, FiredRule.rule_id, Screening.decision).join(
        Screening, Screening.id == FiredRule.screening_id).where(*complete)
    for done, agency, rule, decision in tx.execute(fired.execution_options(yield_per=5000)):
        rules[(_day(done), agency or "", rule, decision or "")] += 1
    return screenings, rules


def recount(tx: Session, kinds: tuple[Kind, ...] = KINDS) -> tuple[Tallies, ...]:
    """What the tables of `kinds` should hold, counted from every stored row."""
    found: dict[Kind, Tallies] = {}
    if {SCREENINGS, RULES, SCREENING_MONTHS, RULE_MONTHS} & set(kinds):
        found[SCREENINGS], found[RULES] = _counts(tx)
        found[SCREENING_MONTHS], found[RULE_MONTHS] = by_month(found[SCREENINGS]), by_month(found[RULES])
    if FOLLOWUP in kinds or AWAITING in kinds:
        found[FOLLOWUP], found[AWAITING] = followup_summaries.counted(tx)
    if REPEATS in kinds:
        found[REPEATS] = repeat_summaries.counted(tx)
    return tuple(found[kind] for kind in kinds)


def stored(tx: Session, kinds: tuple[Kind, ...] = KINDS) -> tuple[Tallies, ...]:
    """What the tables of `kinds` hold (rows counting none left out; times in UTC)."""
    def read(kind: Kind) -> Tallies:
        found = tx.execute(select(*(getattr(kind.table, c) for c in kind.columns), getattr(kind.table, kind.count)))
        return Counter({tuple(as_utc(v) if isinstance(v, datetime) else v for v in row[:-1]): row[-1]
                        for row in found if row[-1]})
    return tuple(read(kind) for kind in kinds)


def count_months(tx: Session) -> None:
    """Fill the tables by month from those by day (a cheaper count than from the screenings, for migration 0018)."""
    for days, months in MONTHS.items():
        tx.execute(delete(months.table))
        _bump(tx, months, by_month(stored(tx, (days,))[0]))


def rebuild(tx: Session, kinds: tuple[Kind, ...] = KINDS) -> int:
    """Count the tables of `kinds` again from the stored rows; returns how many completed screenings there are."""
    for kind, counted in zip(kinds, recount(tx, kinds), strict=True):
        tx.execute(delete(kind.table))
        _bump(tx, kind, counted)
    tx.flush()
    return tx.scalar(select(func.count()).select_from(Screening).where(Screening.status == "complete",
                                                                       Screening.completed_at.is_not(None))) or 0
