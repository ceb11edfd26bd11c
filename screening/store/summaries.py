"""Running tallies the partnership dashboard reads instead of the screenings, so that its cost follows the days
and kinds of screening asked about, not how many there are.

Two tables (models.ScreeningSummary, models.RuleSummary) count completed screenings by the day they were completed
(UTC) and agency, and by what the dashboard groups on. They are kept in step in the same transaction as every write
that changes what they count: a screening completed (`count_in`), a practitioner's decision and children's social
care's decision (`count_out` with the old values, then `count_in` with the new), screenings deleted (`forget`).
Each change is an increment of one row (an upsert), so concurrent writers never lose one another's counts.
`rebuild` counts them again from the stored rows (`screening db resummarise`), and `recount` says what they should
hold, for the checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .db import as_utc
from .models import FiredRule, ReferralResponse, RuleSummary, Screening, ScreeningSummary

ScreeningKey = tuple[date, str, str, str, str, str, str]  # day, agency, recommended, decided, decision, age, csc
RuleKey = tuple[date, str, str, str]  # day, agency, rule, decision
Tallies = Counter[Any]  # a key of one of the tables -> screenings
_SCREENING_COLUMNS = ("day", "agency", "recommended_route", "decided_route", "decision", "age_band", "csc_route")
_RULE_COLUMNS = ("day", "agency", "rule_id", "decision")


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
    _bump(tx, ScreeningSummary, _SCREENING_COLUMNS, Counter({_screening_key(screening, csc): by}))
    _bump(tx, RuleSummary, _RULE_COLUMNS, Counter({key: by for key in _rule_keys(screening, rules)}))


def forget(tx: Session, screening_ids: list[str]) -> None:
    """Take out the completed screenings among `screening_ids`, before they are deleted."""
    for start in range(0, len(screening_ids), 500):
        screenings, rules = _counts(tx, Screening.id.in_(screening_ids[start:start + 500]))
        _bump(tx, ScreeningSummary, _SCREENING_COLUMNS, Counter({k: -n for k, n in screenings.items()}))
        _bump(tx, RuleSummary, _RULE_COLUMNS, Counter({k: -n for k, n in rules.items()}))


def _bump(tx: Session, table: Any, columns: tuple[str, ...], changes: Tallies) -> None:
    """Add each change to its row, making the row if there is none, in one statement (an upsert)."""
    rows = [{**dict(zip(columns, key, strict=True)), "screenings": by} for key, by in changes.items() if by]
    if not rows:
        return
    insert = (postgresql.insert if tx.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    tx.execute(insert.on_conflict_do_update(index_elements=list(columns),
                                            set_={"screenings": table.screenings + insert.excluded.screenings}),
               rows)


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


def recount(tx: Session) -> tuple[Tallies, Tallies]:
    """What both tables should hold, counted from every stored screening."""
    return _counts(tx)


def stored(tx: Session) -> tuple[Tallies, Tallies]:
    """What both tables hold (rows counting none left out)."""
    def read(table: Any, columns: tuple[str, ...]) -> Tallies:
        found = tx.execute(select(*(getattr(table, c) for c in columns), table.screenings))
        return Counter({tuple(row[:-1]): row[-1] for row in found if row[-1]})
    return read(ScreeningSummary, _SCREENING_COLUMNS), read(RuleSummary, _RULE_COLUMNS)


def rebuild(tx: Session) -> int:
    """Count both tables again from the stored screenings; returns how many screenings were counted."""
    screenings, rules = recount(tx)
    tx.execute(delete(ScreeningSummary))
    tx.execute(delete(RuleSummary))
    _bump(tx, ScreeningSummary, _SCREENING_COLUMNS, screenings)
    _bump(tx, RuleSummary, _RULE_COLUMNS, rules)
    tx.flush()
    return sum(screenings.values())
