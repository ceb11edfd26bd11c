"""The app's Jinja environment: Flask's, with globals whose keys are a real set.

Jinja checks, on every `{% from "x.html" import m %}`, whether the importing template has globals the imported one
lacks (`ctx.globals_keys - template.globals.keys()`). Template globals are a ChainMap, whose keys view makes that
difference in Python, key by key; an outcome page imports 72 macros and spent a tenth of its time there. Here the
difference is taken between two sets, and the imported module is still reused whenever it is empty.

It also holds the one filter every page showing a contact uses, `c | placeholders`, and `field | markup`, which
renders a question or a theme of signs and keeps a theme's markup: the signs page is fifteen themes of the same
GOV.UK macros over the same rule set, and most come back answered alike (not opened, or "no")."""

from __future__ import annotations

import hashlib
from collections import ChainMap
from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment
from flask_babel import get_locale
from markupsafe import Markup

from ..model import Contact


class _Globals(ChainMap[str, Any]):
    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


def placeholders(contact: Any) -> tuple[str, ...]:
    """The parts ("phone", "name") of a contact, the active rule set's or one stored with an outcome, still a
    placeholder such as "[MASH phone number]": pages show "Number not set up yet" instead (Contact decides)."""
    return Contact(contact.name, contact.phone, contact.when).placeholders


KEPT_THEMES = 512  # themes' markup kept per process before the store starts again (about 10 MB at most)


class TemplateEnvironment(Environment):
    def __init__(self, app: Any, **options: Any):
        super().__init__(app, **options)
        self.filters["placeholders"] = placeholders
        self.filters["markup"] = self.field_markup
        self._themes: dict[bytes, Markup] = {}

    def field_markup(self, rendered: Any) -> Markup:
        """A rendered field (forms.fields.Rendered) as HTML, by the `fact_field` macro. A theme of signs is a pure
        function of its parameters (the rule set's words and this request's answers and errors) and of the page's
        language: its markup is kept by a digest of them, so a theme answered as another request answered it is not
        drawn again."""
        draw = self.get_template("macros/fields.html").module.fact_field  # type: ignore[attr-defined]
        if rendered.macro != "signGroup":
            return draw(rendered)  # a macro of an autoescaped template: already Markup
        key = hashlib.blake2b(repr((str(get_locale()), rendered.params)).encode(), digest_size=20).digest()
        found = self._themes.get(key)
        if found is None:
            if len(self._themes) >= KEPT_THEMES:
                self._themes.clear()
            found = self._themes[key] = draw(rendered)
        return found

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals(d or {}, self.globals)
