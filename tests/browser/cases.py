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

# A GP with a worry and one vulnerability: most themes answered no, nothing else seen.
FEW_SIGNS = [
    ("start", {"agency": "gp", "referrer_is_lead": "no", "age": "15", "signs__immediate_danger__checked": "y"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "GP-77", "concern_summary": "Low mood since her grandmother died."}),
    ("signs", {"signs__vulnerabilities": ["bereavement_or_loss"],
               **{f"theme__{theme}": "no" for theme in (
                   "missing", "associates", "gifts_money", "online", "sexual_health", "physical_health",
                   "substances", "education", "family", "disclosures", "peers_places")}}),
    ("child_voice", {"seen_alone": "yes"}),
    ("family", {"other_children_household": "0"}),
]

# Police find a 13-year-old with the man believed to be abusing her: danger first, then the rest briefly.
IMMEDIATE_DANGER = [
    ("start", {"signs__immediate_danger": ["with_abuser_now"], "agency": "police", "age": "13"}),
    ("danger", {}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "concern_summary": "Found in a car with a 30-year-old man at 2am."}),
    ("signs", {}),
    ("child_voice", {"seen_alone": "no"}),
    ("family", {"other_children_household": "0"}),
]


# A youth offending worker: a 14-year-old boy arrested far from home carrying drugs (criminal exploitation).
COUNTY_LINES_BOY = [
    ("start", {"agency": "youth_justice", "age": "14"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "YOT-5521", "gender": "boy",
                     "concern_summary": "Arrested 60 miles from home with drugs and cash on him. He has two phones and "
                                        "says he owes money to older lads who pick him up in cars. He has gone "
                                        "missing four times since he was excluded."}),
    ("signs", {"missing_episodes_90d": "4", "late_or_overnight_unexplained__when": "recent",
               "signs__missing": ["late_or_overnight_unexplained"],
               "signs__substances": ["drug_running"], "drug_running__when": "recent",
               "signs__peers_places": ["moved_between_towns", "cars_unknown_adults"],
               "moved_between_towns__when": "recent", "cars_unknown_adults__when": "recent",
               "signs__gifts_money": ["phone_new_or_multiple", "money_unexplained", "debt_or_owing"],
               "signs__education": ["excluded_or_missing_education"],
               "theme__online": "no", "theme__sexual_health": "no", "theme__disclosures": "no"}),
    ("child_voice", {"seen_alone": "yes", "child_words": "If I stop they'll come after my mum."}),
    ("family", {"other_children_household": "2"}),
]

# A school's safeguarding lead: a 12-year-old girl groomed online by a man she met in a game.
ONLINE_GROOMING = [
    ("start", {"agency": "school", "referrer_is_lead": "yes", "age": "12"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "UPN B777", "gender": "girl",
                     "concern_summary": "She has been talking to a man she met on an online game. He sends her "
                                        "gift cards, told her to keep it secret and keeps asking for photos."}),
    ("signs", {"signs__online": ["online_contact_unknown_adults", "secretive_phone_internet", "asked_for_photos"],
               "signs__associates": ["asked_to_keep_contact_secret"],
               "online_contact_unknown_adults__when": "recent", "asked_to_keep_contact_secret__when": "recent",
               "asked_for_photos__when": "recent",
               "signs__gifts_money": ["gifts_unexplained"], "gifts_unexplained__when": "recent",
               "theme__missing": "no", "theme__substances": "no", "theme__peers_places": "no"}),
    ("child_voice", {"seen_alone": "yes", "child_words": "He's the only one who gets me."}),
    ("family", {"other_children_household": "1"}),
]

# A school nurse: a 13-year-old girl taken to adults' "parties" by her mother's partner.
PARTNER_EXPLOITER = [
    ("start", {"agency": "health_community", "age": "13"}),
    UNIDENTIFIED,
    ("about_child", {**ABOUT, "child_reference": "SN-3130", "gender": "girl",
                     "concern_summary": "Mum's partner takes her to parties at a flat where there are grown men and "
                                        "she is given alcohol. She came to clinic with bruises she would not "
                                        "explain. Mum says nothing is wrong."}),
    ("signs", {"signs__family": ["household_member_sexual_risk", "parents_not_engaging"],
               "signs__peers_places": ["parties_with_adults"],
               "signs__substances": ["drugs_alcohol_from_adults"], "drugs_alcohol_from_adults__when": "recent",
               "signs__physical_health": ["injuries_unexplained"], "injuries_unexplained__when": "recent",
               "theme__online": "no", "theme__missing": "not_known"}),
    ("child_voice", {"seen_alone": "no"}),
    ("family", {"telling_family_may_increase_risk": "yes", "other_children_household": "1"}),
]

CASES = {"few signs": FEW_SIGNS, "school case": SCHOOL_CASE, "immediate danger": IMMEDIATE_DANGER,
         "county lines boy": COUNTY_LINES_BOY, "online grooming": ONLINE_GROOMING,
         "partner exploiter": PARTNER_EXPLOITER}


def fill(page, answers: dict, acted=lambda field, kind, value: None) -> dict:
    """Enter `answers` as a practitioner would: a sign the page suggests is ticked where it is suggested; a field
    inside a theme's reveal is reached by answering the theme yes first. Returns what this page could not show (a
    reveal that needs JavaScript), for the follow-up page. `acted(field, kind, value)` is told of each action: the
    field's locator, its kind (choice, short or text) and the value entered."""
    deferred: dict = {}
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            if not _fill_one(page, name, one, acted):
                deferred.setdefault(name, []).append(one)
    return deferred


def _fill_one(page, name: str, value: str, acted) -> bool:
    if name.startswith("signs__") and not name.endswith("__checked"):
        suggested = page.locator(f'[name="suggested"][value="{value}"]')
        if suggested.count() and suggested.is_visible():
            suggested.check()
            acted(suggested, "choice", value)
            return True
    field = page.locator(f'[name="{name}"]')
    choice = field.first.get_attribute("type") in ("radio", "checkbox")
    target = page.locator(f'[name="{name}"][value="{value}"]') if choice else field
    if not _reveal(page, target, acted):
        return False
    if choice:
        target.check()
        acted(target, "choice", value)
    else:
        target.fill(value)
        acted(target, "text" if target.evaluate("e => e.tagName") == "TEXTAREA" else "short", value)
    return True


def _reveal(page, target, acted) -> bool:
    """Answer yes to the theme whose reveal holds `target`, if it is hidden; whether it can be seen now."""
    if target.is_visible():
        return True
    opener = target.evaluate("""e => { const c = e.closest('.govuk-radios__conditional');
        const r = c && document.querySelector(`[aria-controls="${c.id}"], [data-aria-controls="${c.id}"]`);
        return r ? r.id : null }""")
    if opener and not page.locator(f"#{opener}").is_checked():
        page.locator(f"#{opener}").check()
        acted(page.locator(f"#{opener}"), "choice", "yes")
    return target.is_visible()


def button_for(page_id: str, answers: dict) -> str:
    """The button that submits a step."""
    return BUTTONS.get(page_id, "Save and continue") if answers or page_id not in SKIP else SKIP[page_id]
