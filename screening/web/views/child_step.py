"""Who the child is: after the first page, the practitioner finds or adds the child by what they hold. An exact
identifier links the record at once; a name and date of birth offers masked candidates to confirm; the
practitioner may go on without identifying the child (the screening stays unlinked)."""

from __future__ import annotations

import functools
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm

from ...identifiers import Identity, long_date
from ...store import audit, children
from ...store.models import Screening
from ..access import SCREENERS, allow
from ..child_records import child_words, involvement
from ..context import database, identity_keys
from ..forms import messages as msg
from ..forms.child import CARER_SLOTS, hidden_fields, read_child, read_details
from ..forms.pages import journey_pages, next_page
from ..view_models import CHILD_STEP, RETURN_TO_CHECK, is_linked
from .screening import load_own, owner, ruleset, screening

NEW = "new"  # the confirmation page's "none of these: add a new record"


@screening.get("/screenings/<screening_id>/child")
@allow(*SCREENERS)
def child(screening_id: str):
    with database().reading() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        linked = {"words": child_words(tx, found), "others": involvement(tx, ruleset(), found)} \
            if is_linked(found) else None
    return render_template("child_find.html", screening=found, form=FlaskForm(), data={}, errors={},
                           linked=linked, carry_on=_carry_on(found))


@screening.post("/screenings/<screening_id>/child")
@allow(*SCREENERS)
def find_child(screening_id: str):
    """Find the child by what was typed: one record found exactly is linked; otherwise offer what a name and
    date of birth suggest, or add a new record when nothing matches."""
    who, errors = read_child(request.form)
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        if who is None:
            return render_template("child_find.html", screening=found, form=FlaskForm(), data=request.form,
                                   errors=errors, linked=None, carry_on=_carry_on(found)), 400
        return _find(tx, found, who, may_add=True)


def _find(tx, found: Screening, who: Identity, may_add: bool):
    """One record found exactly is linked; several, or what a name and date of birth suggest, are offered to
    confirm; with nothing found, a new record is added (when `may_add`)."""
    exact = children.exact_matches(tx, identity_keys(), who)
    if len(exact) == 1:
        return _link(tx, found, exact.pop(), who)
    offered = children.candidates(tx, identity_keys(), who) if not exact else []
    if exact or offered or not may_add:
        shown = [children.candidate(tx, identity_keys(), c, who) for c in sorted(exact)] if exact else offered
        return _confirm(found, shown, bool(exact), {})
    return _add(tx, found, who)


@screening.post("/screenings/<screening_id>/child/confirm")
@allow(*SCREENERS)
def confirm_child(screening_id: str):
    """The practitioner's choice among the candidates (checked again here: only a record offered may be taken)."""
    who, errors = read_child(request.form)
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if who is None or found.status == "complete":
            return redirect(url_for(".child", screening_id=screening_id))
        exact = children.exact_matches(tx, identity_keys(), who)
        offered = ([children.candidate(tx, identity_keys(), c, who) for c in sorted(exact)] if exact
                   else children.candidates(tx, identity_keys(), who))
        choice = request.form.get("record", "")
        if choice == NEW and len(exact) == 0:
            return _add(tx, found, who)
        if choice in {c.child_id for c in offered}:
            return _link(tx, found, choice, who)
        return _confirm(found, offered, bool(exact), {"record": msg.SELECT_RECORD.format()})


@screening.post("/screenings/<screening_id>/child/skip")
@allow(*SCREENERS)
def skip_child(screening_id: str):
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        _unlink(tx, found)
        found.pages_done = sorted({*found.pages_done, CHILD_STEP})
        return redirect(_carry_on(found))


@screening.post("/screenings/<screening_id>/child/change")
@allow(*SCREENERS)
def change_child(screening_id: str):
    """Not the right child: take the link off this draft and search again."""
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        _unlink(tx, found)
        found.pages_done = [p for p in found.pages_done if p != CHILD_STEP]
    return redirect(url_for(".child", screening_id=screening_id))


def _unlink(tx, found: Screening) -> None:
    was = children.unlink(tx, found)
    if was is not None:
        tx.flush()
        audit.record(tx, owner(), "child_unlinked", "screening", found.id, child=was)
        children.drop_if_unscreened(tx, was)


