"""The JSON API, sent anything: hostile bodies (deep nesting, lone surrogates, NUL characters, tens of thousands of
keys, keys given twice, numbers JSON cannot hold) to every operation that reads one. The answer is a success or
problem details, never a server error (under TESTING the app raises instead of answering 500, so any one fails).
Run on both databases: NUL is only refused by PostgreSQL's text columns."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.store import tokens
from screening.web import create_app
from tests.conftest import prepared_database
from tests.fuzz.conftest import FUZZ, timed

IDS = st.sampled_from(["age", "child_reference", "concern_summary", "disclosure_sexual_abuse", "missing_episodes_90d",
                       "agency", "answers", "child", "nhs", "given", "born", "when", "answer", "x"])
STRINGS = st.sampled_from(["", "yes", "no", "not_known", "recent", "14", "943 476 5919", "2012-03-03", "\x00",
                           "a\x00b", "\ud800", "\udfff\ud800", "\u202e", "9" * 400, "é" * 50]) | st.text(max_size=12)
SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | STRINGS
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(IDS | STRINGS, inner,
                                                                                           max_size=5), max_leaves=30)


def _dumped(value) -> bytes:
    """As JSON text: lone surrogates written as \\u escapes, NaN and Infinity as Python writes them."""
    return json.dumps(value, ensure_ascii=True).encode()


@st.composite
def bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["value", "answers", "screening", "deep", "duplicate", "many"]))
    if kind == "value":
        return _dumped(draw(VALUES))
    if kind == "answers":
        return _dumped({"answers": draw(st.dictionaries(IDS | STRINGS, VALUES, max_size=6))})
    if kind == "screening":
        return _dumped({"answers": {"age": draw(VALUES)}, "child": draw(st.dictionaries(IDS, VALUES, max_size=4))})
    if kind == "deep":
        depth = draw(st.integers(1, 3000))
        return ('{"answers": ' + "[" * depth + "]" * depth + "}").encode()
    if kind == "duplicate":
        key = draw(IDS)
        return f'{{"answers": {{"{key}": {_dumped(draw(VALUES)).decode()}, "{key}": "yes"}}}}'.encode()
    count = draw(st.sampled_from([1_999, 2_001, 50_000]))
    return _dumped({"answers": {f"q{n}": "yes" for n in range(count)}})


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("api-fuzz")), "TESTING": True,
                      "API_CALLS_PER_MINUTE": 10**9})
    with app.extensions["db"].transaction() as tx:
        secret = tokens.add(tx, "fuzz", "practitioner", "school", None)
    yield app.test_client(), {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    app.extensions["db"].engine.dispose()


@pytest.mark.parametrize("path", ["/api/v1/evaluate", "/api/v1/screenings"])
@FUZZ
@given(body=bodies())
def test_no_body_is_a_server_error(api, path, body):
    client, headers = api
    with timed(f"api {path}"):
        response = client.post(path, data=body, headers=headers)
    assert response.status_code in (200, 201, 400, 413, 422), response.text[:300]
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json" and response.json["errors"]
