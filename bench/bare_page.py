"""The bare page for bench_web.py: one stored HTML page, served as it is by a Flask app that does nothing else
(and /healthz, so the benchmark can tell when it is up)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

app = Flask(__name__)
PAGE = Path(os.environ["BARE_PAGE"]).read_bytes()


@app.get("/")
def page() -> tuple[bytes, int, dict[str, str]]:
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@app.get("/healthz")
def healthz() -> str:
    return "ok"
