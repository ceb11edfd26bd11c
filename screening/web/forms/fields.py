"""Question types → form fields: one entry per question type (keyed by the same names as the core's
question_types.QUESTION_TYPES) says which WTForms fields it needs, how to read an answer from them (with
GOV.UK-style errors), how to fill them from a saved answer, and how to render them with the GOV.UK Frontend
macros."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectMultipleField, StringField, TextAreaField

from ...model import NONE_OPTION, Indicator, Question
from ...question_types import looks_negative, numeric_range, too_long_a_number, whole_number
from . import messages as msg

Fact = Question | Indicator
ABSENT = object()  # no answer given (read as 'not known' by the engine)
NK = "not_known"
TRISTATE_CHOICES = (("yes", _l("Yes")), ("no", _l("No")), (NK, _l("Not known")))


@dataclass(frozen=True)
class Rendered:
    macro: str
    params: dict


@dataclass(frozen=True)
class FormFields:
    fields: Callable[[Fact], dict[str, Field]]
    read: Callable[[Fact, dict], tuple[object, dict[str, str]]]  # (answer or ABSENT, {field name: error})
    fill: Callable[[Fact, object], dict[str, object]]
    render: Callable[[Fact, dict, dict[str, str]], Rendered]


def _hint(fact: Fact) -> dict | None:
    text = getattr(fact, "hint", "")
    return {"text": text} if text else None


def error_message(errors: dict[str, str], *names: str) -> dict | None:
    """The GOV.UK error message of the first of `names` with an error, its hidden prefix in the page's language."""
    found = next((errors[n] for n in names if n in errors), None)
    return {"text": found, "visuallyHiddenText": _("Error")} if found else None


def _required(fact: Fact) -> bool:
    return getattr(fact, "required", False)


def _allow_nk(fact: Fact) -> bool:
    return getattr(fact, "allow_not_known", True)


# -- tri-state (yes / no / not known), with optional recency -------------------------------------------------
def _tristate_fields(fact: Fact) -> dict[str, Field]:
    fields: dict[str, Field] = {fact.id: StringField()}
    if isinstance(fact, Indicator) and fact.recency:
        fields[f"{fact.id}__when"] = StringField()
    return fields


def _tristate_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    value = (data.get(fact.id) or "").strip()
    if not value:
        return (ABSENT, {fact.id: msg.SELECT_TRISTATE.format(label=fact.label)}) if _required(fact) else (ABSENT, {})
    if value not in ("yes", "no", NK):
        return ABSENT, {fact.id: msg.SELECT_TRISTATE.format(label=fact.label)}
    when = (data.get(f"{fact.id}__when") or "").strip()
    if value == "yes" and isinstance(fact, Indicator) and fact.recency:
        if when not in ("recent", "earlier"):
            return ABSENT, {f"{fact.id}__when": msg.SELECT_WHEN.format()}
        return {"answer": "yes", "when": when}, {}
    return value, {}


def _tristate_fill(fact: Fact, answer: object) -> dict[str, object]:
    if isinstance(answer, dict):
        return {fact.id: answer.get("answer"), f"{fact.id}__when": answer.get("when")}
    return {fact.id: answer}


def _tristate_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    value = data.get(fact.id)
    items = [{"value": v, "text": str(t), "checked": value == v} for v, t in TRISTATE_CHOICES]
    asks_when = isinstance(fact, Indicator) and fact.recency
    if asks_when:
        items[0]["conditional"] = {"macro": "govukRadios", "params": _when_params(fact, data, errors)}
    return Rendered("govukRadios", {
        "name": fact.id, "idPrefix": fact.id, "classes": "" if asks_when else "govuk-radios--inline",
        "fieldset": {"legend": {"text": fact.label, "classes": "govuk-fieldset__legend--s"}},
        "hint": _hint(fact), "errorMessage": error_message(errors, fact.id), "items": items,
    })


