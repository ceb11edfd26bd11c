"""The JSON API's payloads as pydantic models, and its OpenAPI 3.1 description built from them and from the views'
declarations (pydantic writes JSON Schema 2020-12, which OpenAPI 3.1 uses as it is)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

VERSION = "1.0.0"
PROBLEM = "application/problem+json"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvaluateIn(Strict):
    agency: str | None = Field(None, max_length=64, description="the caller's agency id (see GET /ruleset)")
    answers: dict[str, Any] = Field(default_factory=dict, description="question or indicator id -> answer")


class ChildIn(Strict):
    nhs: str = Field("", max_length=40)
    upn: str = Field("", max_length=40)
    la: str = Field("", max_length=40)
    given: str = Field("", max_length=100)
    family: str = Field("", max_length=100)
    born: date | None = None
    postcode: str = Field("", max_length=12)


class ScreeningIn(EvaluateIn):
    referrer_is_lead: bool | None = None
    referrer_contact: str = Field("", max_length=300)
    child: ChildIn | None = Field(None, description="identifiers: an exact one links or adds the child's record")


class OutcomeOut(BaseModel):
    """The outcome as `screening evaluate --format json` gives it (more fields than listed here)."""

    model_config = ConfigDict(extra="allow")
    route: str
    route_label: str
    risk_level: str
    child_protection: bool
    findings: list[dict[str, Any]]
    ruleset: dict[str, str]


class ChildLink(BaseModel):
    linked: bool
    child_id: str | None = None
    candidates: int = Field(0, description="records a name and date of birth suggest; a person confirms in the app")


class ScreeningOut(BaseModel):
    id: str
    status: str
    agency: str | None
    completed_at: str | None
    recommended_route: str | None
    decided_route: str | None
    child: ChildLink
    history: list[dict[str, Any]] = Field(description="the figures the child's record gave the rules")
    outcome: OutcomeOut


class Entry(BaseModel):
    on: str
    agency: str
    recommended: str
    decided: str
    child_protection: bool
    key_signs: list[str]
    response: str
    meeting: str


class ChronologyOut(BaseModel):
    child_id: str
    screenings: list[Entry]


class QuestionOut(BaseModel):
    id: str
    kind: str = Field(description="question or indicator")
    type: str
    label: str
    options: list[str] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None


class RulesetOut(BaseModel):
    id: str
    version: str
    hash: str
    agencies: list[str]
    facts: list[QuestionOut]


class CarerOut(BaseModel):
    name: str
    relationship: str
    contact: str
    parental_responsibility: bool | None = Field(description="null: not known")


class ChildOut(BaseModel):
    """Who the child is, from the child's record (sealed at rest; shown to the roles that may open the referral)."""

    name: str
    given: str
    family: str
    born: date | None
    nhs: str
    upn: str
    la: str
    address: str
    postcode: str
    school: str
    carers: list[CarerOut]


class ReferralRow(BaseModel):
    label: str = Field(description="empty for a paragraph")
    words: str


class ReferralPart(BaseModel):
    title: str
    rows: list[ReferralRow]


class ReferralOut(BaseModel):
    """The referral as the MASH reads it, for a case-management system to import without re-typing."""

    screening: str
    title: str
    child_protection: bool
    route: str = Field(description="the id of the route that counts (the practitioner's decision, else the rules')")
    warning: str = Field(description="said before everything, such as not contacting the family first; or empty")
    made_at: str
    child: ChildOut | None = Field(description="null: the referrer did not identify the child in this tool")
    parts: list[ReferralPart]
    ruleset: str


class ProblemField(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[ProblemField] = Field(default_factory=list)


PROBLEMS = {400: "Bad request", 401: "No valid token", 403: "Not for this token's role", 404: "Not found",
            413: "Too large", 415: "Not JSON", 422: "Answers that cannot be used", 429: "Too many calls",
            500: "Server error", 503: "Service unavailable: try again after Retry-After seconds"}


def operation(summary: str, ok: type[BaseModel], body: type[BaseModel] | None = None, ok_status: int = 200,
              problems: tuple[int, ...] = (401, 403, 429), public: bool = False) -> dict[str, Any]:
    """One operation of the description: its request body, its success and its problems."""
    statuses = sorted({*problems, 503, *((400, 413, 415, 422) if body else ())})
    found: dict[str, Any] = {"summary": summary, "responses": {
        str(ok_status): {"description": "OK", "content": {"application/json": {"schema": _ref(ok)}}},
        **{str(code): {"description": PROBLEMS[code], "content": {PROBLEM: {"schema": _ref(Problem)}}}
           for code in statuses}}}
    if body is not None:
        found["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if public:
        found["security"] = []
    return found


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def path_parameters(path: str) -> list[dict[str, Any]]:
    """The {name} parts of an operation's path: record ids, 32 hexadecimal digits."""
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
            for name in re.findall(r"{(\w+)}", path)]


def description(paths: dict[str, dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI description; `answers` is the schema of the active rule set's answers (only its ids are taken)."""
    models = (EvaluateIn, ChildIn, ScreeningIn, OutcomeOut, ChildLink, ScreeningOut, Entry, ChronologyOut,
              QuestionOut, RulesetOut, ProblemField, Problem)
    schemas: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    for body in ("EvaluateIn", "ScreeningIn"):
        schemas[body]["properties"]["answers"] = {**schemas[body]["properties"]["answers"], **answers}
    return {"openapi": "3.1.0",
            "info": {"title": "CSE screening decision aid", "version": VERSION,
                     "description": "Ask for a recommendation and file screenings from another system. Every call "
                                    "needs `Authorization: Bearer <token>` (see `screening tokens add`)."},
            "servers": [{"url": "/api/v1"}],
            "components": {"schemas": schemas,
                           "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}], "paths": paths}
