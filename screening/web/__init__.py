"""Web layer: the app factory. Views (views/) are thin: build form → validate → call the engine → render or
redirect; what they share is in context.py."""

from __future__ import annotations

import math
import os
from pathlib import Path

from flask import Flask, abort, g, request
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from ..errors import Location, RuleError
from ..jobs import JobQueue
from ..store import Database, rulesets, schema, sealing
from ..tools.vignettes import VignettesInvalid, load_vignettes
from . import locales, logs, oidc, settings
from .access import check_access, load_user
from .impact_previews import ImpactPreviews
from .navigation import menu, role_name
from .settings import ConfigurationError
from .templating import TemplateEnvironment
from .views import BLUEPRINTS

BLUEPRINTS_BY_NAME = {b.name: b for b in BLUEPRINTS}

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "default", "secret-key"}

HERE = Path(__file__).resolve().parent  # templates/ and static/ ship inside the package
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
csrf = CSRFProtect()


class ScreeningApp(Flask):
    def log_exception(self, exc_info) -> None:
        """An unhandled error: logged by route pattern with its traceback (Flask's own line names the path)."""
        logs.unhandled(exc_info)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment (web/settings.py), then `config` (tests and embedding)."""
    values = settings.load(os.environ, config or {})
    app = ScreeningApp(__name__, static_folder=str(HERE / "static"), static_url_path="/assets",
                instance_path=str(values["DATA_DIR"]))
    app.jinja_environment = TemplateEnvironment  # before app.jinja_env is first used
    app.config.update(values)
    _settle_mode(app)
    oidc.init_app(app)  # the sign-in providers, checked now
    if oidc.origins(app):  # signing out sends the sign-out form on to a provider's end-session page
        app.extensions["csp"] = CSP.replace("form-action 'self'", f"form-action 'self' {oidc.origins(app)}")
    logs.configure(str(app.config["LOG_LEVEL"]), str(app.config["LOG_FORMAT"]))
    if app.config["TRUSTED_PROXY_HOPS"]:  # behind N reverse proxies: take the client address and scheme from them
        hops = int(app.config["TRUSTED_PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(HERE / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    locales.init_app(app)  # the pages' words in English or Welsh (Flask-Babel)
    database = Database(app.config["DATABASE_URL"])
    schema.require_ready(database)  # the release step (`screening db upgrade`, `db seed`) prepares it, once
    app.extensions["db"] = database
    with database.reading() as tx:
        active = rulesets.active_ruleset(tx)
    _load_vignette_library(app, active)
    app.extensions["impact_previews"] = ImpactPreviews(database, JobQueue(app.config["DATABASE_URL"]))
    app.before_request(refuse_malformed_requests)  # before the CSRF check, which reads every field's name
    csrf.init_app(app)
    _register(app)
    csrf.exempt(BLUEPRINTS_BY_NAME["api"])  # token callers never carry the session cookie CSRF protects
    return app


def _load_vignette_library(app: Flask, active) -> None:
    """The training vignettes (config VIGNETTES_PATH), checked against the active rule set. A broken library
    is reported on the training page and in the log; it never stops practitioners screening."""
    path = app.config["VIGNETTES_PATH"]
    try:
        library, errors = load_vignettes(path, active), []
    except VignettesInvalid as exc:
        library, errors = (), exc.errors
        app.logger.error("vignette library %s not loaded:\n%s", path, exc)
    except FileNotFoundError:  # an installed package has no rules/vignettes: VIGNETTES_PATH says where they are
        library = ()
        errors = [RuleError(Location(str(path), 1, 1), "no vignette library here", hint="set VIGNETTES_PATH")]
        app.logger.error("vignette library %s not found: set VIGNETTES_PATH", path)
    app.extensions["vignettes"] = {v.id: v for v in library}
    app.extensions["vignette_errors"] = errors


def _settle_mode(app: Flask) -> None:
    """Demo: local, generated secret, demo accounts. Production: a strong SECRET_KEY, secure cookies, no demo."""
    if app.config["MODE"] not in ("demo", "production"):
        raise ConfigurationError(f"SCREENING_MODE must be demo or production, not {app.config['MODE']!r}")
    demo = app.config["MODE"] == "demo"
    app.config["DEMO"] = demo
    app.extensions["keys"] = _identity_keys(app, demo)
    if demo:
        app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or settings.demo_secret(app.config["DATA_DIR"])
        return
    key = str(app.config.get("SECRET_KEY") or "")
    if key.lower() in WEAK_SECRETS or not strong_secret(key):
        raise ConfigurationError("refusing to start in production without a strong SECRET_KEY: 32 or more random "
                                 "characters, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`")
    unnamed = [s.env for s in settings.SETTINGS if s.name in settings.NAMED_ON_NOTICES and not app.config[s.name]]
    if unnamed:
        raise ConfigurationError(f"refusing to start in production without {', '.join(unnamed)}: the privacy notice "
                                 "and accessibility statement name them (docs/configuration.md)")
    app.config["SESSION_COOKIE_SECURE"] = True


def _identity_keys(app: Flask, demo: bool) -> sealing.Keys:
    """The keys sealing children's identities: from the settings, else (demo mode only) kept in DATA_DIR."""
    given = str(app.config.get("IDENTITY_KEYS") or ""), str(app.config.get("INDEX_KEY") or "")
    try:
        if demo and not any(given):
            return sealing.demo_keys(app.config["DATA_DIR"])
        return sealing.keys_from(*given)
    except sealing.KeysMissing as exc:
        raise ConfigurationError(f"refusing to start: {exc}") from None


def refuse_malformed_requests() -> None:
    """A form part without a name (possible in a hand-made multipart body) is a bad request, not a crash; so is a
    NUL character anywhere in the address, the query or a form (no one types one, and PostgreSQL text cannot hold
    it). Nothing of such a request is saved."""
    if "\x00" in request.path:
        abort(404)
    if _has_nul(request.args) or (request.method == "POST" and (None in request.form or None in request.files
                                                                or _has_nul(request.form))):
        abort(400)


def _has_nul(fields) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in fields.items(multi=True))


class RecordId(IntegerConverter):
    """`<id:...>` in a route: a whole number that fits a database id column (a larger one is a 404, never an
    overflow in the database driver)."""

    def __init__(self, url_map: Map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def strong_secret(key: str) -> bool:
    """At least 32 characters carrying at least 128 bits, estimated from how many distinct characters it uses:
    'a' * 32 and a repeated word fail; 64 hex digits from a random source pass."""
    distinct = len(set(key))
    return len(key) >= 32 and distinct >= 10 and len(key) * math.log2(distinct) >= 128


def _register(app: Flask) -> None:
    app.url_map.converters["id"] = RecordId
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    logs.attach(app)
    app.before_request(load_user)
    app.before_request(check_access)

    @app.context_processor
    def navigation():
        return {"current_user": g.get("user"), "service_navigation": menu(g.get("user"), request.path),
                "idle_timeout_minutes": app.config["IDLE_TIMEOUT_MINUTES"], "role_name": role_name}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", app.extensions.get("csp", CSP))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")  # pages hold children's details
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={int(app.config['HSTS_SECONDS'])}")
        return response
