"""A completed screening: the one-screen outcome, professional decisions (kept as a history), the referral
document (HTML, PDF, plain text) and the JSON export. Everything shown comes from the stored outcome."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from ... import words
from ...decided import also_noted, counted, driving, minimums
from ...history import headline, source_words
from ...identifiers import Identity
from ...language import check_language
from ...outcome import Outcome
from ...referral import Referral, Referrer, build_referral, referral_text
from ...store import audit, children, users
from ...store import screenings as repo
from ...store.models import Screening
from ..access import READERS, SCREENERS, allow
from ..child_records import involvement
from ..context import database, identity_keys
from ..followup import after_view
from ..forms.decision import read_decision
from ..fragments import Kept
from ..locales import in_language
from ..view_models import decision_view, indicators_by_theme, received_view, stored_outcome
from .screening import load_own, load_visible, owner, ruleset, screening

_FORMS = Kept()  # each completed screening's decision form as first shown: it never changes
_DETAILS = Kept()  # each completed screening's detail, for each decision on it


@screening.get("/screenings/<screening_id>/outcome")
@allow(*READERS)
def outcome(screening_id: str):
    with database().transaction() as tx:
        found = load_visible(tx, screening_id)
        if found.status != "complete":
            return redirect(url_for(".tasks", screening_id=screening_id))
        audit.record(tx, owner(), "screening_viewed", "screening", found.id, own=found.owner == owner())
        history = repo.history_of(tx, found)
        return _outcome(found, history, {}, {}, tx=tx)


def _outcome(found: Screening, history: list, errors: dict[str, str], data: dict, language: list | None = None,
             tx=None):
    """The stored outcome page: nothing on it comes from the active rule set but, for a linked child, the other
    agencies' screenings now (whom to contact)."""
    shown = stored_outcome(found)
    record = {"headline": headline(shown.from_record),
              "lines": [source_words(f, shown.route_label_of) for f in shown.from_record],
              "others": involvement(tx, ruleset(tx), found) if tx is not None and found.child_id else []}
    after = after_view(tx, found, shown) if tx is not None else None
    now = _counted(found, shown)

    def form() -> str:
        return render_template("decision_form.html", view=decision_view(shown, data), errors=errors, data=data,
                               minimums=minimums(shown), language=language or [])
    as_first_shown = not (errors or data or language)  # then it depends on the stored outcome alone
    completed = (found.id, str(found.completed_at), words.language())  # kept apart for each language
    form_html = _FORMS.get(completed, form) if as_first_shown else form()
    decided = (found.decision, found.decided_route, found.decision_reason, found.lead_consulted)
    detail = _DETAILS.get((*completed, *decided), lambda: render_template(
        "outcome_detail.html", o=shown, c=now, driving=driving(shown), also_noted=also_noted(shown),
        indicators_by_theme=indicators_by_theme))
    return render_template("outcome.html", screening=found, o=shown, c=now, history=history, errors=errors,
                           form=FlaskForm(), decision_fields=form_html, detail=detail, language=language or [],
                           may_decide=found.owner == owner(), record=record, after=after,
                           received=_received(tx, found, shown, after))


def _received(tx, found: Screening, shown: Outcome, after: dict | None) -> dict | None:
    """For anyone but its author (the MASH, a lead): the screening as a referral they received."""
    if found.owner == owner() or tx is None:
        return None
    account = users.find(tx, found.owner)
    return received_view(found, shown, after, account.name if account else found.owner, g.user.role)


def _counted(found: Screening, shown: Outcome):
    """The route that counts: the stored recommendation, or the latest decision on it."""
    return counted(shown, found.decision, found.decided_route, found.decision_reason,
                   found.lead_consulted)


@screening.post("/screenings/<screening_id>/decision")
@allow(*SCREENERS)
def decide(screening_id: str):
    with database().transaction() as tx:
        found = load_own(tx, screening_id)
        if found.status != "complete":
            abort(409)
        history = repo.decisions_of(tx, found.id)
        decision, errors = read_decision(stored_outcome(found), request.form)
        if decision is None:
            return _outcome(found, history, errors, request.form, tx=tx), 400
        flagged = [f.to_dict() for f in check_language(ruleset().language, decision.reason)]
        if flagged and not request.form.get("reason__keep"):
            return _outcome(found, history, {}, request.form, flagged, tx=tx)
        previous = found.decided_route
        repo.record_decision(tx, found, owner(), decision.decision, decision.route, decision.reason, decision.lead,
                             decision.below_minimum)
        action = "decision_changed" if history else (
            "route_agreed" if decision.decision == "agree" else "route_overridden")
        audit.record(tx, owner(), action, "screening", found.id, recommended=found.recommended_route,
                     decided=decision.route, **({"previous": previous} if history else {}))
    return redirect(url_for(".outcome", screening_id=screening_id) + "#your-judgement")


