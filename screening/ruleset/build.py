"""Build a RuleSet from structurally valid sections, checking meaning: ids, references, types, reachability."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from ..conditions import Condition
from ..errors import RuleError, did_you_mean
from ..language import LanguageEntry, PatternError, Phrase, compile_phrase
from ..model import (
    LEAD_ACTION,
    NONE_OPTION,
    TIPPING_OFF_RISK,
    Action,
    Agency,
    Consequence,
    Contact,
    EscalationStep,
    Indicator,
    Invitee,
    Level,
    Meta,
    Option,
    Question,
    Route,
    Rule,
    RuleSet,
    Score,
    Section,
    SocialCareDecision,
    StrategyMeetingSpec,
)
from ..question_types import QUESTION_TYPES
from ..timescale import Timescale, parse_timescale
from .condition_parser import ConditionParser, Raw, Report
from .history_spec import check_history_facts, read_history
from .monotone import counted_twice, lowering_parts
from .yamlsource import SourceDoc, YamlPath

REQUIRED_SECTIONS = ("meta", "levels", "routes", "actions", "rules", "strategy_meeting", "escalation")
_PLACEHOLDER = re.compile(r"{(\w+)}")
_FILL_IN = {"phone": "number", "name": "name for it"}  # what a contact's placeholder part asks for
_compiled_phrase = lru_cache(maxsize=4096)(compile_phrase)  # a rule set in each language compiles its patterns once


@dataclass(frozen=True)
class Placed:
    """A section's data and the document it came from."""

    doc: SourceDoc
    data: Any  # already checked against the schema


