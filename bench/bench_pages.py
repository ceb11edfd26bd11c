"""Benchmark: the signs page and the outcome page as fractions of /healthz, under gunicorn as shipped, in one run.

Run: make bench-pages (or .venv/bin/python bench/bench_pages.py [--turns N]; needs `wrk`: apt-get install -y wrk).
A file of its own rather than more of bench_web.py: that one sets one page beside itself at an earlier commit; this
one sets pages of one version beside the app's own floor, /healthz, on the same server in the same minutes, so the
fractions hold however busy the machine is and say what share of a worker's capacity each page takes.

One SQLite database (demo mode), filled through the real app: a draft screening with the child's details and some
signs answered, and a completed section 47 screening. gunicorn with the shipped settings
(`-c python:screening.web.gunicorn_conf`: its access log and escaped logger), 2 workers, every path warmed; then wrk
(2 threads, 16 connections, 2 s) on each path in turn, N turns (8 unless given), so that a busy spell of the machine
falls on every page alike. A page's fraction is its requests per second over /healthz's in the same turn (median and
range over the turns). /healthz is asked as a load balancer asks it (no cookie: the app's floor) and with the
session cookie (the floor of a signed-in page: the session's row checked, the user read). Then each path in process
(Flask's test client, 100 requests a turn, up to 4 turns), the signs page also with no theme's markup kept (every
theme drawn, as for answers not seen before).
"""

from __future__ import annotations

import http.client
import logging
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from bench_web import ANSWERS, VENV_BIN, completed, draft, free_port, signed_in, wrk
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
FLOOR, SIGNED_IN_FLOOR = "/healthz", "/healthz, session cookie"
SLICE = 2  # seconds of wrk on one path: short, so that a turn's paths see the same machine


class Page(NamedTuple):
    """A path to time, and whether it is asked with the session cookie."""

    label: str
    path: str
    signed_in: bool


def pages(env: dict) -> tuple[FlaskClient, list[Page]]:
    """In this process: a test client signed in as the demo practitioner, and the paths to time (the floor first);
    the signs page checked to show themes of signs."""
    client, token = signed_in(env)
    signs = f"/screenings/{draft(client, token, {p: ANSWERS[p] for p in ('about_child', 'signs')})}/pages/signs"
    outcome = f"/screenings/{completed(client, token)[0]}/outcome"
    assert 'name="signs__disclosures"' in client.get(signs).text, "the signs page has no themes of signs"
    return client, [Page(FLOOR, "/healthz", False), Page(SIGNED_IN_FLOOR, "/healthz", True),
                    Page("signs page (draft)", signs, True), Page("outcome page (section 47)", outcome, True)]


