"""The partnership dashboard (safeguarding leads and the read-only `board` role): over a period, and optionally one
agency, the figures the seeds ask a board to watch, each as an SVG chart with the same numbers in a table beneath
and a CSV. Counts below SUPPRESS_BELOW (but above 0) are shown as 'fewer than N' everywhere, since small counts
can identify a child."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...model import RuleSet
from ...store import dashboard as sql
from ...store.screenings import AGE_BANDS
from .. import charts
from ..access import allow
from ..context import active_ruleset, database
from .group_training import agreement_figures, short_labels

board = Blueprint("dashboard", __name__)
VIEWERS = ("safeguarding_lead", "board")
KIND = {"routes": "stacked", "ages": "stacked", "threshold": "bars", "overrides": "across"}
AGE_WORDS = {"under_13": _l("Under 13"), "13_15": _l("13 to 15"), "16_17": _l("16 and 17"),
             "not_known": _l("Age not known")}  # the store's AGE_BANDS, in the page's language


def _period() -> tuple[sql.Period, dict[str, str]]:
    """The period asked for (?from=YYYY-MM-DD&to=...&agency=...), by default the 12 months to today."""
    errors: dict[str, str] = {}
    today = datetime.now(UTC).date()
    end = _day("to", _("the end of the period"), errors) or today
    start = _day("from", _("the start of the period"), errors) or end - timedelta(days=364)
    if start > end:
        errors["from"] = _("The start of the period must be before its end")
        start = end - timedelta(days=364)
    agency = request.args.get("agency", "")
    return sql.Period(start, end, agency if agency in active_ruleset().agency_by_id else None), errors


def _day(name: str, words: str, errors: dict[str, str]) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        found = date.fromisoformat(text[:10])
    except ValueError:
        errors[name] = _("Enter %(words)s as a date, like 2026-04-01", words=words)
        return None
    return found if 2000 <= found.year <= 2100 else None


def _child_protection_route(rs: RuleSet) -> str:
    """The lowest route that is a child protection referral (section 47 in the default ladder)."""
    return next((r.id for r in rs.routes if r.child_protection), rs.routes[-1].id)


def figures(rs: RuleSet, period: sql.Period, only: str | None = None) -> dict[str, dict]:
    """The dashboard's tables (or just `only`): a title, column headings and rows of (label, counts...)."""
    with database().reading() as tx:
        return {name: make(tx, rs, period) for name, make in TABLES.items() if only in (None, name)}


def _labels(rs: RuleSet) -> tuple[dict[str, int], str, dict[str, str]]:
    return {r.id: r.rank for r in rs.routes}, _child_protection_route(rs), {r.id: r.label for r in rs.routes}


def _monthly(tx, period: sql.Period, keys: list[str], key_of) -> list[list]:
    monthly = _by_month(tx, period)
    months = sorted({m for m, _, _, _ in monthly})
    return [[m, *(sum(n for mm, r, b, n in monthly if mm == m and key_of(r, b) == k) for k in keys)]
            for m in months]


def _by_month(tx, period: sql.Period) -> list[tuple[str, str, str, int]]:
    """The counts both monthly tables are drawn from: read once a request."""
    read = g.setdefault("by_month", {})
    if period not in read:
        read[period] = sql.by_month(tx, period)
    return read[period]


def _routes(tx, rs: RuleSet, period: sql.Period) -> dict:
    return {"title": _("Screenings by recommended route, per month"),
            "columns": [_("Month"), *(r.label for r in rs.routes)],
            "rows": _monthly(tx, period, [r.id for r in rs.routes], lambda r, b: r)}


def _ages(tx, rs: RuleSet, period: sql.Period) -> dict:
    return {"title": _("Screenings by the child's age, per month"),
            "columns": [_("Month"), *(str(AGE_WORDS.get(b, words)) for b, words in AGE_BANDS.items())],
            "rows": _monthly(tx, period, list(AGE_BANDS), lambda r, b: b)}


