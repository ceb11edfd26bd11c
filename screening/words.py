"""The words the core writes itself (a referral's headings, a timescale, "Not known"), in the language asked for.

One catalogue holds the app's own words, the pages' and the core's (`screening/translations`, ADR 0028). The web
layer says which language a request speaks; a worker or a command that says nothing speaks English. The rule set's
words are the rule set's (ADR 0026), never looked up here."""

from __future__ import annotations

import gettext as catalogues
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date

CATALOGUES = Path(__file__).resolve().parent / "translations"
ENGLISH = "en"
_speaking: ContextVar[str | None] = ContextVar("speaking", default=None)
_by_default: Callable[[], str] = lambda: ENGLISH  # noqa: E731 - the web layer's: the request's language


@cache
def catalogue(code: str) -> catalogues.NullTranslations:
    """The compiled catalogue of language `code` (English is the words as written). Without one (not compiled yet:
    `make translations`) a command or worker writes English; the web app refuses to start without it
    (web/locales.py), since a reader who chose Welsh must never silently get English."""
    if code == ENGLISH:
        return catalogues.NullTranslations()
    return catalogues.translation("messages", CATALOGUES, [code], fallback=True)


def language() -> str:
    """The language being spoken now: the one `speaking` says, else the default's (English unless told)."""
    return _speaking.get() or _by_default()


def speak_by_default(choose: Callable[[], str]) -> None:
    """Let `choose` say the language wherever `speaking` does not (the web layer: the request's language)."""
    global _by_default
    _by_default = choose


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` inside the block, then as before."""
    token = _speaking.set(code)
    try:
        yield
    finally:
        _speaking.reset(token)


def gettext(message: str, **values: object) -> str:
    """`message` in the language spoken now, with `%(name)s` filled from `values`."""
    text = catalogue(language()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for `n` in the language spoken now (Welsh has six); `%(num)d` is `n`."""
    text = catalogue(language()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def long_date(day: date | datetime | None) -> str:
    """'3 March 2012' ('3 Mawrth 2012'): a date as the pages and documents write it, in the language spoken."""
    return format_date(day, "d MMMM y", locale=language()) if day else ""


def date_time(at: datetime | None) -> str:
    """'3 March 2012 at 14:05' ('3 Mawrth 2012 am 14:05'), as the clock shows it (no time-zone change)."""
    return gettext("%(day)s at %(time)s", day=long_date(at), time=at.strftime("%H:%M")) if at else ""


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark `message` for the catalogue where it is written (a module's table); `gettext` it where it is shown."""
    return message