def _when_params(fact: Fact, data: dict, errors: dict[str, str]) -> dict:
    name, value = f"{fact.id}__when", data.get(f"{fact.id}__when")
    return {
        "name": name, "idPrefix": name,
        "fieldset": {"legend": {"text": _("When?"), "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error_message(errors, name),
        "items": [{"value": "recent", "text": _("Now or in the last 6 months"), "checked": value == "recent"},
                  {"value": "earlier", "text": _("6 to 12 months ago"), "checked": value == "earlier"}],
    }


# -- counts --------------------------------------------------------------------------------------------------
def _count_fields(fact: Fact) -> dict[str, Field]:
    return {fact.id: StringField(), f"{fact.id}__nk": BooleanField()}


def _number(fact: Fact, text: str) -> tuple[object, str | None]:
    lo, hi = numeric_range(fact)
    number = whole_number(text)
    if number is None:
        if looks_negative(text):
            return ABSENT, msg.NUMBER_TOO_SMALL.format(min=lo, label=fact.label)
        too_big = too_long_a_number(text)
        return ABSENT, (msg.NUMBER_TOO_BIG.format(max=hi, label=fact.label) if too_big
                        else msg.ENTER_NUMBER.format(label=fact.label))
    if number < lo:
        return ABSENT, msg.NUMBER_TOO_SMALL.format(min=lo, label=fact.label)
    if number > hi:
        return ABSENT, msg.NUMBER_TOO_BIG.format(max=hi, label=fact.label)
    return number, None


def _count_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    """One message at most, naming the question, so that two count questions never show the same words."""
    text, not_known = (data.get(fact.id) or "").strip(), bool(data.get(f"{fact.id}__nk"))
    if text and not_known:
        return ABSENT, {fact.id: msg.NUMBER_NOT_BOTH.format(label=fact.label)}
    if not_known:
        return NK, {}
    if not text:
        return ABSENT, ({fact.id: msg.ENTER_NUMBER.format(label=fact.label)} if _required(fact) else {})
    number, problem = _number(fact, text)
    return (ABSENT, {fact.id: problem}) if problem else (number, {})


def _count_fill(fact: Fact, answer: object) -> dict[str, object]:
    return {f"{fact.id}__nk": True} if answer == NK else {fact.id: str(answer)}


def _count_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    return Rendered("numberWithNotKnown", {
        "input": {"id": fact.id, "name": fact.id, "value": data.get(fact.id) or "", "inputmode": "numeric",
                  "classes": "govuk-input--width-4", "spellcheck": False,
                  "label": {"text": fact.label, "classes": "govuk-label--s"}, "hint": _hint(fact),
                  "errorMessage": error_message(errors, fact.id)},
        "not_known": {"name": f"{fact.id}__nk", "checked": bool(data.get(f"{fact.id}__nk")),
                      "show": _allow_nk(fact)},
    })


# -- age or date of birth ------------------------------------------------------------------------------------
DOB_PARTS = ("day", "month", "year")
DOB_LABELS = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}


def today() -> date:
    """The date ages are worked out on (one place, so tests can fix it)."""
    return date.today()


def _age_fields(fact: Fact) -> dict[str, Field]:
    return {fact.id: StringField(), f"{fact.id}__nk": BooleanField(),
            **{f"{fact.id}__dob_{p}": StringField() for p in DOB_PARTS}}


def _age_from_dob(fact: Fact, data: dict, today: date) -> tuple[object, dict[str, str]]:
    day, month, year = (whole_number(data.get(f"{fact.id}__dob_{p}") or "") for p in DOB_PARTS)
    try:
        born = date(year or 0, month or 0, day or 0)  # 0 is never a real year, month or day
    except ValueError:
        return ABSENT, {f"{fact.id}__dob": msg.DOB_REAL.format()}
    if born > today:
        return ABSENT, {f"{fact.id}__dob": msg.DOB_PAST.format()}
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return (years, {}) if years < 18 else (ABSENT, {f"{fact.id}__dob": msg.DOB_CHILD.format()})


def _typed_age(fact: Fact, text: str) -> tuple[object, dict[str, str]]:
    age = whole_number(text)
    if age is None or age > 17:
        in_range_words = age is not None or looks_negative(text) or too_long_a_number(text)
        return ABSENT, {fact.id: msg.AGE_RANGE.format() if in_range_words else msg.ENTER_AGE.format()}
    return age, {}


def _age_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    """The age typed, or worked out from the date of birth; given both, they must agree."""
    text, not_known = (data.get(fact.id) or "").strip(), bool(data.get(f"{fact.id}__nk"))
    has_dob = any((data.get(f"{fact.id}__dob_{p}") or "").strip() for p in DOB_PARTS)
    if not_known:
        return (ABSENT, {fact.id: msg.AGE_OR_NOT_KNOWN.format()}) if text or has_dob else (NK, {})
    if not (text or has_dob):
        return ABSENT, ({fact.id: msg.ENTER_AGE.format()} if _required(fact) else {})
    typed, errors = _typed_age(fact, text) if text else (ABSENT, {})
    born, dob_errors = _age_from_dob(fact, data, today()) if has_dob else (ABSENT, {})
    if errors or dob_errors:
        return ABSENT, {**errors, **dob_errors}
    if text and has_dob and typed != born:
        return ABSENT, {fact.id: msg.AGE_DOB_DIFFER.format()}
    return (born if has_dob else typed), {}


def _age_fill(fact: Fact, answer: object) -> dict[str, object]:
    return {f"{fact.id}__nk": True} if answer == NK else {fact.id: str(answer)}


def _age_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    rendered = _count_render(fact, data, errors)
    rendered.params["input"]["classes"] = "govuk-input--width-2"
    rendered.params["dob"] = {
        "id": f"{fact.id}__dob",
        "fieldset": {"legend": {"text": _("Or their date of birth"), "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": _("For example, 27 3 2012")}, "errorMessage": error_message(errors, f"{fact.id}__dob"),
        "items": [_dob_item(fact, p, data, f"{fact.id}__dob" in errors) for p in DOB_PARTS],
    }
    return rendered


def _dob_item(fact: Fact, part: str, data: dict, wrong: bool) -> dict:
    """One box of the date: posted under the form's own field name (GOV.UK's namePrefix would post 'x-day', which
    no field reads), with the id 'x-day' the error summary links to."""
    width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
    return {"id": f"{fact.id}__dob-{part}", "name": f"{fact.id}__dob_{part}", "label": str(DOB_LABELS[part]),
            "value": data.get(f"{fact.id}__dob_{part}") or "",
            "classes": f"{width} govuk-input--error" if wrong else width}


# -- single and multiple choice ------------------------------------------------------------------------------
def _choice_items(fact: Fact, chosen, many: bool) -> list[dict]:
    """Radios (one option, or not known) or, if `many`, checkboxes (any options, or 'none of these' alone)."""
    items = [{"value": o.id, "text": o.label, "checked": o.id in chosen} for o in fact.options]
    if _allow_nk(fact) and not many:
        items += [{"divider": _("or")}, {"value": NK, "text": _("Not known"), "checked": NK in chosen}]
    if many and items and items[-1]["value"] == NONE_OPTION:  # 'none of these' stands alone
        items[-1:] = [{"divider": _("or")}, {**items[-1], "behaviour": "exclusive"}]
    return items


def _choice_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    value = (data.get(fact.id) or "").strip()
    allowed = {o.id for o in fact.options} | ({NK} if _allow_nk(fact) else set())
    if not value:
        return ABSENT, ({fact.id: msg.SELECT_OPTION.format(label=fact.label)} if _required(fact) else {})
    return (value, {}) if value in allowed else (ABSENT, {fact.id: msg.SELECT_OPTION.format(label=fact.label)})


def _choice_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    return Rendered("govukRadios", {
        "name": fact.id, "idPrefix": fact.id, "hint": _hint(fact), "errorMessage": error_message(errors, fact.id),
        "fieldset": {"legend": {"text": fact.label, "classes": "govuk-fieldset__legend--s"}},
        "items": _choice_items(fact, {data.get(fact.id)}, many=False),
    })


def _choices_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    values = [v for v in (data.get(fact.id) or []) if v]
    allowed = {o.id for o in fact.options}
    if any(v not in allowed for v in values):
        return ABSENT, {fact.id: msg.SELECT_OPTION.format(label=fact.label)}
    if NONE_OPTION in values and len(set(values)) > 1:
        return ABSENT, {fact.id: msg.SELECT_NONE_OR_OPTIONS.format()}
    if not values:
        return ABSENT, ({fact.id: msg.SELECT_OPTION.format(label=fact.label)} if _required(fact) else {})
    return sorted(set(values)), {}


def _choices_fill(fact: Fact, answer: object) -> dict[str, object]:
    return {fact.id: list(answer) if isinstance(answer, list | tuple) else []}


def _choices_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    return Rendered("govukCheckboxes", {
        "name": fact.id, "idPrefix": fact.id, "hint": _hint(fact), "errorMessage": error_message(errors, fact.id),
        "fieldset": {"legend": {"text": fact.label, "classes": "govuk-fieldset__legend--s"}},
        "items": _choice_items(fact, set(data.get(fact.id) or ()), many=True),
    })


# -- free text -----------------------------------------------------------------------------------------------
def _text_read(fact: Fact, data: dict) -> tuple[object, dict[str, str]]:
    value = data.get(fact.id) or ""
    if len(value) > fact.max_length:
        return ABSENT, {fact.id: msg.TEXT_TOO_LONG.format(label=fact.label, max=fact.max_length)}
    if not value.strip():
        return ABSENT, ({fact.id: msg.ENTER_TEXT.format(label=fact.label.lower())} if _required(fact) else {})
    return value, {}


def _text_render(fact: Fact, data: dict, errors: dict[str, str]) -> Rendered:
    return Rendered("govukCharacterCount", {
        "name": fact.id, "id": fact.id, "maxlength": fact.max_length, "value": data.get(fact.id) or "",
        "label": {"text": fact.label, "classes": "govuk-label--s"}, "hint": _hint(fact),
        "errorMessage": error_message(errors, fact.id), "rows": 4, **_count_words(),
    })


def _count_words() -> dict:
    """GOV.UK Frontend's character count words, which default to English: given only when the page is not English
    (given, they add attributes), each count in every plural form Welsh has (the browser picks the form)."""
    if str(get_locale() or "en") == "en":
        return {}
    def forms(words: str) -> dict[str, str]:
        return dict.fromkeys(("zero", "one", "two", "few", "many", "other"), words)
    return {"textareaDescriptionText": _("You can enter up to %{count} characters"),
            "charactersUnderLimitText": forms(_("You have %{count} characters remaining")),
            "charactersAtLimitText": _("You have 0 characters remaining"),
            "charactersOverLimitText": forms(_("You have %{count} characters too many"))}


def _single(fact: Fact) -> dict[str, Field]:
    return {fact.id: StringField()}


FORM_FIELDS: dict[str, FormFields] = {
    "tristate": FormFields(_tristate_fields, _tristate_read, _tristate_fill, _tristate_render),
    "count": FormFields(_count_fields, _count_read, _count_fill, _count_render),
    "age": FormFields(_age_fields, _age_read, _age_fill, _age_render),
    "choice": FormFields(_single, _choice_read, lambda f, a: {f.id: a}, _choice_render),
    "choices": FormFields(lambda f: {f.id: SelectMultipleField(validate_choice=False)}, _choices_read,
                    _choices_fill, _choices_render),
    "text": FormFields(lambda f: {f.id: TextAreaField()}, _text_read, lambda f, a: {f.id: a}, _text_render),
}
