"""One bounded reader for the API's JSON bodies: whatever arrives, the caller gets the data or a refusal that says
what is wrong and where, never an exception the API does not expect.

Refused: text that is not JSON in UTF-8 (lone surrogates included), NaN and Infinity, nesting deeper than
MAX_DEPTH, more than MAX_KEYS keys in all, a key given twice in one object (which answer would count?), and a NUL
character in any key or string (PostgreSQL text cannot hold one, so it would be lost, or refused at the save)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import orjson

MAX_DEPTH = 16  # the deepest body the API describes is 4 levels
MAX_KEYS = 2_000  # a rule set asks about 100 questions; a body with far more keys is not a screening


@dataclass
class BodyRefused(Exception):
    """Why a body cannot be read: a status (400 not JSON, 413 too large, 422 a value that cannot be kept), what is
    wrong, and where (a dotted path; 'body' for the whole)."""

    status: int
    detail: str
    field: str = "body"


def read_json(raw: bytes) -> object:
    """The body's data, checked as the module says."""
    try:
        data = orjson.loads(raw or b"null")  # in C: bounded depth (1,024), strict UTF-8, no NaN
    except orjson.JSONDecodeError as exc:
        raise BodyRefused(400, f"The body is not JSON: {exc}") from None
    _check_shape(data)
    try:  # shallow now, so the standard parser cannot recurse far
        json.loads(raw, object_pairs_hook=_one_value_per_key)
    except ValueError as exc:
        raise BodyRefused(400, f"The body is not JSON: {exc}") from None
    return data


def _check_shape(data: object) -> None:
    """Depth, key count and NUL characters, walked without recursion."""
    keys = 0
    stack: list[tuple[object, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyRefused(400, f"The body is nested more than {MAX_DEPTH} levels deep", path or "body")
        if isinstance(value, dict):
            keys += len(value)
            if keys > MAX_KEYS:
                raise BodyRefused(413, f"The body has more than {MAX_KEYS} keys")
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                _refuse_nul(key, where)
                stack.append((item, where, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{n}" if path else str(n), depth + 1) for n, item in enumerate(value))
        elif isinstance(value, str):
            _refuse_nul(value, path)


def _refuse_nul(text: str, path: str) -> None:
    if "\x00" in text:
        raise BodyRefused(422, "Remove the null character (\\u0000): it cannot be stored", _printable(path or "body"))


def _printable(path: str) -> str:
    """A path safe to echo back: control characters escaped, at most 200 characters."""
    return path.encode("unicode_escape").decode("ascii")[:200]


def _one_value_per_key(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise BodyRefused(400, f"The key {_printable(key)!r} is given twice in one object")
        found[key] = value
    return found
