"""The app's Jinja environment: Flask's, with globals whose keys are a real set.

Jinja checks, on every `{% from "x.html" import m %}`, whether the importing template has globals the imported one
lacks (`ctx.globals_keys - template.globals.keys()`). Template globals are a ChainMap, whose keys view makes that
difference in Python, key by key; an outcome page imports 72 macros and spent a tenth of its time there. Here the
difference is taken between two sets, and the imported module is still reused whenever it is empty.

It also holds the one filter every page showing a contact uses: `c | placeholders`."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment

from ..model import Contact


class _Globals(ChainMap[str, Any]):
    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


def placeholders(contact: Any) -> tuple[str, ...]:
    """The parts ("phone", "name") of a contact, the active rule set's or one stored with an outcome, still a
    placeholder such as "[MASH phone number]": pages show "Number not set up yet" instead (Contact decides)."""
    return Contact(contact.name, contact.phone, contact.when).placeholders


class TemplateEnvironment(Environment):
    def __init__(self, app: Any, **options: Any):
        super().__init__(app, **options)
        self.filters["placeholders"] = placeholders

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals(d or {}, self.globals)
