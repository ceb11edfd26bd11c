"""The JSON API, version 1, for other systems (a school's safeguarding log, a case-management system): token
callers only (never the session cookie), bound by the same roles as the pages, every call audited under the
token's name, errors as problem details, and its OpenAPI description built from the same declarations."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from ...answers import answer_schema
from ...engine import evaluate, evaluate_in_each_language
from ...errors import MAX_PROBLEMS, AnswersInvalid
from ...identifiers import Identity, checked
from ...referral import referral_json
from ...store import audit, children, tokens
from ...store import screenings as repo
from ...store.db import as_utc
from ...store.models import Child, Screening
from .. import api_spec as spec
from ..access import CHILD_RECORDS, PUBLIC, READERS, SCREENERS, SIGNED_IN, CurrentUser, allow, declared_roles
from ..child_records import record_for
from ..chronology import entries
from ..context import active_ruleset, database, identity_keys
from ..problems import allow_header, problem
from ..request_json import BodyRefused, read_json
from .outcome import referral_of

api = Blueprint("api", __name__, url_prefix="/api/v1")
PATHS: dict[str, dict[str, Any]] = {}


def documented(path: str, method: str, operation: dict[str, Any]) -> Callable:
    """Put a view's operation into the OpenAPI description (path in OpenAPI's {name} form)."""
    def mark(view: Callable) -> Callable:
        parameters = {"parameters": spec.path_parameters(path)} if "{" in path else {}
        PATHS.setdefault(path, {})[method] = {"operationId": view.__name__, **parameters, **operation}
        return view
    return mark


@api.before_request
def authenticate() -> Response | None:
    """A live token with calls left this minute and a role the operation allows; else 401, 429 or 403."""
    roles = declared_roles(request.endpoint or "")
    if roles is None:
        abort(404)
    if roles is PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header[:7].lower() == "bearer " else ""
    with database().transaction() as tx:
        found = tokens.check(tx, given) if given else None
        if found is None:
            return problem(401, "Send 'Authorization: Bearer <token>' with a live token",
                           headers={"WWW-Authenticate": "Bearer"})
        within = tokens.count_call(tx, found, int(current_app.config["API_CALLS_PER_MINUTE"]))
        g.user = CurrentUser(-found.id, f"api:{found.name}", found.name, found.role, found.agency)
    if not within:
        return problem(429, "Too many calls this minute", headers={"Retry-After": "60"})
    if g.user.role not in roles:
        return problem(403, f"A {g.user.role} token may not do this")
    return None


@api.after_request
def audited(response: Response) -> Response:
    """Every call by a token, except while the database is away (503: there is nowhere to write it)."""
    if g.get("user") is not None and str(g.user.username).startswith("api:") and response.status_code != 503:
        with database().transaction() as tx:
            audit.record(tx, g.user.username, "api_call", "api", request.endpoint or "", status=response.status_code)
    return response


@api.errorhandler(HTTPException)
def http_problem(exc: HTTPException) -> Response:
    return problem(exc.code or 500, exc.description or "", headers=allow_header(exc))


class Invalid(Exception):
    """Fields of a request that cannot be used: answered as one problem with an entry per field."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors


def _body(model: type[BaseModel]) -> Any:
    if not request.is_json:
        abort(415, "Send application/json")
    try:
        data = read_json(request.get_data())
    except BodyRefused as exc:
        abort(problem(exc.status, exc.detail, [{"field": exc.field, "message": exc.detail}]))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid([{"field": ".".join(map(str, e["loc"])) or "body", "message": e["msg"]}
                       for e in exc.errors()[:MAX_PROBLEMS]]) from None


@api.errorhandler(Invalid)
def invalid(exc: Invalid) -> Response:
    return problem(422, "Some fields cannot be used", exc.errors)


@api.errorhandler(AnswersInvalid)
def answers_invalid(exc: AnswersInvalid) -> Response:
    return problem(422, "Some answers cannot be used",
                   [{"field": f"answers.{p.question_id}", "message": p.message} for p in exc.problems])


