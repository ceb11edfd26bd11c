"""The Welsh beside the English on the lead's edit pages (ADR 0026 and its addendum).

Each English text a lead edits shows its Welsh from the draft's `cy:` section, and says when it is missing or out of
date. Saving writes a Welsh text the lead wrote or changed with the fingerprint of the English saved with it; a
Welsh text left as it was keeps its fingerprint (so a changed English shows it out of date, never silently current);
an emptied Welsh field takes the Welsh text out. Only the lines of the text that changed are written: the rest of
the file (comments, folding, the fingerprints as written) stays byte for byte as it was. The compiler then checks
the whole draft, as for any other change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from ..ruleset import roundtrip
from ..ruleset.translation import RULESET_TEXTS, fingerprint
from ..ruleset.yamlsource import parse_yaml

CY = "cy"
NEW_FILE = "cy.yaml"  # where the Welsh goes when the draft has none yet
MISSING, OUT_OF_DATE, CURRENT = "missing", "out of date", "current"
Value = str | list[str]


@dataclass(frozen=True)
class Welsh:
    """One English field's Welsh as the draft has it: its words ("" or [] when missing) and its state."""

    value: Value
    state: str  # MISSING, OUT_OF_DATE or CURRENT


def field_name(name: str) -> str:
    """The form field of the Welsh of English field `name`."""
    return f"{CY}-{name}"


def english_of(field: str) -> str:
    """The English field a Welsh form field is beside."""
    return field[len(CY) + 1:]


def translatable(section: str, names: list[str]) -> list[str]:
    """Which of the fields `names` of an item of `section` are texts a reader sees (those with a Welsh form)."""
    items = RULESET_TEXTS.items.get(section)
    if items is None:
        return []
    return [n for n in names if n in items.texts.texts or n in items.texts.lists]


def cy_file(texts: Mapping[str, str]) -> str | None:
    """The draft's file that holds the Welsh section, if any."""
    return next((name for name, text in sorted(texts.items()) if re.search(r"^cy:", text, re.MULTILINE)), None)


def _normal(value: Any) -> Value:
    if isinstance(value, list | tuple):
        return [" ".join(str(v).split()) for v in value if str(v).strip()]
    return " ".join(str(value or "").split())


def _entries(texts: Mapping[str, str], section: str, key: str | int) -> dict[str, Any]:
    """The item's Welsh texts as the compiler reads them: {english key: {"text": ..., "english": ...}}."""
    name = cy_file(texts)
    if name is None:
        return {}
    doc, _problems = parse_yaml(texts[name], name)
    data: Any = doc.data if isinstance(doc.data, dict) else {}
    for step in (CY, section, str(key)):
        data = data.get(step) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _print(entry: Mapping[str, Any]) -> str:
    found = entry.get("english")
    return f"{found:08d}" if isinstance(found, int) and not isinstance(found, bool) else str(found)


def shown(texts: Mapping[str, str], section: str, key: str | int, english: Mapping[str, Any],
          names: list[str]) -> dict[str, Welsh]:
    """Each field's Welsh, and whether it is missing, out of date or current against `english` (the English
    values the page shows)."""
    entries, found = _entries(texts, section, key), {}
    for name in names:
        entry = entries.get(name)
        if not isinstance(entry, dict) or "text" not in entry:
            found[name] = Welsh([] if isinstance(english.get(name), list | tuple) else "", MISSING)
            continue
        text = entry["text"]
        value: Value = [str(t) for t in text] if isinstance(text, list) else str(text)
        current = _print(entry) == fingerprint(_normal(english.get(name) or ""))
        found[name] = Welsh(value, CURRENT if current else OUT_OF_DATE)
    return found


