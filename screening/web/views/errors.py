"""One error blueprint: maps HTTP errors to GOV.UK-style pages (problem details on the API), and a database that
does not answer to 503, with when to try again."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..problems import allow_header, is_api, problem

errors = Blueprint("errors", __name__)

RETRY_AFTER_SECONDS = 30
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
    503: ("Sorry, the service is unavailable", "Try again in a minute. Nothing you had already saved is lost; "
          "if you were saving a page when this appeared, that page was not saved."),
}
# What a database that has stopped answering raises (connection refused or dropped, the pool's wait run out).
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)


def _page(code: int, exc: Exception | None = None, headers: dict[str, str] | None = None):
    headers = {**allow_header(exc), **(headers or {})}
    if is_api(request.path):  # the JSON API answers problem details, never a page
        return problem(code, str(getattr(exc, "description", "") or ""), headers=headers)
    title, body = PAGES[code]
    return render_template("error.html", title=title, body=body), code, headers


for _code in PAGES:
    errors.app_errorhandler(_code)(lambda exc, code=_code: _page(code, exc))


def database_down(exc: Exception):
    """One request line says so (logs.attach); no traceback per request while the database is away."""
    g.log_fields = {"error": "database unavailable"}
    return _page(503, None, {"Retry-After": str(RETRY_AFTER_SECONDS)})


for _error in DATABASE_DOWN:
    errors.app_errorhandler(_error)(database_down)
