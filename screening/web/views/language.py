"""The language link on every page: it sets the preference, and only that, then goes back to the page it was
followed from (a draft is saved page by page, so nothing already saved is lost or changed)."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from ...store.models import User
from .. import locales
from ..access import allow
from ..context import database
from ..redirects import local_path

language = Blueprint("language", __name__)


@language.get("/language/<code>")
@allow("public")
def choose(code: str):
    """A GET link, as GOV.UK's language toggle is (it carries `hreflang`, works without JavaScript and sits outside
    every form): a forged one can only change the language shown, which the person sees and can change back."""
    if code not in locales.LANGUAGES:
        abort(404)
    if g.user is not None:
        with database().transaction() as tx:
            tx.get_one(User, g.user.id).language = code
    back = local_path(request.args.get("next")) or url_for("screening.start")
    return locales.remember(redirect(back), code)
