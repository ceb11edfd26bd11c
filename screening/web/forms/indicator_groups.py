"""A theme's signs as one group of ticks. A theme opens with one question (yes / no / not known): its signs show
under yes; "no" records the theme's unticked signs as "no"; "not known" (or no answer) leaves them not known. The
immediate-danger theme shows its signs at once, with "I have checked" for the unticked ones. A ticked sign is "yes".

Signs suggested from the practitioner's words (screening.suggestions) are shown first, in one list of their own
(SUGGESTED), each with the words that suggested it; they are left out of their theme's list, and an unticked
suggestion stays not known whatever the theme's answer: a suggestion is never an answer. Nothing else is ever
read as "no"."""

from __future__ import annotations

from collections.abc import Set

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectMultipleField, StringField

from ...model import Indicator
from ...suggestions import Suggestion
from . import messages as msg
from .fields import Rendered, error_message
from .pages import IndicatorGroup

RECENCY_CHOICES = (("recent", _l("Now or in the last 6 months")), ("earlier", _l("6 to 12 months ago")),
                   ("both", _l("Both: recently and 6 to 12 months ago")))
OPENING_CHOICES = (("yes", _l("Yes")), ("no", _l("No")), ("not_known", _l("Not known")))
SUGGESTED = "suggested"  # the list of suggested signs (values: sign ids)
JS = "js"  # "1" when the page's conditional reveals ran (set by init.js), so no follow-up page is needed


def when_field(indicator_id: str) -> str:
    return f"{indicator_id}__when"


def group_fields(group: IndicatorGroup) -> dict[str, Field]:
    fields: dict[str, Field] = {group.field: SelectMultipleField(validate_choice=False)}
    if group.opens:
        fields[group.opening_field] = StringField()
    if group.checks:
        fields[group.checked_field] = BooleanField()
    fields.update({when_field(s.id): StringField() for s in group.signs if s.recency})
    return fields


def suggestion_fields() -> dict[str, Field]:
    return {SUGGESTED: SelectMultipleField(validate_choice=False), JS: StringField()}


def read_group(group: IndicatorGroup, data: dict, suggested: Set[str]) -> tuple[dict[str, object], dict[str, str]]:
    """The group's answers (sign id -> answer; "not known" signs left out) and errors by field name."""
    ids = {s.id for s in group.signs}
    own = {v for v in (data.get(group.field) or []) if v}
    if own - ids:
        return {}, {group.field: msg.SELECT_SIGNS.format(theme=group.theme.title)}
    ticked = own | ({v for v in (data.get(SUGGESTED) or []) if v} & ids)
    opening = (data.get(group.opening_field) or "").strip() if group.opens else ""
    if opening not in ("", *dict(OPENING_CHOICES)):
        return {}, {group.opening_field: msg.SELECT_TRISTATE.format(label=group.theme.asks)}
    if opening == "no" and ticked:  # ticks left behind a "no" (a reveal hides them, it does not clear them)
        return {}, {group.opening_field: msg.THEME_NO_BUT_TICKED.format(question=group.theme.asks)}
    says_no = opening == "no" or (group.checks and bool(data.get(group.checked_field)))
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for sign in group.signs:
        if sign.id in ticked:
            _read_ticked(sign, data, answers, errors)
        elif says_no and sign.id not in suggested:
            answers[sign.id] = "no"
    return answers, errors


def _read_ticked(sign: Indicator, data: dict, answers: dict[str, object], errors: dict[str, str]) -> None:
    when = (data.get(when_field(sign.id)) or "").strip()
    if not sign.recency:
        answers[sign.id] = "yes"
    elif when in dict(RECENCY_CHOICES):
        answers[sign.id] = {"answer": "yes", "when": when}
    else:
        errors[when_field(sign.id)] = msg.SELECT_WHEN_SIGN.format(sign=sign.text)


def _said_yes(answer: object) -> bool:
    return answer == "yes" or (isinstance(answer, dict) and answer.get("answer") == "yes")


