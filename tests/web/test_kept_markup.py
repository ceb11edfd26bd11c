"""The signs page keeps each theme's markup by its parameters (templating.TemplateEnvironment.field_markup): what it
serves is exactly what drawing the theme afresh gives, whatever the answers and errors, and a theme answered as an
earlier request answered it is not drawn again."""

from __future__ import annotations

import random
import re

from markupsafe import Markup

from screening.web.forms.page_forms import render_page
from screening.web.forms.pages import journey_pages
from screening.web.views.screening import ruleset
from tests.web.conftest import Practitioner, signed_in_client


def _signs_page(rs):
    return next(p for p in journey_pages(rs) if p.id == "signs")


def _answers(rs, rng: random.Random) -> tuple[dict, dict]:
    """Form data for the signs page as a practitioner might send it, and some errors beside its fields."""
    data: dict = {}
    errors: dict = {}
    for group in _signs_page(rs).groups:
        if group.opens:
            data[group.opening_field] = rng.choice(["yes", "no", "not_known", None])
        data[group.field] = [s.id for s in group.signs if rng.random() < 0.2]
        if rng.random() < 0.1:
            errors[group.field] = "Select signs from the list"
    return data, errors


def test_kept_markup_is_exactly_what_drawing_afresh_gives(app):
    with app.test_request_context():
        rs = ruleset()
        env = app.jinja_env
        draw = env.get_template("macros/fields.html").module.fact_field
        rng = random.Random(36)
        page = _signs_page(rs)
        for _ in range(30):
            data, errors = _answers(rs, rng)
            for rendered, _ in render_page(rs, page, data, errors, {"age": rng.choice([12, 16, None])}):
                kept = env.field_markup(rendered)
                assert isinstance(kept, Markup) and kept == draw(rendered)
                assert env.field_markup(rendered) is kept or rendered.macro != "signGroup"


def test_the_same_themes_are_drawn_once_across_requests(app):
    env = app.jinja_env
    env._themes.clear()
    first = Practitioner(signed_in_client(app))
    first.start()
    html_one = first.client.get(f"/screenings/{first.sid}/pages/signs").text
    kept = len(env._themes)
    second = Practitioner(signed_in_client(app))
    second.start()
    html_two = second.client.get(f"/screenings/{second.sid}/pages/signs").text
    assert kept >= 10 and len(env._themes) == kept  # every theme came from the first request's markup
    assert _form(html_one, first.sid) == _form(html_two, second.sid)


def _form(html: str, sid: str) -> str:
    """The page's form without what differs by request: the screening's id and the CSRF token."""
    form = html.replace(sid, "").split("<form", 1)[1].split("</form>")[0]
    return re.sub(r'name="csrf_token" value="[^"]+"', "", form)
