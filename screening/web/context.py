"""What views share: the database, the active rule set (read once per request), the vignette library and the
impact-preview jobs. Views import these from here, never from the app factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, g, has_request_context
from sqlalchemy.orm import Session

from .. import words
from ..errors import RuleError
from ..model import RuleSet
from ..store import Database, rulesets, sealing
from ..tools.vignettes import Vignette


def database() -> Database:
    return current_app.extensions["db"]


def active_ruleset(session: Session | None = None) -> RuleSet:
    """The version active right now, read once per request (so every instance switches on its next request), in
    `session` when the caller has one open; its texts in the page's language where it carries them (ADR 0026).
    Only texts differ between languages, so it decides the same whatever the page's language; what is stored of
    an outcome is said in every language by `engine.evaluate_in_each_language`."""
    if has_request_context() and "ruleset" in g:
        return g.ruleset.in_language(words.language())
    if session is not None:
        found = rulesets.active_ruleset(session)
    else:
        with database().reading() as tx:
            found = rulesets.active_ruleset(tx)
    if has_request_context():
        g.ruleset = found
    return found.in_language(words.language())


def active_version(session: Session | None = None) -> RuleSet:
    """The active rule set as the version stored (its English texts, with every file's text): what a draft or a
    candidate is compared with, numbered against and previewed against, whatever the page's language."""
    return active_ruleset(session).in_language("en")


def vignettes() -> Mapping[str, Vignette]:
    """The vignette library loaded at start-up, by id, in the page's language where translated (ADR 0026)."""
    code = words.language()
    return {key: found.in_language(code) for key, found in current_app.extensions["vignettes"].items()}


def vignette_errors() -> list[RuleError]:
    """Why the library did not load, if it did not."""
    return current_app.extensions["vignette_errors"]


def identity_keys() -> sealing.Keys:
    """The keys that seal children's identities and make their blind indexes."""
    return current_app.extensions["keys"]


def impact_previews():
    """Impact previews: asked for by the lead's pages, run by workers (web/impact_previews.py)."""
    return current_app.extensions["impact_previews"]
