"""Reading the forms after the referral: dates as GOV.UK date inputs (day, month, year), a time as HH:MM, and
choices from fixed lists; each problem a message for its field."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from ...meeting_record import ATTENDANCE, DECISIONS, AgreedAction, MeetingMinutes
from ...outcome import Invite
from ...question_types import whole_number

MAX_TEXT = 2000
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


# The messages below are in the context "after the referral": their labels are phrases ("the date you sent it"), so
# their Welsh differs from the question pages' messages with the same English.


def _capital(label: str) -> str:
    return f"{label[:1].upper()}{label[1:]}"


def read_date(data, name: str, label: str, required: bool = False) -> tuple[date | None, str]:
    """`name`_day/_month/_year as a date (None if all blank and not required), or the message why not. `label` is
    in the page's language ("the date you raised it")."""
    parts = [str(data.get(f"{name}_{p}") or "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, (pgettext("after the referral", "Enter %(label)s", label=label) if required else "")
    day, month, year = (whole_number(p) for p in parts)
    try:
        found = date(year or 0, month or 0, day or 0)
    except ValueError:
        found = None
    if found is None or not 2000 <= found.year <= 2100:
        return None, pgettext("after the referral", "%(label)s must be a real date, like 27 3 2026",
                              label=_capital(label))
    return found, ""


def read_time(data, name: str, label: str) -> tuple[time | None, str]:
    text = str(data.get(name) or "").strip()
    if not text:
        return None, ""
    match = _TIME.match(text)
    return (time(int(match.group(1)), int(match.group(2))), "") if match else \
        (None, pgettext("after the referral", "Enter %(label)s as hours and minutes, like 14:30", label=label))


def moment(day: date | None, at: time | None) -> datetime | None:
    return datetime.combine(day, at or time(0, 0), tzinfo=UTC) if day else None


def read_text(data, name: str, label: str, required: bool = False, limit: int = MAX_TEXT) -> tuple[str, str]:
    text = str(data.get(name) or "").strip()
    if required and not text:
        return "", pgettext("after the referral", "Enter %(label)s", label=label)
    if len(text) > limit:
        return "", pgettext("after the referral", "%(label)s must be %(max)s characters or fewer",
                            label=_capital(label), max=limit)
    return text, ""


def read_choice(data, name: str, allowed, label: str, required: bool = False) -> tuple[str, str]:
    value = str(data.get(name) or "")
    if not value:
        return "", (pgettext("after the referral", "Select %(label)s", label=label) if required else "")
    return (value, "") if value in allowed else ("", pgettext("after the referral", "Select %(label)s", label=label))


HOW_HELD = {"in_person": _l("In person"), "online": _l("Online"), "phone": _l("By phone")}
MAX_ACTIONS = 12
_TEXTS = {"chair_name": _l("the chair's name"), "chair_role": _l("the chair's role"),
          "delay_reason": _l("why it was held after it was due"), "child_view": _l("the child's views"),
          "child_view_why_not": _l("why the child's views were not gathered"),
          "parents_view": _l("the parents' or carers' views"), "parents_why_not": _l("why they were not sought"),
          "decision_why": _l("the reasons for the decision")}


def read_meeting(data, invitees: tuple[Invite, ...]) -> tuple[MeetingMinutes, dict[str, str]]:
    """The meeting's record as entered (kept even when incomplete: a draft); errors only for what cannot be read."""
    errors: dict[str, str] = {}
    held_on, errors["held"] = read_date(data, "held", _("the date of the meeting"))
    held_time, errors["held_time"] = read_time(data, "held_time", _("the time of the meeting"))
    held = moment(held_on, held_time)
    record = MeetingMinutes(held_at=held.isoformat() if held else "",
                           how=data.get("how", "") if data.get("how") in HOW_HELD else "")
    for name, label in _TEXTS.items():
        record[name], errors[name] = read_text(data, name, str(label))  # type: ignore[literal-required]
    record["decision"] = data.get("decision", "") if data.get("decision") in DECISIONS else ""
    record["attendance"] = {i.role: data.get(f"attendance_{n}") for n, i in enumerate(invitees)
                            if data.get(f"attendance_{n}") in ATTENDANCE}
    record["absent_reasons"] = {i.role: str(data.get(f"absent_{n}", "")).strip()[:500]
                                for n, i in enumerate(invitees) if str(data.get(f"absent_{n}", "")).strip()}
    record["actions"] = _read_actions(data, errors)
    record["recommendations"] = [line.strip()[:500] for line in str(data.get("recommendations", "")).splitlines()
                                 if line.strip()][:20]
    review, errors["next_review"] = read_date(data, "next_review", _("the date of the next review"))
    record["next_review"] = review.isoformat() if review else ""
    return record, {k: v for k, v in errors.items() if v}


def _read_actions(data, errors: dict[str, str]) -> list[AgreedAction]:
    actions = []
    for n in range(1, MAX_ACTIONS + 1):
        what = str(data.get(f"action_{n}_what", "")).strip()[:500]
        if not what:
            continue
        due_on, errors[f"action_{n}_due"] = read_date(data, f"action_{n}_due",
                                                      _("the due date of action %(number)s", number=n))
        actions.append(AgreedAction(what=what, owner=str(data.get(f"action_{n}_owner", "")).strip()[:200],
                                     agency=str(data.get(f"action_{n}_agency", "")).strip()[:200],
                                     due=due_on.isoformat() if due_on else ""))
    return actions


def meeting_form_data(record: MeetingMinutes, invitees: tuple[Invite, ...]) -> dict:
    """A saved record as the form's fields."""
    data: dict = {k: v for k, v in record.items() if isinstance(v, str)}
    data.update(_date_fields("held", record.get("held_at", "")))
    if record.get("held_at"):
        data["held_time"] = f"{datetime.fromisoformat(record['held_at']):%H:%M}"
    for n, invite in enumerate(invitees):
        data[f"attendance_{n}"] = record.get("attendance", {}).get(invite.role, "")
        data[f"absent_{n}"] = record.get("absent_reasons", {}).get(invite.role, "")
    for n, action in enumerate(record.get("actions", []), start=1):
        data.update({f"action_{n}_{k}": action.get(k, "") for k in ("what", "owner", "agency")})
        data.update(_date_fields(f"action_{n}_due", action.get("due", "")))
    data["recommendations"] = "\n".join(record.get("recommendations", []))
    data.update(_date_fields("next_review", record.get("next_review", "")))
    return data


def _date_fields(name: str, iso: str) -> dict[str, int]:
    """An ISO date (or date-time) as a GOV.UK date input's three boxes; none for ""."""
    if not iso:
        return {}
    day = datetime.fromisoformat(iso)
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def response_form_data(held, decided_by: str = "") -> dict:
    """A recorded referral response as its form's fields; `decided_by` fills who decided when nobody is recorded."""
    if held is None:
        return {"decided_by": decided_by}
    data: dict = {"sent_how": held.sent_how, "sent_to": held.sent_to, "decision": held.decision,
                  "decided_by": held.decided_by or decided_by, "decision_reasons": held.decision_reasons}
    for name, at in (("sent", held.sent_at), ("received", held.received_at), ("acknowledged", held.acknowledged_at),
                     ("decided", held.decided_at)):
        if at is not None:
            data.update(_date_fields(name, at.isoformat()))
    data.update({f"{name}_time": f"{at:%H:%M}" for name, at in (("sent", held.sent_at), ("received", held.received_at))
                 if at is not None})
    return data
