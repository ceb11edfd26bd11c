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
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
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
        welsh = message.string  # type: ignore[attr-defined]
        assert isinstance(welsh, str) and welsh.strip(), f"no Welsh for {msgid!r}"
        assert not message.fuzzy, f"Welsh marked fuzzy (a guess to check) for {msgid!r}"  # type: ignore[attr-defined]
        assert sorted(PLACEHOLDER.findall(welsh)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        assert TAG.findall(welsh) == TAG.findall(msgid), msgid
        assert welsh != msgid, f"the English copied as its Welsh: {msgid!r}"
