"""Browser-test harness: Playwright (pytest-playwright) driving Debian's Chromium.

What this provides to tests in tests/browser/:

- ``browser_type_launch_args`` (session): launches /usr/bin/chromium (or $CHROMIUM_PATH)
  with flags that work as root and offline. Never run ``playwright install``.
- ``live_server`` (session): serves the app from the ``browser_app`` fixture on
  127.0.0.1 with an ephemeral port, in a daemon thread; yields the base URL.
- ``browser_app`` (session): the app under test, on a temporary SQLite database.
- ``assert_no_axe_violations`` (fixture): call it as ``assert_no_axe_violations(page)``
  for an axe-core accessibility check (axe-playwright-python injects axe with
  page.evaluate, so it works under a strict CSP).
- ``scriptless_page``: a page whose scripts never load, for axe checks of what users
  without JavaScript see (axe cannot run where java_script_enabled=False).

The front-end assets are built (``frontend/build.sh``, fast when up to date) before a
server starts. When Playwright, Chromium or Node is missing the browser tests are
skipped with the reason; set SCREENING_BROWSER_TESTS=required (CI) to fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD_SCRIPT = ROOT / "frontend" / "build.sh"
BUILT_ASSETS = ("css/app.css", "js/govuk-frontend.min.js", "js/init.js")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # needed when running as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No outbound connections: only the package registries are reachable here.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

REQUIRED = os.environ.get("SCREENING_BROWSER_TESTS", "").lower() == "required"


def _missing_prerequisite() -> str | None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
        import pytest_playwright  # noqa: F401
    except ImportError as exc:
        return f"browser test package not installed: {exc.name} (pip install pytest-playwright axe-playwright-python)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium; never `playwright install`)"
    if shutil.which("npm") is None:
        return "npm not found: frontend/build.sh needs Node 20+ and npm"
    return None


MISSING = _missing_prerequisite()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MISSING is None:
        return
    if REQUIRED:
        raise pytest.UsageError(f"SCREENING_BROWSER_TESTS=required but {MISSING}")
    skip = pytest.mark.skip(reason=MISSING)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


# --- Browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Override pytest-playwright's launch arguments: system Chromium, offline flags."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Same as pytest-playwright's own fallback ``base_url`` fixture, which pytest 9 warns
    about (a session fixture defined as an instance method: PytestRemovedIn10Warning,
    an error under our filterwarnings = error). Tests here pass full URLs."""
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


# --- Accessibility -----------------------------------------------------------------------


def _assert_no_axe_violations(page, *, context: str | dict | None = None, disable: tuple[str, ...] = ()) -> None:
    """Fail with a readable report if axe-core finds any violation on the page.

    The page's context must allow JavaScript (axe runs in the page); for what users
    without JavaScript see, use ``scriptless_page``.

    Runs every axe rule enabled by default (WCAG 2.x A and AA, and best practice), with no
    exceptions (init.js takes off the aria-expanded GOV.UK Frontend puts on revealing radios).
    ``context`` limits the check to part of the page (a CSS selector or an axe context
    object); ``disable`` turns off rules by id: say why wherever you use it.
    """
    from axe_playwright_python.base import AxeResults
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    # axe.run waits on timers, which never fire in a context made with
    # java_script_enabled=False: it would hang for ever. Check first, and fail fast.
    page.evaluate("setTimeout(() => { window.__axeTimerProbe = true }, 0)")
    try:
        page.wait_for_function("() => window.__axeTimerProbe === true", timeout=2000)
    except PlaywrightTimeoutError:
        pytest.fail(
            "axe cannot run in a context with JavaScript disabled (timers never fire). "
            "Check the no-JavaScript rendering with the `scriptless_page` fixture instead."
        )

    options: dict = {"resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    results = AxeResults(Axe().run(page, context=context, options=options).response)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture(scope="session")
def assert_no_axe_violations():
    """The axe check as a fixture, so tests need no import: ``assert_no_axe_violations(page)``."""
    return _assert_no_axe_violations


@pytest.fixture
def scriptless_page(new_context):
    """A page whose own scripts never load: what a user without JavaScript sees.

    Unlike a context with java_script_enabled=False, axe (which Playwright injects) can
    still run here. Our pages have no inline scripts (strict CSP), so blocking script
    requests is equivalent to JavaScript being off.
    """
    context = new_context()
    context.route(
        "**/*",
        lambda route: route.abort() if route.request.resource_type == "script" else route.continue_(),
    )
    return context.new_page()


# --- Servers ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_assets() -> Path:
    """Run frontend/build.sh (a no-op when up to date) and return the static folder."""
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"frontend/build.sh failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    static = ROOT / "screening" / "web" / "static"
    missing = [name for name in BUILT_ASSETS if not (static / name).is_file()]
    assert not missing, f"frontend/build.sh did not produce {missing}"
    return static


def _serve(app) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="session")
def live_server(browser_app, built_assets: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of ``browser_app`` served on loopback."""
    yield from _serve(browser_app)


def app_with_worker(directory: Path) -> Iterator:
    """The real app in demo configuration on a new SQLite database in `directory`, with a real worker process
    beside it for the background work (as `screening serve` starts one)."""
    from screening.web import create_app
    from tests.conftest import prepared_database

    app = create_app({"DATABASE_URL": prepared_database(directory), "TESTING": True})
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "VIGNETTES_PATH": app.config["VIGNETTES_PATH"]}
    worker = subprocess.Popen([sys.executable, "-m", "screening.cli", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield app
    finally:
        worker.terminate()
        worker.wait(timeout=60)


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory):
    """The real app under test (app_with_worker)."""
    yield from app_with_worker(tmp_path_factory.mktemp("browser"))
