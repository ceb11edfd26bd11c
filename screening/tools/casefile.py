"""Case files: YAML holding the referrer's agency and their answers, for the CLI and scenario tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ruleset.yamlsource import parse_yaml

CASE_KEYS = {"agency", "answers", "name", "expect"}


def load_case(path: Path) -> tuple[str | None, dict[str, Any]]:
    """Read a case file; returns (agency, answers). Raises ValueError with a located message."""
    doc, errors = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if errors:
        raise ValueError("\n".join(str(e) for e in errors))
    return case_from_data(doc.data)


def case_from_data(data: object) -> tuple[str | None, dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        raise ValueError("a case is a mapping with 'agency' and 'answers' (question id: answer)")
    unknown = set(data) - CASE_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}; allowed keys are agency, answers")
    return data.get("agency"), dict(data.get("answers") or {})
