"""The partnership dashboard over seeded records whose counts are known: every figure asserted, small counts
suppressed on the page and in the CSV, charts as SVG images, and who may see it."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime

import pytest

from screening.store import summaries
from screening.store.models import Challenge, FiredRule, MeetingRecord, ReferralResponse, Screening
from tests.web.conftest import sign_in, signed_in_client

PERIOD = "?from=2026-01-01&to=2026-06-30"
RULE = "disclosure_even_if_withdrawn"
MEETING = {"strategy_meeting": {"invitees": [{"role": "Police", "why": "intelligence"}]}}


def screening(tx, month: int, route: str, band: str, agency: str, *, decided: str | None = None,
              child: str | None = None, year: int = 2026, outcome: dict | None = None) -> str:
    sid = uuid.uuid4().hex
    done = datetime(year, month, 10, 12, 0, tzinfo=UTC)
    tx.add(Screening(id=sid, owner="demo-practitioner", status="complete", agency=agency, answers={}, pages_done=[],
                     language_choices={}, ruleset_id="default-cse", ruleset_version="1", ruleset_hash="h",
                     outcome=outcome or {}, recommended_route=route, decided_route=decided,
                     decision="lower" if decided else None, age_band=band, completed_at=done, updated_at=done,
                     created_at=done, completed_month=f"{year}-{month:02d}", child_id=child))
    return sid


@pytest.fixture
def seeded(app):
    past = datetime(2026, 3, 1, tzinfo=UTC)
    with app.extensions["db"].transaction() as tx:
        january = [screening(tx, 1, "section_47", "13_15", "school", decided="child_in_need" if n < 5 else None,
                             outcome=MEETING) for n in range(7)]
        for sid in january:
            tx.add(FiredRule(screening_id=sid, rule_id=RULE))
        for sid in january[:6]:
            tx.add(ReferralResponse(screening_id=sid, decision="child_in_need", sent_how="phone", sent_to="MASH",
                                    decided_by="manager", updated_by="x", due_at=past))
            tx.add(MeetingRecord(screening_id=sid, version=1, status="final", made_by="demo-mash",
                                 record={"attendance": {}, "child_view": "" if sid != january[0] else "Scared",
                                         "parents_why_not": "Risk to her" if sid in january[:5] else ""}))
        february = [screening(tx, 2, "early_help", "16_17", "gp", child=f"child{n // 2}") for n in range(10)]
        for sid in february[:6]:
            tx.add(ReferralResponse(screening_id=sid, decision="", sent_how="phone", sent_to="MASH", decided_by="",
                                    updated_by="x", due_at=past))
        for n, sid in enumerate(february[:6]):
            tx.add(Challenge(screening_id=sid, stage=1, to_whom="manager", raised_on=past.date(),
                             resolved=n == 5, made_by="demo-practitioner"))
        for _ in range(3):
            screening(tx, 2, "section_47", "under_13", "police")
        screening(tx, 6, "section_47", "13_15", "school", year=2025)  # outside the period
        summaries.rebuild(tx)  # rows written here, not through the app: counted as `screening db resummarise` does
    return signed_in_client(app, "demo-lead")


def table(page: str, name: str) -> list[list[str]]:
    body = re.search(rf'id="table-{name}".*?<tbody[^>]*>(.*?)</tbody>', page, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_every_figure_on_the_dashboard_with_small_counts_suppressed(seeded):
    page = seeded.get(f"/dashboard{PERIOD}").text
    few = "fewer than 5"
    assert table(page, "routes") == [["2026-01", "0", "0", "0", "7", "0"], ["2026-02", "0", "10", "0", few, "0"]]
    assert table(page, "ages") == [["2026-01", "0", "7", "0", "0"], ["2026-02", few, "0", "10", "0"]]
    assert table(page, "threshold") == [["Under 13", few, "0", "0"], ["13 to 15", "7", "5", "6"]]
    [rule] = table(page, "overrides")
    assert rule[1:] == ["7", "0", "5"] and not rule[0].startswith(RULE)  # the rule's words, not its id
    assert [row[1] for row in table(page, "followup")] == ["6", "5", "5"]
    assert [row[1] for row in table(page, "meetings")] == ["6", "6", "5", "fewer than 5"]


def test_one_agency_and_the_csv_keep_the_same_figures_and_suppression(seeded):
    police = seeded.get(f"/dashboard{PERIOD}&agency=police").text
    assert table(police, "routes") == [["2026-02", "0", "0", "0", "fewer than 5", "0"]]
    rows = list(csv.reader(io.StringIO(seeded.get(f"/dashboard/threshold.csv{PERIOD}").text)))
    assert rows == [["Age", "The rules said child protection", "The practitioner decided lower",
                     "Children's social care decided lower"], ["Under 13", "fewer than 5", "0", "0"],
                    ["13 to 15", "7", "5", "6"]]


@pytest.mark.parametrize(("period", "january", "february"), [
    ("?from=2026-01-10&to=2026-03-31", True, True),  # days, then whole months
    ("?from=2025-12-31&to=2026-02-10", True, True),  # a day, a whole month, then days
    ("?from=2026-01-11&to=2026-02-09", False, False),  # only the days between
    ("?from=2026-02-01&to=2026-02-28", False, True),  # one whole month
    ("?from=2026-01-10&to=2026-01-10", True, False),  # one day
])
def test_a_period_counts_each_day_once_from_whole_months_and_days(seeded, period, january, february):
    page, none = seeded.get(f"/dashboard{period}").text, [["None in this period."]]
    assert table(page, "routes") == ([["2026-01", "0", "0", "0", "7", "0"]] * january +
                                     [["2026-02", "0", "10", "0", "fewer than 5", "0"]] * february or none)
    assert [row[1:] or row for row in table(page, "overrides")] == [["7", "0", "5"]] * january or none


def test_the_suppression_threshold_is_a_setting(app, seeded):
    app.config["SUPPRESS_BELOW"] = 11
    page = seeded.get(f"/dashboard{PERIOD}").text
    assert table(page, "routes")[1][2] == "fewer than 11"


def test_charts_are_svg_images_with_their_numbers_in_the_table(seeded):
    page = seeded.get(f"/dashboard{PERIOD}").text
    assert re.search(r'<img class="app-chart" src="/dashboard/charts/routes.svg\?[^"]*" alt="Chart of the table', page)
    svg = seeded.get(f"/dashboard/charts/threshold.svg{PERIOD}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert "script-src" not in svg.headers["Content-Security-Policy"]
    assert seeded.get("/dashboard/charts/nothing.svg").status_code == 404


def test_a_bad_date_is_named_and_the_default_period_is_shown(seeded):
    page = seeded.get("/dashboard?from=yesterday").text
    assert "Enter the start of the period as a date, like 2026-04-01" in page


@pytest.mark.parametrize(("user", "status"), [("demo-board", 200), ("demo-lead", 200), ("demo-practitioner", 403),
                                              ("demo-mash", 403), ("demo-trainer", 403)])
def test_who_sees_the_dashboard(app, user, status):
    assert signed_in_client(app, user).get("/dashboard").status_code == status


def test_a_board_member_lands_on_the_dashboard_and_sees_no_screening(app, seeded):
    client = app.test_client()
    assert sign_in(client, "demo-board").location.endswith("/dashboard")
    assert client.get("/screenings").status_code == 403
    assert client.get("/children").status_code == 403
