"""Strict YAML reading that remembers where every value came from.

Safe loading only; duplicate keys are errors; only `true`/`false` are booleans (so `yes`/`no` stay strings,
as practitioners and rule authors mean them); dates stay strings. Each document becomes plain Python data
plus a map from its path (a tuple of keys and indexes) to a source Location.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Protocol

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from ..errors import Location, RuleError

YamlPath = tuple[str | int, ...]  # keys and indexes from the top of a document


class _StrictResolver(Resolver):
    """YAML 1.2-like implicit typing: true/false, null, integers and floats; everything else is a string."""


_StrictResolver.yaml_implicit_resolvers = {}
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictResolver.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)

class _Composing(Protocol):
    def get_single_node(self) -> yaml.Node | None: ...
    def dispose(self) -> None: ...


class _PythonLoader(Reader, Scanner, Parser, Composer, _StrictResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _StrictResolver.__init__(self)


_Loader: Callable[[str], _Composing] = _PythonLoader
if yaml.__with_libyaml__:  # libyaml's parser (it composes nodes itself) is several times faster
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # the stubs do not re-export it

    class _CLoader(CParser, _StrictResolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _StrictResolver.__init__(self)

    _Loader = _CLoader


@dataclass
class SourceDoc:
    """A parsed YAML document: its data and where each part of it came from."""

    file: str
    data: object
    marks: dict[YamlPath, Location] = field(default_factory=dict)

    def where(self, path: YamlPath) -> Location:
        """The location of `path`, or of its nearest located ancestor."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, Location(self.file, 1, 1))


class _Builder:
    def __init__(self, file: str):
        self.doc = SourceDoc(file, None)
        self.errors: list[RuleError] = []

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: YamlPath) -> object:
        self.doc.marks[path] = self._loc(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, object]:
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                self.errors.append(RuleError(self._loc(key_node), f"keys must be plain words, not {key!r}"))
                continue
            key = str(key)
            if key in out:
                first = self.doc.marks[(*path, key)]
                self.errors.append(RuleError(self._loc(key_node), f"duplicate key '{key}'",
                                             hint=f"'{key}' is already set at line {first.line}"))
                continue
            out[key] = self.build(value_node, (*path, key))
            self.doc.marks[(*path, key)] = self._loc(key_node)
        return out

    def _scalar(self, node: yaml.Node) -> object:
        if not isinstance(node, yaml.ScalarNode):
            self.errors.append(RuleError(self._loc(node), "expected a single value here, not a list or mapping"))
            return None
        tag, text = node.tag, node.value
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:int":
            return int(text)
        if tag == "tag:yaml.org,2002:float":
            return float(text)
        if tag not in ("tag:yaml.org,2002:str", "!"):
            self.errors.append(RuleError(self._loc(node), f"unsupported YAML tag {tag}",
                                         hint="remove the tag; rule files use plain values"))
        return text


def yaml_files(path: str | FilePath) -> list[FilePath]:
    """The *.yaml files of a directory in name order, or the one file `path` names."""
    path = FilePath(path)
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def yaml_texts(path: str | FilePath) -> dict[str, str]:
    """{file path: text} of `yaml_files(path)`."""
    return {str(f): f.read_text(encoding="utf-8") for f in yaml_files(path)}


def parse_yaml(text: str, file: str) -> tuple[SourceDoc, list[RuleError]]:
    """Parse one YAML document strictly. Returns the document and any errors found."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        return SourceDoc(file, None), [RuleError(where, message, hint="check indentation, colons and quotes")]
    finally:
        loader.dispose()
    builder = _Builder(file)
    if node is not None:
        builder.doc.data = builder.build(node, ())
    return builder.doc, builder.errors
