"""Edits to a rule file that keep everything else as written: comments, order, quotes and line breaks.

ruamel.yaml reads a file with its comments and writes it back; only the lines of the item that changed are taken
from its output, so the rest of the file stays byte for byte as its author wrote it (a hand-wrapped list reflowed
elsewhere would bury the change in the diff). Every edited text is then checked by the compiler as a whole.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

FOLD_FROM = 90  # characters: longer text is written folded (`>-`), as the rule files write it
FOLD_WIDTH = 110  # the width of a folded line
_NEEDS_QUOTES = re.compile(r"^(yes|no|on|off|true|false|null|~|[-+]?[\d.]+.*|.*: .*|.*\s#.*|[\[\]{}&*!|>'\"%@`].*)$",
                           re.IGNORECASE)
Key = str | int  # an item's id, or its place in a list whose items have none (contacts)


class EditError(ValueError):
    """The item to edit is not where the editor expects it (the file was changed meanwhile)."""


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quotes are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # nothing is re-wrapped: long text is folded where `scalar` says
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:
    return _yaml().load(text)


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def scalar(value: Any) -> Any:
    """A value as the rule files write it: long text folded, text that YAML would read otherwise quoted."""
    if isinstance(value, str):
        if len(value) > FOLD_FROM and "\n" not in value:
            return _folded(value)
        if not value or _NEEDS_QUOTES.match(value):
            return DoubleQuotedScalarString(value)
    if isinstance(value, list | tuple):
        seq = CommentedSeq(scalar(v) for v in value)
        return seq
    return value


def _folded(text: str) -> Any:
    """Long text written over lines of FOLD_WIDTH, folded at spaces (read back as the one line it is)."""
    folded = FoldedScalarString(text)
    lines = textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False, drop_whitespace=False)
    if "".join(lines) == text:
        folded.fold_pos = [sum(len(line) for line in lines[:n]) - 1 for n in range(1, len(lines))]
    return folded


COMPARISONS = ("below", "above", "at_least", "at_most")  # the keys of a condition that hold a threshold


def number_nodes(node: Any) -> list[tuple[Any, str]]:
    """The (mapping, key) of every threshold a rule's condition compares with, in the order it is written."""
    if isinstance(node, list):
        return [found for part in node for found in number_nodes(part)]
    if not isinstance(node, Mapping):
        return []
    here = [(node, key) for key in COMPARISONS if isinstance(node.get(key), int) and not isinstance(node[key], bool)]
    return here + [found for key in ("all", "any", "not") if key in node for found in number_nodes(node[key])]


def find(doc: Any, section: str, key: Key) -> int:
    """The place of an item in a top-level list, by its id (or place)."""
    items = doc.get(section) if isinstance(doc, Mapping) else None
    if not isinstance(items, list):
        raise EditError(f"there is no list '{section}'")
    if isinstance(key, int):
        if 0 <= key < len(items):
            return key
        raise EditError(f"there is no item {key + 1} in '{section}'")
    for n, item in enumerate(items):
        if isinstance(item, Mapping) and item.get("id") == key:
            return n
    raise EditError(f"there is no '{key}' in '{section}'")


def change_item(text: str, section: str, key: Key, change: Callable[[CommentedMap], None]) -> str:
    """`text` with one item of a top-level list changed in place by `change` (which edits the item's mapping);
    every other line as it was."""
    return change_items(text, section, {key: change})


def change_items(text: str, section: str, changes: Mapping[Key, Callable[[CommentedMap], None]]) -> str:
    """`text` with items of a top-level list changed in place, the file read once; only the lines of the items
    that changed are written anew (each up to its last line: the blank lines and comments after it stay)."""
    doc = load(text)
    lines = text.splitlines(keepends=True)
    spans = []
    for key, change in changes.items():
        place = find(doc, section, key)
        item = doc[section][place]
        before = _plain(item)
        change(item)
        if _plain(item) != before:
            start, end = _span(doc, section, place, len(lines))
            body = _body(lines, start, end)
            written = _written(section, item, _dash(doc, section, place))
            spans.append((start, body, _rewrapped(lines[start:body], written[:_body(written, 0, len(written))])))
    for start, end, written in sorted(spans, key=lambda span: -span[0]):
        lines[start:end] = written
    return "".join(lines)


