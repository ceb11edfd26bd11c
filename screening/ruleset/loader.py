"""Load a rule set from a directory (or one file, or texts from storage) into a validated RuleSet."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from ..errors import Location, RuleError, RuleSetInvalid
from ..model import RuleSet
from .build import Builder, Placed
from .structure import check_structure
from .yamlsource import SourceDoc, parse_yaml, yaml_texts


def load_ruleset(path: str | Path) -> RuleSet:
    """Load and validate the rule set at `path` (a directory of *.yaml files, or one file).

    Raises RuleSetInvalid listing every error, each located as file:line:col.
    """
    texts = yaml_texts(path)
    if not texts:
        nowhere = Location(str(path), 1, 1)
        raise RuleSetInvalid([RuleError(nowhere, "no *.yaml files found", hint="is this a rule set?")])
    return load_ruleset_texts(texts)


def load_ruleset_texts(texts: Mapping[str, str]) -> RuleSet:
    """Load a rule set from {file name: YAML text}, as stored in a database or uploaded."""
    errors: list[RuleError] = []
    sections: dict[str, Placed] = {}
    docs = []
    for name in sorted(texts):
        doc, problems = parse_yaml(texts[name], name)
        errors += problems
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            errors.append(RuleError(doc.where(()), "a rule file must be a mapping of sections",
                                    hint="start with a section name such as 'rules:'"))
            continue
        docs.append(doc)
        errors += check_structure(doc)
        errors += _merge(doc, doc.data, sections)
    if errors:
        raise RuleSetInvalid(errors)
    fallback = docs[0] if docs else SourceDoc(sorted(texts)[0] if texts else "(none)", None)
    builder = Builder(sections, fallback)
    ruleset = builder.build(content_hash(texts), tuple(sorted(texts.items())))
    if ruleset is None:
        raise RuleSetInvalid(builder.errors)
    _ = ruleset.program  # its conditions compiled now, once, rather than on the first screening
    return ruleset


def _merge(doc: SourceDoc, found: dict[str, object], sections: dict[str, Placed]) -> list[RuleError]:
    """Add the sections `found` in `doc`; a section already defined in another file is an error."""
    errors = []
    for name, data in found.items():
        if name in sections:
            first = sections[name].doc.where((name,))
            errors.append(RuleError(doc.where((name,)), f"section '{name}' is already defined in {first}",
                                    hint="each section lives in exactly one file"))
        else:
            sections[name] = Placed(doc, data)
    return errors


def content_hash(texts: Mapping[str, str]) -> str:
    """SHA-256 over the files' base names and contents, independent of the directory they sit in."""
    digest = hashlib.sha256()
    for name in sorted(texts, key=lambda n: Path(n).name):
        digest.update(Path(name).name.encode() + b"\0" + texts[name].encode() + b"\0")
    return digest.hexdigest()