def _agency(given: str | None) -> str | None:
    """The agency named in the body (checked by the engine), else the token's own if the rule set knows it."""
    if given:
        return given
    return g.user.agency if g.user.agency in active_ruleset().agency_by_id else None


@api.post("/evaluate")
@allow(*SCREENERS)
@documented("/evaluate", "post", spec.operation("A recommendation for these answers; nothing is stored",
                                                spec.OutcomeOut, spec.EvaluateIn))
def evaluate_answers():
    given = _body(spec.EvaluateIn)
    return _json(evaluate(active_ruleset(), given.answers, agency=_agency(given.agency)).to_dict())


@api.post("/screenings")
@allow(*SCREENERS)
@documented("/screenings", "post", spec.operation("File a complete screening: stored, evaluated and linked to the "
                                                  "child's record where an exact identifier is given",
                                                  spec.ScreeningOut, spec.ScreeningIn, ok_status=201))
def file_screening():
    given = _body(spec.ScreeningIn)
    rs, who = active_ruleset(), _identity(given.child)
    agency = _agency(given.agency)
    with database().transaction() as tx:
        draft = repo.create_draft(tx, g.user.username, rs)
        repo.save_page(draft, [], dict(given.answers), "api", agency, None,
                       {"is_lead": given.referrer_is_lead, "contact": given.referrer_contact})
        link = _link(tx, draft, who)
        said = evaluate_in_each_language(rs, draft.answers, agency=agency,
                                         referrer_is_lead=bool(given.referrer_is_lead),
                                         record=record_for(tx, rs, draft))
        outcome = said["en"]
        repo.complete(tx, draft, outcome, rs, said)
        audit.record(tx, g.user.username, "screening_completed", "screening", draft.id, route=outcome.route,
                     ruleset_hash=rs.hash)
        return _json(_screening(draft, link), 201)


def _identity(child: spec.ChildIn | None) -> Identity | None:
    if child is None:
        return None
    found, errors = checked({"nhs": child.nhs, "upn": child.upn, "la": child.la, "postcode": child.postcode})
    if errors:
        raise Invalid([{"field": f"child.{name}", "message": why} for name, why in errors.items()])
    return Identity.checked({**found, "given": child.given, "family": child.family}, child.born)


def _link(tx, draft: Screening, who: Identity | None) -> dict[str, Any]:
    """Exact identifiers link (or add) the child; a name and date of birth alone never link one that exists."""
    if who is None or not (who.exact() or who.name_keys()):
        return {"linked": False, "child_id": None, "candidates": 0}
    keys = identity_keys()
    exact = children.exact_matches(tx, keys, who)
    offered = [] if who.exact() else children.candidates(tx, keys, who)
    if not exact and not offered:
        made = children.add(tx, keys, who)  # None: another caller added this child a moment ago
        exact = children.exact_matches(tx, keys, who) if made is None else {made.id}
        if made is not None:
            audit.record(tx, g.user.username, "child_added", "child", made.id, screening=draft.id)
    if len(exact) != 1:
        return {"linked": False, "child_id": None, "candidates": len(exact) + len(offered)}
    child = exact.pop()
    children.enrich(tx, keys, child, who)
    draft.child_id = child
    children.entered(keys, draft, who)
    audit.record(tx, g.user.username, "child_linked", "screening", draft.id, child=child)
    return {"linked": True, "child_id": child, "candidates": 0}


def _screening(found: Screening, link: dict[str, Any] | None = None) -> dict[str, Any]:
    outcome = found.outcome or {}
    return {"id": found.id, "status": found.status, "agency": found.agency,
            "completed_at": found.completed_at.isoformat() if found.completed_at else None,
            "recommended_route": found.recommended_route, "decided_route": found.decided_route,
            "child": link or {"linked": found.child_id is not None, "child_id": found.child_id, "candidates": 0},
            "history": outcome.get("from_record", []), "outcome": outcome}


