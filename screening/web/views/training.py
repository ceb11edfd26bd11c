"""Trainer mode: case vignettes revealed one stage at a time to a group.

For each stage the group chooses a route and gives a short reason; then the tool's route, its rationale and the
learning points are revealed; at the end a summary shows where the group was below or above the rules' route.
The group's choices live in the browser session only: nothing here reads or writes the screenings store.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...engine import evaluate
from ...model import RuleSet
from ...outcome import Outcome
from ...tools.vignettes import Stage, Vignette
from ..access import TRAINERS, allow
from ..context import active_ruleset, vignette_errors, vignettes
from ..view_models import show_answer

training = Blueprint("training", __name__, url_prefix="/training")

SESSION_KEY = "training"  # {"vignette": id, "choices": {"1": {"route": ..., "reason": ...}}}: one case at a time
REASON_MAX = 200  # the session is a cookie: keep each reason short
SELECT_ROUTE = _l("Select the route your group chose")
REASON_TOO_LONG = _l("The reason must be %(max)s characters or fewer", max=REASON_MAX)
COMPARISON = {"below": _l("Below the rules' route"), "same": _l("Same as the rules"),
              "above": _l("Above the rules' route")}


# --- Helpers ------------------------------------------------------------------------------------------------


def ruleset() -> RuleSet:
    return active_ruleset()


def _vignette(vignette_id: str) -> Vignette:
    return vignettes().get(vignette_id) or abort(404)


def _stage(vignette: Vignette, number: int) -> Stage:
    if not 1 <= number <= len(vignette.stages):
        abort(404)
    return vignette.stages[number - 1]


def _choices(vignette: Vignette) -> dict[str, dict]:
    """The group's choices so far for `vignette` (stage number as text -> route and reason)."""
    saved = session.get(SESSION_KEY) or {}
    if saved.get("vignette") != vignette.id:
        return {}
    routes = ruleset().route_by_id  # a choice made under another rule set's ladder is dropped, not trusted
    return {n: c for n, c in (saved.get("choices") or {}).items() if c.get("route") in routes}


def _save_choice(vignette: Vignette, number: int, route: str, reason: str) -> None:
    choices = {**_choices(vignette), str(number): {"route": route, "reason": reason}}
    session[SESSION_KEY] = {"vignette": vignette.id, "choices": choices}


def _first_open(vignette: Vignette, choices: dict) -> int | None:
    """The first stage the group has not answered, or None when all are."""
    return next((s.number for s in vignette.stages if str(s.number) not in choices), None)


def _outcome(stage: Stage) -> Outcome:
    return evaluate(ruleset(), stage.answers, agency=stage.agency)


def comparison(rs: RuleSet, chosen: str, recommended: str) -> str:
    """'below', 'same' or 'above': the group's route against the rules' route."""
    ours, theirs = rs.route_by_id[chosen].rank, rs.route_by_id[recommended].rank
    return "below" if ours < theirs else "above" if ours > theirs else "same"


