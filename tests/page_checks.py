"""Every HTML page a test fetches through Flask's test client is parsed: it must be well formed enough to parse,
hold exactly one h1, and use no id twice (labels, error links and skip links point at ids). Installed for the
whole test run by tests/conftest.py, so every page any test visits is checked."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from flask.testing import FlaskClient


class PageShape(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.h1 += tag == "h1"
        self.ids.update(value for name, value in attrs if name == "id" and value)


def page_problems(html: str) -> list[str]:
    """What is wrong with a page's shape ([] when nothing)."""
    shape = PageShape()
    shape.feed(html)
    shape.close()
    problems = [f"{shape.h1} h1 elements (a page has one)"] if shape.h1 != 1 else []
    return problems + [f"id {i!r} used {n} times" for i, n in shape.ids.items() if n > 1]


class CheckedClient(FlaskClient):
    """Flask's test client, checking the shape of every full HTML page it receives."""

    def open(self, *args, **kwargs):  # type: ignore[override]
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and b"<html" in response.data[:500]:
            problems = page_problems(response.get_data(as_text=True))
            assert not problems, f"{response.request.path}: {'; '.join(problems)}"
        return response
