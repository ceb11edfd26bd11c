"""Screening cases as a practitioner enters them, page by page (field name -> value; a list ticks several
boxes). Shared by the browser tests and bench/journey.py. The "child" step with no answers goes on without
identifying the child (so each case stands alone, whatever ran before it); with answers it finds or adds them."""

from __future__ import annotations

ABOUT = {"current_social_care_status": "none", "previous_concerns_12m": "0"}
UNIDENTIFIED = ("child", {})
BUTTONS = {"child": "Find or add the child"}  # the submit button of a step, where it is not "Save and continue"
SKIP = {"child": "Continue without identifying the child"}  # the button a step with no answers uses

# The walk-through case that took 48 page loads: a school's designated safeguarding lead, a 14-year-old girl.
SCHOOL_CASE = [
    ("start", {"agency": "school", "referrer_is_lead": "yes", "age": "14",
               "referrer_contact": "Designated safeguarding lead, 01632 960 001"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "UPN A123", "gender": "girl",
                     "concern_summary": "A 19-year-old she calls her boyfriend collects her from school by car. "
                                        "She has gone missing three times and has a new phone she cannot explain."}),
    ("signs", {"missing_episodes_90d": "3",
               "signs__associates": ["older_associate_controlling"], "older_associate_controlling__when": "recent",
               "signs__gifts_money": ["phone_new_or_multiple", "gifts_unexplained"],
               "gifts_unexplained__when": "recent",
               "signs__emotional": ["child_expressed_fear"],
               "signs__education": ["collected_from_school_by_adults", "school_absence_unexplained"],
               "collected_from_school_by_adults__when": "recent", "school_absence_unexplained__when": "recent",
               "signs__family": ["parents_not_engaging"]}),
    ("child_voice", {"seen_alone": "yes", "child_words": "I'm scared of him. He says I owe him for the phone."}),
    ("family", {"other_children_household": "1"}),
]

# A GP with a worry and one vulnerability: most groups checked, nothing else seen.
FEW_SIGNS = [
    ("start", {"agency": "gp", "referrer_is_lead": "no", "age": "15", "signs__immediate_danger__checked": "y"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "GP-77", "concern_summary": "Low mood since her grandmother died."}),
    ("signs", {"missing_episodes_90d": "0", "signs__vulnerabilities": ["bereavement_or_loss"],
               **{f"signs__{theme}__checked": "y" for theme in (
                   "missing", "associates", "gifts_money", "online", "sexual_health", "physical_health",
                   "substances", "emotional", "education", "family", "disclosures", "peers_places",
                   "vulnerabilities")}}),
    ("child_voice", {"seen_alone": "yes"}),
    ("family", {"other_children_household": "0"}),
]

# Police find a 13-year-old with the man believed to be abusing her: danger first, then the rest briefly.
IMMEDIATE_DANGER = [
    ("start", {"signs__immediate_danger": ["with_abuser_now"], "agency": "police", "age": "13"}),
    ("danger", {}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "concern_summary": "Found in a car with a 30-year-old man at 2am."}),
    ("signs", {"missing_episodes_90d__nk": "y"}),
    ("child_voice", {"seen_alone": "no"}),
    ("family", {"other_children_household": "0"}),
]


def button_for(page_id: str, answers: dict) -> str:
    """The button that submits a step."""
    return BUTTONS.get(page_id, "Save and continue") if answers or page_id not in SKIP else SKIP[page_id]
