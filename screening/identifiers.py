"""What practitioners hold to identify a child, checked and written one way, so that the same child matches
whatever the spacing or case: NHS number (check digit), unique pupil number (check letter and local authority
code), the local authority's own child id, and name, date of birth and postcode for offered matches."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.gb import nhs, upn

from . import words
from .words import gettext as _

EXACT = ("nhs", "upn", "la")  # identifiers that match exactly; a name and date of birth only suggest a match
_LA_ID = re.compile(r"[A-Z0-9/]{1,30}")
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


class NotAnIdentifier(ValueError):
    """The text cannot be this identifier; the message says why, in words for the practitioner."""


def nhs_number(text: str) -> str:
    """Ten digits whose last is the check digit of the others; spaces and hyphens are ignored."""
    digits = re.sub(r"[\s-]", "", text)
    if not digits.isascii() or not digits.isdigit() or len(digits) != 10:
        raise NotAnIdentifier(_("An NHS number is 10 digits, like 943 476 5919"))
    try:
        return str(nhs.validate(digits))
    except ValidationError:
        raise NotAnIdentifier(_("Check the NHS number: its last digit does not match the others")) from None


def pupil_number(text: str) -> str:
    """A unique pupil number: a check letter, 11 digits and a digit or letter (13 characters)."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if len(compact) != 13 or not compact.isascii() or not compact.isalnum():
        raise NotAnIdentifier(_("A unique pupil number is 13 characters: a letter then 12 digits, like "
                                "B801200005001"))
    try:
        return str(upn.validate(compact))
    except ValidationError:
        raise NotAnIdentifier(_("Check the unique pupil number: it does not pass the pupil number check")) from None


def local_authority_id(text: str) -> str:
    """The local authority's child id: letters, digits and slashes; spaces and hyphens are ignored."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if not _LA_ID.fullmatch(compact):
        raise NotAnIdentifier(_("A local authority child id is up to 30 letters, digits or slashes"))
    return compact


def postcode(text: str) -> str:
    compact = re.sub(r"\s", "", text).upper()
    if not _POSTCODE.fullmatch(compact):
        raise NotAnIdentifier(_("Enter a real postcode, like SE1 7PB"))
    return compact


CHECKS: dict[str, Callable[[str], str]] = {"nhs": nhs_number, "upn": pupil_number, "la": local_authority_id,
                                           "postcode": postcode}


def checked(given: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each identifier given (nhs, upn, la, postcode) written one way, and why any cannot be used, by name."""
    found, errors = {}, {}
    for name, check in CHECKS.items():
        if given.get(name):
            try:
                found[name] = check(given[name][:200])
            except NotAnIdentifier as exc:
                errors[name] = str(exc)
    return found, errors


def long_date(day: date | None) -> str:
    """'3 March 2012', in the language spoken (words.long_date)."""
    return words.long_date(day) if day else _("date of birth not known")


def name_key(text: str) -> str:
    """A name as it is matched: letters only, without accents or case ('O'Brien-Smith' -> 'obriensmith')."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if c.isalpha() and not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Carer:
    """A parent or carer, for the referral: who they are to the child and how to reach them."""

    name: str
    relationship: str = ""
    contact: str = ""
    responsibility: str = ""  # has parental responsibility: "yes", "no" or "" (not known)


@dataclass(frozen=True)
class Identity:
    """A child as a practitioner identifies them; every field may be empty. The address, school and carers are
    for the referral only: they never match a record."""

    nhs: str = ""
    upn: str = ""
    la: str = ""
    given: str = ""
    family: str = ""
    born: date | None = None
    postcode: str = ""
    address: str = ""
    school: str = ""
    carers: tuple[Carer, ...] = ()

    @classmethod
    def checked(cls, found: Mapping[str, str], born: date | None = None) -> Identity:
        """An identity of fields already checked (`checked`); each one missing is empty."""
        return cls(found.get("nhs", ""), found.get("upn", ""), found.get("la", ""), found.get("given", ""),
                   found.get("family", ""), born, found.get("postcode", ""))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Identity:
        """An identity as sealed (`to_json`); one sealed before the referral's fields has none of them."""
        born, carers = data.get("born"), data.get("carers")
        return cls(**{**data, "born": date.fromisoformat(born) if isinstance(born, str) and born else None,
                      "carers": tuple(Carer(**c) for c in carers) if isinstance(carers, list) else ()})

    def to_json(self) -> dict[str, object]:
        return {**self.__dict__, "born": self.born.isoformat() if self.born else "",
                "carers": [c.__dict__ for c in self.carers]}

    def exact(self) -> dict[str, str]:
        """The exact identifiers given: kind -> normalised value."""
        return {kind: getattr(self, kind) for kind in EXACT if getattr(self, kind)}

    def name_keys(self) -> dict[str, str]:
        """What a name and date-of-birth match looks for: both names with the date, or either one with it (so
        a misspelt or changed surname still finds the child, to be confirmed)."""
        if self.born is None:
            return {}
        born, given, family = self.born.isoformat(), name_key(self.given), name_key(self.family)
        keys = {"given_born": f"{given}|{born}" if given else "", "family_born": f"{family}|{born}" if family else ""}
        return {kind: value for kind, value in keys.items() if value}

    @property
    def masked(self) -> str:
        """Initials only: 'J... S...'."""
        return " ".join(f"{n.strip()[0].upper()}..." for n in (self.given, self.family) if n.strip()) or _("No name")

    @property
    def nhs_spaced(self) -> str:
        """The NHS number as it is written: '943 476 5919'."""
        return f"{self.nhs[:3]} {self.nhs[3:6]} {self.nhs[6:]}" if self.nhs else ""

    @property
    def full_name(self) -> str:
        return " ".join(n.strip() for n in (self.given, self.family) if n.strip())
