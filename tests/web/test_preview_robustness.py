"""The lead's impact preview says how many vignette stages rest on a single answer, for the candidate and for the
active version, and which stages they are for the candidate (tools/robustness.py)."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from screening.store import rulesets as versions
from screening.store.models import ImpactPreview
from screening.tools.impact import cases_from_vignettes
from screening.tools.robustness import check_robustness
from tests.web.conftest import active, signed_in_client, text_of
from tests.web.test_lead_workspace import STRICTER, finished_preview, propose, rules_text


def test_the_preview_counts_the_stages_that_rest_on_a_single_answer(app):
    lead = signed_in_client(app, "demo-lead")
    old = active(app)
    text = rules_text().replace(*STRICTER)
    new = versions.parse({**{n.rsplit("/", 1)[-1]: t for n, t in old.sources}, "rules.yaml": text})
    stages = cases_from_vignettes(app.extensions["vignettes"].values())
    was, now = check_robustness(old, stages), check_robustness(new, stages)
    assert now.fragile, "the default rule set's vignettes have stages that rest on one answer"

    response = propose(lead, text)
    html = finished_preview(app, lead, int(response.location.rsplit("/", 1)[1]))
    page = text_of(html)
    assert "Vignette stages that rest on a single answer" in page
    counts = text_of(re.search(r'<dl[^>]*id="single-answer-counts".*?</dl>', html, re.S).group(0))
    assert f"This version (1.1.0) {now.summary('vignette stages')}" in counts  # numbered: a threshold changed
    assert f"Active version ({old.meta.version}) {was.summary('vignette stages')}" in counts
    details = unescape(text_of(re.search(r'<details[^>]*id="single-answer-stages".*?</details>', html, re.S).group(0)))
    assert f"Which stages ({len(now.fragile)})" in details
    for flip in now.flips:
        assert flip.case_label in details
        assert f"“{flip.words}” {flip.from_words} → {flip.to_words} gives {flip.after_label}" in details


def test_a_report_without_robustness_still_shows(app):
    lead = signed_in_client(app, "demo-lead")
    response = propose(lead, rules_text().replace(*STRICTER))
    version_id = int(response.location.rsplit("/", 1)[1])
    finished_preview(app, lead, version_id)
    with app.extensions["db"].transaction() as tx:
        (preview,) = tx.scalars(select(ImpactPreview)).all()
        preview.robustness = None
    page = text_of(lead.get(f"/rules/versions/{version_id}").text)
    assert "Routes before and after" in page
    assert "rest on a single answer" not in page
