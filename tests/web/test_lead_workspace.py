"""The safeguarding lead's workspace: propose a change, see its impact, activate with a reason, roll back."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from screening.store import AuditEvent, Screening
from screening.store import rulesets as versions
from tests.web.conftest import Practitioner, active, queued_jobs, run_queued_jobs, signed_in_client, text_of

RULES = "rules/default/rules.yaml"
STRICTER = ("when: {fact: missing_episodes_90d, at_least: 3}", "when: {fact: missing_episodes_90d, at_least: 30}")


@pytest.fixture
def lead(app):
    return signed_in_client(app, "demo-lead")


def token(client, url="/rules/propose"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def propose(lead, text, reason="Tuning the missing threshold"):
    return lead.post("/rules/propose?file=rules.yaml", data={"csrf_token": token(lead), "text": text,
                                                            "reason": reason})


def rules_text() -> str:
    with open(RULES, encoding="utf-8") as f:
        return f.read()


def finished_preview(app, lead, version_id: int) -> str:
    """Ask for the preview (the button on its page), let its job run, and return the finished page."""
    lead.post(f"/rules/versions/{version_id}/preview", data={"csrf_token": token(lead)})
    run_queued_jobs(app)
    return lead.get(f"/rules/versions/{version_id}").text


def seen(report: str) -> dict[str, str]:
    """What the activation form sends once the lead has read the report (and its failing vignette stages)."""
    return {"report": report, "acknowledge": "vignettes"}


def report_on(page: str) -> str:
    """The report the finished preview page shows, as its activation form names it."""
    return re.search(r'name="report" value="([^"]+)"', page).group(1)


def test_a_broken_file_shows_every_error_with_its_line(lead):
    broken = rules_text().replace("when: {fact: missing_episodes_90d, at_least: 3}",
                                  "when: {fact: missing_episods_90d, at_least: 3}")
    response = propose(lead, broken)
    assert response.status_code == 400
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "missing_episods_90d" in text)
    assert f"rules.yaml:{line}:" in response.text
    assert "unknown fact &#39;missing_episods_90d&#39;" in response.text
    assert "did you mean &#39;missing_episodes_90d&#39;?" in response.text
    assert f'href="#line-{line}"' in response.text
    assert f'id="line-{line}" class="app-code-lines__error"' in response.text


def test_a_reason_is_required(lead):
    assert "Enter why you are proposing this change" in propose(lead, rules_text(), reason="").text


@pytest.mark.hazard("H-06")
def test_a_change_that_lowers_routes_is_warned_and_vignettes_failing_are_listed(app, lead):
    practitioner = Practitioner(signed_in_client(app))
    practitioner.start()
    practitioner.required_pages(signs={"missing_episodes_90d": "4"})
    practitioner.finish()
    response = propose(lead, rules_text().replace(*STRICTER))
    assert response.status_code == 302
    version_id = int(response.location.rsplit("/", 1)[1])
    page = text_of(finished_preview(app, lead, version_id))
    assert "would get a LOWER route or level" in page
    assert "DOWN: Screening" in page  # the stored screening
    assert re.search(r"DOWN: Screening \w+ \(complete\) Would go DOWN from Child in need \(Amber\) to "
                     r"(Universal|Early help) \(\w+\)\.", page)
    assert "Would no longer apply: Going missing three or more times in 90 days" in page
    assert "Vignettes that would fail (5)" in page and "Tia, 14" in page
    assert "Its authors expect Child in need" in page  # in words: no ids, no lists


def test_vignette_stages_that_would_fail_need_an_acknowledgement(app, lead):
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    report = report_on(finished_preview(app, lead, version_id))
    refused = lead.post(f"/rules/versions/{version_id}/activate",
                        data={"csrf_token": token(lead), "reason": "Agreed", "report": report})
    assert refused.status_code == 400 and 'href="#acknowledge"' in refused.text
    with app.extensions["db"].reading() as tx:
        assert versions.active_version(tx).id != version_id
    assert lead.post(f"/rules/versions/{version_id}/activate",
                     data={"csrf_token": token(lead), "reason": "Agreed", **seen(report)}).status_code == 302


@pytest.mark.hazard("H-03")
def test_activation_needs_preview_and_reason_then_switches_and_can_roll_back(app, lead):
    first = versions.texts_of("rules/default")
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    activate = f"/rules/versions/{version_id}/activate"
    unseen = lead.post(activate, data={"csrf_token": token(lead), "reason": "go"})
    assert unseen.status_code == 400 and "View the finished impact preview" in unseen.text
    report = report_on(finished_preview(app, lead, version_id))
    no_reason = lead.post(activate, data={"csrf_token": token(lead), "reason": "", **seen(report)})
    assert "Enter why you are activating this version" in no_reason.text
    assert lead.post(activate, data={"csrf_token": token(lead), "reason": "Agreed at partnership",
                                     **seen(report)}).status_code == 302
    assert active(app).meta.version == "1.1.0"  # numbered by its kind of change (a threshold): never 1.0.0 again
    with app.extensions["db"].reading() as tx:
        assert versions.active_version(tx).id == version_id
        original = next(v for v in versions.history(tx) if v.texts == first)
    stale = lead.post(f"/rules/versions/{original.id}/activate",  # a report against the version no longer active
                      data={"csrf_token": token(lead), "reason": "Roll back", **seen(report)})
    assert stale.status_code == 400
    report = report_on(finished_preview(app, lead, original.id))  # roll back: the same preview-then-activate path
    assert lead.post(f"/rules/versions/{original.id}/activate",
                     data={"csrf_token": token(lead), "reason": "Roll back", **seen(report)}).status_code == 302
    with app.extensions["db"].reading() as tx:
        assert versions.active_version(tx).id == original.id
        actions = [e.action for e in tx.query(AuditEvent).filter(AuditEvent.action.like("ruleset_%"))]
    assert actions.count("ruleset_activated") == 2 and "ruleset_previewed" in actions


def test_a_second_lead_must_approve_when_configured(app, lead):
    app.config["REQUIRE_SECOND_APPROVAL"] = True
    with app.extensions["db"].transaction() as tx:
        from screening.store import users
        users.add_user(tx, "lead2", "Second Lead", "safeguarding_lead", "police", "second lead password")
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    report = report_on(finished_preview(app, lead, version_id))
    refused = lead.post(f"/rules/versions/{version_id}/activate",
                        data={"csrf_token": token(lead), "reason": "x", **seen(report)})
    assert "Another safeguarding lead must approve this version first" in refused.text
    lead.post(f"/rules/versions/{version_id}/approve",  # own approval: not enough
              data={"csrf_token": token(lead), **seen(report)})
    assert "must approve" in lead.post(f"/rules/versions/{version_id}/activate",
                                       data={"csrf_token": token(lead), "reason": "x", **seen(report)}).text
    second = app.test_client()
    from tests.web.conftest import sign_in
    sign_in(second, "lead2", "second lead password")
    unseen = second.post(f"/rules/versions/{version_id}/approve", data={"csrf_token": token(second)})
    assert unseen.status_code == 400
    second.post(f"/rules/versions/{version_id}/approve",
                data={"csrf_token": token(second), "report": report_on(finished_preview(app, second, version_id))})
    assert lead.post(f"/rules/versions/{version_id}/activate",
                     data={"csrf_token": token(lead), "reason": "Both agreed", **seen(report)}).status_code == 302


def stored_previews(app) -> list:
    from screening.store.models import ImpactPreview
    with app.extensions["db"].reading() as tx:
        return list(tx.query(ImpactPreview))


def test_two_instances_polled_in_turn_queue_the_preview_once_and_show_the_same_report(app, lead, tmp_path):
    from screening.web import create_app
    other = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True})
    other_lead = signed_in_client(other, "demo-lead")
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    for client in (lead, other_lead, lead, other_lead):  # a load balancer sends each poll to either instance
        page = client.get(f"/rules/versions/{version_id}")
        if "Check the impact" in page.text:
            client.post(f"/rules/versions/{version_id}/preview", data={"csrf_token": token(client)})
    assert queued_jobs(app) == ["impact.plan"] and len(stored_previews(app)) == 1  # one, across both instances
    run_queued_jobs(other)  # a worker anywhere runs it
    shown = [c.get(f"/rules/versions/{version_id}").text for c in (lead, other_lead)]
    assert all("Routes before and after" in text_of(s) for s in shown)
    assert report_on(shown[0]) == report_on(shown[1])


def test_preview_shows_progress_until_done(app, lead):
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    first = lead.get(f"/rules/versions/{version_id}").text
    assert [p.status for p in stored_previews(app)] == ["queued"]  # no worker has taken it yet
    assert "Waiting for a worker" in first and 'http-equiv="refresh"' in first  # says so, and refreshes
    assert "Waiting for a worker" in lead.get(f"/rules/versions/{version_id}").text  # the same one, not a second
    assert queued_jobs(app) == ["impact.plan"]
    run_queued_jobs(app)
    done = lead.get(f"/rules/versions/{version_id}").text
    assert 'http-equiv="refresh"' not in done and "Routes before and after" in done
    assert queued_jobs(app) == []


def test_override_insight_counts_decisions_per_rule(app, lead):
    practitioner = Practitioner(signed_in_client(app))
    practitioner.start()
    practitioner.required_pages(signs={"missing_episodes_90d": "4"})
    practitioner.finish()
    practitioner.post(f"/screenings/{practitioner.sid}/decision", data={
        "decision": "raise", "raise_route": "section_47", "raise_reason": "More worried than the rules"})
    with app.extensions["db"].reading() as tx:
        fired = [f["rule"] for f in tx.get(Screening, practitioner.sid).outcome["findings"]]
    page = lead.get("/rules/insight").text
    described = next(r.description for r in active(app).rules if r.id == fired[0])
    row = re.search(rf"{re.escape(escape(described))}</td>(.*?)</tr>", page, re.S).group(1)
    numbers = re.findall(r">(\d+)<", row)
    assert numbers == ["1", "0", "1", "0"]  # fired, agreed, raised, lowered


def test_a_file_can_be_uploaded_instead_of_edited(lead):
    import io
    data = {"csrf_token": token(lead), "reason": "Uploaded from our procedures",
            "upload": (io.BytesIO(rules_text().replace(*STRICTER).encode()), "rules.yaml")}
    response = lead.post("/rules/propose", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/rules/versions/" in response.location
    wrong = lead.post("/rules/propose", data={**data, "upload": (io.BytesIO(b"x"), "notes.txt")},
                      content_type="multipart/form-data")
    assert wrong.status_code == 400 and "Upload a .yaml file" in wrong.text


def test_reading_a_preview_page_changes_nothing(app, lead):
    with app.extensions["db"].reading() as tx:
        seeded = versions.active_version(tx).id
        events_before = tx.query(AuditEvent).count()
    with lead.session_transaction() as before:
        cookie_before = dict(before)
    page = lead.get(f"/rules/versions/{seeded}").text
    assert "Check the impact" in page and 'http-equiv="refresh"' not in page
    assert stored_previews(app) == [] and queued_jobs(app) == []
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).count() == events_before
    with lead.session_transaction() as after:  # (a form's CSRF token may be made: it is no record of anything)
        assert {k: v for k, v in after.items() if k != "csrf_token"} == {
            k: v for k, v in cookie_before.items() if k != "csrf_token"}


def test_activation_records_the_report_that_was_seen(app, lead):
    version_id = int(propose(lead, rules_text().replace(*STRICTER)).location.rsplit("/", 1)[1])
    report = report_on(finished_preview(app, lead, version_id))
    lead.post(f"/rules/versions/{version_id}/activate",
              data={"csrf_token": token(lead), "reason": "Agreed", **seen(report)})
    with app.extensions["db"].reading() as tx:
        event = tx.query(AuditEvent).filter_by(action="ruleset_activated").one()
    assert event.detail["report"] == report and "cases_down" in event.detail
