"""Schemathesis drives every API operation from its OpenAPI description, with a bounded number of generated
requests each: no server error, and every response (status, content type, headers, body) as described."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from screening.store import tokens
from screening.web import create_app
from tests.conftest import prepared_database

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("api")), "TESTING": True,
                      "API_CALLS_PER_MINUTE": 100_000})
    with app.extensions["db"].transaction() as tx:  # a lead may use every operation
        app.config["TEST_TOKEN"] = tokens.add(tx, "schemathesis", "safeguarding_lead", "social_care", None)
    yield app
    app.extensions["db"].engine.dispose()  # the module's last connections (each test's are closed after it)


OPERATIONS = ["POST /api/v1/evaluate", "POST /api/v1/screenings", "GET /api/v1/screenings/{screening_id}",
              "GET /api/v1/screenings/{screening_id}/referral", "GET /api/v1/children/{child_id}/chronology",
              "GET /api/v1/ruleset"]


def operations(app) -> dict[str, schemathesis.APIOperation]:
    described = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found = [result.ok() for result in described.get_all_operations()]
    return {f"{op.method.upper()} {op.full_path}": op for op in found}


def test_the_description_has_every_operation(api_app):
    assert sorted(operations(api_app)) == sorted(OPERATIONS)


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_answers_as_described(api_app, name):
    """Driven without schemathesis's pytest plugin (which does not yet run under pytest 9): its strategy, our
    hypothesis settings."""
    headers = {"Authorization": f"Bearer {api_app.config['TEST_TOKEN']}"}
    answered: list[int] = []

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(operations(api_app)[name].as_strategy())
    def calls(case):
        answered.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)
    calls()
    assert len(answered) >= 10  # real calls were made and checked



def test_the_description_declares_path_parameters_and_the_answers_it_takes(api_app):
    described = api_app.test_client().get("/api/v1/openapi.json").json
    for path in ("/screenings/{screening_id}", "/screenings/{screening_id}/referral",
                 "/children/{child_id}/chronology"):
        (parameter,) = described["paths"][path]["get"]["parameters"]
        assert parameter["in"] == "path" and parameter["required"] and parameter["name"] in path
    answers = described["components"]["schemas"]["EvaluateIn"]["properties"]["answers"]
    assert answers["additionalProperties"] is False  # as the API refuses keys the rule set does not ask
    assert {"age", "disclosure_sexual_abuse"} <= set(answers["properties"])
    assert answers == described["components"]["schemas"]["ScreeningIn"]["properties"]["answers"]