def _threshold(tx, rs: RuleSet, period: sql.Period) -> dict:
    ranks, cp, labels = _labels(rs)
    found = sorted(sql.threshold(tx, period, ranks, cp), key=lambda row: list(AGE_BANDS).index(row[0]))
    return {"title": _("When the rules said %(route)s or above: what was decided, by age", route=labels[cp]),
            "columns": [_("Age"), _("The rules said child protection"), _("The practitioner decided lower"),
                        _("Children's social care decided lower")],
            "rows": [[str(AGE_WORDS.get(b, AGE_BANDS.get(b, b))), n, d, c] for b, n, d, c in found]}


def _overrides(tx, rs: RuleSet, period: sql.Period) -> dict:
    rules = {r.id: r.description.split(". ")[0][:90] for r in rs.rules}
    return {"title": _("Practitioners' decisions against each rule that fired"),
            "columns": [_("Rule"), _("Fired"), _("Raised"), _("Lowered")],
            "rows": [[rules.get(r, r), n, up, down] for r, n, up, down in sql.overrides(tx, period)]}


def _followup(tx, rs: RuleSet, period: sql.Period) -> dict:
    ranks, cp, labels = _labels(rs)
    late, open_challenges = sql.overdue_and_challenged(tx, period, datetime.now(UTC))
    return {"title": _("Answers and challenges"), "columns": [_("What"), _("Count")],
            "rows": [[_("Referrals with no decision past their due date"), late],
                     [_("Challenges not yet resolved"), open_challenges],
                     [_("Children screened twice or more in 12 months, never at %(route)s", route=labels[cp]),
                      sql.repeated_not_stepped_up(tx, period, ranks, cp)]]}


def _meetings(tx, rs: RuleSet, period: sql.Period) -> dict:
    total, absent, no_view, no_parents = sql.meetings_lacking(tx, period)
    return {"title": _("Final strategy-meeting records"), "columns": [_("What"), _("Count")],
            "rows": [[_("Meetings recorded"), total], [_("With an invited agency absent or not invited"), absent],
                     [_("Without the child's views"), no_view],
                     [_("Without the parents' or carers' views, or why they were not sought"), no_parents]]}


TABLES = {"routes": _routes, "ages": _ages, "threshold": _threshold, "overrides": _overrides, "followup": _followup,
          "meetings": _meetings}


def suppressed(value: object) -> object:
    """A count as it may be shown: 'fewer than N' for 1..N-1."""
    below = int(current_app.config["SUPPRESS_BELOW"])
    return _("fewer than %(least)s", least=below) if isinstance(value, int) and 0 < value < below else value


def _query() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in ("from", "to", "agency")}


@board.get("/dashboard")
@allow(*VIEWERS)
def dashboard():
    rs = active_ruleset()
    period, errors = _period()
    return render_template("dashboard/dashboard.html", tables=figures(rs, period), period=period, errors=errors,
                           agencies=rs.agencies, shown=suppressed, charts=KIND, query=_query(),
                           agreement=agreement_figures(), route_labels=short_labels())


@board.get("/dashboard/<name>.csv")
@allow(*VIEWERS)
def table_csv(name: str):
    period = _period()[0]
    table = figures(active_ruleset(), period, only=name).get(name) or abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table["columns"])
    writer.writerows([row[0], *map(suppressed, row[1:])] for row in table["rows"])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{period.start}-{period.end}.csv"'})


@board.get("/dashboard/charts/<name>.svg")
@allow(*VIEWERS)
def chart(name: str):
    if name not in KIND:
        abort(404)
    period = _period()[0]
    table = figures(active_ruleset(), period, only=name)[name]
    series = [(column, [None if isinstance(suppressed(row[n]), str) else row[n] for row in table["rows"]])
              for n, column in enumerate(table["columns"][1:], start=1)]
    drawn = charts.svg(KIND[name], table["title"], [str(row[0]) for row in table["rows"]], series)
    response = Response(drawn, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"  # an image: no script
    return response
