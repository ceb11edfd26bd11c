"""Benchmark: what a screening costs a practitioner, measured in a real browser.

For three cases (few signs, the school case from the walk-through, immediate danger) it drives Debian's Chromium
through the app from "Start a screening" to the outcome and reports page loads, answers given, the HTML bytes and
visible words of every page on the way (and of the outcome alone), and the A4 page counts of the printed outcome
and of the referral PDF. Targets: at most 10 page loads, an outcome that prints on at most 4 pages, a referral of
at most 2.

Run: make bench-journey (or .venv/bin/python bench/journey.py). Needs the browser-test packages and Chromium.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.cases import FEW_SIGNS, IMMEDIATE_DANGER, SCHOOL_CASE, button_for  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.signin import sign_in  # noqa: E402

CASES = {"few signs": FEW_SIGNS, "school case": SCHOOL_CASE, "immediate danger": IMMEDIATE_DANGER}
BEFORE = {"page loads": 48, "answers given": 104, "printed outcome pages": 20}  # the walk-through on the old design


class Meter:
    """Counts what the practitioner sees: document loads, their HTML and their visible words."""

    def __init__(self, page):
        self.page, self.loads, self.bytes, self.words, self.answers = page, 0, 0, 0, 0
        page.on("response", self._response)
        page.on("load", lambda _: self._load())

    def _response(self, response) -> None:
        if response.request.resource_type == "document" and response.status == 200:
            self.bytes += len(response.body())

    def _load(self) -> None:
        self.loads += 1
        self.words += len(self.page.evaluate("document.body.innerText").split())

    def answer(self, answers: dict) -> None:
        for name, value in answers.items():
            for one in value if isinstance(value, list) else [value]:
                field = self.page.locator(f'[name="{name}"]')
                if field.first.get_attribute("type") in ("radio", "checkbox"):
                    self.page.locator(f'[name="{name}"][value="{one}"]').check()
                else:
                    field.fill(one)
                self.answers += 1


def run_case(page, base: str, pages: list[tuple[str, dict]]) -> dict:
    sign_in(page, base)
    meter = Meter(page)
    page.goto(base + "/")
    page.get_by_role("button", name="Start a screening").click()
    for page_id, answers in pages:
        if page_id == "danger":
            page.get_by_role("button", name="I have called: carry on recording").click()
            continue
        meter.answer(answers)
        page.get_by_role("button", name=button_for(page_id, answers)).click()
    page.get_by_role("button", name="Get the recommendation").click()
    page.locator("#route-panel").wait_for()
    outcome_html = page.content()
    outcome_words = len(page.evaluate("document.body.innerText").split())
    printed = pdf_pages(page.pdf(format="A4"))
    sid = re.search(r"/screenings/([0-9a-f]{32})/", page.url).group(1)
    referral = pdf_pages(page.request.get(f"{base}/screenings/{sid}/referral.pdf").body())
    return {"route": page.locator("#route-panel h1").inner_text(), "page loads": meter.loads,
            "answers given": meter.answers, "HTML bytes to the outcome": meter.bytes,
            "visible words to the outcome": meter.words, "outcome HTML bytes": len(outcome_html.encode()),
            "outcome visible words": outcome_words, "printed outcome pages": printed, "referral PDF pages": referral}


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(data)).pages)


def serve(app) -> str:
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    from screening.store import Database, schema
    from screening.web import create_app

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-journey-')) / 'bench.db'}"
    schema.prepare(Database(url), ROOT / "rules" / "default", demo=True)
    base = serve(create_app({"DATABASE_URL": url, "MODE": "demo"}))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = {}
        for name, pages in CASES.items():
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            results[name] = run_case(context.new_page(), base, pages)
            context.close()
        browser.close()
    keys = [k for k in next(iter(results.values())) if k != "route"]
    print(f"{'':32}" + "".join(f"{name:>20}" for name in results) + f"{'before':>10}")
    print(f"{'route':32}" + "".join(f"{r['route'].split(':')[0]:>20}" for r in results.values()))
    for key in keys:
        print(f"{key:32}" + "".join(f"{r[key]:>20}" for r in results.values()) + f"{BEFORE.get(key, ''):>10}")


if __name__ == "__main__":
    main()