@api.get("/screenings/<screening_id>")
@allow(*READERS)
@documented("/screenings/{screening_id}", "get", spec.operation("A stored screening and its outcome, as produced",
                                                                 spec.ScreeningOut, problems=(401, 403, 404, 429)))
def get_screening(screening_id: str):
    with database().reading() as tx:
        found = repo.for_viewer(tx, screening_id[:32], g.user.username, sees_all=g.user.role in CHILD_RECORDS)
        if found is None or found.status != "complete":
            abort(404, "No screening this token may see has that id")
        return _json(_screening(found))


@api.get("/screenings/<screening_id>/referral")
@allow(*READERS)
@documented("/screenings/{screening_id}/referral", "get", spec.operation(
    "The referral of a completed screening: who the child is, their family, the worry, the child's words, the "
    "signs and the route that counts", spec.ReferralOut, problems=(401, 403, 404, 429)))
def get_referral(screening_id: str):
    with database().transaction() as tx:
        found = repo.for_viewer(tx, screening_id[:32], g.user.username, sees_all=g.user.role in CHILD_RECORDS)
        if found is None or found.status != "complete":
            abort(404, "No screening this token may see has that id")
        document = referral_of(tx, found, whole_record=g.user.role in CHILD_RECORDS)
        audit.record(tx, g.user.username, "screening_exported", "screening", found.id, format="api_referral")
        made_at = as_utc(found.decided_at or found.updated_at)
    return _json(referral_json(document, found.id, made_at))


@api.get("/children/<child_id>/chronology")
@allow(*CHILD_RECORDS)
@documented("/children/{child_id}/chronology", "get", spec.operation(
    "A child's screenings across agencies, in date order", spec.ChronologyOut, problems=(401, 403, 404, 429)))
def chronology(child_id: str):
    rs = active_ruleset()
    with database().transaction() as tx:
        if len(child_id) > 32 or tx.get(Child, child_id) is None:
            abort(404, "No child record has that id")
        root = children.root_of(tx, child_id)
        shown = entries(children.screenings_of(tx, root), {a.id: a.name for a in rs.agencies})
        audit.record(tx, g.user.username, "child_chronology_viewed", "child", root, screenings=len(shown))
    return _json({"child_id": root, "screenings": [
        {"on": e.on.isoformat(), "agency": e.agency, "recommended": e.recommended, "decided": e.decided,
         "child_protection": e.child_protection, "key_signs": list(e.key_signs), "response": e.response,
         "meeting": e.meeting} for e in shown]})


@api.get("/ruleset")
@allow(*SIGNED_IN)
@documented("/ruleset", "get", spec.operation("The active rule set: its version and every question it asks",
                                              spec.RulesetOut))
def ruleset():
    rs = active_ruleset()
    facts = [{"id": q.id, "kind": "question", "type": q.type, "label": q.label, "options": [o.id for o in q.options],
              "min": q.min, "max": q.max} for q in rs.questions]
    facts += [{"id": i.id, "kind": "indicator", "type": i.type, "label": i.text, "options": [], "min": None,
               "max": None} for i in rs.indicators]
    return _json({"id": rs.meta.id, "version": rs.meta.version, "hash": rs.hash,
                  "agencies": [a.id for a in rs.agencies], "facts": facts})


@api.get("/openapi.json")
@allow("public")
def openapi():
    return _json(spec.description(PATHS, _answers_schema()))


@api.get("/docs")
@allow("public")
def reference():
    return render_template("api_reference.html", d=spec.description(PATHS, _answers_schema()))


def _answers_schema() -> dict[str, Any]:
    """The active rule set's questions and signs, each with the answers it takes; no other key."""
    facts = active_ruleset().facts
    return {"type": "object", "additionalProperties": False,
            "properties": {fact_id: answer_schema(fact) for fact_id, fact in facts.items()}}


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status=status, mimetype="application/json")

