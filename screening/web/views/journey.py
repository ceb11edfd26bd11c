"""Recording a screening: the first page (danger first) that creates the draft, the other pages, the danger
interruption, the provisional route, the task list, check answers and the final recommendation."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...engine import evaluate_in_each_language
from ...store import audit
from ...store import screenings as repo
from ...store.models import Screening
from ..access import SCREENERS, allow
from ..child_records import child_words, record_for
from ..context import database
from ..forms import language_review
from ..forms.indicator_groups import JS
from ..forms.page_forms import fill_page, page_form_class, read_page, render_page
from ..forms.pages import (
    AGENCY,
    REFERRER_CONTACT,
    REFERRER_FIELDS,
    REFERRER_IS_LEAD,
    Page,
    follow_up,
    journey_pages,
    next_page,
    page_by_id,
)
from ..view_models import (
    CHILD_STEP,
    RETURN_TO_CHECK,
    checked_not_present,
    is_linked,
    missing_answers,
    provisional_view,
    record_notes,
    saved_answers,
    summary_rows,
    task_groups,
)
from .screening import load_own, load_visible, owner, ruleset, screening

SEE_ROUTE = "provisional"  # the value of the 'Save and see the route so far' button
OPEN = "open"  # the query naming the themes answered yes, for their follow-up page


class Read(NamedTuple):
    """A page read without errors: its answers, what it says about the referrer, the wording choices, and
    whether this save raised a wording warning not shown before."""

    answers: dict
    referrer: dict
    choices: dict
    new_warning: bool


def _first() -> Page:
    return journey_pages(ruleset())[0]


@screening.route("/screenings/new", methods=["GET", "POST"])
@allow(*SCREENERS)
def new():
    """The first page, before any draft exists: a draft is created only when it is first saved."""
    first, form = _first(), page_form_class(_first())()
    if request.method == "GET":  # the agency on the practitioner's account is offered, never required
        own = g.user.agency if g.user.agency in ruleset().agency_by_id else None
        return _page(None, first, {AGENCY: own} if own else {}, {}, form)
    read = _read(first, form, {})
    if not isinstance(read, Read):
        return read
    answers, referrer, choices, new_warning = read
    with database().transaction() as tx:
        draft = repo.create_draft(tx, owner(), ruleset())
        repo.save_page(draft, [f.id for f in first.facts], answers, first.id, referrer.pop(AGENCY), choices, referrer)
        audit.record(tx, owner(), "screening_created", "screening", draft.id)
    return _after_save(draft.id, first, answers, new_warning, [first.id], False)


@screening.route("/screenings/<screening_id>/pages/<page_id>", methods=["GET", "POST"])
@allow(*SCREENERS)
def page(screening_id: str, page_id: str):
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        current = page_by_id(ruleset(), page_id, is_linked(found)) or abort(404)
        if request.args.get(OPEN):  # the follow-up for themes answered yes where reveals did not run
            current = follow_up(current, frozenset(request.args[OPEN].split(","))) or abort(404)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        form = page_form_class(current)()
        if request.method == "GET":
            return _page(found, current, fill_page(ruleset(), current, saved_answers(found)), {}, form, tx=tx)
        read = _read(current, form, found.answers, found, tx)
        if not isinstance(read, Read):
            return read
        answers, referrer, choices, new_warning = read
        agency = referrer.pop(AGENCY, None)
        repo.save_page(found, [f.id for f in current.facts], answers, current.id, agency, choices,
                       referrer if current.id == _first().id else None)
        done = list(found.pages_done)
        linked = is_linked(found)
    return _after_save(screening_id, current, answers, new_warning, done, linked)


def _read(current: Page, form: FlaskForm, saved: dict, found: Screening | None = None, tx=None):
    """The page as read, or the page shown again with its errors (and, if the child is in danger, the 999 call)."""
    rs = ruleset()
    danger = _danger_ticked(form.data)
    relaxed = danger or request.form.get("next") == SEE_ROUTE
    answers, errors = read_page(rs, current, form.data, saved, enforce_required=not relaxed)
    if errors:
        return _page(found, current, form.data, errors, form, danger=danger, tx=tx), 400
    referrer = {k: answers.pop(k) for k in REFERRER_FIELDS if k in answers}
    if current.id == _first().id:
        referrer = {AGENCY: referrer.get(AGENCY), "is_lead": {"yes": True, "no": False}.get(
            str(referrer.get(REFERRER_IS_LEAD))), "contact": str(referrer.get(REFERRER_CONTACT) or "")}
    choices, new_warning = language_review.review(rs, current, answers, request.form,
                                                  (found.language_choices if found else None) or {})
    return Read(answers, referrer, choices, new_warning)


def _danger_ticked(data: dict) -> bool:
    signs = ruleset().danger_indicators
    ticked = {v for name, values in data.items() if name.startswith("signs__") and isinstance(values, list)
              for v in values}
    return bool(ticked & signs)


def _after_save(screening_id: str, current: Page, answers: dict, new_warning: bool, done: list[str],
                linked: bool):
    """Where a saved page goes: the 999 page when the child is in danger, the wording warning once, the route so
    far when asked for, back to check answers, who the child is (after the first page), or on to the next page."""
    back_to_check = request.args.get("return") == "check"
    extra = RETURN_TO_CHECK if back_to_check else {}
    if any(answers.get(s) == "yes" for s in ruleset().danger_indicators):
        return redirect(url_for(".danger", screening_id=screening_id, **extra))
    checked = checked_not_present(current, answers)
    if checked:
        flash(checked, "checked")
    unrevealed = _opened_without_reveal(current)
    if unrevealed:
        query = {**extra, OPEN: ",".join(unrevealed)}
        return redirect(url_for(".page", screening_id=screening_id, page_id=current.id, **query))
    if new_warning:
        return redirect(url_for(".page", screening_id=screening_id, page_id=current.id, review="language", **extra))
    if request.form.get("next") == SEE_ROUTE:
        return redirect(url_for(".provisional", screening_id=screening_id))
    if current.id == _first().id and CHILD_STEP not in done and not back_to_check:
        return redirect(url_for(".child", screening_id=screening_id))
    following = next_page(ruleset(), current, linked)
    if back_to_check or following is None:
        return redirect(url_for(".check", screening_id=screening_id))
    return redirect(url_for(".page", screening_id=screening_id, page_id=following.id))


def _opened_without_reveal(current: Page) -> list[str]:
    """Themes answered yes on a page whose reveals did not run (no JavaScript): their signs are asked next."""
    if request.form.get(JS) == "1" or request.form.get("next") == SEE_ROUTE:
        return []
    return [g.theme.id for g in current.groups if g.opens and request.form.get(g.opening_field) == "yes"]


def _page(found: Screening | None, current: Page, data: dict, errors: dict[str, str], form: FlaskForm,
          danger: bool = False, tx=None):
    rs = ruleset()
    notes = record_notes(rs, record_for(tx, rs, found), found) if tx is not None and found is not None else {}
    saved = found.answers if found else {}
    texts = {f.id: data[f.id] for f in current.facts if f.kind.quoted and isinstance(data.get(f.id), str)}
    warnings = language_review.findings_by_field(rs, current, {**saved, **texts})
    kept: dict[str, Any] = {OPEN: request.args[OPEN]} if request.args.get(OPEN) else {}  # 'review' and others dropped
    if request.args.get("return") == "check":
        kept.update(RETURN_TO_CHECK)
    action = url_for(".page", screening_id=found.id, page_id=current.id, **kept) if found else url_for(".new")
    return render_template("question_page.html", screening=found, page=current, form=form, action=action,
                           items=render_page(rs, current, data, errors, saved, notes), errors=errors,
                           warnings=warnings,
                           choices=(found.language_choices if found else None) or {}, danger=danger,
                           contacts=rs.contacts, review=request.args.get("review") == "language",
                           return_to=request.args.get("return", ""), is_first=current.id == _first().id)


@screening.get("/screenings/<screening_id>/danger")
@allow(*SCREENERS)
def danger(screening_id: str):
    """The interruption: call 999 now, then children's social care; then carry on recording."""
    with database().reading() as tx:
        found = load_visible(tx, screening_id)
    following = next_page(ruleset(), _first(), is_linked(found))
    carry_on = (url_for(".check", screening_id=found.id) if request.args.get("return") == "check" or not following
                else url_for(".child", screening_id=found.id) if CHILD_STEP not in found.pages_done
                else url_for(".page", screening_id=found.id, page_id=following.id))
    return render_template("danger.html", screening=found, contacts=ruleset().contacts, carry_on=carry_on,
                           outcome_href=url_for(".provisional", screening_id=found.id))


