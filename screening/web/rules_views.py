"""The rule-set explorer: the active rule set in plain words (everyone signed in; leads also see versions and can
download the YAML)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, render_template

from ..report import consequence_text
from ..store import rulesets as versions
from . import active_ruleset
from .access import SIGNED_IN, allow

rules = Blueprint("rules", __name__, url_prefix="/rules")


@rules.get("/")
@allow(*SIGNED_IN)
def explorer():
    rs = active_ruleset()
    history = []
    if g.user.is_lead:
        with current_app.extensions["db"].reading() as tx:
            active = versions.active_version(tx)
            history = [{"id": v.id, "version": v.version, "hash": v.hash[:12], "by": v.uploaded_by,
                        "at": v.uploaded_at, "reason": v.reason, "active": active is not None and v.id == active.id}
                       for v in versions.history(tx)]
    plain_rules = [{"rule": r, "when": r.when.describe(), "then": consequence_text(rs, r.then)} for r in rs.rules]
    by_theme = [(t, [i for i in rs.indicators if i.theme == t.id]) for t in rs.themes]
    return render_template("rules/explorer.html", rs=rs, rules=plain_rules, by_theme=by_theme, history=history,
                           full=g.user.is_lead)


@rules.get("/files/<name>")
@allow("safeguarding_lead")
def download(name: str):
    texts = {n.rsplit("/", 1)[-1]: t for n, t in active_ruleset().sources}
    if name not in texts:
        abort(404)
    return Response(texts[name], mimetype="application/yaml",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
