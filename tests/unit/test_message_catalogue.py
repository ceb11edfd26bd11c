"""The pages' own words (ADR 0028): every message wrapped in the web layer is in the Welsh catalogue, and every one
there has Welsh that keeps the English's placeholders and markup. A word wrapped in _() without its Welsh fails
here, with what to run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import ROOT

CATALOGUE = ROOT / "screening/translations/cy/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
WELSH_PLURALS = 6  # zero, one, two, few, many, other
COUNTS = {"num", "count", "n"}  # the number a plural is chosen by
TAG = re.compile(r"<[^>]+>")


def messages(path: Path) -> dict[str, object]:
    with path.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def test_the_catalogue_holds_every_wrapped_message_and_no_other(tmp_path):
    template = tmp_path / "messages.pot"  # extracted as `make translations-update` does
    subprocess.run([Path(sys.executable).parent / "pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", str(template), "screening"], cwd=ROOT, check=True, timeout=120)
    wrapped, translated = set(messages(template)), set(messages(CATALOGUE))
    assert len(wrapped) > 90  # the extraction found the templates and the Python
    assert not wrapped - translated, f"not in the Welsh catalogue: run `make translations-update`, then write " \
                                     f"their Welsh: {sorted(wrapped - translated)}"
    assert not translated - wrapped, f"no longer used: run `make translations-update`: {sorted(translated - wrapped)}"


def test_every_message_has_welsh_with_the_same_placeholders_and_markup():
    for msgid, message in messages(CATALOGUE).items():
        assert not message.fuzzy, f"Welsh marked fuzzy (a guess to check) for {msgid!r}"  # type: ignore[attr-defined]
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        welsh = message.string  # type: ignore[attr-defined]
        forms = welsh if isinstance(welsh, tuple | list) else (welsh,)
        assert len(forms) == (WELSH_PLURALS if isinstance(msgid, tuple) else 1), f"Welsh forms of {msgid!r}"
        for form in forms:  # a plural has Welsh's six forms; each keeps the English's placeholders and markup
            assert isinstance(form, str) and form.strip(), f"no Welsh for {msgid!r}"
            found, wanted = PLACEHOLDER.findall(form), PLACEHOLDER.findall(english[-1])
            if len(english) > 1:  # a plural form may say its number in words ("unwaith"), never drop another value
                found, wanted = [p for p in found if p not in COUNTS], [p for p in wanted if p not in COUNTS]
            assert sorted(found) == sorted(wanted), msgid
            assert TAG.findall(form) == TAG.findall(english[-1]), msgid
            assert form not in english, f"the English copied as its Welsh: {msgid!r}"
