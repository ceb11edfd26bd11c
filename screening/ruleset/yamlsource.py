"""Strict, bounded YAML reading that remembers where every value came from.

Built from the parser's events, never from composed nodes, so that nothing in a file can make the reader do more
work than the file is long: anchors and aliases (`&a`, `*a`) and every tag (`!!int`, `!!python/...`) are refused;
nesting, the number of values, a file's size and a number's length are capped; control characters, bad encodings
and syntax errors are located errors like any other. Only `true`/`false` are booleans (so `yes`/`no` stay strings,
as practitioners and rule authors mean them); dates stay strings. Each document becomes plain Python data plus a
map from its path (a tuple of keys and indexes) to a source Location.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Protocol

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from ..errors import Location, RuleError

MAX_BYTES = 1_000_000  # one file; the default rule set's largest is about 40 kB
MAX_DEPTH = 32  # mappings and lists inside each other; rule files need about 10
MAX_VALUES = 200_000  # scalars, mappings and lists in one file
MAX_DIGITS = 18  # in a whole number
HINT = "check indentation, colons and quotes"

YamlPath = tuple[str | int, ...]  # keys and indexes from the top of a document


# YAML 1.2-like implicit typing: true/false, null, integers and floats; everything else is a string.
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset(("~", "null", "Null", "NULL", ""))
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NUMBER_START = frozenset("-+0123456789.")
_VALUES = (yaml.NodeEvent, yaml.CollectionEndEvent)  # the events that make values


class _Events(Protocol):
    def get_event(self) -> yaml.Event: ...
    def dispose(self) -> None: ...


class _PythonParser(Reader, Scanner, Parser):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


_Parser: Callable[[str], _Events] = _PythonParser
if yaml.__with_libyaml__:  # libyaml's parser is several times faster
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # the stubs do not re-export it

    _Parser = CParser  # type: ignore[assignment]  # its stub's get_event returns Any


@dataclass
class SourceDoc:
    """A parsed YAML document: its data and where each part of it came from ((line, column), 1-based)."""

    file: str
    data: object
    marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: YamlPath) -> Location:
        """The location of `path`, or of its nearest located ancestor."""
        while path not in self.marks and path:
            path = path[:-1]
        line, col = self.marks.get(path, (1, 1))
        return Location(self.file, line, col)


class TooLarge(Exception):
    """The reader stops: the file goes past one of its limits (the RuleError says which)."""


@dataclass
class _Open:
    """A mapping or list being read; for a mapping, the key waiting for its value."""

    path: YamlPath
    data: dict[str, object] | list[object]
    start: tuple[int, int]
    key: str | None = None
    bad_key: bool = False  # the waiting key could not be used: its value is read and dropped


class _Reader:
    def __init__(self, file: str):
        self.doc = SourceDoc(file, None)
        self.errors: list[RuleError] = []
        self.open: list[_Open] = []
        self.values = 0

    def at(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    def error(self, where: tuple[int, int], message: str, hint: str = "") -> None:
        self.errors.append(RuleError(Location(self.doc.file, *where), message, hint=hint))

    def read(self, parser: _Events) -> None:
        documents = 0
        while type(event := parser.get_event()) is not yaml.StreamEndEvent:
            if type(event) is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.error(self.at(event), "a rule file holds one YAML document", "remove the '---' line")
                    return
            elif isinstance(event, _VALUES):
                self.event(event)

    def event(self, event: yaml.Event) -> None:
        where = self.at(event)
        if isinstance(event, yaml.CollectionEndEvent):
            done = self.open.pop()
            self.place(done.data, done.start)
            return
        self.values += 1
        if self.values > MAX_VALUES:
            self.error(where, f"the file has more than {MAX_VALUES:,} values", "split it or remove repetition")
            raise TooLarge
        self.refuse_extras(event, where)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.start(isinstance(event, yaml.MappingStartEvent), where)
        else:
            self.place(self.scalar(event, where) if isinstance(event, yaml.ScalarEvent) else None, where)

    def refuse_extras(self, event: yaml.Event, where: tuple[int, int]) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self.error(where, "anchors and aliases (& and *) are not allowed in rule files",
                       "write each value out where it is used")
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.error(where, f"unsupported YAML tag {tag}", "remove the tag; rule files use plain values")

    def start(self, is_mapping: bool, where: tuple[int, int]) -> None:
        if len(self.open) >= MAX_DEPTH:
            self.error(where, f"lists and mappings are nested more than {MAX_DEPTH} deep", HINT)
            raise TooLarge
        path = self.slot(where)
        self.open.append(_Open(path if path is not None else ("(key)",), {} if is_mapping else [], where))

    def slot(self, where: tuple[int, int]) -> YamlPath | None:
        """The path of the next value, recording where it is; None when the next value is a mapping's key."""
        if not self.open:
            path: YamlPath = ()
        else:
            parent = self.open[-1]
            if isinstance(parent.data, list):
                path = (*parent.path, len(parent.data))
            elif parent.key is None and not parent.bad_key:
                return None
            else:
                path = (*parent.path, parent.key or "(key)")
        self.doc.marks.setdefault(path, where)
        return path

    def place(self, value: object, where: tuple[int, int]) -> None:
        if not self.open:
            self.doc.data = value
            self.doc.marks.setdefault((), where)
            return
        parent = self.open[-1]
        if isinstance(parent.data, list):
            self.doc.marks.setdefault((*parent.path, len(parent.data)), where)
            parent.data.append(value)
        elif parent.key is None and not parent.bad_key:
            self.take_key(parent, parent.data, value, where)
        else:
            if not parent.bad_key and parent.key is not None:
                parent.data[parent.key] = value
            parent.key, parent.bad_key = None, False

    def take_key(self, parent: _Open, mapping: dict[str, object], key: object, where: tuple[int, int]) -> None:
        if isinstance(key, bool) or not isinstance(key, str | int):
            self.error(where, f"keys must be plain words, not {_shown(key)}")
            parent.bad_key = True
            return
        name = str(key)
        if name in mapping:
            first = self.doc.marks[(*parent.path, name)]
            self.error(where, f"duplicate key '{name}'", f"'{name}' is already set at line {first[0]}")
            parent.bad_key = True
            return
        parent.key = name
        self.doc.marks[(*parent.path, name)] = where

    def scalar(self, event: yaml.ScalarEvent, where: tuple[int, int]) -> object:
        text = event.value
        if not event.implicit[0]:  # quoted (or tagged, refused above): always text
            return text
        if text in _BOOLEANS:
            return _BOOLEANS[text]
        if text in _NULLS:
            return None
        if not text or text[0] not in _NUMBER_START:  # as the resolver does: most scalars are words
            return text
        whole = _INT.match(text) is not None
        if not whole and _FLOAT.match(text) is None:
            return text
        if len(text.lstrip("+-")) > MAX_DIGITS:
            self.error(where, f"the number {text[:20]}... is too long ({MAX_DIGITS} digits at most)")
            return None
        return int(text) if whole else float(text)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def yaml_files(path: str | FilePath) -> list[FilePath]:
    """The *.yaml files of a directory in name order, or the one file `path` names."""
    path = FilePath(path)
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def yaml_texts(path: str | FilePath) -> dict[str, str]:
    """{file path: text} of `yaml_files(path)`. Bytes that are not UTF-8 become U+FFFD, which `parse_yaml`
    then reports where it stands."""
    return {str(f): f.read_bytes().decode("utf-8", errors="replace") for f in yaml_files(path)}