def fill_group(group: IndicatorGroup, answers: dict, suggested: Set[str]) -> dict[str, object]:
    """Form data that shows saved answers: a theme is "yes" when a sign of it is ticked or suggested, "no" when
    every sign it lists is "no"; "I have checked" is ticked only when every unticked sign is "no"."""
    ticked, data = [], {}
    for sign in group.signs:
        answer = answers.get(sign.id)
        if _said_yes(answer):
            ticked.append(sign.id)
            if isinstance(answer, dict):
                data[when_field(sign.id)] = answer.get("when")
    listed = [answers.get(s.id) for s in group.signs if s.id not in ticked and s.id not in suggested]
    all_no = bool(listed) and all(a == "no" for a in listed)
    data[group.field] = [t for t in ticked if t not in suggested]
    if group.opens:
        opened = ticked or any(s.id in suggested for s in group.signs)
        data[group.opening_field] = "yes" if opened else "no" if all_no else ""
    if group.checks:
        data[group.checked_field] = all_no
    return data


def fill_suggested(suggestions: tuple[Suggestion, ...], answers: dict) -> dict[str, object]:
    return {SUGGESTED: [s.indicator for s in suggestions if _said_yes(answers.get(s.indicator))]}


def render_group(group: IndicatorGroup, data: dict, errors: dict[str, str], suggested: Set[str],
                 questions: list[Rendered] | None = None) -> Rendered:
    """The group; for a theme that opens, its opening question with the signs (and `questions`) under yes."""
    chosen = set(data.get(group.field) or ())
    items = [_sign_item(sign, sign.id in chosen, data, errors) for sign in group.signs if sign.id not in suggested]
    return Rendered("signGroup", {
        "id": group.theme.id, "title": group.theme.title, "description": group.theme.description,
        "opening": _opening_params(group, data, errors) if group.opens else None,
        "checkboxes": {
            "name": group.field, "idPrefix": group.field, "items": items,
            "fieldset": {"legend": {"text": _("%(theme)s: which of these have you seen or been told about?",
                                              theme=group.theme.title),
                                    "classes": "govuk-fieldset__legend--s govuk-visually-hidden"}},
            "errorMessage": error_message(errors, group.field),
        },
        "checked": None if not group.checks else {
            "name": group.checked_field, "checked": bool(data.get(group.checked_field)),
            "text": _("I have checked: none of the signs I have not ticked in this group are present")},
        "questions": questions or [],
        "guidance": [(s.text, s.guidance) for s in group.signs if s.guidance],
    })


def render_suggestions(suggestions: tuple[Suggestion, ...], signs: dict[str, Indicator], data: dict,
                       errors: dict[str, str]) -> Rendered:
    """The signs the practitioner's words suggest, each with the words that matched: none ticked until they tick."""
    chosen = set(data.get(SUGGESTED) or ())
    items = []
    for found in suggestions:
        item = _sign_item(signs[found.indicator], found.indicator in chosen, data, errors, name=SUGGESTED)
        item["hint"] = {"text": _("You wrote: %(words)s", words="; ".join(f"\u201c{w}\u201d" for w in found.words))}
        items.append(item)
    return Rendered("suggestedSigns", {"checkboxes": {
        "name": SUGGESTED, "idPrefix": SUGGESTED, "items": items, "classes": "govuk-checkboxes--small",
        "fieldset": {"legend": {"text": _("From what you wrote, these may apply"), "isPageHeading": False,
                                "classes": "govuk-fieldset__legend--m"}},
        "hint": {"text": _("Tick each one that is true. One you leave unticked stays \u2018not known\u2019.")},
    }})


def _sign_item(sign: Indicator, checked: bool, data: dict, errors: dict[str, str], name: str = "") -> dict:
    item: dict = {"value": sign.id, "text": sign.text, "checked": checked}
    if name:
        item["id"] = f"{name}-{sign.id}"
    if sign.recency:
        item["conditional"] = {"macro": "govukRadios", "params": _when_params(sign, data, errors)}
    return item


def _opening_params(group: IndicatorGroup, data: dict, errors: dict[str, str]) -> dict:
    name, value = group.opening_field, data.get(group.opening_field)
    return {
        "name": name, "idPrefix": name, "classes": "govuk-radios--small",
        "fieldset": {"legend": {"text": group.theme.asks, "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error_message(errors, name),
        "items": [{"value": v, "text": str(t), "checked": value == v} for v, t in OPENING_CHOICES],
    }


def _when_params(sign, data: dict, errors: dict[str, str]) -> dict:
    name, value = when_field(sign.id), data.get(when_field(sign.id))
    return {
        "name": name, "idPrefix": name,
        "fieldset": {"legend": {"text": _("When?"), "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error_message(errors, name),
        "classes": "govuk-radios--small govuk-radios--inline",
        "items": [{"value": v, "text": str(t), "checked": value == v} for v, t in RECENCY_CHOICES],
    }
