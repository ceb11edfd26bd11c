"""Sign wording a literal reader cannot misapply: a 16- or 17-year-old with a partner a year or two older is not
"someone much older", and the signs about older people say what "much older" means. The routes the same facts
reach when read either way are in scenarios/read_both_ways.yaml."""

from __future__ import annotations

import pytest

from tests.rules.conftest import default_ruleset

RS = default_ruleset()
TEXT = {i.id: " ".join(i.text.split()) for i in RS.indicators}


@pytest.mark.parametrize("sign", ["sexual_activity_with_adult", "age_gap_relationship", "asked_to_keep_contact_secret",
                                  "asked_for_photos"])
def test_much_older_is_defined_where_a_similar_age_partner_could_be_misread(sign):
    assert "much older" in TEXT[sign] and "(around 5 years or more)" in TEXT[sign]


def test_any_adult_counts_only_under_16_in_the_sexual_activity_sign():
    text = TEXT["sexual_activity_with_adult"]
    assert not text.startswith("An adult") and "any adult if the child is under 16" in text


def test_the_sexual_activity_concern_sign_leaves_out_a_similar_age_relationship_at_16_and_17():
    assert "at 16 or 17, not a relationship with a partner of a similar age with no pressure" in TEXT[
        "sexual_activity_concern"]


def test_the_looked_after_missing_sign_does_not_depend_on_a_count():
    assert "even once" in TEXT["missing_from_placement"] and "how many times" in TEXT["missing_from_placement"]
