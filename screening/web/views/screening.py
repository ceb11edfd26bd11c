"""The practitioner's screening journey: start, task list, question pages, check answers, outcome, decision."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm

from ...engine import evaluate
from ...model import RuleSet
from ...outcome import Outcome, Step
from ...report import outcome_text
from ...store import audit
from ...store import screenings as repo
from ...store.models import Screening
from ..access import SCREENERS, allow
from ..context import active_ruleset, database
from ..forms import language_review
from ..forms.decision import read_decision
from ..forms.page_forms import fill_page, page_form_class, read_page, render_page
from ..forms.pages import AGENCY, Page, journey_pages, page_by_id
from ..view_models import (
    RETURN_TO_CHECK,
    child_reference_id,
    decision_view,
    referral_text,
    stored_outcome,
    summary_rows,
    task_list,
)

screening = Blueprint("screening", __name__)


def ruleset() -> RuleSet:
    return active_ruleset()


def owner() -> str:
    return g.user.username


def _load(tx, screening_id: str) -> Screening:
    """A screening the signed-in user may open: their own; a safeguarding lead may open any."""
    found = repo.for_viewer(tx, screening_id, owner(), sees_all=g.user.is_lead)
    if found is None:
        abort(404)
    return found


def _load_draft(screening_id: str):
    """A draft to show, or the redirect to its outcome once it is complete."""
    with database().reading() as tx:
        found = _load(tx, screening_id)
    if found.status == "complete":
        return redirect(url_for(".outcome", screening_id=screening_id))
    return found


def _own(tx, screening_id: str) -> Screening:
    """A screening the signed-in user may change: only their own."""
    found = repo.for_owner(tx, screening_id, owner())
    if found is None:
        abort(404)
    return found


@screening.get("/")
@allow(*SCREENERS)
def start():
    return render_template("start.html", form=FlaskForm())


@screening.post("/screenings")
@allow(*SCREENERS)
def create():
    with database().transaction() as tx:
        draft = repo.create_draft(tx, owner(), ruleset())
        audit.record(tx, owner(), "screening_created", "screening", draft.id)
    return redirect(url_for(".tasks", screening_id=draft.id))


@screening.get("/screenings")
@allow(*SCREENERS)
def mine():
    with database().reading() as tx:
        items = repo.list_for_viewer(tx, owner(), sees_all=g.user.is_lead)
    return render_template("my_screenings.html", screenings=items, reference=child_reference_id(ruleset()))


@screening.get("/screenings/<screening_id>")
@allow(*SCREENERS)
def tasks(screening_id: str):
    found = _load_draft(screening_id)
    if not isinstance(found, Screening):
        return found
    return render_template("task_list.html", screening=found, tasks=task_list(ruleset(), found))


@screening.route("/screenings/<screening_id>/pages/<page_id>", methods=["GET", "POST"])
@allow(*SCREENERS)
def page(screening_id: str, page_id: str):
    current = page_by_id(ruleset(), page_id) or abort(404)
    with database().transaction() as tx:
        found = _own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        form = page_form_class(current)()
        if request.method == "GET":
            saved = {**found.answers, AGENCY: found.agency} if found.agency else found.answers
            return _page(found, current, fill_page(current, saved), {}, form)
        answers, errors = read_page(ruleset(), current, form.data, found.answers)
        if errors:
            return _page(found, current, form.data, errors, form), 400
        agency = answers.pop(AGENCY, None)
        choices, new_warning = language_review.review(ruleset(), current, answers, request.form,
                                                  found.language_choices or {})
        repo.save_page(found, [f.id for f in current.facts], answers, current.id, agency, choices)
    if new_warning:  # saved; show the wording warning once before moving on (they may keep their words)
        return redirect(url_for(".page", screening_id=screening_id, page_id=page_id, review="language",
                                **(RETURN_TO_CHECK if request.args.get("return") == "check" else {})))
    if request.args.get("return") == "check":
        return redirect(url_for(".check", screening_id=screening_id))
    return redirect(url_for(".tasks", screening_id=screening_id))


def _page(found: Screening, current: Page, data: dict, errors: dict[str, str], form: FlaskForm):
    warnings = language_review.findings_by_field(ruleset(), current, {**found.answers, **_texts(current, data)})
    return render_template("question_page.html", screening=found, page=current, form=form,
                           fields=render_page(current, data, errors), errors=errors, warnings=warnings,
                           choices=found.language_choices or {}, return_to=request.args.get("return", ""))


def _texts(current: Page, data: dict) -> dict:
    return {f.id: data[f.id] for f in current.facts if f.type == "text" and isinstance(data.get(f.id), str)}


@screening.get("/screenings/<screening_id>/check")
@allow(*SCREENERS)
def check(screening_id: str):
    found = _load_draft(screening_id)
    return _check(found, []) if isinstance(found, Screening) else found


def _check(found: Screening, missing: list):
    rows = summary_rows(ruleset(), found)
    return render_template("check_answers.html", screening=found, sections=rows, missing=missing, form=FlaskForm())


@screening.post("/screenings/<screening_id>/check")
@allow(*SCREENERS)
def submit(screening_id: str):
    rs = ruleset()
    with database().transaction() as tx:
        found = _own(tx, screening_id)
        if found.status == "complete":
            return redirect(url_for(".outcome", screening_id=screening_id))
        missing = [p for p in journey_pages(rs) if _has_required(p) and p.id not in found.pages_done]
        if missing:
            return _check(found, missing), 400
        repo.complete(found, evaluate(rs, found.answers, agency=found.agency), rs)
        audit.record(tx, owner(), "screening_completed", "screening", found.id, route=found.recommended_route,
                     ruleset_hash=rs.hash)
    return redirect(url_for(".outcome", screening_id=screening_id))


def _has_required(p: Page) -> bool:
    return any(getattr(f, "required", False) for f in p.facts)


@screening.get("/screenings/<screening_id>/outcome")
@allow(*SCREENERS)
def outcome(screening_id: str):
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        if found.status == "complete":
            audit.record(tx, owner(), "screening_viewed", "screening", found.id)
    if found.status != "complete":
        return redirect(url_for(".tasks", screening_id=screening_id))
    return _outcome(found, {}, {})


def _outcome(found: Screening, errors: dict[str, str], data: dict):
    """The stored outcome page: nothing on it comes from the active rule set."""
    shown = stored_outcome(found)
    fields = "" if found.decision else (
        _decision_fields(shown) if not (errors or data) else _render_decision(shown.routes, shown.route, errors, data))
    return render_template("outcome.html", screening=found, o=shown, errors=errors, form=FlaskForm(),
                           decision_fields=fields)


def _render_decision(ladder: tuple[Step, ...], recommended: str, errors: dict[str, str], data: dict) -> str:
    """The decision fields as HTML from an autoescaped template (outcome.html inserts it unescaped)."""
    view = decision_view(ladder, recommended, data)
    return render_template("decision_form.html", view=view, errors=errors, data=data)


_EMPTY_DECISION_FORMS: dict[tuple[str, str], str] = {}


def _decision_fields(shown: Outcome) -> str:
    """The empty decision form depends only on the producing rule set and the recommended route: render it once."""
    key = (shown.ruleset.hash, shown.route)
    if key not in _EMPTY_DECISION_FORMS:
        _EMPTY_DECISION_FORMS[key] = _render_decision(shown.routes, shown.route, {}, {})
    return _EMPTY_DECISION_FORMS[key]


@screening.post("/screenings/<screening_id>/decision")
@allow(*SCREENERS)
def decide(screening_id: str):
    with database().transaction() as tx:
        found = _own(tx, screening_id)
        if found.status != "complete":
            abort(409)
        shown = stored_outcome(found)
        decision, errors = read_decision(shown.routes, shown.route, request.form)
        if decision is None:
            return _outcome(found, errors, request.form), 400
        repo.record_decision(found, decision.decision, decision.route, decision.reason, decision.lead)
        action = "route_agreed" if decision.decision == "agree" else "route_overridden"
        audit.record(tx, owner(), action, "screening", found.id, recommended=found.recommended_route,
                     decided=decision.route)
    return redirect(url_for(".outcome", screening_id=screening_id) + "#decision")


@screening.get("/screenings/<screening_id>/outcome.json")
@allow(*SCREENERS)
def export_json(screening_id: str):
    found = _exported(screening_id, "json")
    body = {"screening": found.id, "agency": found.agency, "answers": found.answers, "outcome": found.outcome,
            "decision": {"decision": found.decision, "route": found.decided_route,
                         "reason": found.decision_reason, "lead_consulted": found.lead_consulted}}
    return Response(json.dumps(body, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=screening-{found.id}.json"})


@screening.get("/screenings/<screening_id>/summary.txt")
@allow(*SCREENERS)
def summary_text(screening_id: str):
    return Response(referral_summary(_exported(screening_id, "text")), mimetype="text/plain")


def _exported(screening_id: str, fmt: str) -> Screening:
    """A completed screening being exported, with the export audited; drafts have nothing to export."""
    with database().transaction() as tx:
        found = _load(tx, screening_id)
        if found.status != "complete":
            abort(404)
        audit.record(tx, owner(), "screening_exported", "screening", found.id, format=fmt)
    return found


def referral_summary(found: Screening) -> str:
    """The stored outcome as text (the child's own words near the top), then the practitioner's decision."""
    shown = stored_outcome(found)
    return referral_text(found, shown, outcome_text(shown))
