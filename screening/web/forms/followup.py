"""Reading the forms after the referral: dates as GOV.UK date inputs (day, month, year), a time as HH:MM, and
choices from fixed lists; each problem a message for its field."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from ...question_types import whole_number
from . import messages as msg

MAX_TEXT = 2000
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def read_date(data, name: str, label: str, required: bool = False) -> tuple[date | None, str]:
    """`name`_day/_month/_year as a date (None if all blank and not required), or the message why not."""
    parts = [str(data.get(f"{name}_{p}") or "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, (f"Enter {label}" if required else "")
    day, month, year = (whole_number(p) for p in parts)
    try:
        found = date(year or 0, month or 0, day or 0)
    except ValueError:
        return None, f"{label[0].upper()}{label[1:]} must be a real date, like 27 3 2026"
    if not 2000 <= found.year <= 2100:
        return None, f"{label[0].upper()}{label[1:]} must be a real date, like 27 3 2026"
    return found, ""


def read_time(data, name: str, label: str) -> tuple[time | None, str]:
    text = str(data.get(name) or "").strip()
    if not text:
        return None, ""
    match = _TIME.match(text)
    return (time(int(match.group(1)), int(match.group(2))), "") if match else \
        (None, f"Enter {label} as hours and minutes, like 14:30")


def moment(day: date | None, at: time | None) -> datetime | None:
    return datetime.combine(day, at or time(0, 0), tzinfo=UTC) if day else None


def read_text(data, name: str, label: str, required: bool = False, limit: int = MAX_TEXT) -> tuple[str, str]:
    text = str(data.get(name) or "").strip()
    if required and not text:
        return "", msg.ENTER_TEXT.format(label=label)
    if len(text) > limit:
        return "", msg.TEXT_TOO_LONG.format(label=label[0].upper() + label[1:], max=limit)
    return text, ""


def read_choice(data, name: str, allowed, label: str, required: bool = False) -> tuple[str, str]:
    value = str(data.get(name) or "")
    if not value:
        return "", (f"Select {label}" if required else "")
    return (value, "") if value in allowed else ("", f"Select {label}")
