"""The rule-set explorer: the active rule set in plain words (everyone signed in; leads also see versions and can
download the YAML)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.utils import secure_filename

from ... import words
from ...errors import RuleSetInvalid
from ...model import RuleSet
from ...store import audit
from ...store import rulesets as versions
from ...store.dashboard import decisions_by_rule
from ...store.models import RuleSetVersion, Screening
from ...tools import impact_words
from ...tools.changes import changes_between, numbered
from ..access import SIGNED_IN, allow
from ..context import active_ruleset, active_version, database, impact_previews

rules = Blueprint("rules", __name__, url_prefix="/rules")
SEE_THE_REPORT = _l("View the finished impact preview against the rules in use now before activating")


@rules.get("/")
@allow(*SIGNED_IN)
def explorer():
    rs = active_ruleset()
    history = []
    if g.user.is_lead:
        with database().reading() as tx:
            active = versions.active_version(tx)
            history = [{"id": v.id, "version": v.version, "hash": v.hash[:12], "by": v.uploaded_by,
                        "at": v.uploaded_at, "reason": v.reason, "active": active is not None and v.id == active.id}
                       for v in versions.history(tx)]
    plain_rules = [{"rule": r, "when": r.when.describe(), "then": impact_words.consequence_words(rs, r.then)}
                   for r in rs.rules]
    by_theme = [(t, [i for i in rs.indicators if i.theme == t.id]) for t in rs.themes]
    unset = versions.placeholder_contacts(rs)  # located: the file to open to fill them in
    return render_template("rules/explorer.html", rs=rs, rules=plain_rules, by_theme=by_theme, history=history,
                           full=g.user.is_lead, unset_contacts=[c for c in rs.contacts if c.placeholder],
                           contacts_file=unset[0].location.file if unset else "")


@rules.get("/files/<name>")
@allow("safeguarding_lead")
def download(name: str):
    texts = {n.rsplit("/", 1)[-1]: t for n, t in active_ruleset().sources}
    if name not in texts:
        abort(404)
    return Response(texts[name], mimetype="application/yaml",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# -- proposing, previewing and activating changes (safeguarding leads) ------------------------------------------

def _active_texts() -> dict[str, str]:
    return {n.rsplit("/", 1)[-1]: t for n, t in active_ruleset().sources}


@rules.route("/propose", methods=["GET", "POST"])
@allow("safeguarding_lead")
def propose():
    """Edit one file of the active rule set in the browser, or upload a file (its name says which it replaces)."""
    texts, form = _active_texts(), FlaskForm()
    name = request.values.get("file") or "rules.yaml"
    if request.method == "GET":
        return _propose_page(form, texts, name, texts.get(name, ""), "", [])
    upload = request.files.get("upload")
    if upload and upload.filename:
        name, text = secure_filename(upload.filename), upload.read().decode("utf-8", errors="replace")
    else:
        text = request.form.get("text", "")
    reason = request.form.get("reason", "").strip()
    if not name.endswith(".yaml") or not reason:
        problem = _("Enter why you are proposing this change") if not reason else _("Upload a .yaml file")
        return _propose_page(form, texts, name, text, reason, [], problem), 400
    try:
        with database().transaction() as tx:
            proposed = {**texts, name: text}  # numbered by its kind of change, never a number in use
            active = active_version()
            candidate = versions.parse(numbered(proposed, active, versions.parse(proposed),
                                                versions.numbers_in_use(tx, active.meta.id)))
            version = versions.add_version(tx, candidate, g.user.username, reason)
            audit.record(tx, g.user.username, "ruleset_uploaded", "ruleset", str(version.id), hash=version.hash)
    except RuleSetInvalid as exc:
        return _propose_page(form, texts, name, text, reason, exc.errors), 400
    start_impact(version)
    return redirect(url_for(".preview", version_id=version.id))


def _propose_page(form, texts, name, text, reason, errors, problem=""):
    lines = text.splitlines()
    return render_template("rules/propose.html", form=form, files=sorted(texts), name=name, text=text,
                           reason=reason, errors=errors, problem=problem, lines=lines)


def _version(version_id: int):
    with database().reading() as tx:
        found = tx.get(RuleSetVersion, version_id)
        if found is None:
            abort(404)
        return found, versions.active_version(tx)


@rules.get("/versions/<id:version_id>")
@allow("safeguarding_lead")
def preview(version_id: int):
    """The impact of making this version active, over every vignette stage and stored screening: its progress,
    its report, or a button that starts it. Reading this page changes nothing."""
    return _preview_page(version_id, {})


@rules.post("/versions/<id:version_id>/preview")
@allow("safeguarding_lead")
def start_preview(version_id: int):
    candidate, _active = _version(version_id)
    start_impact(candidate)
    return redirect(url_for(".preview", version_id=version_id))


def start_impact(candidate: RuleSetVersion) -> None:
    impact_previews().start(active_version(), versions.of_version(candidate))
    with database().transaction() as tx:
        audit.record(tx, g.user.username, "ruleset_previewed", "ruleset", str(candidate.id))


def report_key(old: RuleSet, new: RuleSet) -> str:
    """Names the comparison a report shows; the activation form carries it, so that activating proves that the
    finished report against the version active now was on the lead's screen."""
    return f"{old.hash}:{new.hash}"