def _confirm(found: Screening, offered: list, conflict: bool, errors: dict):
    cards = [{"id": c.child_id, "masked": c.masked, "born": long_date(c.born), "screenings": c.screenings,
              "same_postcode": c.same_postcode} for c in offered]
    return render_template("child_confirm.html", screening=found, form=FlaskForm(), offered=cards,
                           conflict=conflict, hidden=hidden_fields(request.form), errors=errors,
                           new=NEW), 400 if errors else 200


def _link(tx, found: Screening, child_id: str, who: Identity):
    if found.child_id not in (None, child_id):
        _unlink(tx, found)
    children.enrich(tx, identity_keys(), child_id, who)
    found.child_id = child_id
    children.entered(identity_keys(), found, who)
    found.pages_done = sorted({*found.pages_done, CHILD_STEP})
    audit.record(tx, owner(), "child_linked", "screening", found.id, child=child_id)
    count = children.screening_count(tx, child_id)
    flash(ngettext("This screening is about %(child)s. The child's record holds %(num)d earlier screening.",
                   "This screening is about %(child)s. The child's record holds %(num)d earlier screenings.",
                   count, child=child_words(tx, found)), "linked")
    missing = _missing(children.identity(tx, identity_keys(), child_id))
    return redirect(url_for(".child_details", screening_id=found.id, **_kept()) if missing else _carry_on(found))


@screening.route("/screenings/<screening_id>/child/details", methods=["GET", "POST"])
@allow(*SCREENERS)
def child_details(screening_id: str):
    """What the referral needs and the child's record does not hold yet (address, school, parents or carers):
    only those are asked; each may be left blank."""
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete" or not is_linked(found):
            return redirect(url_for(".child", screening_id=screening_id))
        root = children.root_of(tx, str(found.child_id))
        held = children.identity(tx, identity_keys(), root)
        if request.method == "GET":
            return _details_page(found, held, {}, {})
        given, errors = read_details(request.form)
        if given is None:
            return _details_page(found, held, request.form, errors), 400
        children.enrich(tx, identity_keys(), root, given)
        children.entered(identity_keys(), found, given)
        audit.record(tx, owner(), "child_details_added", "child", root, screening=found.id,
                     fields=sorted(k for k in _missing(held) if getattr(given, k)))
        return redirect(_carry_on(found))


DETAILS = {"address": _l("their address"), "school": _l("their school or setting"), "carers": _l("a parent or carer")}


def _missing(held: Identity) -> list[str]:
    """The referral's details the record does not hold."""
    return [name for name in DETAILS if not getattr(held, name)]


def _details_page(found: Screening, held: Identity, data, errors: dict):
    """Only what is missing is asked; what the record holds is named, never shown (it may be another agency's)."""
    named = [str(words) for name, words in DETAILS.items() if getattr(held, name)]
    held_words = functools.reduce(lambda first, second: _("%(first)s and %(second)s", first=first, second=second),
                                  named) if named else ""
    return render_template("child_details.html", screening=found, form=FlaskForm(), held_words=held_words,
                           missing=_missing(held), data=data, errors=errors, carry_on=_carry_on(found),
                           keep=_kept(), slots=CARER_SLOTS)


def _kept() -> dict[str, Any]:
    """'return=check' when the practitioner came from checking their answers."""
    return dict(RETURN_TO_CHECK) if request.args.get("return") == "check" else {}


def _add(tx, found: Screening, who: Identity):
    """A new record; if another practitioner added the same child a moment ago, theirs is found instead."""
    made = children.add(tx, identity_keys(), who)
    if made is None:
        return _find(tx, found, who, may_add=False)
    audit.record(tx, owner(), "child_added", "child", made.id, screening=found.id)
    return _link(tx, found, made.id, who)


def _carry_on(found: Screening) -> str:
    """Where the journey goes after the child: back to check answers if it came from there, else the page after
    the first."""
    if request.args.get("return") == "check":
        return url_for(".check", screening_id=found.id)
    rs = ruleset()
    following = next_page(rs, journey_pages(rs, is_linked(found))[0], is_linked(found))
    return (url_for(".page", screening_id=found.id, page_id=following.id) if following
            else url_for(".check", screening_id=found.id))
