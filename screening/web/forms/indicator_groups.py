"""A theme's signs as one group of ticks: a ticked sign is "yes"; an unticked sign stays "not known" unless the
practitioner ticks "I have checked", which records the unticked signs of that group as "no". Nothing else is
ever read as "no"."""

from __future__ import annotations

from wtforms import BooleanField, Field, SelectMultipleField, StringField

from . import messages as msg
from .fields import Rendered
from .pages import IndicatorGroup

RECENCY_CHOICES = (("recent", "Now or in the last 6 months"), ("earlier", "6 to 12 months ago"),
                   ("both", "Both: recently and 6 to 12 months ago"))


def when_field(indicator_id: str) -> str:
    return f"{indicator_id}__when"


def group_fields(group: IndicatorGroup) -> dict[str, Field]:
    fields: dict[str, Field] = {group.field: SelectMultipleField(validate_choice=False),
                                group.checked_field: BooleanField()}
    fields.update({when_field(s.id): StringField() for s in group.signs if s.recency})
    return fields


def read_group(group: IndicatorGroup, data: dict) -> tuple[dict[str, object], dict[str, str]]:
    """The group's answers (sign id -> answer; "not known" signs left out) and errors by field name."""
    ticked = {v for v in (data.get(group.field) or []) if v}
    if ticked - {s.id for s in group.signs}:
        return {}, {group.field: msg.SELECT_SIGNS.format(theme=group.theme.title)}
    checked = bool(data.get(group.checked_field))
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for sign in group.signs:
        if sign.id in ticked:
            when = (data.get(when_field(sign.id)) or "").strip()
            if not sign.recency:
                answers[sign.id] = "yes"
            elif when in dict(RECENCY_CHOICES):
                answers[sign.id] = {"answer": "yes", "when": when}
            else:
                errors[when_field(sign.id)] = msg.SELECT_WHEN_SIGN.format(sign=sign.text)
        elif checked:
            answers[sign.id] = "no"
    return answers, errors


def fill_group(group: IndicatorGroup, answers: dict) -> dict[str, object]:
    """Form data that shows saved answers: "I have checked" is ticked only when every unticked sign is "no"."""
    ticked, data = [], {}
    for sign in group.signs:
        answer = answers.get(sign.id)
        if answer == "yes" or (isinstance(answer, dict) and answer.get("answer") == "yes"):
            ticked.append(sign.id)
            if isinstance(answer, dict):
                data[when_field(sign.id)] = answer.get("when")
    unticked = [answers.get(s.id) for s in group.signs if s.id not in ticked]
    data[group.field] = ticked
    data[group.checked_field] = bool(unticked) and all(a == "no" for a in unticked)
    return data


def render_group(group: IndicatorGroup, data: dict, errors: dict[str, str]) -> Rendered:
    chosen = set(data.get(group.field) or ())
    items = []
    for sign in group.signs:
        item: dict = {"value": sign.id, "text": sign.text, "checked": sign.id in chosen}
        if sign.recency:
            item["conditional"] = {"macro": "govukRadios", "params": _when_params(sign, data, errors)}
        items.append(item)
    return Rendered("signGroup", {
        "id": group.theme.id, "title": group.theme.title, "description": group.theme.description,
        "checkboxes": {
            "name": group.field, "idPrefix": group.field, "items": items,
            "fieldset": {"legend": {"text": f"{group.theme.title}: which of these have you seen or been told about?",
                                    "classes": "govuk-fieldset__legend--s govuk-visually-hidden"}},
            "errorMessage": {"text": errors[group.field]} if group.field in errors else None,
        },
        "checked": {"name": group.checked_field, "checked": bool(data.get(group.checked_field)),
                    "text": "I have checked: none of the signs I have not ticked in this group are present"},
        "guidance": [(s.text, s.guidance) for s in group.signs if s.guidance],
    })


def _when_params(sign, data: dict, errors: dict[str, str]) -> dict:
    name, value = when_field(sign.id), data.get(when_field(sign.id))
    return {
        "name": name, "idPrefix": name,
        "fieldset": {"legend": {"text": "When?", "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": {"text": errors[name]} if name in errors else None,
        "classes": "govuk-radios--small govuk-radios--inline",
        "items": [{"value": v, "text": t, "checked": value == v} for v, t in RECENCY_CHOICES],
    }