def _preview_page(version_id: int, errors: dict[str, str]):
    candidate, active = _version(version_id)
    old, new = active_version(), versions.of_version(candidate)  # compared in English, shown in the page's language
    code = words.language()
    previews = impact_previews()
    preview = previews.find(old, new)
    shown = {}
    if preview is not None and preview.totals is not None:
        changed, more = previews.changed(preview, request.args.get("after"))
        cannot, more_cannot = previews.cannot(preview)
        failing, changed_stages = previews.vignette_stages(preview)
        said_old, said_new = old.in_language(code), new.in_language(code)
        shown = {"cases": impact_words.changed_cases(changed, said_old, said_new), "more": more, "cannot": cannot,
                 "more_cannot": more_cannot,
                 "transitions": impact_words.transitions(preview.rows, said_old, said_new),
                 "failing": impact_words.failing_vignettes(failing, changed_stages, said_old, said_new),
                 "first_page": not request.args.get("after")}
    return render_template("rules/preview.html", candidate=candidate, active=active, job=preview, old=old, new=new,
                           form=FlaskForm(), errors=errors, is_active=active is not None and active.id == candidate.id,
                           needs_approval=_needs_approval(candidate), report_key=report_key(old, new),
                           change_log=changes_between(old, new), **shown), 400 if errors else 200


def _finished_preview(candidate: RuleSetVersion):
    """The finished preview comparing the version active now with this one (kept in the database, so any
    instance can check it), or None."""
    preview = impact_previews().find(active_version(), versions.of_version(candidate))
    return preview if preview is not None and preview.totals is not None else None


def _report_seen(candidate: RuleSetVersion) -> bool:
    """The form names the finished report comparing the version active now with this one."""
    old, new = active_version(), versions.of_version(candidate)
    return request.form.get("report") == report_key(old, new) and _finished_preview(candidate) is not None


def _seen_detail(candidate: RuleSetVersion) -> dict:
    """What the audit keeps of the report the lead saw: which comparison, and how many cases it sent down."""
    preview = _finished_preview(candidate)
    return {"report": report_key(active_version(), versions.of_version(candidate)),
            "cases_down": preview.totals.down if preview and preview.totals else 0}


def _failing_vignettes(candidate: RuleSetVersion) -> int:
    """How many vignette stages the finished report says this version would not match."""
    preview = _finished_preview(candidate)
    if preview is None:
        return 0
    failing, _changed = impact_previews().vignette_stages(preview)
    return sum(f.case.kind == "vignette" for f in failing)


def _needs_approval(candidate: RuleSetVersion) -> bool:
    if not current_app.config["REQUIRE_SECOND_APPROVAL"]:
        return False
    return not any(name != g.user.username for name in candidate.approvals or [])


@rules.post("/versions/<id:version_id>/approve")
@allow("safeguarding_lead")
def approve(version_id: int):
    candidate, _active = _version(version_id)
    if not _report_seen(candidate):
        return _preview_page(version_id, {"reason": SEE_THE_REPORT})
    with database().transaction() as tx:
        found = tx.get(RuleSetVersion, version_id) or abort(404)
        found.approvals = sorted({*(found.approvals or []), g.user.username})
        audit.record(tx, g.user.username, "ruleset_approved", "ruleset", str(version_id), **_seen_detail(candidate))
    return redirect(url_for(".preview", version_id=version_id))


@rules.post("/versions/<id:version_id>/activate")
@allow("safeguarding_lead")
def activate(version_id: int):
    """Activate (or roll back to) a version: needs its preview seen, a reason and, if configured, another
    lead's approval."""
    candidate, _active = _version(version_id)
    reason = request.form.get("reason", "").strip()
    problem = (SEE_THE_REPORT if not _report_seen(candidate)
               else _("Enter why you are activating this version") if not reason
               else _("Another safeguarding lead must approve this version first") if _needs_approval(candidate)
               else "")
    if problem:
        return _preview_page(version_id, {"reason": problem})
    if _failing_vignettes(candidate) and request.form.get("acknowledge") != "vignettes":
        return _preview_page(version_id, {"acknowledge": _("Confirm that you have read the vignette stages that "
                                                           "would no longer match")})
    seen = {**_seen_detail(candidate), "vignettes_not_matching": _failing_vignettes(candidate)}
    with database().transaction() as tx:
        versions.activate(tx, version_id, g.user.username, reason)
        audit.record(tx, g.user.username, "ruleset_activated", "ruleset", str(version_id), hash=candidate.hash,
                     **seen)
    return redirect(url_for(".explorer"))


@rules.get("/insight")
@allow("safeguarding_lead")
def insight():
    """For each rule: how often it fired in completed screenings, and how often practitioners raised or lowered."""
    with database().reading() as tx:  # counted in SQL from the rules each screening fired (store.dashboard)
        stats = decisions_by_rule(tx)
        screenings = tx.scalar(select(func.count()).select_from(Screening).where(Screening.status == "complete"))
    rs = active_ruleset()
    table = [{"rule": r, **stats.get(r.id, {"fired": 0, "raise": 0, "lower": 0, "agree": 0})} for r in rs.rules]
    table.sort(key=lambda row: -(row["raise"] + row["lower"]))
    return render_template("rules/insight.html", table=table, screenings=screenings or 0)