def written(texts: Mapping[str, str], section: str, key: str | int, english: Mapping[str, Any],
            welsh: Mapping[str, Value], confirmed: Iterable[str] = ()) -> dict[str, str]:
    """The draft's texts with the item's Welsh as the lead left it: `english` is the English saved with it,
    `welsh` the Welsh fields as sent (by English field name), `confirmed` the fields whose Welsh the lead says
    still says what the English says. Only texts the lead changed or confirmed are written."""
    entries = _entries(texts, section, key)
    name = cy_file(texts) or NEW_FILE
    text = texts.get(name, "")
    for field, given in welsh.items():
        new, entry = _normal(given), entries.get(field)
        old = _normal(entry["text"]) if isinstance(entry, dict) and "text" in entry else None
        if new == (old if old is not None else _normal([] if isinstance(new, list) else "")) and not (
                new and field in confirmed):
            continue  # untouched: its fingerprint stays (out of date if the English changed)
        if not new:
            text = _remove(text, (section, key, field))
        else:
            text = _set(text, (section, key, field), new, fingerprint(_normal(english.get(field) or "")))
    if text == texts.get(name, ""):
        return dict(texts)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        return {other: words for other, words in texts.items() if other != name}  # nothing left in it
    return {**texts, name: text}


# -- editing the Welsh section line by line -------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _key(mapping: Any, key: str | int) -> Any:
    """The key as the file writes it (a place in a list reads as a number), or None."""
    if not isinstance(mapping, Mapping):
        return None
    for candidate in (key, str(key), int(key) if str(key).isdigit() else None):
        if candidate is not None and candidate in mapping:
            return candidate
    return None


def _span(lines: list[str], mapping: Any, key: Any) -> tuple[int, int, int]:
    """(first line, end of its last written line, column) of `key`'s entry in `mapping`: it ends at the next line
    at its column or left of it; the blank lines and comments after it stay where they are."""
    start, column = mapping.lc.key(key)
    end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() and not lines[n].lstrip().startswith("#")
                and len(lines[n]) - len(lines[n].lstrip()) <= column), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start, end, column


def _block(path: tuple[Any, ...], text: Value, print_: str, column: int) -> list[str]:
    """The lines of one Welsh text under the `path` still to write (section, item, key), from `column`."""
    data: Any = {"text": roundtrip.scalar(text), "english": roundtrip.scalar(print_)}
    for step in reversed(path):
        data = {step: data}
    return [" " * column + line for line in roundtrip._dump(data).splitlines(keepends=True)]


def _set(text: str, path: tuple[str, str | int, str], words: Value, print_: str) -> str:
    lines = _lines(text)
    doc: Any = roundtrip.load(text) if text.strip() else None
    top = _key(doc, CY)
    if top is None:
        return "".join(lines) + ("\n" if lines else "") + "".join(_block((CY, *path), words, print_, 0))
    parent: Any = doc
    at: Any = top
    for depth, step in enumerate(path):
        node: Any = parent[at]
        if not isinstance(node, Mapping) or not node:  # `cy:` (or a section) with nothing in it yet
            start, end, column = _span(lines, parent, at)
            lines[start] = " " * column + f"{at}:\n"
            return "".join(lines[:end] + _block(path[depth:], words, print_, column + 2) + lines[end:])
        found = _key(node, step)
        if found is None:
            _, end, _ = _span(lines, parent, at)
            column = cast(Any, node).lc.key(next(iter(node)))[1]
            blank = ["\n"] if depth == 0 else []  # a new section after a blank line, as the file writes them
            return "".join(lines[:end] + blank + _block(path[depth:], words, print_, column) + lines[end:])
        parent, at = node, found
    start, end, column = _span(lines, parent, at)
    return "".join(lines[:start] + _block(path[-1:], words, print_, column) + lines[end:])


def _remove(text: str, path: tuple[str, str | int, str]) -> str:
    """`text` without one Welsh text, and without its item (and section) when nothing else is left in them."""
    doc: Any = roundtrip.load(text) if text.strip() else None
    chain: list[tuple[Any, Any]] = []
    parent: Any = doc
    at: Any = _key(doc, CY)
    for step in path:
        if at is None:
            return text
        chain.append((parent, at))
        parent, at = parent[at], _key(parent[at], step)
    if at is None:
        return text
    chain.append((parent, at))
    lines = _lines(text)
    while len(chain) > 2 and len(chain[-1][0]) == 1:  # the only text of its item, the only item of its section
        chain.pop()
    mapping, key = chain[-1]
    if len(chain) == 2 and len(mapping) == 1:  # the last Welsh text of all: the section goes
        mapping, key = chain[0]
    start, end, _ = _span(lines, mapping, key)
    return "".join(lines[:start] + lines[end:])
