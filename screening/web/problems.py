"""Errors of the JSON API as RFC 9457 problem details: one entry per bad field."""

from __future__ import annotations

import json

from flask import Response

from .api_spec import PROBLEM, PROBLEMS


def problem(status: int, detail: str = "", errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    body = {"type": "about:blank", "title": PROBLEMS.get(status, "Error"), "status": status, "detail": detail,
            "errors": errors or []}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM, headers=headers)


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def allow_header(exc: Exception | None) -> dict[str, str]:
    """The Allow header a 405 must carry: the methods the address takes."""
    methods = getattr(exc, "valid_methods", None)
    return {"Allow": ", ".join(methods)} if methods else {}
