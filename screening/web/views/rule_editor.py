"""The lead's rule editor: the common changes, each on its own short page, made to the lead's draft (the YAML,
edited in place with its comments kept), checked at once, shown in words and as a YAML diff, then proposed as a
version numbered by the kind of change (docs/adr/0021)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...errors import RuleSetInvalid
from ...model import RuleSet
from ...ruleset import roundtrip
from ...store import audit, drafts
from ...store import rulesets as versions
from ...tools.changes import (
    Change,
    changes_between,
    kind_of,
    kind_words,
    next_version,
    numbered,
)
from ...tools.decision_tables import threshold_label
from ...tools.impact_words import first_sentence
from .. import rule_translations as welsh
from ..access import allow
from ..context import active_ruleset, active_version, database
from .rules import start_impact

editor = Blueprint("editor", __name__, url_prefix="/rules/edit")
LEAD = "safeguarding_lead"


@dataclass(frozen=True)
class Field:
    """One question on an edit page. `kind`: text, textarea, lines (one item a line), radios or number."""

    name: str
    label: str
    kind: str = "text"
    hint: str = ""
    required: str = ""  # the message when it is left empty; "" when it may be
    choices: tuple[tuple[str, str], ...] = ()  # (value, words) for radios


@dataclass(frozen=True)
class Kind:
    """A kind of thing a lead edits: where it is written, how it is named and what its page asks."""

    file: str
    section: str
    noun: Any  # "sign" (lazily in the page's language): for the page's heading, "Change a sign"
    items: Callable[[RuleSet], Mapping[str, Any]]
    name: Callable[[Any], str]
    fields: Callable[[RuleSet, Any], list[Field]]
    values: Callable[[RuleSet, Any], dict[str, Any]]  # what each field shows now
    write: Callable[[str, str | int, dict[str, Any]], str] | None = None  # None: set the fields as they are
    about: Callable[[Any], str] = lambda _item: ""  # more about it, under its name

    def written(self, text: str, key: str | int, values: dict[str, Any]) -> str:
        if self.write is not None:
            return self.write(text, key, values)
        return roundtrip.set_fields(text, self.section, key, values)


# -- what each kind asks ----------------------------------------------------------------------------------------

def _sign_fields(rs: RuleSet, _sign: Any = None) -> list[Field]:
    return [Field("level", _("Level"), "radios", required=_("Select the sign's level"),
                  choices=tuple((lv.id, lv.label) for lv in rs.indicator_level_by_id.values())),
            Field("text", _("What practitioners read"), "textarea", _("Describe what adults do to the child, not "
                  "what the child 'chose'."), _("Enter the sign as practitioners read it")),
            Field("guidance", _("Guidance"), "textarea", _("What it looks like and what to do."),
                  _("Enter the guidance")),
            Field("examples", _("Examples"), "lines", _("One example on each line. Leave empty for none.")),
            Field("theme", _("Theme"), "radios", required=_("Select the theme"),
                  choices=tuple((t.id, t.title) for t in rs.themes))]


def _sign_values(_rs: RuleSet, sign: Any) -> dict[str, Any]:
    return {"level": sign.level, "text": sign.text, "guidance": sign.guidance, "examples": list(sign.examples),
            "theme": sign.theme}


def _route_fields(_rs: RuleSet, _route: Any) -> list[Field]:
    return [Field("label", _("Label"), required=_("Enter the route's label")),
            Field("timescale", _("Timescale"), "textarea", required=_("Enter the timescale")),
            Field("referrer_expects", _("What the referrer should expect"), "textarea",
                  required=_("Enter what the referrer should expect"))]


def _rule_when(rs: RuleSet, rule: Any) -> list[tuple[Any, str]]:
    """The numbers of a rule's condition as rules.yaml writes them (read, never changed, here)."""
    return _numbers_by_rule(next(text for name, text in rs.sources if name.endswith("rules.yaml"))).get(rule.id, [])


