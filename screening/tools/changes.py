"""What changed between two rule sets, in words, and the version number the change earns.

A change of wording (a sign's words or guidance, an action, a contact, the wording check) is a patch; a change to
what the rules decide (a sign's level or theme, a new or removed sign or rule, a threshold, a rule's minimum route
or level) is minor; a change to the routes themselves (the ladder, its labels, timescales and what the referrer
should expect) is major. Pure Python: no web or database import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..conditions import All, AnyOf, Condition, Leaf, Not, Tally
from ..model import Indicator, RuleSet
from ..ruleset import roundtrip
from ..ruleset.loader import translated_texts
from ..ruleset.translation import LANGUAGES
from ..words import gettext as _

WORDING, THRESHOLDS, ROUTES = "wording", "thresholds", "routes"
RANK = {WORDING: 0, THRESHOLDS: 1, ROUTES: 2}
KIND_WORDS = {WORDING: "wording only", THRESHOLDS: "what the rules decide", ROUTES: "the routes"}


def kind_words(kind: str) -> str:
    """A kind of change in words, in the language spoken now (as KIND_WORDS says it in English)."""
    return {WORDING: _("wording only"), THRESHOLDS: _("what the rules decide"), ROUTES: _("the routes")}[kind]


def _none() -> str:
    return _("none")


@dataclass(frozen=True)
class Change:
    """One difference, in words: what it is in, which of its parts, and the part before and after."""

    kind: str  # WORDING, THRESHOLDS or ROUTES
    item: str  # "The sign “Has new clothes…”"
    part: str  # "level"; "" when the whole item was added or taken out
    before: str
    after: str

    @property
    def sentence(self) -> str:
        if not self.part:
            return f"{self.item}: {self.after or _('taken out')}."
        return _("%(item)s: %(part)s changed from “%(before)s” to “%(after)s”.", item=self.item, part=self.part,
                 before=self.before, after=self.after)


def changes_between(old: RuleSet, new: RuleSet) -> list[Change]:
    """Every difference between `old` and `new`, routes first, then signs, rules and the rest; [] when only the
    version number differs."""
    found = [*_routes(old, new), *_signs(old, new), *_rules(old, new), *_actions(old, new),
             *_listed(lambda name: _("The contact “%(name)s”", name=name), old.contacts, new.contacts,
                      lambda c: c.name, {"name": _("name"), "phone": _("phone"), "when": _("when to call")}),
             *_listed(lambda name: _("The wording check “%(name)s”", name=name), old.language, new.language,
                      lambda e: e.id.replace("_", " "), {"why": _("why it harms"), "suggestions": _("better wording"),
                                                         "patterns": _("words it looks for")}),
             *_translations(old, new)]
    return sorted(found, key=lambda c: -RANK[c.kind])


def _translations(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    """One line per language whose texts differ: how many were added, changed and taken out (ADR 0026)."""
    for code, name in LANGUAGES.items():
        if _written_in(old, code) == _written_in(new, code):  # the usual case, found without parsing
            continue
        was, now = translated_texts(old, code), translated_texts(new, code)
        counts = {_("%(count)s added"): len(now.keys() - was.keys()),
                  _("%(count)s changed"): sum(was[k] != now[k] for k in was.keys() & now),
                  _("%(count)s taken out"): len(was.keys() - now.keys())}
        if any(counts.values()):
            language = _("Welsh") if code == "cy" else name
            yield Change(WORDING, _("The %(language)s texts", language=language), "", "",
                         ", ".join(what.replace("%(count)s", str(n)) for what, n in counts.items() if n))


def kind_of(found: Iterable[Change]) -> str:
    """The largest kind of change among `found` (WORDING when there is none)."""
    return max((c.kind for c in found), key=RANK.__getitem__, default=WORDING)


def next_version(current: str, kind: str, used: Iterable[str]) -> str:
    """The number after `current` for a change of `kind` (major.minor.patch), never one in `used`."""
    taken = set(used)
    major, minor, patch = _numbers(current)
    while True:
        if kind == ROUTES:
            major, minor, patch = major + 1, 0, 0
        elif kind == THRESHOLDS:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        number = f"{major}.{minor}.{patch}"
        if number not in taken:
            return number


def numbered(texts: Mapping[str, str], old: RuleSet, new: RuleSet, used: Iterable[str]) -> dict[str, str]:
    """`texts` (the files of `new`) with the version number their change from `old` earns written into the
    rule set's meta; every other line as it was."""
    number = next_version(old.meta.version, kind_of(changes_between(old, new)), used)
    meta = next(name for name, text in texts.items() if re.search(r"^meta:", text, re.MULTILINE))
    return {**texts, meta: roundtrip.set_top(texts[meta], "meta", "version", number)}