def read_choice(rs: RuleSet, form: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """The group's route and reason from a form, and errors by field name."""
    route, reason = (form.get("route") or "").strip(), (form.get("reason") or "").strip()
    errors = {}
    if route not in rs.route_by_id:
        errors["route"] = SELECT_ROUTE
    if len(reason) > REASON_MAX:
        errors["reason"] = REASON_TOO_LONG
    return {"route": route, "reason": reason}, errors


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def recorded(rs: RuleSet, stage: Stage) -> list[dict]:
    """Summary-list rows: the answers this stage adds or changes, as a practitioner would have recorded them."""
    return [{"key": {"text": rs.facts[fid].label}, "value": {"text": show_answer(rs.facts[fid], answer)}}
            for fid, answer in stage.changes.items()]


def _render(template: str, status: int = 200, **context):
    """Every training page: the training banner, navigation, and the shared labels."""
    rs = ruleset()
    return render_template(template, training=True, paragraphs=paragraphs,
                           route_labels={r.id: r.label for r in rs.routes},
                           level_labels={lv.id: lv.label for lv in rs.levels}, **context), status


# --- Views --------------------------------------------------------------------------------------------------


@training.get("/")
@allow(*TRAINERS)
def library():
    return _render("training/library.html", vignettes=vignettes().values(), errors=vignette_errors())


@training.get("/<vignette_id>")
@allow(*TRAINERS)
def intro(vignette_id: str):
    return _render("training/intro.html", vignette=_vignette(vignette_id), form=FlaskForm(),
                   back_link=url_for(".library"))


@training.post("/<vignette_id>/start")
@allow(*TRAINERS)
def start(vignette_id: str):
    vignette = _vignette(vignette_id)
    session[SESSION_KEY] = {"vignette": vignette.id, "choices": {}}
    return redirect(url_for(".stage", vignette_id=vignette.id, number=1))


@training.route("/<vignette_id>/stages/<id:number>", methods=["GET", "POST"])
@allow(*TRAINERS)
def stage(vignette_id: str, number: int):
    vignette = _vignette(vignette_id)
    current, choices = _stage(vignette, number), _choices(vignette)
    if str(number) in choices:
        return redirect(url_for(".reveal", vignette_id=vignette.id, number=number))
    first_open = _first_open(vignette, choices)
    if first_open is not None and number > first_open:  # one stage at a time, in order
        return redirect(url_for(".stage", vignette_id=vignette.id, number=first_open))
    form = FlaskForm()
    if request.method == "GET":
        return _stage_page(vignette, current, form, {}, {})
    choice, errors = read_choice(ruleset(), request.form)
    if errors:
        return _stage_page(vignette, current, form, choice, errors, 400)
    _save_choice(vignette, number, choice["route"], choice["reason"])
    return redirect(url_for(".reveal", vignette_id=vignette.id, number=number))


def _stage_page(vignette: Vignette, current: Stage, form: FlaskForm, data: dict, errors: dict, status: int = 200):
    back = (url_for(".reveal", vignette_id=vignette.id, number=current.number - 1) if current.number > 1
            else url_for(".intro", vignette_id=vignette.id))
    items = [{"value": r.id, "text": r.label, "checked": data.get("route") == r.id} for r in ruleset().routes]
    earlier = vignette.stages[:current.number - 1]
    return _render("training/stage.html", status, vignette=vignette, stage=current, earlier=earlier, form=form,
                   items=items, data=data, errors=errors, reason_max=REASON_MAX, back_link=back)


@training.get("/<vignette_id>/stages/<id:number>/reveal")
@allow(*TRAINERS)
def reveal(vignette_id: str, number: int):
    vignette = _vignette(vignette_id)
    current, choices = _stage(vignette, number), _choices(vignette)
    choice = choices.get(str(number))
    if choice is None:
        return redirect(url_for(".stage", vignette_id=vignette.id, number=number))
    outcome = _outcome(current)
    following = (url_for(".stage", vignette_id=vignette.id, number=number + 1) if number < len(vignette.stages)
                 else url_for(".summary", vignette_id=vignette.id))
    return _render("training/reveal.html", vignette=vignette, stage=current, choice=choice, outcome=outcome,
                   compared=comparison(ruleset(), choice["route"], outcome.route), comparisons=COMPARISON,
                   recorded=recorded(ruleset(), current), following=following)


@training.get("/<vignette_id>/summary")
@allow(*TRAINERS)
def summary(vignette_id: str):
    vignette = _vignette(vignette_id)
    choices = _choices(vignette)
    first_open = _first_open(vignette, choices)
    if first_open is not None:
        return redirect(url_for(".stage", vignette_id=vignette.id, number=first_open))
    rows = [_summary_row(s, choices[str(s.number)]) for s in vignette.stages]
    counts = {kind: sum(r["compared"] == kind for r in rows) for kind in COMPARISON}
    return _render("training/summary.html", vignette=vignette, rows=rows, counts=counts, comparisons=COMPARISON,
                   form=FlaskForm())


def _summary_row(current: Stage, choice: dict) -> dict:
    recommended = _outcome(current).route
    return {"stage": current, "chosen": choice["route"], "reason": choice["reason"], "recommended": recommended,
            "compared": comparison(ruleset(), choice["route"], recommended)}


@training.get("/<vignette_id>/notes")
@allow(*TRAINERS)
def notes(vignette_id: str):
    vignette = _vignette(vignette_id)
    rules = {r.id: r for r in ruleset().rules}
    stages = [{"stage": s, "outcome": _outcome(s), "recorded": recorded(ruleset(), s),
               "rules": [rules[rule_id] for rule_id in s.expect.fired]} for s in vignette.stages]
    return _render("training/notes.html", vignette=vignette, stages=stages,
                   back_link=url_for(".intro", vignette_id=vignette.id))