@lru_cache(maxsize=4)
def _numbers_by_rule(rules_text: str) -> dict[str, list[tuple[Any, str]]]:
    """Each rule's numbers, read once per text (reading the file with its comments takes a fraction of a second)."""
    return {str(item["id"]): roundtrip.number_nodes(item["when"]) for item in roundtrip.load(rules_text)["rules"]}


def _rule_fields(rs: RuleSet, rule: Any) -> list[Field]:
    numbers = [Field(f"threshold-{n}", threshold_label(rs, node, key), "number",
                     required=_("Enter a whole number, like 3")) for n, (node, key) in enumerate(_rule_when(rs, rule))]
    return numbers + [
        Field("route", _("Minimum route"), "radios", choices=(("", _("No route of its own")),
                                                               *((r.id, r.label) for r in rs.routes))),
        Field("level", _("Minimum level"), "radios", choices=(("", _("No level of its own")),
                                                               *((lv.id, lv.label) for lv in rs.levels)))]


def _rule_values(rs: RuleSet, rule: Any) -> dict[str, Any]:
    numbers = {f"threshold-{n}": node[key] for n, (node, key) in enumerate(_rule_when(rs, rule))}
    return {**numbers, "route": rule.then.route or "", "level": rule.then.level or ""}


def _write_rule(text: str, key: str | int, values: dict[str, Any]) -> str:
    def change(item: Any) -> None:
        for n, (node, name) in enumerate(roundtrip.number_nodes(item["when"])):
            node[name] = values[f"threshold-{n}"]
        for part in ("route", "level"):
            if values[part]:
                item["then"][part] = values[part]
            else:
                item["then"].pop(part, None)
    return roundtrip.change_item(text, "rules", key, change)


KINDS: dict[str, Kind] = {
    "signs": Kind("indicators.yaml", "indicators", _l("sign"), lambda rs: {i.id: i for i in rs.indicators},
                  lambda i: i.text, _sign_fields, _sign_values),
    "rules": Kind("rules.yaml", "rules", _l("rule"), lambda rs: {r.id: r for r in rs.rules},
                  lambda r: first_sentence(r.description), _rule_fields, _rule_values, _write_rule,
                  lambda r: _("It applies when %(condition)s.", condition=r.when.describe())),
    "routes": Kind("ruleset.yaml", "routes", _l("route"), lambda rs: {r.id: r for r in rs.routes}, lambda r: r.label,
                   _route_fields, lambda _rs, r: {"label": r.label, "timescale": r.timescale,
                                                  "referrer_expects": r.referrer_expects}),
    "contacts": Kind("ruleset.yaml", "contacts", _l("contact"),
                     lambda rs: {str(n + 1): c for n, c in enumerate(rs.contacts)},
                     lambda c: c.name, lambda _rs, _c: [Field("name", _("Who"), required=_("Enter who to call")),
                                                         Field("phone", _("Phone number"),
                                                               required=_("Enter the number")),
                                                         Field("when", _("When to call"))],
                     lambda _rs, c: {"name": c.name, "phone": c.phone, "when": c.when}),
    "actions": Kind("actions.yaml", "actions", _l("action"), lambda rs: dict(rs.actions),
                    lambda a: first_sentence(a.what),
                    lambda _rs, _a: [Field("what", _("What to do"), "textarea", required=_("Enter what to do")),
                                     Field("within", _("Timescale"), hint=_("For example: now, 2 hours, 1 working day"),
                                           required=_("Enter the timescale"))],
                    lambda _rs, a: {"what": a.what, "within": str(a.within)}),
    "wording": Kind("language.yaml", "language", _l("wording check"), lambda rs: {e.id: e for e in rs.language},
                    lambda e: e.id.replace("_", " ").capitalize(),
                    lambda _rs, _e: [Field("why", _("Why this wording harms"), "textarea",
                                           required=_("Enter why it harms")),
                                     Field("suggestions", _("Better wording"), "lines",
                                           _("One suggestion on each line."), _("Enter at least one better wording")),
                                     Field("patterns", _("Words it looks for"), "lines",
                                           _("One pattern on each line: word* for any ending, (a|b) for either."),
                                           _("Enter at least one pattern"))],
                    lambda _rs, e: {"why": e.why, "suggestions": list(e.suggestions),
                                    "patterns": [p.source for p in e.patterns]}),
}


