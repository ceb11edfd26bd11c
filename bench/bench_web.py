"""Benchmark: the outcome page, now and as it was at an earlier commit, in the same run, beside a bare page.

Run: .venv/bin/python bench/bench_web.py [--against REV] (needs `wrk`: apt-get install -y wrk; REV defaults to the
commit before the compiled rule set, 42e44b4). For each version: one completed section 47 screening made through
the real app; gunicorn (2 workers, both warmed up first) under wrk at 16 connections; then the outcome page's
in-process time (Flask's test client, median of 400 requests taken in four turns with the other version). The
bare page is the same HTML, byte for byte, served by a Flask app that does nothing else: the most that page size
and the server allow. Targets: at most half the earlier in-process time, and at least 1.5 times its requests per
second.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TODAY = "42e44b4"  # main before the compiled rule set (issue 18)


ANSWERS = {"about_child": {"child_reference": "BENCH", "concern_summary": "Seen getting into cars with older men",
                           "current_social_care_status": "none", "previous_concerns_12m": "0"},
           "signs": {"missing_episodes_90d": "4", "signs__disclosures": ["disclosure_sexual_abuse"],
                     "disclosure_sexual_abuse__when": "recent"},
           "child_voice": {"seen_alone": "yes", "child_words": "He said I owe him"},
           "family": {"other_children_household": "1"}}  # a completed section 47 screening's pages


def signed_in(env: dict) -> tuple:
    """In this process: the database prepared as the release step does, the app, and a test client signed in as the
    demo practitioner, with its CSRF token."""
    os.environ.update(env)
    from screening.store import Database, schema
    from screening.web import create_app

    schema.prepare(Database(env["DATABASE_URL"]), ROOT / "rules" / "default", demo=True)  # the release step
    client = create_app().test_client()
    token = found(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    client.post("/sign-in", data={"csrf_token": token, "username": "demo-practitioner",
                                  "password": "demo-practitioner-password"})
    return client, found(r'name="csrf_token" value="([^"]+)"', client.get("/").text)


def draft(client: FlaskClient, token: str, pages: dict) -> str:
    """A new draft screening (a school, a child of 14) with `pages` saved through the app; its id."""
    first = client.post("/screenings/new", data={"csrf_token": token, "agency": "school", "age": "14"})
    sid = first.location.split("/screenings/")[1].split("/")[0].split("?")[0]
    for page, data in pages.items():
        saved = client.post(f"/screenings/{sid}/pages/{page}", data={"csrf_token": token, **data})
        assert saved.status_code == 302, (page, re.findall(r'govuk-error-message">(.*?)</p>', saved.text, re.S))
    return sid


def completed(client: FlaskClient, token: str) -> tuple[str, str]:
    """A completed section 47 screening made through the app: its id and outcome page."""
    sid = draft(client, token, ANSWERS)
    checked = client.post(f"/screenings/{sid}/check", data={"csrf_token": token})
    assert checked.status_code == 302, re.findall(r'<a href="[^"]*#[^"]*">(.*?)</a>', checked.text)
    page = client.get(f"/screenings/{sid}/outcome")
    assert page.status_code == 200 and "section 47" in page.text.lower(), "the benchmark screening is not complete"
    return sid, page.text


def completed_screening(env: dict) -> dict:
    """In this process (run with the version's code first on the path): make one completed section 47 screening
    through the real app. Returns the screening id, session cookie and page."""
    client, token = signed_in(env)
    sid, html = completed(client, token)
    return {"sid": sid, "cookie": client.get_cookie("session").value, "html": html}


def in_process(env: dict, sid: str, cookie: str, requests: int) -> list[float]:
    """In this process (the version's code first on the path): seconds for each of `requests` GETs of the
    outcome page through Flask's test client, after a warm-up."""
    os.environ.update(env)
    from screening.web import create_app

    client = create_app().test_client()
    client.set_cookie("session", cookie)
    url = f"/screenings/{sid}/outcome"
    assert client.get(url).status_code == 200
    for _ in range(20):
        client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, cookie: str, seconds: int = 5) -> tuple[float, float]:
    """Requests per second and p95 (ms) of `url` under wrk at 16 connections, with the session `cookie` if any."""
    header = ["-H", f"Cookie: session={cookie}"] if cookie else []
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *header, url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:  # the figures would be an error page's
        sys.exit(f"{url} answered errors under load:\n{out}")
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    rps = float(found(r"Requests/sec:\s+([\d.]+)", out))
    p90, p99 = _ms(found(r"90%\s+([\d.]+\w+)", out)), _ms(found(r"99%\s+([\d.]+\w+)", out))
    return rps, p90 + (p99 - p90) * (5 / 9)  # wrk reports 50/75/90/99: p95 interpolated between 90 and 99


def _ms(text: str) -> float:
    unit = found(r"[\d.]+(\w+)", text)
    return float(text.removesuffix(unit)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def found(pattern: str, text: str) -> str:
    """The first group of `pattern`'s first match in `text`; the run stops, showing the text, if there is none."""
    match = re.search(pattern, text)
    if match is None:
        sys.exit(f"{pattern!r} not found in:\n{text[:3000]}")
    return match.group(1)


def served(app: str, env: dict, path: str, cookie: str, code: Path) -> tuple[float, float]:
    """Requests per second and p95 of `path` under gunicorn -w 2 running `app` from `code`, after a warm-up."""
    port = free_port()
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
                               "warning", app], env={**os.environ, **env, "PYTHONPATH": str(code)}, cwd=code)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        wrk(f"{base}{path}", cookie, 2)  # warm-up: both workers load the rule set, templates and connections
        return wrk(f"{base}{path}", cookie)
    finally:
        server.terminate()
        server.wait()


