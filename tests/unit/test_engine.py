"""The engine on the tiny fixture rule set: one test per feature."""

import pytest

import screening
from screening.errors import AnswersInvalid


def route(rs, answers, **kw):
    return screening.evaluate(rs, answers, **kw)


def fired(outcome):
    return [f.rule for f in outcome.findings]


BASE = {"disclosure": "no", "danger_now": "no"}  # the fixture's fire-on-unknown and hard triggers answered


def test_nothing_known_beyond_the_ordinary_is_universal_green(tiny):
    outcome = route(tiny, {**BASE, "age": 15, "cars": "no", "runs_away": "no", "online_contact": "no",
                           "missing_90d": 0})
    assert (outcome.route, outcome.risk_level) == ("universal", "green")
    assert outcome.findings == ()
    assert [a.id for a in outcome.actions] == ["record"]  # the route's own action


def test_route_is_the_highest_minimum_of_the_fired_rules(tiny):
    outcome = route(tiny, {**BASE, "missing_90d": 5, "online_contact": "yes"})
    assert fired(outcome) == ["missing_often", "any_amber"]
    assert outcome.route == "child_in_need"
    assert outcome.risk_level == "amber"


def test_hard_trigger_reaches_immediate_protection_with_999_first(tiny):
    outcome = route(tiny, {**BASE, "danger_now": "yes"})
    assert outcome.route == "immediate_protection"
    assert outcome.hard_triggers == ("danger",)
    assert outcome.actions[0].id == "call_999"
    assert outcome.strategy_meeting.required and outcome.strategy_meeting.within == "4 hours"


def test_not_known_is_never_no(tiny):
    """A comparison on a 'not known' answer is undecided: not fired, but listed as an information gap."""
    outcome = route(tiny, {**BASE, "age": "not_known", "cars": "yes"})
    assert "young_and_red" not in fired(outcome)
    gap = next(g for g in outcome.information_gaps if g.fact == "age")
    assert gap.rules == ("young_and_red",) and gap.could_raise_to == "section_47"
    assert "consult_safeguarding_lead" in [a.id for a in outcome.actions]


def test_unanswered_is_not_known_too(tiny):
    outcome = route(tiny, {**BASE, "cars": "yes"})
    assert "age" in [g.fact for g in outcome.information_gaps]


def test_on_unknown_fire_treats_not_known_as_the_safe_side(tiny):
    outcome = route(tiny, {"danger_now": "no", "disclosure": "not_known"})
    finding = next(f for f in outcome.findings if f.rule == "disclosure_s47")
    assert finding.fired_on_unknown
    assert finding.answers[0].answer == "not known"
    assert outcome.route == "section_47"


def test_count_with_level_filter_and_comparison(tiny):
    young = route(tiny, {**BASE, "age": 12, "cars": "yes"})
    older = route(tiny, {**BASE, "age": 13, "cars": "yes"})
    assert "young_and_red" in fired(young) and young.route == "section_47"
    assert "young_and_red" not in fired(older)


def test_finding_names_the_answers_it_used_and_fills_its_explanation(tiny):
    outcome = route(tiny, {**BASE, "age": 12, "cars": "yes", "online_contact": "no"})
    finding = next(f for f in outcome.findings if f.rule == "young_and_red")
    assert [(a.fact, a.answer) for a in finding.answers] == [("age", "12"), ("cars", "yes")]
    assert finding.explanation == "The child is 12."
    assert (finding.source, finding.reference) == ("statute", "Test")


def test_choice_in_and_choices_includes(tiny):
    outcome = route(tiny, {**BASE, "status": "looked_after", "online_contact": "yes",
                           "agencies_involved": ["gp"]})
    assert {"looked_after_online", "police_involved"} <= set(fired(outcome))


def test_score_uses_weights_and_recency(tiny):
    recent = route(tiny, {**BASE, "runs_away": "yes", "cars": "yes", "online_contact": "no"})
    earlier = route(tiny, {**BASE, "runs_away": {"answer": "yes", "when": "earlier"}, "cars": "yes",
                           "online_contact": "no"})
    assert "high_score" in fired(recent)  # 5 + 5
    assert "high_score" not in fired(earlier)  # 1 + 5
    assert recent.risk_level == "red"
    assert recent.strategy_meeting.required and recent.strategy_meeting.within == "2 working days"


def test_actions_are_tailored_to_agency_and_route(tiny):
    school = route(tiny, {**BASE, "missing_90d": 3}, agency="school")
    gp = route(tiny, {**BASE, "missing_90d": 3}, agency="gp")
    assert "tell_dsl" in [a.id for a in school.actions]
    assert "tell_dsl" not in [a.id for a in gp.actions]
    low = route(tiny, {**BASE, "online_contact": "yes"})
    assert "inform_gp" not in [a.id for a in low.actions]  # min_route child_in_need


def test_actions_are_ordered_by_urgency(tiny):
    outcome = route(tiny, {**BASE, "danger_now": "yes", "missing_90d": 3}, agency="school")
    hours = [a.within for a in outcome.actions]
    assert hours[0] == "now"
    assert outcome.actions[-1].id == "inform_gp"


