"""Texts in another language beside the English: where they may be written, how they are checked, and the data
with them in place.

A translation is a section named by its language code (`cy:`), shaped like the English it translates: items by
their id (or, where items have none, by their place in the list, counting from 0), then the text's own key, whose
value is `{text: ..., english: <fingerprint>}`. The fingerprint is of the English the text was made from, so a
changed English text shows its translation as out of date; an out-of-date translation is not used (the reader sees
the English) until someone brings it up to date. Only texts are ever replaced: ids, numbers, conditions, patterns
and references stay the English file's, so a translation cannot change what the rules decide.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location, RuleError, did_you_mean
from .yamlsource import SourceDoc, YamlPath

LANGUAGES = {"cy": "Welsh"}  # the languages a rule set or vignette may carry beside English, by code
FINGERPRINT = re.compile(r"[0-9a-f]{8}\Z")
_PLACEHOLDER = re.compile(r"{\w+}")
_PAIR = {"text", "english"}


@dataclass(frozen=True)
class Texts:
    """What a reader sees in one mapping: `texts` (one text each), `lists` (a list of texts each), `parts`
    (mappings inside it) and `items` (lists of mappings)."""

    texts: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    parts: Mapping[str, Texts] = field(default_factory=dict)
    items: Mapping[str, Items] = field(default_factory=dict)


@dataclass(frozen=True)
class Items:
    """A list of mappings, each named by its `id`, or by its place in the list where `by_id` is False."""

    texts: Texts
    by_id: bool = True


def _labelled(*texts: str) -> Items:
    return Items(Texts(texts))


RULESET_TEXTS = Texts(
    parts={
        "meta": Texts(("title", "owner", "description")),
        "strategy_meeting": Texts(("chair",), ("views_to_gather", "record", "action_fields"),
                                  items={"invitees": Items(Texts(("role", "why")), by_id=False)}),
    },
    items={
        "levels": _labelled("label", "short_label", "description"),
        "indicator_levels": _labelled("label", "short_label", "description"),
        "routes": _labelled("label", "description", "referrer_expects", "timescale", "referral_asks"),
        "sections": _labelled("title", "description"),
        "themes": _labelled("title", "description", "question"),
        "agencies": _labelled("name", "contact"),
        "questions": Items(Texts(("label", "hint", "short_label", "none_option"),
                                 parts={"history": Texts(("added_label",))},
                                 items={"options": _labelled("label")})),
        "indicators": Items(Texts(("text", "guidance"), ("examples",))),
        "scores": _labelled("label", "description"),
        "actions": _labelled("who", "what"),
        "rules": _labelled("description", "explanation"),
        "escalation": Items(Texts(("stage", "who", "what", "within")), by_id=False),
        "language": Items(Texts(("why",), ("suggestions",))),
        "contacts": Items(Texts(("name", "when")), by_id=False),
        "timescales": _labelled("text"),
        "social_care_decisions": _labelled("label"),
    },
)
_POINTS = Items(Texts(("text",)), by_id=False)
VIGNETTE_TEXTS = Texts(("title", "summary", "facilitator_notes"), ("discussion_questions",),
                       items={"stages": Items(Texts(("title", "narrative", "what_happened"),
                                                    items={"learning_points": _POINTS}), by_id=False),
                              "learning_points": _POINTS})

English = str | Sequence[str]


def fingerprint(english: English) -> str:
    """Eight hex digits that change when the words change (not when a line is wrapped differently)."""
    lines = [english] if isinstance(english, str) else list(english)
    words = "\n".join(" ".join(line.split()) for line in lines)
    return hashlib.sha256(words.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Translated:
    """One translated text (or list of texts) and the fingerprint of the English it was made from."""

    text: str | tuple[str, ...]
    english: str


@dataclass(frozen=True)
class Source:
    """One English text a reader sees: its path in the English data, its path in a translation, and its words."""

    path: YamlPath
    key: YamlPath  # as a translation names it: ids, not places in lists
    english: English


def english_texts(spec: Texts, data: object, path: YamlPath = (), key: YamlPath = ()) -> Iterator[Source]:
    """Every text in `data` that `spec` says a reader sees, in the order written."""
    if not isinstance(data, dict):
        return
    for name in (*spec.texts, *spec.lists):
        value = data.get(name)
        if isinstance(value, str) or (name in spec.lists and isinstance(value, list)):
            yield Source((*path, name), (*key, name), value)
    for name, part in spec.parts.items():
        yield from english_texts(part, data.get(name), (*path, name), (*key, name))
    for name, items in spec.items.items():
        for index, item in enumerate(data.get(name) or ()):
            yield from english_texts(items.texts, item, (*path, name, index), (*key, name, _name(items, item, index)))


def _name(items: Items, item: object, index: int) -> str:
    if items.by_id:
        return str(item.get("id", index)) if isinstance(item, dict) else str(index)
    return str(index)


class _Reader:
    """Reads a translation section against the English it translates, collecting every located error."""

    def __init__(self, doc: SourceDoc, language: str):
        self.doc, self.language = doc, LANGUAGES.get(language, language)
        self.found: dict[YamlPath, Translated] = {}
        self.errors: list[RuleError] = []

    def error(self, at: YamlPath, message: str, hint: str = "") -> None:
        self.errors.append(RuleError(self.doc.where(at), message, yaml_path=".".join(map(str, at)), hint=hint))

    def mapping(self, spec: Texts, given: object, english: object, at: YamlPath, path: YamlPath) -> None:
        if not isinstance(given, dict):
            self.error(at, "expected a mapping of texts here",
                       "write it as the English is written: ids, then the text's key")
            return
        english = english if isinstance(english, dict) else {}
        for name, value in given.items():
            here, there = (*at, name), (*path, name)
            if name in spec.texts or name in spec.lists:
                self.text(value, english.get(name), here, there, name in spec.lists)
            elif name in spec.parts:
                self.mapping(spec.parts[name], value, english.get(name), here, there)
            elif name in spec.items:
                self.items(spec.items[name], value, english.get(name), here, there)
            else:
                known = sorted((*spec.texts, *spec.lists, *spec.parts, *spec.items))
                self.error(here, f"'{name}' is not a text a reader sees",
                           did_you_mean(name, known) or f"texts here: {', '.join(known)}")

    def items(self, spec: Items, given: object, english: object, at: YamlPath, path: YamlPath) -> None:
        if not isinstance(given, dict):
            self.error(at, "expected a mapping of items by " + ("id" if spec.by_id else "place (0, 1, ...)"))
            return
        listed = english if isinstance(english, list) else []
        place = {_name(spec, item, index): index for index, item in enumerate(listed)}
        for name, value in given.items():
            if name not in place:
                known = list(place)
                what = "id" if spec.by_id else "place"
                self.error((*at, name), f"unknown {what} '{name}': the English has no such item",
                           did_you_mean(name, known) or f"known: {', '.join(known) or 'none'}")
                continue
            index = place[name]
            self.mapping(spec.texts, value, listed[index], (*at, name), (*path, index))

    def text(self, given: object, english: object, at: YamlPath, path: YamlPath, is_list: bool) -> None:
        if english is None:
            self.error(at, "the English has no text here to translate", "translate only what the English says")
            return
        problem = _pair_problem(given)
        if problem:
            self.error(at, f"a translated text is a mapping of 'text' and 'english': {problem}",
                       "text: the words (in quotes if they hold a comma or a colon); english: the fingerprint that "
                       "validate --require-language prints")
            return
        if not isinstance(given, dict):  # _problem said it is one; this tells the type checker
            return
        words, print_ = given["text"], given["english"]
        if isinstance(print_, int) and not isinstance(print_, bool) and 0 <= print_ < 10**8:
            print_ = f"{print_:08d}"  # a fingerprint of digits only reads as a number; it is the same fingerprint
        if not isinstance(print_, str) or not FINGERPRINT.match(print_):
            self.error((*at, "english"), f"'{print_}' is not a fingerprint of the English",
                       "copy the 8 letters and digits that validate --require-language prints for this text")
            return
        checked = self.words(words, english, (*at, "text"), is_list)
        if checked is not None:
            self.found[path] = Translated(checked, print_)

    def words(self, given: object, english: object, at: YamlPath, is_list: bool) -> str | tuple[str, ...] | None:
        if not is_list:
            return self.one(given, english, at)
        if not isinstance(given, list) or not isinstance(english, list) or len(given) != len(english):
            count = len(english) if isinstance(english, list) else 0
            self.error(at, f"expected a list of {count} texts, one for each English text")
            return None
        done = [self.one(text, eng, (*at, index)) for index, (text, eng) in enumerate(zip(given, english, strict=True))]
        return tuple(t for t in done if t is not None) if None not in done else None

    def one(self, given: object, english: object, at: YamlPath) -> str | None:
        if not isinstance(given, str):
            self.error(at, f"expected text here, not {type(given).__name__}", "put it in quotes")
            return None
        if not given.strip():
            self.error(at, f"the {self.language} text is empty", "translate it, or remove the entry")
            return None
        wanted = set(_PLACEHOLDER.findall(english)) if isinstance(english, str) else set()
        if set(_PLACEHOLDER.findall(given)) != wanted:
            self.error(at, f"the {self.language} text must keep the English placeholders exactly: "
                       f"{', '.join(sorted(wanted)) or 'none'}", "placeholders are names in braces, not translated")
            return None
        return given


def _pair_problem(given: object) -> str:
    """What is wrong with a translated text's mapping, or ""."""
    if not isinstance(given, dict):
        return "found a plain text" if isinstance(given, str) else f"found {type(given).__name__}"
    extra, missing = sorted(set(given) - _PAIR), sorted(_PAIR - set(given))
    return f"unknown key '{extra[0]}'" if extra else f"'{missing[0]}' is missing" if missing else ""


