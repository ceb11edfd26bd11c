"""Due dates in working days (weekends and England and Wales bank holidays skipped), and what a strategy meeting's
record must hold before it is final."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from screening.meeting_record import START, missing
from screening.outcome import Invite, StrategyMeeting
from screening.timescale import parse_timescale
from screening.workdays import add_working_days, due, is_working_day, working_days_late

ONE = parse_timescale("1 working day")


@pytest.mark.parametrize(("sent", "days", "expected"), [
    (date(2026, 11, 30), 1, date(2026, 12, 1)),    # Monday -> Tuesday
    (date(2026, 12, 4), 1, date(2026, 12, 7)),     # Friday -> Monday
    (date(2026, 12, 24), 1, date(2026, 12, 29)),   # Christmas Day, and Boxing Day's substitute on Monday 28th
    (date(2027, 3, 25), 1, date(2027, 3, 30)),     # Good Friday 26 March and Easter Monday 29 March 2027
    (date(2026, 8, 28), 2, date(2026, 9, 2)),      # the summer bank holiday, Monday 31 August
    (date(2026, 12, 5), 0, date(2026, 12, 7)),     # a Saturday's 'same working day' is Monday
])
def test_working_days_skip_weekends_and_bank_holidays(sent, days, expected):
    assert add_working_days(sent, days) == expected


def test_a_due_time_is_the_end_of_the_working_day_or_a_number_of_hours():
    sent = datetime(2026, 12, 24, 16, 0, tzinfo=UTC)
    assert due(sent, ONE) == datetime(2026, 12, 29, 23, 59, 59, tzinfo=UTC)
    assert due(sent, parse_timescale("24 hours")) == datetime(2026, 12, 25, 16, 0, tzinfo=UTC)
    assert not is_working_day(date(2026, 12, 25)) and is_working_day(date(2026, 12, 29))


def test_lateness_is_counted_in_working_days():
    due_at = due(datetime(2026, 12, 24, 9, 0, tzinfo=UTC), ONE)  # 29 December
    assert working_days_late(due_at, datetime(2026, 12, 29, 17, 0, tzinfo=UTC)) == 0
    assert working_days_late(due_at, datetime(2026, 12, 30, 9, 0, tzinfo=UTC)) == 1
    assert working_days_late(due_at, datetime(2027, 1, 4, 9, 0, tzinfo=UTC)) == 3  # 1 January is a bank holiday


SPEC = StrategyMeeting(True, "24 hours", "A CSC manager", (Invite("Police", "why"), Invite("Health", "why")), (), (),
                       ("action", "owner", "due date"), ())
DUE = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
COMPLETE = {
    "held_at": "2026-12-02T10:00:00+00:00", "chair_name": "Sam Lee", "attendance": {"Police": "attended",
                                                                                   "Health": "sent_information"},
    "child_view": "I want it to stop", "parents_why_not": "Sharing it would put her at risk", "decision": START,
    "decision_why": "Disclosure of rape", "actions": [{"what": "Visit", "owner": "SW", "agency": "CSC",
                                                      "due": "2026-12-03"}],
}


def test_a_complete_record_lacks_nothing():
    assert missing(COMPLETE, SPEC, DUE) == []


@pytest.mark.parametrize(("change", "lacking"), [
    ({"attendance": {"Police": "attended"}}, "Whether this agency was invited and attended: Health"),
    ({"attendance": {"Police": "attended", "Health": "invited_not_attended"}},
     "Why this agency was not there, and how its information was obtained: Health"),
    ({"child_view": ""}, "The child's views, or why they were not gathered"),
    ({"parents_why_not": ""}, "The parents' or carers' views, or why they were not sought"),
    ({"actions": [{"what": "Visit", "owner": "", "agency": "CSC", "due": "2026-12-03"}]}, "Action 1 needs an owner"),
    ({"actions": [{"what": "Visit", "owner": "SW", "agency": "CSC", "due": ""}]}, "Action 1 needs a due date"),
    ({"actions": []}, "At least one action, with its owner, agency and due date"),
    ({"held_at": "2026-12-02T15:00:00+00:00"}, "Why the meeting was held after it was due (2 December 2026 at 12:00)"),
    ({"decision": ""}, "The decision on section 47 enquiries"),
    ({"chair_name": ""}, "The chair's name and role"),
])
def test_each_thing_a_final_record_needs_is_named(change, lacking):
    assert missing({**COMPLETE, **change}, SPEC, DUE) == [lacking]


def test_a_late_meeting_with_its_reason_is_complete():
    assert missing({**COMPLETE, "held_at": "2026-12-03T09:00:00+00:00", "delay_reason": "Police unavailable"},
                   SPEC, DUE) == []