@screening.get("/screenings/<screening_id>/provisional")
@allow(*SCREENERS)
def provisional(screening_id: str):
    """The route on what is recorded so far (never saved), once the agency and the child's age are known."""
    with database().reading() as tx:
        found = load_visible(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        view = provisional_view(ruleset(), found, record_for(tx, ruleset(), found))
    return render_template("provisional.html", screening=found, view=view)


@screening.get("/screenings/<screening_id>")
@allow(*SCREENERS)
def tasks(screening_id: str):
    with database().reading() as tx:
        found = load_visible(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        groups = task_groups(ruleset(), found, child_words(tx, found))
    return render_template("task_list.html", screening=found, groups=groups, form=FlaskForm())


@screening.get("/screenings/<screening_id>/check")
@allow(*SCREENERS)
def check(screening_id: str):
    with database().reading() as tx:
        found = load_visible(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        return _check(found, [], tx)


def _check(found: Screening, missing: list, tx):
    rows = summary_rows(ruleset(), found)
    return render_template("check_answers.html", screening=found, sections=rows, missing=missing, form=FlaskForm(),
                           child=child_words(tx, found))


@screening.post("/screenings/<screening_id>/check")
@allow(*SCREENERS)
def submit(screening_id: str):
    rs = ruleset()
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        missing = missing_answers(rs, found)
        if missing:
            return _check(found, missing, tx), 400
        said = evaluate_in_each_language(rs, found.answers, agency=found.agency,
                                         referrer_is_lead=bool(found.referrer_is_lead),
                                         record=record_for(tx, rs, found))
        repo.complete(tx, found, said["en"], rs, said)
        audit.record(tx, owner(), "screening_completed", "screening", found.id, route=found.recommended_route,
                     ruleset_hash=rs.hash)
    return redirect(url_for(".outcome", screening_id=screening_id))


@screening.route("/screenings/<screening_id>/delete", methods=["GET", "POST"])
@allow(*SCREENERS)
def delete(screening_id: str):
    """Delete a draft (asked first); a completed screening is kept."""
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status == "complete":
            abort(404)
        if request.method == "GET":
            return render_template("delete_draft.html", screening=found, form=FlaskForm())
        repo.delete_draft(tx, found)
        audit.record(tx, owner(), "screening_deleted", "screening", screening_id)
    flash(_("The draft screening was deleted."), "deleted")
    return redirect(url_for(".mine"))
