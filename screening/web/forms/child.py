"""The 'who is the child?' form: identifiers checked as they are typed, each error next to its field."""

from __future__ import annotations

from datetime import date

from ...identifiers import Identity, checked
from ...question_types import whole_number
from . import messages as msg
from .fields import DOB_PARTS, today

FIELDS = ("nhs", "upn", "la", "given", "family", "born_day", "born_month", "born_year", "postcode")
MAX_NAME = 100


def read_child(data) -> tuple[Identity | None, dict[str, str]]:
    """The child as identified, or the errors by field name (`born` for the date as a whole)."""
    given = {name: str(data.get(name) or "").strip() for name in FIELDS}
    found, errors = _identifiers(given)
    born, problem = _born(given)
    if problem:
        errors["born"] = problem
    has_name = bool(given["given"] or given["family"])
    if has_name and born is None and not problem:
        errors["born"] = msg.NAME_NEEDS_DOB
    if born is not None and not has_name:
        errors["given"] = msg.DOB_NEEDS_NAME
    if errors:
        return None, errors
    who = Identity(born=born, **found)
    if not who.exact() and not who.name_keys():
        return None, {"nhs": msg.ENTER_CHILD}
    return who, {}


def _identifiers(given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each identifier and name checked and written one way; errors by field."""
    found, errors = checked(given)
    for name in ("given", "family"):
        if len(given[name]) > MAX_NAME:
            errors[name] = f"The name must be {MAX_NAME} characters or fewer"
        found[name] = given[name][:MAX_NAME]
    return found, errors


def _born(given: dict[str, str]) -> tuple[date | None, str]:
    parts = [given[f"born_{p}"] for p in DOB_PARTS]
    if not any(parts):
        return None, ""
    day, month, year = (whole_number(p) for p in parts)
    try:
        born = date(year or 0, month or 0, day or 0)  # 0 is never a real year, month or day
    except ValueError:
        return None, msg.DOB_REAL
    if born > today():
        return None, msg.DOB_PAST
    if today().year - born.year > 25:
        return None, "Check the year of birth: this tool is for children"
    return born, ""


def hidden_fields(data) -> dict[str, str]:
    """The identifiers as typed, carried through the confirmation page (they are already in this browser)."""
    return {name: str(data.get(name) or "")[:200] for name in FIELDS}
