"""Application logs: configured once at start, one line per request (method, route pattern, status, duration, role).

Never a path's ids, a query string, an answer or a child's reference: the route pattern (`/screenings/<screening_id>`)
is all a line says about what was asked. LOG_FORMAT=json writes each line as a JSON object for a log collector.
No text from a request can forge a line: control characters are escaped, and in the text format every line of a
traceback after the first is marked as belonging to the record above it."""

from __future__ import annotations

import json
import logging
import logging.config
import re
import time

from flask import Flask, Response, g, request

LOGGER = "screening"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escaped(text: str) -> str:
    """Control characters (CR, LF, NUL, ESC and the rest) written as escapes, so a value can never start a line."""
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


class Text(logging.Formatter):
    """'time LEVEL message', the message escaped; a traceback's lines follow, each marked '  | '."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escaped(record.message)
        return super().formatMessage(record)

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return "\n".join(f"  | {escaped(line)}" for line in super().formatException(ei).splitlines())


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "request", None) or {"message": record.getMessage()}
        if record.exc_info:
            fields = {**fields, "traceback": self.formatException(record.exc_info)}
        return json.dumps({"at": self.formatTime(record), "level": record.levelname, **fields})


def configure(level: str, fmt: str, also: tuple[str, ...] = ()) -> None:
    """Send the app's logs (and the `also` loggers', nothing else's) to standard error, as text or JSON lines."""
    logging.config.dictConfig({
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"text": {"()": Text}, "json": {"()": JsonLines}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": fmt}},
        "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False} for name in (LOGGER, *also)},
    })


def route() -> str:
    """What was asked, as the route pattern: never the path's own values."""
    return request.url_rule.rule if request.url_rule else "(no route)"


def unhandled(exc_info) -> None:
    """An error no handler answered: the route pattern and the traceback (Flask's own line names the path)."""
    logging.getLogger(f"{LOGGER}.errors").error("unhandled error in %s %s", request.method, route(),
                                                 exc_info=exc_info,
                                                 extra={"request": {"error": "unhandled", "method": request.method,
                                                                    "route": route()}})


def attach(app: Flask) -> None:
    """Time every request and log it when it ends."""
    log = logging.getLogger(f"{LOGGER}.requests")

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finished(response: Response) -> Response:
        if request.endpoint != "static":
            fields = {"method": request.method, "route": route(), "status": response.status_code,
                      "ms": round((time.perf_counter() - g.get("started", 0)) * 1000),
                      "role": g.user.role if g.get("user") else "anonymous", **g.get("log_fields", {})}
            log.info("%(method)s %(route)s -> %(status)s in %(ms)s ms (%(role)s)%(why)s",
                     {**fields, "why": f": {fields['error']}" if "error" in fields else ""}, extra={"request": fields})
        return response