def child(code: Path, *args: str) -> object:
    """Run this file with `args` in a process where `code` comes first on the path; its last line, as JSON."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(code)}, cwd=code, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def version(code: Path, label: str) -> dict:
    """One version's completed screening, and its page's throughput under gunicorn."""
    tmp = Path(tempfile.mkdtemp())
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": secrets.token_hex(16),
           "SCREENING_DATA_DIR": str(tmp)}
    found: dict = child(code, "--make", json.dumps(env))  # type: ignore[assignment]
    found["rps"], found["p95"] = served("screening.web.wsgi:app", env, f"/screenings/{found['sid']}/outcome",
                                        found["cookie"], code)
    (tmp / "page.html").write_text(found["html"], encoding="utf-8")
    found.update(page=tmp / "page.html", label=label, env=env, code=code, times=[])
    return found


def time_in_process(versions: list[dict], rounds: int = 4, requests: int = 100) -> None:
    """Each version's in-process times, taken in turns so that a busy spell of the machine falls on both."""
    for _ in range(rounds):
        for v in versions:
            v["times"] += child(v["code"], "--time", json.dumps(v["env"]), v["sid"], v["cookie"], str(requests))
    for v in versions:
        v["in_process_ms"] = statistics.median(v["times"]) * 1e3
        v["spread_ms"] = [q * 1e3 for q in statistics.quantiles(v["times"], n=10)[::8]]


def main() -> None:
    if "--make" in sys.argv:  # a child process: the version's own code is first on the path
        print(json.dumps(completed_screening(json.loads(sys.argv[sys.argv.index("--make") + 1]))))
        return
    if "--time" in sys.argv:
        env, sid, cookie, requests = sys.argv[sys.argv.index("--time") + 1:]
        print(json.dumps(in_process(json.loads(env), sid, cookie, int(requests))))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    rev = sys.argv[sys.argv.index("--against") + 1] if "--against" in sys.argv else TODAY
    earlier = Path(tempfile.mkdtemp()) / "earlier"
    subprocess.run(["git", "worktree", "add", "-q", "--detach", str(earlier), rev], cwd=ROOT, check=True)
    try:
        before = version(earlier, f"at {rev}")
        now = version(ROOT, "now")
        time_in_process([before, now])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(earlier)], cwd=ROOT, check=True)
    bare = served("bare_page:app", {"BARE_PAGE": str(now["page"])}, "/", "", Path(__file__).resolve().parent)
    print(f"gunicorn -w 2, wrk -t2 -c16 -d5s after a 2 s warm-up; load average {os.getloadavg()[0]:.2f}")
    for v in (before, now):
        print(f"outcome page {v['label']:>12}: in process {v['in_process_ms']:.2f} ms (p10-p90 "
              f"{v['spread_ms'][0]:.2f}-{v['spread_ms'][1]:.2f}); {v['rps']:.0f} req/s, p95 {v['p95']:.1f} ms; "
              f"{len(v['html'].encode()):,} bytes")
    print(f"bare page, same bytes:     {bare[0]:.0f} req/s, p95 {bare[1]:.1f} ms")
    print(f"in-process time now / before: {now['in_process_ms'] / before['in_process_ms']:.2f} (target <= 0.5); "
          f"req/s now / before: {now['rps'] / before['rps']:.2f} (target >= 1.5); "
          f"outcome / bare: before {before['rps'] / bare[0]:.2f}, now {now['rps'] / bare[0]:.2f}")


if __name__ == "__main__":
    main()