def read_translation(doc: SourceDoc, language: str, spec: Texts, english: Mapping[str, object]
                     ) -> tuple[dict[YamlPath, Translated], list[RuleError]]:
    """The translation in `doc`'s section `language` (if any), by the English path of each text, and every error
    in it."""
    reader = _Reader(doc, language)
    if isinstance(doc.data, dict) and language in doc.data:
        reader.mapping(spec, doc.data[language], english, (language,), ())
    return reader.found, reader.errors


def untranslated(spec: Texts, english: Mapping[str, object], translation: Mapping[YamlPath, Translated],
                 where: Callable[[YamlPath], Location], language: str) -> list[RuleError]:
    """Every English text with no translation, or only an out-of-date one, located where the English is written."""
    name, found = LANGUAGES.get(language, language), []
    for source in english_texts(spec, english):
        done, now = translation.get(source.path), fingerprint(source.english)
        key = ".".join((language, *map(str, source.key)))
        if done is None:
            message = f"{name} missing: {key} (english {now})"
        elif done.english != now:
            message = f"{name} out of date: {key} (english {now}, translated from {done.english})"
        else:
            continue
        found.append(RuleError(where(source.path), message, yaml_path=".".join(map(str, source.path))))
    return sorted(found, key=lambda e: (e.location.file, e.location.line, e.location.col))


def translated(english: Mapping[str, Any], translation: Mapping[YamlPath, Translated]) -> dict[str, Any]:
    """A copy of `english` with every up-to-date translated text in place; every other text stays English."""
    data = copy.deepcopy(dict(english))
    for path, done in translation.items():
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
        if done.english == fingerprint(parent[path[-1]]):
            parent[path[-1]] = list(done.text) if isinstance(done.text, tuple) else done.text
    return data
