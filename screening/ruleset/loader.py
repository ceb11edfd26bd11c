"""Load a rule set from a directory (or one file, or texts from storage) into a validated RuleSet."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from .. import words
from ..errors import Location, RuleError, RuleSetInvalid
from ..model import RuleSet
from .build import Builder, Placed
from .structure import check_structure
from .translation import LANGUAGES, RULESET_TEXTS, Translated, read_translation, translated, untranslated
from .yamlsource import SourceDoc, YamlPath, parse_yaml, yaml_texts


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
    """Load a rule set from {file name: YAML text}, as stored in a database or uploaded: the English set, with the
    same set in each language it carries texts in (`in_language`)."""
    sections, docs, errors = _read(texts)
    if errors:
        raise RuleSetInvalid(errors)
    fallback = docs[0] if docs else SourceDoc(sorted(texts)[0] if texts else "(none)", None)
    languages: dict[str, RuleSet] = {}
    hash_, sources = content_hash(texts), tuple(sorted(texts.items()))
    english, translations = _translations(sections)
    builder = Builder(english, fallback)
    with words.speaking("en"):  # the words a build makes (a condition's text) in the language it builds
        ruleset = builder.build(hash_, sources, languages=languages)
    if ruleset is None:
        raise RuleSetInvalid(builder.errors)
    # the translations are checked once the English is sound: one mistake in the English, one message
    if problems := [error for _, errors_in in translations.values() for error in errors_in]:
        raise RuleSetInvalid(problems)
    _ = ruleset.program  # its conditions compiled now, once, rather than on the first screening
    languages["en"] = ruleset
    english_data = {name: placed.data for name, placed in english.items()}
    for code, (found, _) in translations.items():
        data = translated(english_data, found)
        other_builder = Builder({name: Placed(placed.doc, data[name]) for name, placed in english.items()}, fallback)
        with words.speaking(code):
            other = other_builder.build(hash_, sources, code, languages)
        if other is None:  # only texts differ, each checked where it is written: a safeguard, not expected
            raise RuleSetInvalid(other_builder.errors)
        other.__dict__["program"] = ruleset.program  # the same rules: compiled once for every language
        languages[code] = other
    return ruleset


def untranslated_texts(ruleset: RuleSet, code: str) -> list[RuleError]:
    """Every text of a loaded rule set with no translation into `code`, or an out-of-date one, located where the
    English is written."""
    english, found = _translation(ruleset, code)
    return untranslated(RULESET_TEXTS, {name: placed.data for name, placed in english.items()}, found,
                        lambda path: english[str(path[0])].doc.where(path), code)


def translated_texts(ruleset: RuleSet, code: str) -> dict[YamlPath, str | tuple[str, ...]]:
    """A loaded rule set's texts in language `code`, as written, by the path of the English each translates."""
    return {path: done.text for path, done in _translation(ruleset, code)[1].items()}


def _translation(ruleset: RuleSet, code: str) -> tuple[dict[str, Placed], dict[YamlPath, Translated]]:
    english, translations = _translations(_read(dict(ruleset.sources))[0])
    return english, translations[code][0] if code in translations else {}


def _read(texts: Mapping[str, str]) -> tuple[dict[str, Placed], list[SourceDoc], list[RuleError]]:
    """Every file parsed and checked against the schema, and its sections merged."""
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
    return sections, docs, errors


Translations = dict[str, tuple[dict[YamlPath, Translated], list[RuleError]]]


def _translations(sections: dict[str, Placed]) -> tuple[dict[str, Placed], Translations]:
    """The English sections, and each language's translation section read against them (texts and errors)."""
    english = {name: placed for name, placed in sections.items() if name not in LANGUAGES}
    data = {name: placed.data for name, placed in english.items()}
    return english, {code: read_translation(sections[code].doc, code, RULESET_TEXTS, data)
                     for code in LANGUAGES if code in sections}


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
