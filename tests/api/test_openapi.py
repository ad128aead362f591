"""The API's OpenAPI 3.1 description, and schemathesis run against the served app from it.

Every operation gets a modest number of generated requests (HYPOTHESIS_EXAMPLES, default 12) so the
suite stays fast; each must answer with a documented status, content type and schema, never a 5xx.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from helpers import serve
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.codes import Phenomenon
from app.openapi import description

EXAMPLES = int(os.environ.get("SORA_SCHEMATHESIS_EXAMPLES", "12"))


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app served over HTTP, as an intranet client would meet it."""
    with serve(app, "sora-openapi-server") as url:
        yield url


def test_the_description_is_openapi_3_1_and_names_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]
    api_rules = {rule.rule.removeprefix("/api/v1") for rule in app.url_map.iter_rules()
                 if rule.rule.startswith("/api/v1")}
    assert api_rules == set(document["paths"])
    phenomena = document["components"]["schemas"]["NewReport"]["properties"]["phenomenon"]["enum"]
    assert phenomena == [p.value for p in Phenomenon], "built from the same code lists"
    assert document == description("/api/v1"), "the document served is the one the run below is made from"


def test_the_readme_links_the_description():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8") as readme:
        assert "/api/v1/openapi.json" in readme.read()


schema = schemathesis.openapi.from_dict(description("/api/v1"))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_described(case, base_url, org):  # type: ignore[no-untyped-def]
    """Generated requests to every operation, sent over HTTP to the served app with the `org` units.

    Every check runs but one: a request the schema allows may still be refused with a documented 4xx
    for what no schema can say (a unit code that exists, a number with its own tracking code, an open
    question to answer, no personal identity code in the text), so "schema-valid means accepted"
    (positive_data_acceptance) cannot hold for this API.
    """
    case.call_and_validate(base_url=f"{base_url}/api/v1", session=requests.Session(),
                           excluded_checks=[positive_data_acceptance])
