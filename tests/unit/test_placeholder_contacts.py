"""A contact whose number (or name) is still a placeholder in square brackets, "[MASH phone number]", is recognised
in one place (Contact.placeholders) and `screening validate` warns about each one where it is written, exit 0."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import screening
from screening.cli import main
from screening.model import Contact
from tests.conftest import DEFAULT

PLACEHOLDERS = {"[MASH phone number]", "[emergency duty team number]"}  # the default rule set's, as written


@pytest.mark.parametrize(("name", "phone", "parts"), [
    ("Police", "999", ()),
    ("MASH", "0300 123 4567", ()),
    ("MASH (the front door)", "0300 123 4567 (option 2)", ()),  # round brackets are words, not a placeholder
    ("MASH", "[MASH phone number]", ("phone",)),  # wholly in square brackets
    ("MASH", "0300 [number]", ("phone",)),  # partly
    ("MASH", "[]", ("phone",)),
    ("[Local police team]", "101", ("name",)),
    ("[Name]", "[number]", ("phone", "name")),
    ("MASH", "0300 123 4567 [", ()),  # an unclosed bracket is not a placeholder
])
def test_a_placeholder_is_text_in_square_brackets_wholly_or_partly(name, phone, parts):
    contact = Contact(name, phone, "")
    assert contact.placeholders == parts and contact.placeholder == bool(parts)


@pytest.mark.hazard("H-04")
def test_validate_warns_about_each_placeholder_contact_where_it_is_written_and_exits_0():
    result = CliRunner().invoke(main, ["validate", "rules/default"])
    assert result.exit_code == 0, result.output
    found = re.findall(r'^warning: (rules/default/(\S+?\.yaml)):(\d+):(\d+): contact "([^"]+)" has a placeholder '
                       r'phone "([^"]+)": add your area\'s number before use$', result.output, re.M)
    assert {phone for *_, phone in found} == PLACEHOLDERS
    for _, file, line, col, name, phone in found:
        written = (DEFAULT / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert re.match(rf'phone:\s*"?{re.escape(phone)}', written[int(col) - 1:]) and name in written
    assert "valid: default-cse" in result.output and "2 warning(s)" in result.output


def test_contacts_filled_in_warn_no_more_and_a_placeholder_name_is_warned_too():
    texts = {name.rsplit("/", 1)[-1]: text for name, text in screening.load_ruleset(DEFAULT).sources}
    filled = {**texts, "ruleset.yaml": texts["ruleset.yaml"].replace("[MASH phone number]", "0300 123 4567")
              .replace("[emergency duty team number]", "0300 765 4321")}
    assert screening.load_ruleset_texts(filled).warnings == ()
    renamed = {**filled, "ruleset.yaml": filled["ruleset.yaml"].replace("Out of hours: the emergency duty team",
                                                                        "[Out-of-hours team]")}
    (warning,) = screening.load_ruleset_texts(renamed).warnings
    assert warning.yaml_path == "contacts.2.name" and 'placeholder name "[Out-of-hours team]"' in warning.message