# -- the draft -----------------------------------------------------------------------------------------------------

def _active_texts() -> dict[str, str]:
    return {n.rsplit("/", 1)[-1]: t for n, t in active_ruleset().sources}


def working_texts() -> tuple[dict[str, str], bool]:
    """The lead's draft texts (or the active version's, with False, when there is no draft)."""
    with database().reading() as tx:
        found = drafts.draft_of(tx, g.user.username)
        return (dict(found.texts), True) if found else (_active_texts(), False)


MAX_TEXT = 5_000  # characters in one field


def _read(fields: list[Field], form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The values a form gives for `fields`, and an error message for each field that needs one."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = form.get(f.name, "").strip()
        problem = _problem(f, raw)
        if problem:
            errors[f.name] = problem
        elif f.kind == "lines":
            values[f.name] = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
        elif f.kind == "number":
            values[f.name] = int(raw)
        else:
            values[f.name] = " ".join(raw.split())  # one line: the files fold long text themselves
    return values, errors


def _problem(f: Field, raw: str) -> str:
    """What is wrong with one field's answer, in words; "" when nothing is."""
    if not raw:
        return f.required
    if len(raw) > MAX_TEXT:
        return _("Shorten this to %(count)s characters or fewer", count=format(MAX_TEXT, ","))
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw):
        return _("Remove the special characters from this field")
    if f.kind == "number" and not re.fullmatch(r"\d{1,4}", raw):
        return _("Enter a whole number, like 3")
    if f.kind == "radios" and raw not in {value for value, _words in f.choices}:
        return f.required or _("Select one of the options")
    return ""


def _located(exc: RuleSetInvalid, kind: Kind, place: int, fields: list[Field],
             key: str | int | None = None) -> dict[str, str]:
    """The compiler's errors, each beside the field it is about, English or Welsh (the page's top for any
    other)."""
    names, found = {f.name for f in fields}, dict[str, str]()
    prefix, in_welsh = f"{kind.section}.{place}.", f"{welsh.CY}.{kind.section}.{key}."
    for error in exc.errors:
        part = error.yaml_path[len(prefix):].split(".")[0] if error.yaml_path.startswith(prefix) else ""
        if key is not None and error.yaml_path.startswith(in_welsh):
            part = welsh.field_name(error.yaml_path[len(in_welsh):].split(".")[0])
        where = part if part in names else "page"
        hint = f" ({error.hint})" if error.hint else ""
        found.setdefault(where, error.message[:1].upper() + error.message[1:] + hint)
    return found


def _item(kind_name: str, item_id: str) -> tuple[Kind, dict[str, str], RuleSet, Any, str | int]:
    kind = KINDS.get(kind_name) or abort(404)
    texts, _draft = working_texts()
    rs = versions.parse(texts)
    item = kind.items(rs).get(item_id)
    if item is None:
        abort(404)
    return kind, texts, rs, item, int(item_id) - 1 if kind_name == "contacts" else item_id


