"""The dashboard's running tallies (store/summaries.py) equal a recount from the stored rows after every kind of
write, made through the app as its users make them: screenings completed, practitioners' decisions (and changed
ones), children's social care's decisions (and changed ones), referrals sent and still awaited, challenges opened
and resolved, meeting records saved as drafts, made final and amended, a screening taken off a child, a purge;
the dashboard's figures follow; `screening db resummarise` counts them again and `--check` says whether they
agree."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select, update

from screening.cli import main
from screening.store import summaries
from screening.store.models import MeetingRecord, Screening
from screening.store.screenings import delete_screenings
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.test_after_referral import (
    RECEIVED_CHRISTMAS_EVE_2025,
    SENT_CHRISTMAS_EVE_2025,
    attendance,
    meeting_form,
    referred,
)
from tests.web.test_dashboard import table

NONE = ({},) * len(summaries.KINDS)
EARLY = {"missing_episodes_90d": "1"}  # early help, below child protection
CHILD = "9434761018"


def agree(app) -> tuple:
    with app.extensions["db"].reading() as tx:
        stored, counted = summaries.stored(tx), summaries.recount(tx)
    assert stored == counted
    return stored


def purge(app) -> None:
    result = CliRunner().invoke(main, ["purge", "--older-than-days", "0", "--force", "--yes", "--database",
                                       app.config["DATABASE_URL"]])
    assert result.exit_code == 0, result.output


def test_the_tallies_equal_a_recount_after_every_kind_of_write(app):
    assert agree(app) == NONE
    first, second, _ = referred(app), referred(app), referred(app, signs=EARLY)
    screenings, rules, *_ = agree(app)
    assert sum(screenings.values()) == 3 and sum(rules.values()) >= 3  # completing counts the screening and rules
    first.post(f"/screenings/{first.sid}/decision", {"decision": "agree"})
    agree(app)
    lowered = first.post(f"/screenings/{first.sid}/decision", {
        "decision": "lower", "lower_route": "child_in_need", "lower_reason": "Known to the family support team",
        "lower_lead": "Sam, DSL", "confirm_below_minimum": "yes"})
    assert lowered.status_code == 302
    screenings, *_ = agree(app)
    assert any(key[3] == "child_in_need" and key[4] == "lower" for key in screenings)  # the decision moved it
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    for decision in ("early_help", "section_47_strategy"):  # recorded, then changed
        response = mash.post(f"/screenings/{second.sid}/response",
                             {**RECEIVED_CHRISTMAS_EVE_2025, "decision": decision})
        assert response.status_code == 302, errors_in(response.text)
        screenings, *_ = agree(app)
    assert {key[6] for key in screenings} == {"", "section_47"}
    purge(app)
    assert agree(app) == NONE


def followup(lead) -> list[str]:
    """The dashboard's 'answers and challenges' counts (12 months to today), suppression lifted."""
    return [row[1] for row in table(lead.get("/dashboard").text, "followup")]


def meetings(lead) -> list[str]:
    return [row[1] for row in table(lead.get("/dashboard").text, "meetings")]


