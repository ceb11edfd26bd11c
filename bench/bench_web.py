"""Benchmark: the outcome page under gunicorn (2 workers) with wrk on loopback, beside a trivial route.

Run: .venv/bin/python bench/bench_web.py (needs `wrk`: apt-get install -y wrk). Prints requests/s for both routes,
their ratio, and p95 latency at 16 connections (target: outcome p95 under 50 ms).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def completed_screening(env: dict) -> tuple[str, str]:
    """Make one completed section 47 screening through the real app; return (screening id, session cookie)."""
    os.environ.update(env)
    from screening.store import Database, schema
    from screening.web import create_app

    schema.prepare(Database(env["DATABASE_URL"]), ROOT / "rules" / "default", demo=True)  # the release step
    app = create_app()
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    client.post("/sign-in", data={"csrf_token": token, "username": "demo-practitioner",
                                  "password": "demo-practitioner-password"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    sid = client.post("/screenings", data={"csrf_token": token}).location.rsplit("/", 1)[1]
    pages = {"about-you": {"agency": "school"},
             "about_child": {"child_reference": "BENCH", "age": "14", "current_social_care_status": "none"},
             "history": {"missing_episodes_90d": "4", "previous_concerns_12m": "2", "concern_agencies_12m": "2"},
             "child_voice": {"seen_alone": "yes", "child_words": "He said I owe him"},
             "household": {"other_children_household": "1"},
             "indicators-disclosures": {"disclosure_sexual_abuse": "yes", "disclosure_sexual_abuse__when": "recent"}}
    for page, data in pages.items():
        client.post(f"/screenings/{sid}/pages/{page}", data={"csrf_token": token, **data})
    client.post(f"/screenings/{sid}/check", data={"csrf_token": token})
    assert client.get(f"/screenings/{sid}/outcome").status_code == 200, "the benchmark screening is not complete"
    cookie = client.get_cookie("session").value
    return sid, cookie


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, cookie: str) -> tuple[float, float]:
    out = subprocess.run(["wrk", "-t2", "-c16", "-d5s", "--latency", "-H", f"Cookie: session={cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p90 = _ms(re.search(r"90%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    return rps, p90 + (p99 - p90) * (5 / 9)  # wrk reports 50/75/90/99: p95 interpolated between 90 and 99


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp())
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": secrets.token_hex(16)}
    sid, cookie = completed_screening(env)
    port = free_port()
    extra = sys.argv[1:]  # e.g. --worker-class gthread --threads 4
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
                               "warning", *extra, "screening.web.wsgi:app"], env={**os.environ, **env}, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        trivial = wrk(f"{base}/healthz", cookie)
        outcome = wrk(f"{base}/screenings/{sid}/outcome", cookie)
    finally:
        server.terminate()
        server.wait()
    print(f"gunicorn -w 2 {' '.join(extra)}; wrk -t2 -c16 -d5s")
    print(f"trivial /healthz: {trivial[0]:.0f} req/s, p95 {trivial[1]:.1f} ms")
    print(f"outcome page:     {outcome[0]:.0f} req/s, p95 {outcome[1]:.1f} ms (target p95 < 50 ms)")
    print(f"ratio outcome/trivial: {outcome[0] / trivial[0]:.2f}")


if __name__ == "__main__":
    main()
