"""The outcome page keeps the parts that depend only on the stored outcome and the decision (its detail, and its
decision form as first shown); each new decision shows at once, and a form shown again with errors is never kept."""

from __future__ import annotations

import re

from tests.web.conftest import errors_in, text_of


def detail_of(html: str) -> str:
    """The strategy meeting fold of the detail (it follows the route that counts)."""
    return text_of(re.search(r'id="strategy-meeting".*?</details>', html, re.S).group(0))


def without_token(html: str) -> str:
    """The page without its CSRF token (signed with the time, so it may differ from one second to the next)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_each_decision_shows_at_once_in_the_kept_parts(practitioner):
    practitioner.start()
    practitioner.required_pages()
    url = f"/screenings/{practitioner.sid}/outcome"
    first = practitioner.finish().text
    assert "Not needed on what you have recorded" in detail_of(first)
    assert without_token(practitioner.client.get(url).text) == without_token(first)  # from the kept parts: the same
    raised = practitioner.post(f"/screenings/{practitioner.sid}/decision",
                               {"decision": "raise", "raise_route": "section_47", "raise_reason": "Worried"})
    assert raised.status_code == 302
    page = practitioner.client.get(url).text
    assert "Yes, within" in detail_of(page)  # the detail follows the decision
    assert "Record a different decision" in page and 'name="raise_route"' in page


def test_a_decision_form_with_errors_is_shown_but_not_kept(practitioner):
    practitioner.start()
    practitioner.required_pages()
    url = f"/screenings/{practitioner.sid}/outcome"
    practitioner.finish()
    refused = practitioner.post(f"/screenings/{practitioner.sid}/decision", {"decision": "raise"})
    assert refused.status_code == 400 and "Select the route you have decided on" in errors_in(refused.text)
    again = practitioner.client.get(url).text
    assert errors_in(again) == [] and "govuk-error-summary" not in again
