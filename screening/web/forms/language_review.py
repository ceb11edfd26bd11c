"""Victim-blaming language in free-text answers: warn beside the field, never block, and keep the choice.

Each text answer with findings gets a choice: 'pending' (warned, not yet decided), 'kept' (the practitioner chose
to keep their wording) or 'rephrased' (warned before, now clear). The text is always stored as written; choices
hold only entry ids and a digest of the text they refer to."""

from __future__ import annotations

import hashlib

from ...language import check_language
from ...model import RuleSet
from .pages import Page

KEEP_SUFFIX = "__keep"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def findings_by_field(rs: RuleSet, page: Page, answers: dict) -> dict[str, list[dict]]:
    """Language findings for each free-text answer on `page`."""
    found = {}
    for fact in page.facts:
        text = answers.get(fact.id)
        if fact.kind.quoted and isinstance(text, str) and text.strip():
            hits = [f.to_dict() for f in check_language(rs.language, text)]
            if hits:
                found[fact.id] = hits
    return found


def review(rs: RuleSet, page: Page, answers: dict, form: dict, before: dict) -> tuple[dict, bool]:
    """The language choices after saving `page`, and whether this save raised a warning not shown before
    (the page is then shown again with it; a warning already shown never stops the practitioner twice)."""
    choices = {k: v for k, v in before.items() if k not in {f.id for f in page.facts}}
    new_warning = False
    for fact in page.facts:
        if not fact.kind.quoted:
            continue
        previous = before.get(fact.id)
        choice = _choice(rs, answers.get(fact.id), bool(form.get(fact.id + KEEP_SUFFIX)), previous)
        if choice:
            choices[fact.id] = choice
            new_warning |= choice["choice"] == "pending" and (previous or {}).get("digest") != choice["digest"]
    return choices, new_warning


def _choice(rs: RuleSet, text: object, keep: bool, previous: dict | None) -> dict | None:
    hits = check_language(rs.language, text) if isinstance(text, str) else []
    if not hits:
        return {"choice": "rephrased", "entries": previous["entries"], "digest": ""} if previous else None
    entries = sorted({h.id for h in hits})
    same_text = previous is not None and previous.get("digest") == digest(text)  # type: ignore[arg-type]
    kept = keep or (same_text and previous["choice"] == "kept")  # type: ignore[index]
    return {"choice": "kept" if kept else "pending", "entries": entries, "digest": digest(text)}  # type: ignore[arg-type]