def test_what_follows_a_referral_is_tallied_as_it_happens(app):
    app.config["SUPPRESS_BELOW"] = 1
    lead = signed_in_client(app, "demo-lead")
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    who = referred(app)  # child protection: a strategy meeting follows
    assert who.post(f"/screenings/{who.sid}/response", SENT_CHRISTMAS_EVE_2025).status_code == 302
    assert followup(lead)[0] == "1" and agree(app)[3]  # awaited, and past its due day
    response = {**SENT_CHRISTMAS_EVE_2025, "decision": "no_further_action", "decided_by": "Duty manager",
                "decided_day": "29", "decided_month": "12", "decided_year": "2025"}
    assert who.post(f"/screenings/{who.sid}/response", response).status_code == 302
    assert followup(lead)[0] == "0" and not agree(app)[3]  # answered: nothing awaited is left
    url = f"/screenings/{who.sid}/challenge"
    stage = {"to_whom": "Duty manager", "raised_day": "5", "raised_month": "1", "raised_year": "2026", "answer": "No"}
    assert who.post(url, {**stage, "stage": "1", "next_due_day": "7", "next_due_month": "1",
                          "next_due_year": "2026"}).status_code == 302
    assert followup(lead)[1] == "1"
    agree(app)
    assert who.post(url, {**stage, "stage": "2", "resolved": "yes"}).status_code == 302
    assert followup(lead)[1] == "0"
    agree(app)
    place = f"/screenings/{who.sid}/meeting"
    everyone = attendance(app, who.sid)
    assert mash.post(place, meeting_form(**everyone)).status_code == 302  # a draft counts for nothing
    assert meetings(lead) == ["0", "0", "0", "0"]
    agree(app)
    assert mash.post(place, meeting_form(final="yes", **everyone)).status_code == 302
    assert meetings(lead) == ["1", "0", "0", "0"]
    agree(app)
    assert mash.post(f"{place}/amend").status_code == 302  # the newest version is a draft again
    assert meetings(lead) == ["0", "0", "0", "0"]
    agree(app)
    absent = attendance(app, who.sid, "not_invited")
    reasons = {f"absent_{n}": "Not asked in time; their notes were read out" for n in range(len(absent))}
    amended = mash.post(place, meeting_form(final="yes", child_view="", child_view_why_not="Not yet seen alone",
                                            **absent, **reasons))
    assert amended.status_code == 302, errors_in(amended.text)
    with app.extensions["db"].reading() as tx:
        assert [m.status for m in tx.scalars(select(MeetingRecord))] == ["final", "final"]
    assert meetings(lead) == ["1", "1", "1", "0"]  # the amended version counts, with what it lacks
    agree(app)
    purge(app)
    assert agree(app) == NONE


def test_children_screened_again_are_tallied_through_links_decisions_and_purges(app):
    app.config["SUPPRESS_BELOW"] = 1
    lead = signed_in_client(app, "demo-lead")
    first, again = referred(app, signs=EARLY, nhs=CHILD), referred(app, signs=EARLY, nhs=CHILD)
    assert followup(lead)[2] == "1" and agree(app)[4]
    with app.extensions["db"].reading() as tx:
        child = tx.get(Screening, again.sid).child_id
    unlinked = Practitioner(lead).post(f"/children/{child}/screenings/{again.sid}/unlink")
    assert unlinked.status_code == 302
    assert followup(lead)[2] == "0"
    agree(app)
    third = referred(app, signs=EARLY, nhs=CHILD)
    assert followup(lead)[2] == "1"
    raised = third.post(f"/screenings/{third.sid}/decision", {"decision": "raise", "raise_route": "section_47",
                                                               "raise_reason": "Worried"})
    assert raised.status_code == 302
    assert followup(lead)[2] == "0"  # one of the two was stepped up
    agree(app)
    third.post(f"/screenings/{third.sid}/decision", {"decision": "agree"})  # a change of mind: back below
    assert followup(lead)[2] == "1"
    delete_screenings_of_children(app, [first.sid])
    assert followup(lead)[2] == "0"
    agree(app)
    delete_screenings_of_children(app, [again.sid, third.sid])
    assert agree(app) == NONE


def delete_screenings_of_children(app, sids: list[str]) -> None:
    """As the retention purge deletes an identified child's screenings when their time comes (store.retention)."""
    with app.extensions["db"].transaction() as tx:
        assert delete_screenings(tx, sids) == len(sids)


def test_resummarise_counts_again_and_check_says_when_they_differ(app):
    referred(app)
    url = app.config["DATABASE_URL"]
    runner = CliRunner()
    assert runner.invoke(main, ["db", "resummarise", "--check", "--database", url]).exit_code == 0
    with app.extensions["db"].transaction() as tx:  # a row written by hand, not through the app
        tx.execute(update(Screening).values(agency="police"))
    checked = runner.invoke(main, ["db", "resummarise", "--check", "--database", url])
    assert checked.exit_code == 1 and "differ" in checked.output
    counted = runner.invoke(main, ["db", "resummarise", "--database", url])
    assert counted.exit_code == 0 and "1 completed screening" in counted.output
    screenings, *_ = agree(app)
    assert {key[1] for key in screenings} == {"police"}
