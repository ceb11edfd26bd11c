"""Due dates from timescales: 'N working days' skip weekends and England and Wales bank holidays (from the
`holidays` library, which its maintainers keep up to date); other timescales count clock hours."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from .timescale import Timescale

_WORKING = re.compile(r"^\s*(\d+)\s+working days?\s*$", re.IGNORECASE)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`th working day after `start` (0: `start` itself if it is one, else the next)."""
    day = start
    while not is_working_day(day) and count == 0:
        day += timedelta(days=1)
    while count > 0:
        day += timedelta(days=1)
        count -= int(is_working_day(day))
    return day


def due(start: datetime, within: Timescale) -> datetime:
    """When something sent at `start` is due: the end of the Nth working day after it, or `start` plus the hours."""
    match = _WORKING.match(within.text)
    if match:
        day = add_working_days(start.date(), int(match.group(1)))
        return datetime.combine(day, time(23, 59, 59), tzinfo=start.tzinfo)
    return start + timedelta(hours=within.hours)


def working_days_late(due_at: datetime, now: datetime) -> int:
    """How many working days after the due day `now` falls (0 when not late)."""
    if now <= due_at:
        return 0
    day, late = due_at.date(), 0
    while day < now.date():
        day += timedelta(days=1)
        late += int(is_working_day(day))
    return max(late, 1)