@contextmanager
def served(env: dict, cookie: str, paths: list[Page]) -> Iterator[str]:
    """gunicorn with the shipped settings and 2 workers; each path answered 200 by it, then warmed for 2 s."""
    port, log = free_port(), Path(env["SCREENING_DATA_DIR"]) / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "python:screening.web.gunicorn_conf", "-w", "2",
                                   "-b", f"127.0.0.1:{port}", "screening.web.wsgi:app"],
                                  env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, server, log)
        for page in paths:
            status = _status(port, page.path, cookie if page.signed_in else "")
            assert status == 200, f"{page.label} answered {status} under gunicorn"
            wrk(f"http://127.0.0.1:{port}{page.path}", cookie if page.signed_in else "", 2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _wait_for(port: int, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if _status(port, FLOOR, "") == 200:
                return
        except OSError:
            time.sleep(0.1)  # polling a server that is starting, not timing anything
    sys.exit(f"gunicorn did not answer in 30 s:\n{log.read_text()[-3000:]}")


def _status(port: int, path: str, cookie: str) -> int:
    """The status of one GET (a redirect to sign-in would be a 302, not the page)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Cookie": f"session={cookie}"} if cookie else {})
        return connection.getresponse().status
    finally:
        connection.close()


def under_load(base: str, cookie: str, paths: list[Page], turns: int) -> dict[str, list[tuple[float, float]]]:
    """Each path's requests per second and p95 (ms) under wrk, a path at a time, `turns` times round."""
    found: dict[str, list[tuple[float, float]]] = {page.label: [] for page in paths}
    for _ in range(turns):
        for page in paths:
            found[page.label].append(wrk(f"{base}{page.path}", cookie if page.signed_in else "", SLICE))
    return found


def in_process(client: FlaskClient, paths: list[Page], turns: int, requests: int = 100) -> dict[str, list[float]]:
    """Seconds for each GET through Flask's test client, `requests` of a path at a time, in turns; the signs page
    also with the kept themes forgotten before each request."""
    from screening.web.logs import LOGGER

    for handler in logging.getLogger(LOGGER).handlers:  # each request's line still made, and written to nowhere
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (open for the rest of the run)
    anonymous = client.application.test_client()
    themes = client.application.jinja_env._themes  # type: ignore[attr-defined]  # templating.TemplateEnvironment
    ways: dict[str, tuple[FlaskClient, str, Callable[[], object]]] = {
        page.label: (client if page.signed_in else anonymous, page.path, lambda: None) for page in paths}
    signs = next(page.path for page in paths if page.label.startswith("signs"))
    ways["signs page, no theme kept"] = (client, signs, themes.clear)
    for asker, path, _ in ways.values():
        for _ in range(20):
            assert asker.get(path).status_code == 200
    found: dict[str, list[float]] = {label: [] for label in ways}
    for _ in range(turns):
        for label, (asker, path, before) in ways.items():
            for _ in range(requests):
                before()
                start = time.perf_counter()
                asker.get(path)
                found[label].append(time.perf_counter() - start)
    return found


def report(loaded: dict[str, list[tuple[float, float]]], timed: dict[str, list[float]], sizes: dict[str, int]) -> None:
    def of(label: str, floor: str) -> str:
        """`label`'s requests per second over `floor`'s, turn by turn: the median and the range."""
        shares = sorted(r / f for (r, _), (f, _) in zip(loaded[label], loaded[floor], strict=True))
        return f"{statistics.median(shares):.3f} ({shares[0]:.3f}-{shares[-1]:.3f})"

    print(f"gunicorn -c python:screening.web.gunicorn_conf -w 2; wrk -t2 -c16 -d{SLICE}s a path at a time, "
          f"{len(loaded[FLOOR])} turns; load average {os.getloadavg()[0]:.2f}")
    print(f"  {'':<27} {'req/s':>6} {'p95 ms':>7}  of /healthz (turns)  of signed-in /healthz  bytes")
    for label, runs in loaded.items():
        print(f"  {label:<27} {statistics.median(r for r, _ in runs):6.0f} {statistics.median(p for _, p in runs):7.1f}"
              f"  {of(label, FLOOR):<19}  {of(label, SIGNED_IN_FLOOR):<21}  {sizes[label]:,}")
    print(f"in process (Flask's test client), {len(timed[FLOOR])} requests of each in turns:")
    base = statistics.median(timed[FLOOR])
    for label, times in timed.items():
        deciles = statistics.quantiles(times, n=10)
        print(f"  {label:<27} median {statistics.median(times) * 1e3:6.2f} ms (p10-p90 {deciles[0] * 1e3:.2f}-"
              f"{deciles[-1] * 1e3:.2f}), {statistics.median(times) / base:5.1f} x /healthz")


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    turns = int(sys.argv[sys.argv.index("--turns") + 1]) if "--turns" in sys.argv else 8
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": secrets.token_hex(32),
           "SCREENING_DATA_DIR": str(tmp)}
    client, paths = pages(env)
    cookie = client.get_cookie("session")
    assert cookie is not None, "the demo practitioner was not signed in"
    sizes = {page.label: len(client.get(page.path).data) for page in paths}
    with served(env, cookie.value, paths) as base:
        loaded = under_load(base, cookie.value, paths, turns)
    report(loaded, in_process(client, paths, min(turns, 4)), sizes)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
