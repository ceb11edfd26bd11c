"""Timescales such as 'now', '4 hours' or '1 working day', ordered by urgency."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import gettext, ngettext

# A working day is never sooner than a calendar day: five working days span a week, so one counts as 7/5 of a
# day when timescales are put in order ("24 hours" comes before "1 working day", "2 working days" before "3 days").
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "working day": 24.0 * 7 / 5}
_PATTERN = re.compile(r"^\s*(?:(now)|(\d+)\s+(minute|hour|day|working day)s?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Timescale:
    """A deadline relative to the screening; compares by urgency (smaller is sooner)."""

    hours: float
    text: str

    def __str__(self) -> str:
        return self.text


NOW = Timescale(0.0, "now")


def parse_timescale(text: str) -> Timescale:
    """Parse 'now', 'N minutes', 'N hours', 'N days' or 'N working days'; raises ValueError otherwise."""
    match = _PATTERN.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a timescale")
    if match.group(1):
        return NOW
    amount, unit = int(match.group(2)), match.group(3).lower()
    return Timescale(amount * _UNIT_HOURS[unit], text.strip())


def timescale_words(text: str) -> str:
    """A timescale as the language spoken says it ('4 hours' -> '4 awr', 'now' -> 'nawr'). Outcomes keep the
    English ('1 working day'), which is also what the dates due are worked out from; anything else is as written."""
    match = _PATTERN.match(str(text))
    if not match:
        return text
    if match.group(1):
        return gettext("now")
    amount, unit = int(match.group(2)), match.group(3).lower()
    return {"minute": lambda: ngettext("%(num)d minute", "%(num)d minutes", amount),
            "hour": lambda: ngettext("%(num)d hour", "%(num)d hours", amount),
            "day": lambda: ngettext("%(num)d day", "%(num)d days", amount),
            "working day": lambda: ngettext("%(num)d working day", "%(num)d working days", amount)}[unit]()
