"""The rules as decision tables, one per route: read and searched on a page, downloaded as a spreadsheet or CSV
for a partnership meeting, and a spreadsheet changed offline uploaded back into the lead's draft."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...errors import RuleSetInvalid
from ...store import rulesets as versions
from ...tools import decision_tables
from ..access import SIGNED_IN, allow
from ..context import active_ruleset, active_version
from .rule_editor import save_draft, working_texts

tables = Blueprint("tables", __name__, url_prefix="/rules/tables")
MAX_UPLOAD = 2 * 1024 * 1024  # bytes: the downloaded workbook is about 25 kB
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tables.get("/")
@allow(*SIGNED_IN)
def page():
    query = " ".join(request.args.get("q", "").split())[:100]
    rs = active_ruleset()
    return render_template("rules/tables.html", tables=decision_tables.tables(rs, query), query=query, rs=rs)


@tables.get("/rules.csv")
@allow(*SIGNED_IN)
def csv():
    return Response(decision_tables.to_csv(active_version()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=decision-tables.csv"})


@tables.get("/rules.xlsx")
@allow(*SIGNED_IN)
def xlsx():
    return Response(decision_tables.to_xlsx(active_version()), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=decision-tables.xlsx"})


@tables.route("/upload", methods=["GET", "POST"])
@allow("safeguarding_lead")
def upload():
    """A spreadsheet as downloaded, with thresholds, minimum routes or levels changed: into the lead's draft."""
    problems: list[str] = []
    if request.method == "POST":
        problems = _take(request.files.get("spreadsheet"))
        if not problems:
            return redirect(url_for("editor.changes"))
    return render_template("rules/tables_upload.html", problems=problems, form=FlaskForm()), \
        400 if problems else 200


def _take(file) -> list[str]:
    """The problems with an uploaded workbook, in words; none once its changes are in the draft."""
    if file is None or not file.filename:
        return [_("Choose the spreadsheet to upload")]
    data = file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return [_("The file must be smaller than 2 MB")]
    texts, _draft = working_texts()
    try:
        texts["rules.yaml"] = decision_tables.from_xlsx(data, versions.parse(texts))
        versions.parse(texts)
    except decision_tables.SpreadsheetProblem as exc:
        return exc.problems
    except RuleSetInvalid as exc:
        return [f"{e.message[:1].upper()}{e.message[1:]}" for e in exc.errors]
    save_draft(texts)
    return []
