"""Group training sessions, the trainer's side: start a session from a vignette, run the projector view stage by
stage (how many have answered, the spread of routes, the rules' route with the room's reasons and the learning
points, then the next stage), see how consistently the room agreed, and close it. Learners answer in views/join.py.

The projector works without JavaScript (a refresh link); with it, static/js/training-live.js polls a small
fragment and reloads when the room moves on (docs/adr/0022-group-training-sessions.md)."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...engine import evaluate
from ...store import training as rooms
from ...store.models import TrainingSession
from ...tools.agreement import alpha, most_divergent_first, stage_figures
from ...tools.vignettes import Vignette
from ..access import TRAINERS, allow
from ..context import active_ruleset, database, vignettes
from .training import paragraphs, training

AGREEMENT_READERS = ("trainer", "safeguarding_lead", "board")
REASONS_SHOWN = 3  # the projector shows a few of the room's reasons: a screen holds at most 250 words


def _vignette(vignette_id: str) -> Vignette:
    return vignettes().get(vignette_id) or abort(404)


def _own(tx, code: str) -> TrainingSession:
    """The session with this code, if the signed-in trainer started it."""
    found = rooms.find(tx, code)
    if found is None or found.started_by != g.user.username:
        abort(404)
    return found


def rules_routes(vignette: Vignette) -> dict[int, str]:
    """The route the active rules recommend at each stage."""
    rs = active_ruleset()
    return {s.number: evaluate(rs, s.answers, agency=s.agency).route for s in vignette.stages}


def ladder() -> list[str]:
    return [r.id for r in active_ruleset().routes]


def suppress_below() -> int:
    return int(current_app.config["SUPPRESS_BELOW"])


def join_url(code: str) -> str:
    return url_for("join.room", code=code, _external=True)


# --- Views --------------------------------------------------------------------------------------------------


@training.post("/<vignette_id>/group")
@allow(*TRAINERS)
def start_group(vignette_id: str):
    vignette = _vignette(vignette_id)
    with database().transaction() as tx:
        code = rooms.start(tx, vignette.id, g.user.username).code
    return redirect(url_for(".projector", code=code))


@training.get("/sessions/<code>")
@allow(*TRAINERS)
def projector(code: str):
    with database().reading() as tx:
        found = _own(tx, code)
        vignette = _vignette(found.vignette_id)
        context = _room(tx, found, vignette)
    return render_template(f"training/projector_{found.phase}.html", **context)


@training.get("/sessions/<code>/live")
@allow(*TRAINERS)
def projector_live(code: str):
    with database().reading() as tx:
        found = _own(tx, code)
        answered = sum(rooms.counts(tx, found).get(found.stage, {}).values())
        joined = rooms.joined(tx, found)
    return render_template("training/_live.html", state=f"{found.stage}-{found.phase}", answered=answered,
                           joined=joined)


@training.post("/sessions/<code>/next")
@allow(*TRAINERS)
def next_step(code: str):
    with database().transaction() as tx:
        found = _own(tx, code)
        rooms.advance(found, len(_vignette(found.vignette_id).stages))
    return redirect(url_for(".projector", code=code))


@training.post("/sessions/<code>/close")
@allow(*TRAINERS)
def close_group(code: str):
    with database().transaction() as tx:
        found = _own(tx, code)
        vignette = _vignette(found.vignette_id)
        rooms.close(tx, found, rules_routes(vignette))
    return redirect(url_for(".agreement") + f"#case-{vignette.id}")


@training.get("/sessions/<code>/join-code.svg")
@allow(*TRAINERS)
def join_qr(code: str):
    with database().reading() as tx:
        found = _own(tx, code)
    out = io.BytesIO()
    segno.make(join_url(found.code), error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False,
                                                     title=_("Join code %(code)s", code=found.code))
    return Response(out.getvalue(), mimetype="image/svg+xml")


@training.get("/agreement")
@allow(*AGREEMENT_READERS)
def agreement():
    return render_template("training/agreement.html", training=True, figures=agreement_figures(),
                           suppress_below=suppress_below(), route_labels=short_labels())


# --- What the pages show ------------------------------------------------------------------------------------


def _route_labels() -> dict[str, str]:
    return {r.id: r.label for r in active_ruleset().routes}


def short_labels() -> dict[str, str]:
    """Each route's label up to its colon ("Child in need"), for tables and the projector's small print."""
    return {r.id: r.label.split(":", 1)[0] for r in active_ruleset().routes}


def _room(tx, found: TrainingSession, vignette: Vignette) -> dict:
    stage = vignette.stages[found.stage - 1]
    routes = rules_routes(vignette)
    by_stage = rooms.counts(tx, found)
    here = stage_figures(stage.number, by_stage.get(stage.number, {}), routes[stage.number], ladder())
    return {"training": True, "paragraphs": paragraphs, "form": FlaskForm(), "room": found, "vignette": vignette,
            "stage": stage, "last": stage.number == len(vignette.stages), "state": f"{found.stage}-{found.phase}",
            "here": here, "answered": here.learners, "joined": rooms.joined(tx, found),
            "reasons": _some_reasons(rooms.reasons(tx, found)),
            "route_labels": _route_labels(), "short_labels": short_labels(), "suppress_below": suppress_below(),
            "session": _session_agreement(vignette, by_stage, routes) if found.phase == "ended" else None}


def _some_reasons(given: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A few reasons, one per route where the room was split (the lowest routes first), then more of the rest."""
    order = ladder()
    first_per_route = {route: (route, reason) for route, reason in reversed(given)}
    chosen = [first_per_route[r] for r in order if r in first_per_route]
    rest = [pair for pair in given if pair not in chosen]
    return (chosen + rest)[:REASONS_SHOWN]


def _session_agreement(vignette: Vignette, by_stage: dict[int, dict[str, int]], routes: dict[int, str]) -> dict:
    stages = [stage_figures(s.number, by_stage.get(s.number, {}), routes[s.number], ladder())
              for s in vignette.stages]
    learners = max((s.learners for s in stages), default=0)
    return {"stages": stages, "learners": learners, "alpha": alpha([by_stage.get(s.number, {}) for s in
                                                                    vignette.stages], ladder())}


def agreement_figures() -> list[dict]:
    """Per vignette with closed sessions: alpha across its stages and each stage's figures, most divergent first,
    with the sessions and learners behind them. Figures from fewer than SUPPRESS_BELOW learners are left out by
    the templates."""
    with database().reading() as tx:
        tallies = rooms.tallies(tx)
    titles = {v.id: v.title for v in vignettes().values()}
    found = []
    for vignette_id in dict.fromkeys(t.vignette_id for t in tallies):
        rows = [t for t in tallies if t.vignette_id == vignette_id]
        stages = [stage_figures(t.stage, t.routes, t.rules_route, ladder(), t.sessions) for t in rows
                  if t.rules_route in ladder()]
        found.append({"id": vignette_id, "title": titles.get(vignette_id, vignette_id),
                      "sessions": max(t.sessions for t in rows), "learners": max((s.learners for s in stages),
                                                                                 default=0),
                      "alpha": alpha([t.routes for t in rows], ladder()), "stages": most_divergent_first(stages)})
    return sorted(found, key=lambda v: (v["alpha"] is None, v["alpha"] or 0.0))