def test_strategy_meeting_invitees_depend_on_answers(tiny):
    looked_after = route(tiny, {**BASE, "danger_now": "yes", "status": "looked_after"})
    not_looked_after = route(tiny, {**BASE, "danger_now": "yes", "status": "none"})
    assert "Carer" in [i.role for i in looked_after.strategy_meeting.invitees]
    assert "Carer" not in [i.role for i in not_looked_after.strategy_meeting.invitees]
    assert looked_after.strategy_meeting.action_fields == ("action", "owner", "due date")


def test_nearest_rule_says_what_would_fire_it(tiny):
    outcome = route(tiny, {**BASE, "age": 14, "online_contact": "yes", "missing_90d": 1, "status": "none"})
    assert outcome.route == "early_help"
    nearest = outcome.nearest  # fewest changes first, then the smallest step up the ladder
    assert nearest.rule == "missing_often"
    assert [(c.fact, c.currently) for c in nearest.changes] == [("missing_90d", "1")]


def test_indicators_present_are_grouped_by_theme_then_level(tiny):
    outcome = route(tiny, {**BASE, "online_contact": "yes", "runs_away": "yes", "cars": "yes"})
    assert [(i.theme, i.level) for i in outcome.indicators] == [("missing", "red"), ("missing", "amber"),
                                                                 ("online", "amber")]


def test_outcome_names_the_ruleset_version_and_hash(tiny):
    outcome = route(tiny, BASE)
    assert outcome.ruleset.id == "tiny" and outcome.ruleset.version == "0.1"
    assert outcome.ruleset.hash == tiny.hash and len(tiny.hash) == 64
    assert outcome.to_dict()["ruleset"]["hash"] == tiny.hash


@pytest.mark.parametrize(("answers", "words"), [
    ({"agee": 12}, "did you mean 'age'?"),
    ({"age": 18}, "between 0 and 17"),
    ({"age": -1}, "between 0 and 17"),
    ({"missing_90d": "lots"}, "whole number"),
    ({"cars": True}, "answer yes, no or not_known"),
    ({"status": "fostered"}, "is not one of the options"),
    ({"agencies_involved": "gp"}, "give a list"),
    ({"words": "x" * 51}, "50 characters or fewer"),
    ({"cars": {"answer": "yes", "when": "earlier"}}, "does not ask when"),
    ({"runs_away": {"answer": "yes", "when": "last year"}}, "'when' must be"),
])
def test_bad_answers_are_rejected_with_a_clear_message(tiny, answers, words):
    with pytest.raises(AnswersInvalid) as caught:
        route(tiny, answers)
    assert words in str(caught.value)


def test_every_bad_answer_is_reported_at_once(tiny):
    with pytest.raises(AnswersInvalid) as caught:
        route(tiny, {"age": 30, "cars": "maybe"})
    assert [p.question_id for p in caught.value.problems] == ["age", "cars"]


def test_unknown_agency_is_rejected(tiny):
    with pytest.raises(AnswersInvalid):
        route(tiny, BASE, agency="fire_service")


def test_content_hash_ignores_directory_but_not_content(tiny):
    texts = dict(tiny.sources)
    moved = {name.replace("tests/fixtures", "elsewhere"): text for name, text in texts.items()}
    assert screening.load_ruleset_texts(moved).hash == tiny.hash
    changed = {name: text.replace("version: \"0.1\"", "version: \"0.2\"") for name, text in texts.items()}
    assert screening.load_ruleset_texts(changed).hash != tiny.hash


def test_ruleset_is_frozen(tiny):
    with pytest.raises(AttributeError):
        tiny.rules = ()


def test_nearest_count_rule_names_candidate_indicators_in_words(tiny):
    outcome = route(tiny, {**BASE, "age": 15, "missing_90d": 0, "status": "none"})
    assert outcome.nearest.rule == "any_amber"  # nothing answered supports any rule: the smallest step up
    requirement = outcome.nearest.changes[0].requirement
    assert "'Goes missing overnight'" in requirement and "runs_away" not in requirement


def test_nearest_prefers_rules_the_answers_already_support_and_never_asks_to_change_an_answer(tiny):
    outcome = route(tiny, {**BASE, "age": 14, "online_contact": "yes", "missing_90d": 1, "status": "none"})
    assert [n.rule for n in outcome.nearby] == ["missing_often"]  # 1 episode of 3; 'status' and age are given
    assert len(route(tiny, {**BASE, "age": 15}).nearby) <= 3


def test_answers_are_checked_no_further_than_the_error_cap(tiny):
    """Fifty problems are reported and the rest left unchecked: thousands of unknown ids never cost thousands of
    'did you mean' searches."""
    answers = {f"no_such_question_{n}": "yes" for n in range(5_000)}
    with pytest.raises(AnswersInvalid) as caught:
        screening.evaluate(tiny, answers)
    assert len(caught.value.problems) == 50
    assert [p.question_id for p in caught.value.problems] == list(answers)[:50]
