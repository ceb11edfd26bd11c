"""Web layer: the app factory. Views are thin: build form → validate → call the engine → render or redirect."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from .. import load_ruleset
from ..store import Database

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {
    "RULES_PATH": str(ROOT / "rules" / "default"),
    "DATABASE_URL": f"sqlite:///{ROOT / 'instance' / 'screening.db'}",
    "DEMO": True,
    "WTF_CSRF_TIME_LIMIT": None,  # tokens last as long as the session
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
csrf = CSRFProtect()


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the defaults (demo mode, SQLite under instance/, the default rule set)."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/assets",
                instance_path=str(ROOT / "instance"))
    app.config.update(DEFAULTS, SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32))
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    app.config.update(config or {})
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions["ruleset"] = load_ruleset(app.config["RULES_PATH"])
    database = Database(app.config["DATABASE_URL"])
    database.create_all()
    app.extensions["db"] = database
    csrf.init_app(app)
    _register(app)
    return app


def _register(app: Flask) -> None:
    from .errors import errors
    from .screening_views import screening
    from .training_views import training

    app.register_blueprint(screening)
    app.register_blueprint(training)
    app.register_blueprint(errors)

    @app.get("/healthz")
    def healthz():
        return "ok", 200, {"Content-Type": "text/plain"}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
        return response