def _rewrapped(original: list[str], written: list[str]) -> list[str]:
    """`written`, with each flow list or mapping that its author wrapped over several lines (and that did not
    change) wrapped as they wrote it: ruamel writes it on one line."""
    wrapped: dict[str, list[str]] = {}
    group: list[str] = []
    for line in original:
        group.append(line)
        if sum(line.count(c) for c in "[{") - sum(line.count(c) for c in "]}") + _open(group[:-1]) <= 0:
            if len(group) > 1:
                wrapped[group[0].rstrip() + " " + " ".join(g.strip() for g in group[1:])] = group
            group = []
    return [kept for line in written for kept in wrapped.get(line.rstrip(), [line])]


def _open(lines: list[str]) -> int:
    return sum(line.count(c) for line in lines for c in "[{") - sum(line.count(c) for line in lines for c in "]}")


def _plain(data: Any) -> Any:
    """Data without ruamel's comments and styles, to compare."""
    if isinstance(data, Mapping):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data if isinstance(data, bool | int | float | type(None)) else str(data)


def _body(lines: list[str], start: int, end: int) -> int:
    """Where the blank lines and comments that follow an item's last line begin (they stay as they were)."""
    return 1 + max(n for n in range(start, end) if lines[n].strip() and not lines[n].lstrip().startswith("#"))


def _dash(doc: Any, section: str, place: int) -> int:
    """The column of the dash of an item of a top-level list."""
    return int(doc[section].lc.item(place)[1]) - 2


def _written(section: str, item: Any, column: int) -> list[str]:
    """The lines of one item of a list as the files write it, its dash at `column`, with the comments that
    follow it."""
    block = _dump({section: [item]}).splitlines(keepends=True)[1:]
    return [" " * column + line[2:] if line.startswith("  ") else line for line in block]


def set_fields(text: str, section: str, key: Key, values: Mapping[str, Any]) -> str:
    """`text` with fields of one item set (a value of None takes the field out)."""
    def change(item: CommentedMap) -> None:
        for name, value in values.items():
            if value is None or (name not in item and value in ("", [])):
                item.pop(name, None)
            elif name in item or len(item) < 2:
                if item.get(name) != value:
                    item[name] = scalar(value)
            else:  # before the last field, which holds the blank line and comments that follow the item
                item.insert(len(item) - 1, name, scalar(value))
    return change_item(text, section, key, change)


def set_top(text: str, section: str, name: str, value: Any) -> str:
    """`text` with one field of a top-level mapping set (meta's version), every other line as it was."""
    doc = load(text)
    block = doc.get(section)
    if not isinstance(block, CommentedMap) or name not in block:
        raise EditError(f"there is no '{section}.{name}'")
    line = block.lc.key(name)[0]
    lines = text.splitlines(keepends=True)
    block[name] = scalar(value)
    written = [s for s in _dump({name: block[name]}).splitlines(keepends=True)]
    indent = " " * block.lc.key(name)[1]
    if len(written) != 1:
        raise EditError(f"'{section}.{name}' must fit on one line")
    return "".join(lines[:line] + [indent + written[0]] + lines[line + 1:])


def insert_item(text: str, section: str, after: Key, item: Mapping[str, Any]) -> str:
    """`text` with a new item in a top-level list just after another, separated by a blank line as the files
    are; every other line as it was (comments after the item it follows stay below the new one)."""
    doc = load(text)
    place = find(doc, section, after)
    lines = text.splitlines(keepends=True)
    start, end = _span(doc, section, place, len(lines))
    body = _body(lines, start, end)
    written = _written(section, CommentedMap((k, scalar(v)) for k, v in item.items()), _dash(doc, section, place))
    return "".join(lines[:body] + ["\n", *written] + lines[body:])


def _span(doc: Any, section: str, place: int, total: int) -> tuple[int, int]:
    """Lines [start, end) of the item at `place` (0-based), up to the next item or the next top-level key."""
    items = doc[section]
    start = items.lc.item(place)[0]
    if place + 1 < len(items):
        return start, items.lc.item(place + 1)[0]
    later = [doc.lc.key(k)[0] for k in doc if doc.lc.key(k)[0] > start]
    return start, min(later, default=total)
