"""Structural validation of rule files against the published JSON Schema, with located, readable errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from ..errors import RuleError, did_you_mean
from ..history import HISTORY_KINDS
from ..question_types import QUESTION_TYPES
from .yamlsource import SourceDoc, YamlPath

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
SCHEMA_FILE = SCHEMA_DIR / "ruleset.schema.json"


@cache
def ruleset_schema() -> dict[str, Any]:
    """The published JSON Schema for one rule-set file."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _checked_schema() -> dict[str, Any]:
    """The published schema with the question types and history kinds the core knows (question_types.py,
    history.py), which the published file lists too (a test holds them in step): one the tables know is valid,
    any other a located error."""
    schema = copy.deepcopy(ruleset_schema())
    question = schema["properties"]["questions"]["items"]["properties"]
    question["type"]["enum"] = list(QUESTION_TYPES)
    question["history"]["properties"]["of"]["enum"] = list(HISTORY_KINDS)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_checked_schema())


@cache
def _quick() -> jsonschema_rs.Validator:
    return quick_validator(_checked_schema())


def quick_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """The schema compiled by jsonschema-rs: it says whether a document is valid in a hundredth of the time."""
    return jsonschema_rs.validator_for(schema)


def check_structure(doc: SourceDoc) -> list[RuleError]:
    """Every structural error in `doc`, each located and explained."""
    return schema_errors(doc, _validator(), _quick())


def schema_errors(doc: SourceDoc, validator: Draft202012Validator,
                  quick: jsonschema_rs.Validator | None = None) -> list[RuleError]:
    """Every error `validator` finds in `doc`, located and worded for a rule author (vignettes use it too).
    `quick`, the same schema for jsonschema-rs, answers first: a valid file (nearly every file loaded) is passed
    at once; the errors of any other are found and worded by `validator`, as they always were."""
    if quick is not None and quick.is_valid(doc.data):
        return []
    return [_explain(doc, _deepest(error)) for error in validator.iter_errors(doc.data)]


def _deepest(error: ValidationError) -> ValidationError:
    """For a failed oneOf (a condition, a weight), pick the alternative the author most likely meant."""
    while error.context:
        relevant = [e for e in error.context if e.validator != "additionalProperties"] or error.context
        error = best_match(relevant)
    return error


def _item_id(doc: SourceDoc, path: YamlPath) -> str:
    node: Any = doc.data
    found = ""
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _explain(doc: SourceDoc, error: ValidationError) -> RuleError:
    path: YamlPath = tuple(error.absolute_path)
    message, hint = _message(error)
    if error.validator == "additionalProperties":
        instance: Any = error.instance
        extra = sorted(set(instance) - set(_schema_of(error).get("properties", {})))
        path = (*path, extra[0]) if extra else path
    yaml_path = ".".join(str(p) for p in path) or "(top level)"
    return RuleError(doc.where(path), message, _item_id(doc, path), yaml_path, hint)


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _message(error: ValidationError) -> tuple[str, str]:
    kind, schema = error.validator, _schema_of(error)
    value: Any = error.instance
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        hint = did_you_mean(extra[0], allowed) if extra else ""
        return f"unknown key '{', '.join(extra)}'; allowed keys are {', '.join(allowed)}", hint
    if kind == "required":
        return error.message.replace("is a required property", "is required but missing"), ""
    if kind in ("enum", "const"):
        options = schema.get("enum") or [schema.get("const")]
        return (f"'{value}' is not allowed here; use one of {', '.join(map(str, options))}",
                did_you_mean(str(value), map(str, options)))
    if kind == "pattern":
        return _pattern_message(value, schema["pattern"])
    if kind == "type":
        hint = "put it in quotes" if schema["type"] == "string" and not isinstance(value, dict | list) else ""
        return f"expected {_a(schema['type'])} here, not {_kind_of(value)}", hint
    if kind in ("minItems", "minLength", "minProperties"):
        return "this must not be empty", ""
    if kind == "maxProperties":
        return "a fact test takes exactly one comparison, e.g. {fact: age, below: 13}", ""
    return error.message, ""


def _pattern_message(value: object, pattern: str) -> tuple[str, str]:
    if "working day" in pattern:
        return f"'{value}' is not a timescale", "use 'now', '30 minutes', '4 hours', '2 days' or '1 working day'"
    return f"'{value}' is not a valid id", "ids are lower_snake_case: letters, digits and underscores"


def _a(type_name: object) -> str:
    names = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "integer": "a whole number",
             "number": "a number", "boolean": "true or false"}
    return names.get(str(type_name), str(type_name))


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    for py_type, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, f"'{value}'")):
        if isinstance(value, py_type):
            return name
    return repr(value)