class Builder:
    """Collects every semantic error while building; `build()` returns None when any were found."""

    def __init__(self, sections: dict[str, Placed], fallback: SourceDoc):
        self.sections, self.fallback = sections, fallback
        self.errors: list[RuleError] = []
        self.warnings: list[RuleError] = []
        self._named: dict[str, Timescale] | None = None
        self._where: tuple[str, str | int] = ("", 0)  # the section and item that conditions are parsed for

    # -- error reporting -------------------------------------------------------------------------------------
    def error(self, section: str, path: YamlPath, message: str, hint: str = "", warning: bool = False) -> None:
        """Record a located problem (a warning does not stop the rule set loading)."""
        placed = self.sections.get(section)
        doc = placed.doc if placed else self.fallback
        full = (section, *path)
        item = placed.data[path[0]] if placed and path and isinstance(path[0], int) else None
        item_id = item.get("id", "") if isinstance(item, dict) else ""
        found = RuleError(doc.where(full), message, str(item_id), ".".join(map(str, full)), hint)
        (self.warnings if warning else self.errors).append(found)

    def items(self, section: str) -> list[tuple[int, Raw]]:
        placed = self.sections.get(section)
        return list(enumerate(placed.data)) if placed else []

    def unique_ids(self, section: str, seen: dict[str, str] | None = None) -> dict[str, Raw]:
        """Items of `section` by id, reporting duplicates (across sections sharing `seen`)."""
        seen = {} if seen is None else seen
        found: dict[str, Raw] = {}
        for index, item in self.items(section):
            if item["id"] in seen:
                self.error(section, (index, "id"), f"duplicate id '{item['id']}'",
                           f"already used in {seen[item['id']]}; ids must be unique")
            else:
                seen[item["id"]] = section
                found[item["id"]] = item
        return found

    def ref(self, section: str, path: YamlPath, value: str, known: Collection[str], kind: str) -> None:
        if value not in known:
            hint = did_you_mean(value, known) or f"known {kind}s: {', '.join(sorted(known)) or 'none'}"
            self.error(section, path, f"unknown {kind} '{value}'", hint)

    # -- the build -------------------------------------------------------------------------------------------
    def build(self, hash_: str, sources: tuple[tuple[str, str], ...], text_language: str = "en",
              languages: Mapping[str, RuleSet] | None = None) -> RuleSet | None:
        for name in REQUIRED_SECTIONS:
            if name not in self.sections:
                self.errors.append(RuleError(self.fallback.where(()), f"the rule set has no '{name}' section",
                                             hint="add it to one of the rule-set files"))
        if self.errors:
            return None
        levels = self._levels()
        indicator_classes = self._indicator_classes(levels)
        routes = self._routes()
        sections = self._sections("sections")
        themes = self._sections("themes")
        raw_actions = self._raw_actions(routes)
        agencies = self._agencies(raw_actions)
        actions = self._actions()
        fact_ids: dict[str, str] = {}
        questions = self._questions(sections, agencies, fact_ids, self._placed_themes(sections, themes), routes)
        indicators = self._indicators(themes, indicator_classes or levels, fact_ids)
        facts: dict[str, Question | Indicator] = {**{q.id: q for q in questions}, **{i.id: i for i in indicators}}
        scores = self._scores(themes, levels, indicators)
        self._check_history(questions, facts)
        parser = ConditionParser(facts, indicators, {s.id: s.indicators for s in scores}, self._reporter(),
                                 lambda f: did_you_mean(f, facts))
        questions = tuple(self._with_ask_if(q, i, parser) for i, q in enumerate(questions))
        rules = self._rules(parser, routes, levels, actions, facts)
        meeting = self._strategy_meeting(parser)
        language = self._language()
        decisions = self._social_care_decisions(routes)
        if LEAD_ACTION not in actions:
            self.error("actions", (), f"the action catalogue must define '{LEAD_ACTION}'",
                       "the engine adds it whenever something that matters is not known")
        if self.errors:
            return None
        return RuleSet(self._meta(), tuple(levels.values()), tuple(routes.values()), sections, themes, agencies,
                       questions, indicators, scores, MappingProxyType(actions), rules, meeting,
                       self._escalation(), hash_, sources, language=language, contacts=self._contacts(),
                       warnings=tuple(self.warnings), indicator_levels=tuple(indicator_classes.values()),
                       social_care_decisions=decisions, text_language=text_language,
                       languages={} if languages is None else languages)

    def _reporter(self) -> Report:
        def report(path: YamlPath, message: str, hint: str) -> None:
            self.error(self._where[0], (self._where[1], *path), message, hint)
        return report

    def _meta(self) -> Meta:
        m = self.sections["meta"].data
        return Meta(m["id"], m["title"], str(m["version"]), str(m["effective"]), m["owner"], m["description"],
                    tuple(m.get("references", ())))

    def _levels(self, section: str = "levels") -> dict[str, Level]:
        found = self.unique_ids(section)
        top = len(found) - 1
        return {k: Level(k, v["label"], v.get("short_label") or v["label"], v["description"], rank,
                         "low" if rank == 0 else "high" if rank == top else "medium")
                for rank, (k, v) in enumerate(found.items())}

    def _indicator_classes(self, levels: dict[str, Level]) -> dict[str, Level]:
        """Optional classes for indicators, kept apart from the outcome's risk levels (ids must differ)."""
        found = self._levels("indicator_levels") if "indicator_levels" in self.sections else {}
        for index, item in self.items("indicator_levels"):
            if item["id"] in levels:
                self.error("indicator_levels", (index, "id"), f"'{item['id']}' is also an outcome level id",
                           "give indicator classes their own ids, e.g. 'sign_moderate'")
        return found

    def _timescale(self, section: str, path: YamlPath, text: str) -> Timescale:
        """'4 hours', '1 working day', or the id of one of the rule set's named `timescales`."""
        named = self._named_timescales()
        if text.strip() in named:
            return named[text.strip()]
        try:
            return parse_timescale(text)
        except ValueError:
            self.error(section, path, f"'{text}' is not a timescale",
                       "use 'now', 'N minutes', 'N hours', 'N days', 'N working days' or a named timescale"
                       + (f" ({', '.join(sorted(named))})" if named else ""))
            return parse_timescale("now")

    def _named_timescales(self) -> dict[str, Timescale]:
        """The rule set's own timescales, such as a monthly local meeting: id -> its words and how soon it is."""
        if self._named is None:
            self._named = {t["id"]: Timescale(float(t["hours"]), t["text"]) for _, t in self.items("timescales")}
        return self._named

    def _routes(self) -> dict[str, Route]:
        routes = {}
        for rank, (route_id, r) in enumerate(self.unique_ids("routes").items()):
            meeting = r.get("strategy_meeting")
            within = self._timescale("routes", (rank, "strategy_meeting", "within"), meeting["within"]) \
                if meeting else None
            response = self._timescale("routes", (rank, "response_within"), r["response_within"]) \
                if "response_within" in r else None
            routes[route_id] = Route(route_id, r["label"], r["description"], r["referrer_expects"], r["timescale"],
                                     r["child_protection"], within, tuple(r.get("actions", ())), rank,
                                     r.get("referral_asks", ""), response)
        return routes

    def _sections(self, name: str) -> tuple[Section, ...]:
        return tuple(Section(k, v["title"], v.get("description", ""), v.get("purpose", ""), tuple(v.get("themes", ())),
                             v.get("question", ""))
                     for k, v in self.unique_ids(name).items())

    def _placed_themes(self, sections: tuple[Section, ...], themes: tuple[Section, ...]) -> dict[str, str]:
        """Theme id -> the section whose page shows it; each theme on at most one page."""
        theme_ids, placed = {t.id for t in themes}, dict[str, str]()
        for index, section in enumerate(sections):
            for j, theme in enumerate(section.themes):
                self.ref("sections", (index, "themes", j), theme, theme_ids, "theme")
                if theme in placed:
                    self.error("sections", (index, "themes", j),
                               f"theme '{theme}' is already shown in section '{placed[theme]}'")
                placed.setdefault(theme, section.id)
        return placed

    def _social_care_decisions(self, routes: dict[str, Route]) -> tuple[SocialCareDecision, ...]:
        """What children's social care may decide, each naming a route of the ladder (or none: never compared)."""
        for index, d in self.items("social_care_decisions"):
            if "route" in d:
                self.ref("social_care_decisions", (index, "route"), d["route"], routes, "route")
        return tuple(SocialCareDecision(k, v["label"], v.get("route", ""))
                     for k, v in self.unique_ids("social_care_decisions").items())

    def _contacts(self) -> tuple[Contact, ...]:
        """Who to call; a part still a placeholder ("[MASH phone number]") is a warning where it is written."""
        contacts = tuple(Contact(c["name"], c["phone"], c.get("when", "")) for _, c in self.items("contacts"))
        for index, contact in enumerate(contacts):
            for part in contact.placeholders:
                self.error("contacts", (index, part), f'contact "{contact.name}" has a placeholder {part} '
                           f'"{getattr(contact, part)}": add your area\'s {_FILL_IN[part]} before use',
                           "until then practitioners see \"number not set up yet\" and are sent to their "
                           "safeguarding lead",
                           warning=True)
        return contacts

    def _raw_actions(self, routes: dict[str, Route]) -> dict[str, Raw]:
        """The action catalogue as written, with its route references and the routes' action references checked."""
        actions = {}
        for index, a in self.items("actions"):
            if a.get("min_route"):
                self.ref("actions", (index, "min_route"), a["min_route"], routes, "route")
            actions[a["id"]] = a
        self.unique_ids("actions")
        for index, route in enumerate(routes.values()):
            for j, action_id in enumerate(route.actions):
                self.ref("routes", (index, "actions", j), action_id, actions, "action")
        return actions

    def _agencies(self, actions: dict[str, Raw]) -> tuple[Agency, ...]:
        agencies = self.unique_ids("agencies")
        for index, a in self.items("agencies"):
            for j, action_id in enumerate(a.get("actions", ())):
                self.ref("agencies", (index, "actions", j), action_id, actions, "action")
        for index, a in self.items("actions"):
            for j, agency_id in enumerate(a.get("agencies", ())):
                self.ref("actions", (index, "agencies", j), agency_id, agencies, "agency")
        return tuple(Agency(k, v["name"], v.get("contact", ""), tuple(v.get("actions", ())))
                     for k, v in agencies.items())

    def _actions(self) -> dict[str, Action]:
        return {a["id"]: Action(a["id"], a["who"], a["what"], self._timescale("actions", (index, "within"),
                                a["within"]), frozenset(a.get("agencies", ())), a.get("min_route"),
                                a.get("reference", ""))
                for index, a in self.items("actions")}

    def _questions(self, sections: tuple[Section, ...], agencies: tuple[Agency, ...], fact_ids: dict[str, str],
                   placed: dict[str, str], routes: dict[str, Route]) -> tuple[Question, ...]:
        section_ids = {s.id for s in sections}
        out = []
        for index, q in self.items("questions"):
            self.ref("questions", (index, "section"), q["section"], section_ids, "section")
            if q.get("theme") and placed.get(q["theme"]) != q["section"]:
                self.error("questions", (index, "theme"), f"theme '{q['theme']}' is not shown in section "
                           f"'{q['section']}'", "list the theme under that section's 'themes'")
            options = self._options(index, q, agencies)
            if q.get("min") is not None and q.get("max") is not None and q["min"] > q["max"]:
                self.error("questions", (index, "min"), "min is greater than max")
            out.append(Question(q["id"], q["section"], q["type"], q["label"], q.get("hint", ""),
                                q.get("required", False), q.get("allow_not_known", True), q.get("min"), q.get("max"),
                                q.get("window_days"), options, q.get("max_length", 5000), None,
                                q.get("reference", ""), q.get("purpose", ""), q.get("theme", ""),
                                q.get("short_label", ""), read_history(q, options, routes, self._at(index)),
                                q.get("quotes_child", False)))
            if q.get("purpose") == TIPPING_OFF_RISK and not QUESTION_TYPES[q["type"]].yes_no:
                self.error("questions", (index, "purpose"), f"a {q['type']} question cannot say yes or no",
                           f"give '{TIPPING_OFF_RISK}' to a yes/no (tristate) question")
            if q.get("quotes_child") and not QUESTION_TYPES[q["type"]].quoted:
                self.error("questions", (index, "quotes_child"), f"a {q['type']} question holds no words to quote",
                           "use 'quotes_child' only on a text question")
        unique = self.unique_ids("questions", fact_ids)
        return tuple(q for q in out if q.id in unique)

    def _at(self, index: int) -> Callable[[YamlPath, str, str], None]:
        """Report problems inside question `index`."""
        return lambda path, message, hint: self.error("questions", (index, *path), message, hint)

    def _check_history(self, questions: tuple[Question, ...], facts: dict[str, Question | Indicator]) -> None:
        at = {q["id"]: index for index, q in self.items("questions")}
        for question in questions:
            check_history_facts(question, facts, self._at(at[question.id]))

    def _options(self, index: int, q: Raw, agencies: tuple[Agency, ...]) -> tuple[Option, ...]:
        none = (Option(NONE_OPTION, q["none_option"]),) if q.get("none_option") else ()
        if q.get("options_from") == "agencies":
            return (*(Option(a.id, a.name) for a in agencies), *none)
        options = tuple(Option(o["id"], o["label"]) for o in q.get("options", ()))
        if none and NONE_OPTION in {o.id for o in options}:
            self.error("questions", (index, "none_option"), f"an option already has the id '{NONE_OPTION}'",
                       "rename that option, or drop 'none_option'")
        options += none
        if QUESTION_TYPES[q["type"]].has_options and not options:
            self.error("questions", (index, "type"), f"a {q['type']} question needs options",
                       "add 'options' or 'options_from: agencies'")
        return options

    def _with_ask_if(self, q: Question, index: int, parser: ConditionParser) -> Question:
        raw = self.sections["questions"].data[index].get("ask_if") if "questions" in self.sections else None
        if raw is None:
            return q
        self._where = ("questions", index)
        condition = parser.parse(raw, ("ask_if",))
        return Question(**{**q.__dict__, "ask_if": condition})

    def _indicators(self, themes: tuple[Section, ...], levels: dict[str, Level], fact_ids: dict[str, str]
                    ) -> tuple[Indicator, ...]:
        theme_ids = {t.id for t in themes}
        out = []
        for index, i in self.items("indicators"):
            self.ref("indicators", (index, "theme"), i["theme"], theme_ids, "theme")
            self.ref("indicators", (index, "level"), i["level"], levels, "level")
            weight = i.get("weight", 1)
            pair = ((weight["recent"], weight["earlier"], weight.get("both", max(weight["recent"], weight["earlier"])))
                    if isinstance(weight, dict) else (weight, weight, weight))
            ages = tuple(i["ages"]) if "ages" in i else None
            if ages and ages[0] > ages[1]:
                self.error("indicators", (index, "ages"), f"the ages run from {ages[0]} to {ages[1]}",
                           "give the youngest age first: [from, to]")
            out.append(Indicator(i["id"], i["theme"], i["level"], i["text"], i["guidance"],
                                 tuple(i.get("examples", ())), i.get("recency", False), pair, i["reference"],
                                 self._phrases(index, i, "phrases", "indicators"), ages))
        unique = self.unique_ids("indicators", fact_ids)
        return tuple(i for i in out if i.id in unique)

    def _scores(self, themes: tuple[Section, ...], levels: dict[str, Level], indicators: tuple[Indicator, ...]
                ) -> tuple[Score, ...]:
        out = []
        for index, s in self.items("scores"):
            for key, known in (("themes", {t.id for t in themes}), ("levels", levels)):
                for j, value in enumerate(s.get(key, ())):
                    self.ref("scores", (index, key, j), value, known, key[:-1])
            members = tuple(i.id for i in indicators if (not s.get("themes") or i.theme in s["themes"])
                            and (not s.get("levels") or i.level in s["levels"]))
            out.append(Score(s["id"], s["label"], s.get("description", ""), members))
        self.unique_ids("scores")
        return tuple(out)

    def _rules(self, parser: ConditionParser, routes: dict[str, Route], levels: dict[str, Level],
               actions: dict[str, Action], facts: dict[str, Question | Indicator]) -> tuple[Rule, ...]:
        out = []
        for index, r in self.items("rules"):
            self._where = ("rules", index)
            condition = parser.parse(r["when"], ("when",))
            then = self._consequence(index, r["then"], routes, levels, actions)
            self._check_monotone(index, r, facts)
            for name in _PLACEHOLDER.findall(r.get("explanation", "")):
                self.ref("rules", (index, "explanation"), name, facts, "fact")
            if condition is not None:
                out.append(Rule(r["id"], r["description"], r.get("explanation", ""), condition,
                                r.get("on_unknown", "gap"), then, r["source"], r["reference"]))
        self.unique_ids("rules")
        return tuple(out)

    def _check_monotone(self, index: int, rule: Raw, facts: dict[str, Question | Indicator]) -> None:
        """A rule that raises the route or level must never fire on less evidence (refused, or a warning where
        the rule set's meta says `non_monotone: warn`); a trigger must not be counted among its own other signs."""
        warn = self.sections["meta"].data.get("non_monotone") == "warn"
        if rule["then"].get("route") or rule["then"].get("level"):
            for found in lowering_parts(rule["when"], facts):
                self.error("rules", (index, *found.path), found.message, found.hint, warning=warn)
        indicators = {k: v for k, v in facts.items() if isinstance(v, Indicator)}
        for found in counted_twice(rule["when"], indicators):
            self.error("rules", (index, *found.path), found.message, found.hint, warning=True)

    def _consequence(self, index: int, t: Raw, routes: dict[str, Route], levels: dict[str, Level],
                     actions: dict[str, Action]) -> Consequence:
        path = (index, "then")
        if t.get("route"):
            self.ref("rules", (*path, "route"), t["route"], routes, "route")
        if t.get("level"):
            self.ref("rules", (*path, "level"), t["level"], levels, "level")
        for j, action_id in enumerate(t.get("actions", ())):
            self.ref("rules", (*path, "actions", j), action_id, actions, "action")
        meeting = t.get("strategy_meeting", False)
        within = self._timescale("rules", (*path, "strategy_meeting", "within"), meeting["within"]) \
            if isinstance(meeting, dict) else None
        return Consequence(t.get("route"), t.get("level"), bool(meeting), within, tuple(t.get("actions", ())),
                           t.get("hard_trigger", False))

    def _strategy_meeting(self, parser: ConditionParser) -> StrategyMeetingSpec:
        m = self.sections["strategy_meeting"].data
        invitees = []
        for index, inv in enumerate(m["invitees"]):
            condition: Condition | None = None
            if "when" in inv:
                self._where = ("strategy_meeting", "invitees")
                condition = parser.parse(inv["when"], (index, "when"))
            invitees.append(Invitee(inv["role"], inv["why"], condition))
        return StrategyMeetingSpec(m["chair"], tuple(invitees), tuple(m["views_to_gather"]), tuple(m["record"]),
                                   tuple(m["action_fields"]))

    def _language(self) -> tuple[LanguageEntry, ...]:
        entries = tuple(LanguageEntry(e["id"], self._phrases(i, e, "patterns"), e["why"], tuple(e["suggestions"]),
                                      e.get("reference", ""), self._phrases(i, e, "unless"))
                        for i, e in self.items("language"))
        self.unique_ids("language")
        return entries

    def _phrases(self, index: int, entry: Raw, key: str, section: str = "language") -> tuple[Phrase, ...]:
        """Compile an entry's patterns once, at load time, reporting each bad one where it is written (the
        language list's patterns, and the phrases an indicator is suggested by)."""
        phrases = []
        for j, source in enumerate(entry.get(key, ())):
            try:
                phrases.append(_compiled_phrase(source))
            except PatternError as exc:
                self.error(section, (index, key, j), f"bad pattern '{source}': {exc}", exc.hint)
        return tuple(phrases)

    def _escalation(self) -> tuple[EscalationStep, ...]:
        return tuple(EscalationStep(e["stage"], e["who"], e["what"], e.get("within", ""))
                     for _, e in self.items("escalation"))
