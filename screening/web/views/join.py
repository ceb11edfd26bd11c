"""Group training sessions, the learners' side: join with the room's code (no account), then at each stage choose
a route and, if they like, say why in a few words (the wording check runs on it). A learner is a random id kept in
their cookie and in the session's rows until the trainer closes it; nothing else about them is stored."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...language import check_language
from ...store import training as rooms
from ...store.models import TrainingSession
from ..access import allow
from ..context import active_ruleset, database, vignettes
from .group_training import rules_routes
from .training import paragraphs, read_choice

join = Blueprint("join", __name__, url_prefix="/join")

COOKIE_KEY = "learner"  # {"code": join code, "id": random learner id}: one session at a time
REASON_MAX = 150  # a few reasons fit a projector screen
ENTER_CODE = _l("Enter the code shown at the front of the room")
NO_SUCH_CODE = _l("There is no training session with this code. Check the code at the front of the room")
REASON_TOO_LONG = _l("The reason must be %(max)s characters or fewer", max=REASON_MAX)


def _learner(code: str) -> str | None:
    """This browser's learner id in the session with `code`, if it joined it."""
    saved = session.get(COOKIE_KEY) or {}
    return saved.get("id") if saved.get("code") == code else None


def _enter_page(code: str = "", error: str = "", status: int = 200):
    return render_template("training/join.html", training=True, code=code, error=error, form=FlaskForm()), status


@join.get("")
@allow("public")
def enter():
    return _enter_page()


@join.post("")
@allow("public")
def enter_code():
    code = rooms.normal_code(request.form.get("code", ""))
    if not code:
        return _enter_page(error=ENTER_CODE, status=400)
    return _join(code) or _enter_page(code, NO_SUCH_CODE, 400)


def _join(code: str):
    """Join the session with `code` (once) and go to its current stage; None when there is no such session."""
    with database().transaction() as tx:
        found = rooms.find(tx, code)
        if found is None:
            return None
        learner = _learner(found.code) or rooms.new_learner_id()
        rooms.join(tx, found, learner)
    session[COOKIE_KEY] = {"code": found.code, "id": learner}
    return redirect(url_for(".room", code=found.code))


@join.get("/<code>")
@allow("public")
def room(code: str):
    with database().reading() as tx:
        found = rooms.find(tx, code)
        if found is None:
            return _enter_page(rooms.normal_code(code), NO_SUCH_CODE, 404)
        learner = _learner(found.code)
        if learner is None or not rooms.is_learner(tx, found, learner):
            return render_template("training/join_confirm.html", training=True, room=found, form=FlaskForm(),
                                   vignette=vignettes().get(found.vignette_id))
        given = rooms.answer_of(tx, found, learner)
        return _room_page(found, given.route if given else None, {}, {}, [])


@join.post("/<code>/in")
@allow("public")
def join_room(code: str):
    return _join(rooms.normal_code(code)) or _enter_page(rooms.normal_code(code), NO_SUCH_CODE, 404)


@join.post("/<code>")
@allow("public")
def answer(code: str):
    with database().transaction() as tx:
        found = rooms.find(tx, code)
        learner = _learner(found.code) if found else None
        if found is None:
            return redirect(url_for(".enter"))
        if learner is None or not rooms.is_learner(tx, found, learner):
            return redirect(url_for(".room", code=found.code))
        choice, errors = read_choice(active_ruleset(), request.form)
        if len(choice["reason"]) > REASON_MAX:
            errors["reason"] = REASON_TOO_LONG
        if errors:
            return _room_page(found, None, choice, errors, [], 400)
        flagged = [f.to_dict() for f in check_language(active_ruleset().language, choice["reason"])]
        if flagged and not request.form.get("reason__keep"):
            return _room_page(found, None, choice, {}, flagged)
        rooms.answer(tx, found, learner, choice["route"], choice["reason"])
    return redirect(url_for(".room", code=found.code))


@join.get("/<code>/live")
@allow("public")
def live(code: str):
    with database().reading() as tx:
        found = rooms.find(tx, code)
    return render_template("training/_live.html", state=f"{found.stage}-{found.phase}" if found else "closed")


def _room_page(found: TrainingSession, answered: str | None, data: dict, errors: dict, flagged: list,
               status: int = 200):
    vignette = vignettes().get(found.vignette_id)
    if vignette is None:
        return _enter_page(found.code, NO_SUCH_CODE, 404)
    rs = active_ruleset()
    stage = vignette.stages[found.stage - 1]
    items = [{"value": r.id, "text": r.label, "checked": data.get("route") == r.id} for r in rs.routes]
    revealed = rules_routes(vignette)[stage.number] if found.phase in ("revealed", "learning") else None
    return render_template("training/learner.html", training=True, paragraphs=paragraphs, revealed=revealed,
                           room=found, vignette=vignette, stage=stage,
                           answered=answered, items=items, data=data, errors=errors, flagged=flagged,
                           reason_max=REASON_MAX, form=FlaskForm(), state=f"{found.stage}-{found.phase}",
                           route_labels={r.id: r.label for r in rs.routes}), status
