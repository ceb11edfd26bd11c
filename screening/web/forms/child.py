"""The 'who is the child?' form: identifiers checked as they are typed, each error next to its field."""

from __future__ import annotations

from datetime import date

from ...identifiers import Carer, Identity, checked
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
        errors["born"] = msg.NAME_NEEDS_DOB.format()
    if born is not None and not has_name:
        errors["given"] = msg.DOB_NEEDS_NAME.format()
    if errors:
        return None, errors
    who = Identity.checked(found, born)
    if not who.exact() and not who.name_keys():
        return None, {"nhs": msg.ENTER_CHILD.format()}
    return who, {}


def _identifiers(given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each identifier and name checked and written one way; errors by field."""
    found, errors = checked(given)
    for name in ("given", "family"):
        if len(given[name]) > MAX_NAME:
            errors[name] = msg.NAME_TOO_LONG.format(max=MAX_NAME)
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
        return None, msg.DOB_REAL.format()
    if born > today():
        return None, msg.DOB_PAST.format()
    if today().year - born.year > 25:
        return None, msg.DOB_YEAR.format()
    return born, ""


def hidden_fields(data) -> dict[str, str]:
    """The identifiers as typed, carried through the confirmation page (they are already in this browser)."""
    return {name: str(data.get(name) or "")[:200] for name in FIELDS}


CARER_SLOTS = (1, 2)
CARER_PARTS = ("name", "relationship", "contact", "pr")
DETAIL_FIELDS = ("address", "school", *(f"carer{n}_{part}" for n in CARER_SLOTS for part in CARER_PARTS))
MAX_DETAIL = 300


def read_details(data) -> tuple[Identity | None, dict[str, str]]:
    """What the referral needs beyond finding the child (address, school, parents or carers), or the errors by
    field. Every field may be left blank."""
    given = {name: str(data.get(name) or "").strip() for name in DETAIL_FIELDS}
    errors = {name: msg.DETAIL_TOO_LONG.format(max=MAX_DETAIL) for name, text in given.items()
              if len(text) > MAX_DETAIL}
    carers = []
    for n in CARER_SLOTS:
        name, relationship, contact, pr = (given[f"carer{n}_{part}"] for part in CARER_PARTS)
        if (relationship or contact or pr) and not name:
            errors[f"carer{n}_name"] = msg.CARER_NAME.format()
        if name:
            carers.append(Carer(name, relationship, contact, pr if pr in ("yes", "no") else ""))
    if errors:
        return None, errors
    return Identity(address=given["address"], school=given["school"], carers=tuple(carers)), {}