@editor.route("/<kind_name>/<item_id>", methods=["GET", "POST"])
@allow(LEAD)
def item(kind_name: str, item_id: str):
    """One thing's page: its fields as they are in the draft; saving checks the whole rule set at once."""
    kind, texts, rs, found, key = _item(kind_name, item_id)
    fields = kind.fields(rs, found)
    in_welsh = _welsh_fields(kind, fields)  # the Welsh beside each English text (ADR 0026, addendum)
    values, errors = (kind.values(rs, found), {}) if request.method == "GET" else _read(fields + in_welsh,
                                                                                        request.form)
    given = {welsh.english_of(f.name): values.pop(f.name) for f in in_welsh if f.name in values}
    if request.method == "POST" and not errors:
        changed = dict(texts)
        name = kind.file
        changed[name] = kind.written(texts[name], key, values)
        changed = welsh.written(changed, kind.section, key, values, given,
                                {name for name in given if request.form.get(welsh.field_name(name) + "-current")})
        try:
            versions.parse(changed)
        except RuleSetInvalid as exc:
            doc = roundtrip.load(changed[name])
            errors = _located(exc, kind, roundtrip.find(doc, kind.section, key), fields + in_welsh, key)
        else:
            save_draft(changed)
            return redirect(url_for(".changes"))
    now = welsh.shown(texts, kind.section, key, kind.values(rs, found),
                      [welsh.english_of(f.name) for f in in_welsh])
    welsh_values = {name: w.value for name, w in now.items()}
    if errors:  # shown as the lead wrote them
        values = {f.name: request.form.get(f.name, "") for f in fields}
        welsh_values = {welsh.english_of(f.name): request.form.get(f.name, "") for f in in_welsh}
    return render_template("rules/edit_item.html", kind=kind, name=kind.name(found), about=kind.about(found),
                           fields=fields, values=values, errors=errors, form=FlaskForm(), welsh=now,
                           welsh_values=welsh_values), 400 if errors else 200


def _welsh_fields(kind: Kind, fields: list[Field]) -> list[Field]:
    """A Welsh field for each of `fields` that is a text a reader sees (never required: Welsh may be missing)."""
    names = welsh.translatable(kind.section, [f.name for f in fields if f.kind in ("text", "textarea", "lines")])
    return [Field(welsh.field_name(f.name), f.label, f.kind) for f in fields if f.name in names]