@screening.get("/screenings/<screening_id>/outcome.json")
@allow(*READERS)
def export_json(screening_id: str):
    found, history = _exported(screening_id, "json")
    now = _counted(found, stored_outcome(found))
    body = {"screening": found.id, "agency": found.agency, "answers": found.answers, "outcome": found.outcome,
            "outcome_in_languages": found.outcome_in_languages or {},
            "route_that_counts": {"route": now.route, "label": now.label, "decision": now.decision,
                                  "child_protection": now.child_protection, "reason": now.reason,
                                  "lead_consulted": now.lead_consulted,
                                  "actions": [asdict(a) for a in now.actions],
                                  "strategy_meeting": {"required": now.meeting_required,
                                                       "within": now.meeting_within}},
            "decisions": [{"number": d.number, "decision": d.decision, "route": d.route, "reason": d.reason,
                           "lead_consulted": d.lead_consulted, "below_minimum": d.below_minimum,
                           "made_by": d.made_by, "made_at": d.made_at.isoformat()} for d in history]}
    return Response(json.dumps(body, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=screening-{found.id}.json"})


@screening.get("/screenings/<screening_id>/referral")
@allow(*READERS)
def referral(screening_id: str):
    found, document = _referral(screening_id, "referral")
    with in_language(document.language):  # the whole document in the words it was produced with
        return render_template("referral.html", r=document, screening=found)


@screening.get("/screenings/<screening_id>/referral.txt")
@allow(*READERS)
def referral_txt(screening_id: str):
    _, document = _referral(screening_id, "text")
    return Response(referral_text(document), mimetype="text/plain")


@screening.get("/screenings/<screening_id>/referral.pdf")
@allow(*READERS)
def referral_pdf(screening_id: str):
    found, document = _referral(screening_id, "pdf")
    with in_language(document.language):
        html = render_template("referral.html", r=document, screening=found, for_pdf=True,
                               referral_css=document_css())
    return Response(pdf_of(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=referral-{found.id}.pdf"})


def document_css() -> str:
    from flask import current_app
    return (Path(current_app.static_folder or "") / "referral" / "referral.css").read_text(encoding="utf-8")


def pdf_of(html: str) -> bytes:
    """A self-contained HTML document as PDF (WeasyPrint); it fetches nothing, so it can reach nothing."""
    from weasyprint import HTML  # imported when first needed: it takes a second to load

    def refuse(url: str, *args, **kwargs):
        raise ValueError("the referral document loads nothing")
    return HTML(string=html, url_fetcher=refuse).write_pdf()


def _referral(screening_id: str, fmt: str) -> tuple[Screening, Referral]:
    with database().transaction() as tx:
        found, _ = _exported_in(tx, screening_id, fmt)
        return found, referral_of(tx, found, whole_record=g.user.sees_all)


def referral_of(tx, found: Screening, whole_record: bool) -> Referral:
    """The referral of a completed screening (the caller has checked the viewer may open it, and audited it): who
    refers, the route that counts, and who the child is: for the MASH and leads (`whole_record`) as the child's
    record holds them from every agency; for the referrer, as they entered them."""
    account = users.find(tx, found.owner)
    who = Referrer(account.name if account else found.owner, found.agency or "", found.referrer_contact or "",
                   found.referrer_is_lead)
    shown = stored_outcome(found)
    return build_referral(shown, _counted(found, shown), who, found.decided_at or found.updated_at,
                          _child_named(tx, found, whole_record))


def _child_named(tx, found: Screening, whole_record: bool) -> Identity | None:
    if found.child_id is None:
        return None
    if whole_record:
        return children.identity(tx, identity_keys(), children.root_of(tx, found.child_id))
    return children.as_entered(identity_keys(), found)


def _exported(screening_id: str, fmt: str) -> tuple[Screening, list]:
    with database().transaction() as tx:
        return _exported_in(tx, screening_id, fmt)


def _exported_in(tx, screening_id: str, fmt: str) -> tuple[Screening, list]:
    """A completed screening being exported, with the export audited; drafts have nothing to export."""
    found = load_visible(tx, screening_id)
    if found.status != "complete":
        abort(404)
    audit.record(tx, owner(), "screening_exported", "screening", found.id, format=fmt)
    return found, repo.decisions_of(tx, found.id)
