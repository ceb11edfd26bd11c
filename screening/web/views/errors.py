"""One error blueprint: maps HTTP errors to GOV.UK-style pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..problems import is_api, problem

errors = Blueprint("errors", __name__)

PAGES = {
    400: ("There is a problem with your request", "Go back and try again. If you were filling in a form, your "
          "answers on that page were not saved."),
    403: ("You do not have access to this page", "Ask your safeguarding lead or an administrator if you need it."),
    404: ("Page not found", "If you typed the web address, check it is correct. Screenings are only visible to "
          "the person who made them."),
    405: ("There is a problem with your request", "That action is not allowed here."),
    409: ("That cannot be done yet", "Complete the screening first."),
    413: ("What you sent is too large", "Shorten your answers and try again."),
    401: ("Sign in to use this", "A token is needed."),
    415: ("There is a problem with your request", "Send JSON."),
    422: ("There is a problem with your request", "Check the answers."),
    429: ("Too many requests", "Wait a minute and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you had already saved is lost."),
}


def _page(code: int, exc: Exception | None = None):
    if is_api(request.path):  # the JSON API answers problem details, never a page
        return problem(code, str(getattr(exc, "description", "") or ""))
    title, body = PAGES[code]
    return render_template("error.html", title=title, body=body), code


for _code in PAGES:
    errors.app_errorhandler(_code)(lambda exc, code=_code: _page(code, exc))
