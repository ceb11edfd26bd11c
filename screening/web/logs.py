"""Application logs: configured once at start, one line per request (method, route pattern, status, duration, role).

Never a path's ids, a query string, an answer or a child's reference: the route pattern (`/screenings/<screening_id>`)
is all a line says about what was asked. LOG_FORMAT=json writes each line as a JSON object for a log collector."""

from __future__ import annotations

import json
import logging
import logging.config
import time

from flask import Flask, Response, g, request

LOGGER = "screening"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "request", None) or {"message": record.getMessage()}
        return json.dumps({"at": self.formatTime(record), "level": record.levelname, **fields})


def configure(level: str, fmt: str) -> None:
    """Send the app's logs (and nothing else's) to standard error, as text or JSON lines."""
    logging.config.dictConfig({
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"text": {"format": "%(asctime)s %(levelname)s %(message)s"}, "json": {"()": JsonLines}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": fmt}},
        "loggers": {LOGGER: {"handlers": ["stderr"], "level": level, "propagate": False}},
    })


def attach(app: Flask) -> None:
    """Time every request and log it when it ends."""
    log = logging.getLogger(f"{LOGGER}.requests")

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finished(response: Response) -> Response:
        if request.endpoint != "static":
            fields = {"method": request.method, "route": request.url_rule.rule if request.url_rule else "(no route)",
                      "status": response.status_code, "ms": round((time.perf_counter() - g.get("started", 0)) * 1000),
                      "role": g.user.role if g.get("user") else "anonymous"}
            log.info("%(method)s %(route)s -> %(status)s in %(ms)s ms (%(role)s)", fields, extra={"request": fields})
        return response
