"""The layers hold: the core imports nothing above it; only web/, store/ and jobs/ import Flask, WTForms or SQLAlchemy;
no module reaches into another module's private names. Read from the source, so a new module is checked too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "screening"
UPPER = ("ruleset", "tools", "cli", "web", "store", "jobs")
FRAMEWORKS = ("flask", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy", "psycopg", "jinja2", "govuk_frontend_jinja")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(absolute module, names imported from it) for every import in `path`, at any depth."""
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((module, tuple(alias.name for alias in node.names)))
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "screening" and parts[1] in UPPER else "core"


def test_the_source_tree_is_what_these_checks_read():
    names = {dotted(p) for p in modules()}
    assert {"screening.engine", "screening.ruleset.loader", "screening.tools.impact", "screening.cli.main",
            "screening.web.views.screening", "screening.store.db"} <= names


# Which layers each layer may import. The package's own __init__ is the public API (it re-exports
# load_ruleset from ruleset/), so it is not a layer of its own.
MAY_IMPORT = {
    "core": {"core"},
    "ruleset": {"core", "ruleset"},
    "tools": {"core", "ruleset", "tools"},
    "store": {"core", "ruleset", "store"},
    "jobs": {"core", "ruleset", "tools", "store", "jobs"},
    "web": {"core", "ruleset", "tools", "store", "jobs", "web"},
    "cli": {"core", "ruleset", "tools", "store", "jobs", "web", "cli"},
}


@pytest.mark.parametrize("path", [p for p in modules() if p != PACKAGE / "__init__.py"], ids=lambda p: dotted(p))
def test_every_import_runs_down_the_layers(path):
    own = layer(dotted(path))
    wrong = [m for m, _ in imports(path) if m.startswith("screening") and layer(m) not in MAY_IMPORT[own]]
    assert wrong == [], f"{dotted(path)} ({own}) imports {wrong}"


@pytest.mark.parametrize("path", [p for p in modules() if layer(dotted(p)) not in ("web", "store", "jobs")],
                         ids=lambda p: dotted(p))
def test_only_web_store_and_jobs_import_frameworks(path):
    used = [m for m, _ in imports(path) if m.split(".")[0] in FRAMEWORKS]
    assert used == [], f"{dotted(path)} imports {used}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: dotted(p))
def test_no_module_imports_another_modules_private_names(path):
    private = [f"{m}.{name}" for m, names in imports(path) for name in names
               if name.startswith("_") and not name.startswith("__")]
    assert private == [], f"{dotted(path)} imports {private}"


def test_importing_and_using_the_engine_loads_no_web_or_database_library():
    check = ("import sys, screening; rs = screening.load_ruleset('tests/fixtures/tiny'); "
             "screening.evaluate(rs, {'age': 12}); "
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(FRAMEWORKS)!r}))")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    assert result.stdout.strip() == "[]"
