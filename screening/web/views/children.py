"""Child records for safeguarding leads and the MASH: find a child, read their chronology across agencies, and
(leads) merge two records of the same child, undo a merge, or take a screening off a record it was wrongly
linked to. Every chronology view and every change is audited; search is by POST so identifiers never reach a URL
or the access log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...identifiers import long_date
from ...store import audit, children, followup
from ...store.models import Child, Screening
from ..access import CHILD_RECORDS, allow
from ..chronology import entries, timeline
from ..context import active_ruleset, database, identity_keys
from ..forms.child import read_child

records = Blueprint("children", __name__)


@records.route("/children", methods=["GET", "POST"])
@allow(*CHILD_RECORDS)
def find():
    if request.method == "GET":
        return render_template("children/find.html", form=FlaskForm(), data={}, errors={}, results=None)
    who, errors = read_child(request.form)
    if who is None:
        return render_template("children/find.html", form=FlaskForm(), data=request.form, errors=errors,
                               results=None), 400
    with database().reading() as tx:
        exact = children.exact_matches(tx, identity_keys(), who)
        if len(exact) == 1:
            return redirect(url_for(".chronology", child_id=exact.pop()))
        found = [children.candidate(tx, identity_keys(), c, who) for c in sorted(exact)] or \
            children.candidates(tx, identity_keys(), who)
    results = [{"id": c.child_id, "masked": c.masked, "born": long_date(c.born), "screenings": c.screenings}
               for c in found]
    return render_template("children/find.html", form=FlaskForm(), data=request.form, errors={}, results=results)


@records.get("/children/<child_id>")
@allow(*CHILD_RECORDS)
def chronology(child_id: str):
    rs = active_ruleset()
    with database().transaction() as tx:
        root = _root(tx, child_id)
        if root != child_id:
            return redirect(url_for(".chronology", child_id=root))
        who = children.identity(tx, identity_keys(), root)
        screenings = children.screenings_of(tx, root)
        ids = [s.id for s in screenings]
        meetings = {m.screening_id: m for m in followup.meetings_of_child(tx, children.members(tx, root))}
        shown = entries(screenings, {a.id: a.name for a in rs.agencies}, followup.responses_of(tx, ids), meetings)
        merged = [{"id": c.id, "who": identity_keys().unseal(c.identity)} for c in children.merged_records(tx, root)]
        duplicates = [c for c in children.candidates(tx, identity_keys(), who, set(children.members(tx, root)))]
        audit.record(tx, g.user.username, "child_chronology_viewed", "child", root, screenings=len(shown),
                     other_agencies=sum(1 for e in shown if e.agency != g.user.agency))
    return render_template("children/chronology.html", child_id=root, who=who, born=long_date(who.born),
                           entries=shown, line=timeline(shown), merged=merged, duplicates=duplicates,
                           may_change=g.user.is_lead, form=FlaskForm(), long_date=long_date)


@records.post("/children/<child_id>/merge")
@allow("safeguarding_lead")
def merge(child_id: str):
    other = request.form.get("other", "").strip()[:32]
    with database().transaction() as tx:
        root = _root(tx, child_id)
        try:
            children.merge(tx, root, other)
        except children.CannotMerge as exc:
            flash(str(exc), "problem")
            return redirect(url_for(".chronology", child_id=root))
        audit.record(tx, g.user.username, "children_merged", "child", root, merged=other)
    flash(_("The two records are now one. You can undo this below."), "done")
    return redirect(url_for(".chronology", child_id=root))


@records.post("/children/<child_id>/unmerge/<other_id>")
@allow("safeguarding_lead")
def unmerge(child_id: str, other_id: str):
    with database().transaction() as tx:
        try:
            was = children.undo_merge(tx, other_id)
        except children.CannotMerge as exc:
            flash(str(exc), "problem")
            return redirect(url_for(".chronology", child_id=child_id))
        audit.record(tx, g.user.username, "children_unmerged", "child", was, separated=other_id)
    flash(_("The records are separate again."), "done")
    return redirect(url_for(".chronology", child_id=was))


@records.post("/children/<child_id>/screenings/<screening_id>/unlink")
@allow("safeguarding_lead")
def unlink(child_id: str, screening_id: str):
    """Take a screening off a record it was wrongly linked to; its stored outcome does not change."""
    with database().transaction() as tx:
        root = _root(tx, child_id)
        found = tx.get(Screening, screening_id)
        if found is None or found.child_id not in children.members(tx, root):
            abort(404)
        children.unlink(tx, found)
        audit.record(tx, g.user.username, "child_unlinked", "screening", screening_id, child=root)
        tx.flush()
        children.drop_if_unscreened(tx, root)
        left = tx.get(Child, root) is not None
    flash(_("The screening is no longer linked to this child."), "done")
    return redirect(url_for(".chronology", child_id=root) if left else url_for(".find"))


def _root(tx, child_id: str) -> str:
    if len(child_id) > 32 or tx.get(Child, child_id) is None:
        abort(404)
    return children.root_of(tx, child_id)