def parse_yaml(text: str, file: str) -> tuple[SourceDoc, list[RuleError]]:
    """Parse one YAML document strictly, within the limits above. Returns the document and every error found
    (data None when the file could not be read at all). A file libyaml cannot read is read again by the pure
    Python parser, so that every syntax error is located and worded as it always was."""
    problem = _unreadable(text, file)
    if problem is not None:
        return SourceDoc(file, None), [problem]
    return _read(text, file, _Parser) or _read(text, file, _PythonParser) or (SourceDoc(file, None), [])


def _read(text: str, file: str, parser_for: Callable[[str], _Events]) -> tuple[SourceDoc, list[RuleError]] | None:
    """The document and its errors; None when `parser_for` is libyaml's and found a syntax error."""
    reader = _Reader(file)
    parser = parser_for(text)
    worded = parser_for is _PythonParser
    try:
        reader.read(parser)
    except yaml.MarkedYAMLError as exc:
        if not worded:
            return None
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        return SourceDoc(file, None), [RuleError(where, f"YAML syntax error: {exc.problem or exc.context}", hint=HINT)]
    except yaml.YAMLError:
        if not worded:
            return None
        return SourceDoc(file, None), [RuleError(Location(file, 1, 1), "YAML syntax error", hint=HINT)]
    except TooLarge:
        return SourceDoc(file, None), reader.errors
    finally:
        parser.dispose()
    return reader.doc, reader.errors


def _unreadable(text: str, file: str) -> RuleError | None:
    """Too large, or holding a character YAML does not allow (a control character, or bytes that were not UTF-8)."""
    if len(text) > MAX_BYTES:
        return RuleError(Location(file, 1, 1), f"the file is larger than {MAX_BYTES:,} characters",
                         hint="a rule file is a few thousand lines at most")
    bad = _NOT_YAML.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    what = "bytes that are not UTF-8" if bad.group() == "\ufffd" else f"the control character {bad.group()!r}"
    return RuleError(Location(file, line, col), f"the file holds {what}", hint="save it as plain UTF-8 text")


# What YAML's reader refuses (outside tab, newline and carriage return), and the replacement for undecodable bytes.
_NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\ufffd]")

