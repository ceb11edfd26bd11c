"""Web layer: app factory. Thin views over the engine."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .. import load_ruleset

ROOT = Path(__file__).resolve().parents[2]


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app; `config` overrides the defaults (demo mode, default rule set)."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                static_url_path="/assets")
    app.config.update(RULES_PATH=str(ROOT / "rules" / "default"), DEMO=True)
    app.config.update(config or {})
    ruleset = load_ruleset(app.config["RULES_PATH"])

    @app.get("/")
    def index() -> str:
        m = ruleset.meta
        return (f"<!doctype html><html lang='en'><title>CSE screening decision aid</title>"
                f"<h1>CSE screening decision aid (demo)</h1><p>Rule set {m.id} version {m.version}, "
                f"{len(ruleset.indicators)} indicators, {len(ruleset.rules)} rules.</p></html>")

    return app
