"""One catalogue of practitioner-facing messages, in the GOV.UK style ('Enter…', 'Select…'), in the page's language.

Each message is worded in English here and looked up in the page's language when it is used:
`msg.ENTER_TEXT.format(label=...)` (or `.format()` for one with no values) gives the words to show."""

from __future__ import annotations

from flask_babel import gettext


class Message:
    """A message with `%(name)s` placeholders, translated when it is used (so in the language of that request)."""

    def __init__(self, words: str):
        self.words = words

    def format(self, **values: object) -> str:
        return gettext(self.words, **values)

    def __str__(self) -> str:
        return self.format()

    def __eq__(self, other: object) -> bool:  # the same words as shown: "…" == msg.DOB_PAST on an English page
        return str(self) == (str(other) if isinstance(other, Message) else other)

    def __hash__(self) -> int:
        return hash(self.words)


_l = Message  # the extraction keyword (babel.cfg, `-k _l`): these words are in the catalogue

SELECT_TRISTATE = _l("Select yes, no or not known for: %(label)s")
SELECT_WHEN = _l("Select when this happened")
SELECT_OPTION = _l("Select one of the options for: %(label)s")
ENTER_NUMBER = _l("Enter a whole number, like 3, or select 'Not known' for: %(label)s")
NUMBER_NOT_BOTH = _l("Enter a number or select 'Not known', not both, for: %(label)s")
NUMBER_TOO_SMALL = _l("The number must be %(min)s or more for: %(label)s")
NUMBER_TOO_BIG = _l("The number must be %(max)s or fewer for: %(label)s")
ENTER_AGE = _l("Enter the child's age in years or their date of birth, or select 'Not known'")
AGE_OR_NOT_KNOWN = _l("Enter the child's age or date of birth, or select 'Not known', not both")
AGE_DOB_DIFFER = _l("The age does not match the date of birth: check both")
AGE_RANGE = _l("The age must be between 0 and 17: this tool is for children under 18")
DOB_REAL = _l("Date of birth must be a real date, like 27 3 2012")
DOB_PAST = _l("Date of birth must be in the past")
DOB_CHILD = _l("The date of birth must be less than 18 years ago: this tool is for children under 18")
DOB_YEAR = _l("Check the year of birth: this tool is for children")
TEXT_TOO_LONG = _l("%(label)s must be %(max)s characters or fewer")
ENTER_TEXT = _l("Enter %(label)s")
TOO_LONG = _l("This must be %(max)s characters or fewer")
DETAIL_TOO_LONG = _l("Must be %(max)s characters or fewer")
NAME_TOO_LONG = _l("The name must be %(max)s characters or fewer")
REASON_RAISE = _l("Enter why you are raising the route")
REASON_LOWER = _l("Enter why you are lowering the route below the recommendation")
LEAD_NAME = _l("Enter the name of the safeguarding lead you consulted")
SELECT_ROUTE = _l("Select the route you have decided on")
SELECT_DECISION = _l("Select whether you agree with the recommended route")
SELECT_SIGNS = _l("Select signs from the list for: %(theme)s")
SELECT_WHEN_SIGN = _l("Select when this happened: %(sign)s")
THEME_NO_BUT_TICKED = _l("You answered no to \u2018%(question)s\u2019 but ticked signs of it: untick them, or answer "
                         "yes")
SELECT_NONE_OR_OPTIONS = _l("Select the options that apply, or 'None', not both")
CONFIRM_BELOW = _l("Confirm that you are going below the minimum set by: %(rules)s")
ENTER_CHILD = _l("Enter an NHS number, a unique pupil number, a local authority child id, or the child's first name, "
                 "last name and date of birth")
NAME_NEEDS_DOB = _l("Enter the child's date of birth to find them by name")
DOB_NEEDS_NAME = _l("Enter the child's first name or last name as well as their date of birth")
CARER_NAME = _l("Enter the name of the parent or carer, or leave their details blank")
SELECT_CHILD = _l("Select the record that is this child, or that none of them is")
SELECT_RECORD = _l("Select the record that is this child")
