"""One error blueprint: maps HTTP errors to GOV.UK-style pages (problem details on the API), and a database (or
the job queue in it) that does not answer to 503, with when to try again."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_babel import lazy_gettext as _l
from procrastinate.exceptions import ConnectorException
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..problems import allow_header, is_api, problem

errors = Blueprint("errors", __name__)

RETRY_AFTER_SECONDS = 30
PAGES = {  # (title, what to do), in the page's language
    400: (_l("There is a problem with your request"), _l("Go back and try again. If you were filling in a form, "
          "your answers on that page were not saved.")),
    403: (_l("You do not have access to this page"), _l("Ask your safeguarding lead or an administrator if you need "
          "it.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct. Screenings are only visible "
          "to the person who made them.")),
    405: (_l("There is a problem with your request"), _l("That action is not allowed here.")),
    409: (_l("That cannot be done yet"), _l("Complete the screening first.")),
    413: (_l("What you sent is too large"), _l("Shorten your answers and try again.")),
    401: (_l("Sign in to use this"), _l("A token is needed.")),
    415: (_l("There is a problem with your request"), _l("Send JSON.")),
    422: (_l("There is a problem with your request"), _l("Check the answers.")),
    429: (_l("Too many requests"), _l("Wait a minute and try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later. Nothing you had already saved is "
          "lost.")),
    503: (_l("Sorry, the service is unavailable"), _l("Try again in a minute. Nothing you had already saved is lost; "
          "if you were saving a page when this appeared, that page was not saved.")),
}
# What a database that has stopped answering raises (connection refused or dropped, the pool's wait run out).
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout, ConnectorException)  # the job queue is in it too


def _page(code: int, exc: Exception | None = None, headers: dict[str, str] | None = None):
    headers = {**allow_header(exc), **(headers or {})}
    if is_api(request.path):  # the JSON API answers problem details, never a page
        return problem(code, str(getattr(exc, "description", "") or ""), headers=headers)
    title, body = PAGES[code]
    return render_template("error.html", title=str(title), body=str(body)), code, headers


for _code in PAGES:
    errors.app_errorhandler(_code)(lambda exc, code=_code: _page(code, exc))


def database_down(exc: Exception):
    """One request line says so (logs.attach); no traceback per request while the database is away."""
    g.log_fields = {"error": "database unavailable"}
    return _page(503, None, {"Retry-After": str(RETRY_AFTER_SECONDS)})


for _error in DATABASE_DOWN:
    errors.app_errorhandler(_error)(database_down)