def _numbers(version: str) -> tuple[int, int, int]:
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")[:3]]
    return parts[0] if parts else 0, parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0


def _words(value: Any) -> str:
    if isinstance(value, tuple | list | frozenset):
        return "; ".join(_words(v) for v in value)
    if hasattr(value, "source"):  # a compiled phrase: as its author wrote it
        return str(value.source)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def _compare(item: str, old: Any, new: Any, parts: dict[str, str], kind: Callable[[str], str],
             shown: Callable[[str, Any], str] = lambda _part, v: _words(v)) -> Iterator[Change]:
    for name, words in parts.items():
        before, after = shown(name, getattr(old, name)), shown(name, getattr(new, name))
        if before != after:
            yield Change(kind(name), item, words, before, after)


def _routes(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    parts = {"label": _("label"), "description": _("description"),
             "referrer_expects": _("what the referrer should expect"), "timescale": _("timescale"),
             "child_protection": _("child protection"), "strategy_within": _("strategy discussion within")}
    before = {r.id: r for r in old.routes}
    for route in new.routes:
        if route.id not in before:
            yield Change(ROUTES, _("The route “%(name)s”", name=route.label), "", "", _("added to the ladder"))
        else:
            yield from _compare(_("The route “%(name)s”", name=before[route.id].label), before[route.id], route,
                                parts, lambda _part: ROUTES)
    kept = {r.id for r in new.routes}
    yield from (Change(ROUTES, _("The route “%(name)s”", name=r.label), "", "", "") for r in old.routes
                if r.id not in kept)
    if [r.id for r in old.routes if r.id in kept] != [r.id for r in new.routes if r.id in before]:
        yield Change(ROUTES, _("The ladder of routes"), _("order"), "", _("changed"))


def _signs(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    parts = {"level": _("level"), "theme": _("theme"), "text": _("wording"), "guidance": _("guidance"),
             "examples": _("examples"), "ages": _("ages"), "recency": _("asks when"), "weight": _("weight"),
             "reference": _("reference")}
    deciding = {"level", "theme", "ages", "recency", "weight"}

    def shown(rs: RuleSet) -> Callable[[str, Any], str]:
        themes = {t.id: t.title for t in rs.themes}
        levels = rs.indicator_level_by_id

        def words(part: str, value: Any) -> str:
            if part == "level":
                return levels[value].short_label if value in levels else str(value)
            if part == "theme":
                return themes.get(value, str(value))
            return _words(value)
        return words

    before = {i.id: i for i in old.indicators}
    old_words, new_words = shown(old), shown(new)
    for sign in new.indicators:
        was = before.get(sign.id)
        if was is None:
            yield Change(THRESHOLDS, _("The sign “%(name)s”", name=sign.text), "", "",
                         _("new, %(level)s, in %(theme)s", level=new_words("level", sign.level),
                           theme=new_words("theme", sign.theme)))
            continue
        for name, words in parts.items():
            a, b = old_words(name, getattr(was, name)), new_words(name, getattr(sign, name))
            if a != b:
                yield Change(THRESHOLDS if name in deciding else WORDING, _("The sign “%(name)s”", name=was.text),
                             words, a, b)
    kept = {i.id for i in new.indicators}
    yield from (Change(THRESHOLDS, _("The sign “%(name)s”", name=i.text), "", "", "") for i in old.indicators
                if i.id not in kept)


def _rules(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    def then(rs: RuleSet) -> Callable[[str, Any], str]:
        def words(part: str, value: Any) -> str:
            if part == "when":
                return str(value.describe())
            if part == "route":
                return rs.route_by_id[value].label if value in rs.route_by_id else _none()
            if part == "level":
                return rs.level_by_id[value].label if value in rs.level_by_id else _none()
            return _words(value)
        return words

    before = {r.id: r for r in old.rules}
    for rule in new.rules:
        was = before.get(rule.id)
        name = _("The rule “%(name)s”", name=_short(rule.description))
        if was is None:
            yield Change(THRESHOLDS, name, "", "", _("new"))
            continue
        yield from _thresholds(name, old, new, was.when, rule.when)
        yield from _compare(name, was, rule, {"description": _("description"), "reference": _("reference")},
                            lambda _part: WORDING)
        yield from _compare(name, was.then, rule.then, {"route": _("minimum route"), "level": _("minimum level"),
                                                        "strategy_meeting": _("strategy discussion")},
                            lambda _part: THRESHOLDS, _pick(then(old), then(new)))
    kept = {r.id for r in new.rules}
    yield from (Change(THRESHOLDS, _("The rule “%(name)s”", name=_short(r.description)), "", "", "")
                for r in old.rules if r.id not in kept)


def _thresholds(name: str, old: RuleSet, new: RuleSet, before: Condition, after: Condition) -> Iterator[Change]:
    """Each number that changed in a rule's condition, or the whole condition in words when more changed."""
    if before == after:
        return
    was, now = numbers(old, before), numbers(new, after)
    if [label for label, _ in was] != [label for label, _ in now]:
        yield Change(THRESHOLDS, name, _("when it applies"), before.describe(), after.describe())
        return
    yield from (Change(THRESHOLDS, name, label, str(a), str(b)) for (label, a), (_, b) in zip(was, now, strict=True)
                if a != b)


OPERATIONS = {"below": "under", "above": "over", "at_least": "at least", "at_most": "at most"}


def numbers(rs: RuleSet, condition: Condition) -> list[tuple[str, int | float]]:
    """The numbers a condition compares with, in order, each named in words ("Age: under")."""
    if isinstance(condition, All | AnyOf):
        return [n for part in condition.parts for n in numbers(rs, part)]
    if isinstance(condition, Not):
        return numbers(rs, condition.part)
    if isinstance(condition, Leaf) and condition.op in OPERATIONS and isinstance(condition.operand, int | float):
        return [(f"{fact_words(rs, condition.fact)}: {_operation(condition.op)}", condition.operand)]
    if isinstance(condition, Tally):
        return [(_("How many signs: at least"), condition.at_least)]
    return []


def _operation(op: str) -> str:
    """OPERATIONS[op] in the language spoken now."""
    return {"below": _("under"), "above": _("over"), "at_least": _("at least"), "at_most": _("at most")}[op]


def fact_words(rs: RuleSet, fact_id: str) -> str:
    """A question's short label (or its label), or a sign's words."""
    fact = rs.facts.get(fact_id)
    if isinstance(fact, Indicator):
        return fact.text
    return (fact.short_label or fact.label) if fact else fact_id.replace("_", " ")


def _pick(old_words: Callable[[str, Any], str], new_words: Callable[[str, Any], str]) -> Callable[[str, Any], str]:
    """Words for a part, from whichever rule set knows the value (labels of routes and levels)."""
    def words(part: str, value: Any) -> str:
        found = new_words(part, value)
        return old_words(part, value) if found == _none() and value else found
    return words


def _actions(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    for action_id, action in new.actions.items():
        was = old.actions.get(action_id)
        name = _("The action “%(name)s”", name=_short(action.what))
        if was is None:
            yield Change(WORDING, name, "", "", _("new"))
        else:
            yield from _compare(_("The action “%(name)s”", name=_short(was.what)), was, action,
                                {"who": _("who"), "what": _("what to do"), "within": _("timescale")},
                                lambda _part: WORDING)


def _listed(kind: Callable[[str], str], old: Iterable[Any], new: Iterable[Any], name: Callable[[Any], str],
            parts: dict[str, str]) -> Iterator[Change]:
    """Items kept in order without ids of their own (contacts) or with them (the wording check), by place;
    `kind` names one in words ("The contact “…”")."""
    old, new = list(old), list(new)
    for was, now in zip(old, new, strict=False):
        yield from _compare(kind(name(was)), was, now, parts, lambda _part: WORDING)
    for now in new[len(old):]:
        yield Change(WORDING, kind(name(now)), "", "", _("new"))
    for was in old[len(new):]:
        yield Change(WORDING, kind(name(was)), "", "", "")


def _written_in(rs: RuleSet, code: str) -> tuple[str, ...]:
    """The rule set's files that hold a translation into `code`."""
    return tuple(text for _, text in rs.sources if re.search(rf"^{code}:", text, re.MULTILINE))


def _short(text: str, words: int = 12) -> str:
    cut = text.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")