@editor.route("/themes/<item_id>/new-sign", methods=["GET", "POST"])
@allow(LEAD)
def new_sign(item_id: str):
    """A new sign in a theme: written after the theme's last sign, with where it comes from."""
    texts, _draft = working_texts()
    rs = versions.parse(texts)
    theme = next((t for t in rs.themes if t.id == item_id), None) or abort(404)
    fields = [f for f in _sign_fields(rs) if f.name != "theme"] + [
        Field("reference", _("Where it comes from"), hint=_("A guidance document, review or local procedure."),
              required=_("Enter where the sign comes from"))]
    values: dict[str, Any] = {"level": "", "text": "", "guidance": "", "examples": [], "reference": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = _read(fields, request.form)
        if not errors:
            sign = {"id": _new_id(values["text"], rs), "theme": theme.id, "level": values["level"],
                    "text": values["text"], "guidance": values["guidance"],
                    **({"examples": values["examples"]} if values["examples"] else {}),
                    "reference": values["reference"]}
            last = [i.id for i in rs.indicators if i.theme == theme.id] or [rs.indicators[-1].id]
            changed = dict(texts)
            name = "indicators.yaml"
            changed[name] = roundtrip.insert_item(texts[name], "indicators", last[-1], sign)
            try:
                versions.parse(changed)
            except RuleSetInvalid as exc:
                place = roundtrip.find(roundtrip.load(changed[name]), "indicators", sign["id"])
                errors = _located(exc, KINDS["signs"], place, fields)
            else:
                save_draft(changed)
                return redirect(url_for(".changes"))
    if errors:
        values = {f.name: request.form.get(f.name, "") for f in fields}
    return render_template("rules/edit_item.html", kind=KINDS["signs"], name=_("A new sign in “%(theme)s”",
                                                                                theme=theme.title),
                           fields=fields, values=values, errors=errors, form=FlaskForm(), new=True), \
        400 if errors else 200


def _new_id(text: str, rs: RuleSet) -> str:
    """An id made from a sign's first words, not one in use."""
    base = "_".join(re.findall(r"[a-z0-9]+", text.lower())[:5]) or "sign"
    taken = set(rs.facts) | {r.id for r in rs.rules}
    return next(f"{base}_{n}" if n else base for n in range(len(taken) + 1) if (f"{base}_{n}" if n else base)
                not in taken)


def save_draft(texts: Mapping[str, str]) -> None:
    with database().transaction() as tx:
        drafts.save(tx, g.user.username, active_ruleset().hash, texts)


# -- the draft's changes, proposing and discarding ----------------------------------------------------------------

def _proposal(texts: Mapping[str, str]) -> tuple[RuleSet, list[Change], str, str]:
    """The active and draft rule sets, what changed in words, its kind, and the number it would take."""
    active, draft = active_version(), versions.parse(texts)  # compared in English: the Welsh file is one of its files
    found = changes_between(active, draft)
    kind = kind_of(found)
    with database().reading() as tx:
        used = versions.numbers_in_use(tx, active.meta.id)
    return active, found, kind, next_version(active.meta.version, kind, used)


def _diff(old: Mapping[str, str], new: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    return [(name, list(difflib.unified_diff(old.get(name, "").splitlines(), new[name].splitlines(),
                                             f"{name} (in use)", f"{name} (your changes)", n=2, lineterm="")))
            for name in sorted(new) if old.get(name) != new[name]]


@editor.get("/")
@allow(LEAD)
def home():
    """Everything a lead can change in forms, by kind, and a way to find it by its words."""
    texts, has_draft = working_texts()
    rs = versions.parse(texts)
    query = " ".join(request.args.get("q", "").split())[:100]
    words = query.lower().split()

    def shown(items: Mapping[str, Any], kind: Kind) -> list[tuple[str, str]]:
        return [(key, kind.name(found)) for key, found in items.items()
                if all(w in kind.name(found).lower() for w in words)]
    themes = [(t, [(i, rs.indicator_level_by_id[i.level]) for i in rs.indicators if i.theme == t.id
                   and all(w in i.text.lower() for w in words)]) for t in rs.themes]
    lists = [(name, kind, shown(kind.items(rs), kind)) for name, kind in KINDS.items() if name != "signs"]
    return render_template("rules/edit_home.html", themes=themes, lists=lists, query=query, has_draft=has_draft)


@editor.get("/changes")
@allow(LEAD)
def changes():
    """The draft's changes: in words (before and after), the number it would take, and the YAML diff."""
    return _changes_page({})


def _changes_page(errors: dict[str, str]):
    texts, has_draft = working_texts()
    if not has_draft:
        return redirect(url_for(".home"))
    active, found, kind, number = _proposal(texts)
    with database().reading() as tx:
        draft = drafts.draft_of(tx, g.user.username)
        behind = draft is not None and draft.base_hash != active.hash
    return render_template("rules/edit_changes.html", found=found, kind=kind_words(kind), number=number,
                           active=active, diff=_diff(_active_texts(), texts), form=FlaskForm(), behind=behind,
                           errors=errors), 400 if errors else 200


@editor.post("/propose")
@allow(LEAD)
def propose():
    """Number the draft by its kind of change, store it as a version, end the draft and check its impact."""
    texts, has_draft = working_texts()
    if not has_draft:
        return redirect(url_for(".home"))
    reason = " ".join(request.form.get("reason", "").split())
    active, found, _kind, _number = _proposal(texts)
    if not found:
        return _changes_page({"reason": _("Your draft is the same as the rules in use: change something first")})
    if not reason:
        return _changes_page({"reason": _("Enter why you are making these changes")})
    with database().transaction() as tx:
        candidate = versions.parse(numbered(texts, active, versions.parse(texts), versions.numbers_in_use(
            tx, active.meta.id)))
        version = versions.add_version(tx, candidate, g.user.username, reason)
        audit.record(tx, g.user.username, "ruleset_uploaded", "ruleset", str(version.id), hash=version.hash)
        drafts.discard(tx, g.user.username)
    start_impact(version)
    return redirect(url_for("rules.preview", version_id=version.id))


@editor.post("/discard")
@allow(LEAD)
def discard():
    with database().transaction() as tx:
        drafts.discard(tx, g.user.username)
    return redirect(url_for(".home"))
