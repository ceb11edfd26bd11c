"""The dashboard's running tallies (store/summaries.py) equal a recount from the stored rows after every kind of
write, made through the app as its users make them: screenings completed, practitioners' decisions (and changed
ones), children's social care's decisions (and changed ones), a purge; `screening db resummarise` counts them
again and `--check` says whether they agree."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import update

from screening.cli import main
from screening.store import summaries
from screening.store.models import Screening
from tests.web.conftest import Practitioner, errors_in, signed_in_client
from tests.web.test_after_referral import RECEIVED_CHRISTMAS_EVE_2025, referred


def agree(app) -> tuple:
    with app.extensions["db"].reading() as tx:
        stored, counted = summaries.stored(tx), summaries.recount(tx)
    assert stored == counted
    return stored


def test_the_tallies_equal_a_recount_after_every_kind_of_write(app):
    assert agree(app) == ({}, {})
    first, second, _ = referred(app), referred(app), referred(app, signs={"missing_episodes_90d": "1"})
    screenings, rules = agree(app)
    assert sum(screenings.values()) == 3 and sum(rules.values()) >= 3  # completing counts the screening and rules
    first.post(f"/screenings/{first.sid}/decision", {"decision": "agree"})
    agree(app)
    lowered = first.post(f"/screenings/{first.sid}/decision", {
        "decision": "lower", "lower_route": "child_in_need", "lower_reason": "Known to the family support team",
        "lower_lead": "Sam, DSL", "confirm_below_minimum": "yes"})
    assert lowered.status_code == 302
    screenings, _ = agree(app)
    assert any(key[3] == "child_in_need" and key[4] == "lower" for key in screenings)  # the decision moved it
    mash = Practitioner(signed_in_client(app, "demo-mash"))
    for decision in ("early_help", "section_47_strategy"):  # recorded, then changed
        response = mash.post(f"/screenings/{second.sid}/response",
                             {**RECEIVED_CHRISTMAS_EVE_2025, "decision": decision})
        assert response.status_code == 302, errors_in(response.text)
        screenings, _ = agree(app)
    assert {key[6] for key in screenings} == {"", "section_47"}
    runner = CliRunner()
    url = app.config["DATABASE_URL"]
    result = runner.invoke(main, ["purge", "--older-than-days", "0", "--force", "--yes", "--database", url])
    assert result.exit_code == 0, result.output
    assert agree(app) == ({}, {})


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
    screenings, _ = agree(app)
    assert {key[1] for key in screenings} == {"police"}
