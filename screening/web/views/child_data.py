"""What a safeguarding lead does with a child's data as a whole: place or lift a legal hold (a reason each time,
audited; the retention purge never passes a hold), and produce a subject access export of everything held about
the child, as one PDF and one JSON, with other people's details marked for review (audited)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...identifiers import long_date
from ...store import audit, children, retention, subject_access
from ...store.models import Child
from ..access import allow
from ..context import active_ruleset, database, identity_keys
from .outcome import document_css, pdf_of

child_data = Blueprint("child_data", __name__)
REASON_MAX = 2000
REASONS = {"place": _l("Enter why the records must be kept"), "lift": _l("Enter why the hold can be lifted")}


@child_data.route("/children/<child_id>/legal-hold", methods=["GET", "POST"])
@allow("safeguarding_lead")
def hold(child_id: str):
    with database().transaction() as tx:
        root = _root(tx, child_id)
        held = retention.standing(tx, root)
        errors: dict[str, str] = {}
        if request.method == "POST":
            reason = request.form.get("reason", "").strip()
            if not reason or len(reason) > REASON_MAX:
                errors["reason"] = str(REASONS["lift" if held else "place"]) if not reason else \
                    _("The reason must be %(max)s characters or fewer", max=REASON_MAX)
            elif held:
                for lifted in retention.lift(tx, root, reason, g.user.username):
                    audit.record(tx, g.user.username, "legal_hold_lifted", "child", lifted.child_id, hold=lifted.id)
            else:
                placed = retention.place(tx, root, reason, g.user.username)
                audit.record(tx, g.user.username, "legal_hold_placed", "child", root, hold=placed.id)
        if request.method == "POST" and not errors:
            flash(_("The hold is lifted: the retention rules apply again.") if held else
                  _("The hold is in place: nothing of this child's is deleted until it is lifted."), "success")
            return redirect(url_for(".hold", child_id=root))
        who = children.identity(tx, identity_keys(), root)
        shown = render_template("child_data/hold.html", child_id=root, who=who, born=long_date(who.born), held=held,
                                history=retention.holds_of(tx, root), errors=errors, data=request.form,
                                form=FlaskForm())
    return shown, 400 if errors else 200


@child_data.get("/children/<child_id>/subject-access")
@allow("safeguarding_lead")
def subject_access_page(child_id: str):
    with database().reading() as tx:
        root = _root(tx, child_id)
        who = children.identity(tx, identity_keys(), root)
        count = len(children.screenings_of(tx, root))
    return render_template("child_data/subject_access.html", child_id=root, who=who, born=long_date(who.born),
                           screenings=count)


@child_data.get("/children/<child_id>/subject-access.json")
@allow("safeguarding_lead")
def subject_access_json(child_id: str):
    held = _export(child_id, "json")
    return Response(json.dumps(held, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="subject-access-{held["child"]}.json"'})


@child_data.get("/children/<child_id>/subject-access.pdf")
@allow("safeguarding_lead")
def subject_access_pdf(child_id: str):
    held = _export(child_id, "pdf")
    html = render_template("child_data/subject_access_pdf.html", held=held, labels=_labels(),
                           document_css=document_css())
    return Response(pdf_of(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="subject-access-{held["child"]}.pdf"'})


def _export(child_id: str, fmt: str) -> dict:
    """Everything held about the child, audited as exported (by whom, in which format) before it is given."""
    quoted = frozenset(q.id for q in active_ruleset().questions if q.kind.quoted)
    with database().transaction() as tx:
        root = _root(tx, child_id)
        held = subject_access.gather(tx, identity_keys(), root, quoted)
        audit.record(tx, g.user.username, "subject_access_exported", "child", root, format=fmt,
                     screenings=len(held["screenings"]))
    return {"child": root, "produced_by": g.user.username, "note": NOTE, **held}


NOTE = ("Everything this service holds about the child. Values given as {\"value\": ..., \"review\": ...} are other "
        "people's details or free words: read each before release and withhold what the law allows or requires.")


def _labels() -> dict[str, str]:
    rs = active_ruleset()
    return {**{q.id: q.label for q in rs.questions}, **{i.id: i.text for i in rs.indicators}}


def _root(tx, child_id: str) -> str:
    if len(child_id) > 32 or tx.get(Child, child_id) is None:
        abort(404)
    return children.root_of(tx, child_id)
