"""Every template the app ships compiles (a template no test happens to render still fails here), and the page-shape
check every test client applies (tests/page_checks.py) finds what it is there to find."""

from __future__ import annotations

import pytest

from screening.web import HERE
from tests.page_checks import page_problems

TEMPLATES = sorted(str(p.relative_to(HERE / "templates")) for p in (HERE / "templates").rglob("*.html"))


def test_the_app_ships_templates():
    assert len(TEMPLATES) > 40 and "base.html" in TEMPLATES


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_compiles(app, name):
    assert app.jinja_env.get_template(name) is not None


@pytest.mark.parametrize(("html", "problems"), [
    ("<html><h1>A</h1><p id='x'></p></html>", []),
    ("<html><h1>A</h1><h1>B</h1></html>", ["2 h1 elements (a page has one)"]),
    ("<html><p>no heading</p></html>", ["0 h1 elements (a page has one)"]),
    ("<html><h1 id='a'>A</h1><input id='a'></html>", ["id 'a' used 2 times"]),
])
def test_the_page_check_finds_what_it_looks_for(html, problems):
    assert page_problems(html) == problems
