"""The language of the pages' own words (ADR 0028): English or Welsh, chosen with the link on every page.

The choice is kept on the account of someone signed in, and in a cookie for everyone (so it outlasts signing in and
out); without either, the browser's Accept-Language decides, and English when it names neither. Texts that come
from the rule set are the rule set's (ADR 0026); these are the app's."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import Babel, force_locale, get_locale, get_translations

from .. import words
from ..model import SOURCE_KINDS
from ..timescale import timescale_words
from .settings import ConfigurationError

LANGUAGES = {"en": "English", "cy": "Cymraeg"}  # each language's name in its own words: what its link says
DEFAULT = "en"
COOKIE = "language"
COOKIE_DAYS = 365
TRANSLATIONS = words.CATALOGUES


def init_app(app: Flask) -> None:
    """Flask-Babel over the catalogues in screening/translations; refuses to start when one is not compiled, since a
    missing catalogue would silently show English to someone who chose Welsh."""
    missing = [code for code in LANGUAGES if code != DEFAULT
               and not (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").is_file()]
    if missing:
        raise ConfigurationError(f"the {', '.join(missing)} message catalogue is not compiled: run `make "
                                 "translations` (pybabel compile -d screening/translations)")
    Babel(app, locale_selector=chosen, default_translation_directories=str(TRANSLATIONS))
    # Flask-Babel's callables (added by Jinja's i18n extension), finding the catalogue once per request, not per word
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalogue().ugettext(s), ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        newstyle=True)
    app.context_processor(lambda: {"page_language": current(), "language_links": links()})
    words.speak_by_default(current)  # the core's documents in the page's language
    app.jinja_env.filters.update(long_date=words.long_date, date_time=words.date_time, timescale=timescale_words,
                                 source_kind=lambda kind: words.gettext(SOURCE_KINDS.get(kind) or str(kind)))


def chosen() -> str:
    """The account's language, else the cookie's, else the browser's best match, else English (and English for
    anything drawn outside a request)."""
    if not has_request_context():
        return DEFAULT
    user = g.get("user")
    if user is not None and user.language in LANGUAGES:
        return user.language
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return next((tag for tag in (value.split("-")[0].lower() for value, _ in request.accept_languages)
                 if tag in LANGUAGES), DEFAULT)  # by the browser's order: "cy-GB, en;q=0.5" is Welsh


def _catalogue():
    """This request's translations (a page asks for a hundred words; Flask-Babel looks them up for each)."""
    kept = g.setdefault("page_catalogues", {})
    code = current()  # usually the page's; a document may be drawn in its own language (`in_language`)
    if code not in kept:
        kept[code] = get_translations()
    return kept[code]


def in_language(code: str):
    """Draw what follows in language `code` (a document in the words it was produced with), then as before."""
    return force_locale(code)


def current() -> str:
    """The language of this request's page ("en" or "cy"), for `<html lang>` and the language link."""
    return str(get_locale() or DEFAULT)


def links() -> list[dict]:
    """The language link's items: each language by its own name, the current one not a link, the others back to
    this page once chosen."""
    if not has_request_context():
        return []
    here = request.full_path.rstrip("?")
    return [{"code": code, "name": name, "current": code == current(),
             "href": url_for("language.choose", code=code, next=here)} for code, name in LANGUAGES.items()]


def remember(response, code: str):
    """Keep `code` in the browser's cookie (the account, if any, is the caller's to update)."""
    response.set_cookie(COOKIE, code, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
