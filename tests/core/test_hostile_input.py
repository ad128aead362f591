"""The hostile inputs a security test found, each once: every one is a clear 400, never a server error."""
from __future__ import annotations

import io

import pytest
from helpers import api_report, csrf_token, login
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart


def upload(client, content: bytes):  # type: ignore[no-untyped-def]
    """The file posted as the browser does; encoded here in memory, as the test client would spool a large
    one to a temporary file it never closes."""
    boundary, body = encode_multipart({"csrf_token": csrf_token(client, "/admin/org"),
                                       "file": FileStorage(io.BytesIO(content), "org.csv")})
    return client.post("/admin/org/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def admin(app, org):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, org["admin"].email)
    return client


def test_deeply_nested_json_is_refused(client, unit):
    body = b"[" * 100_000 + b"]" * 100_000
    for path in ("/api/v1/reports", "/api/v1/reports/track", "/api/v1/reports/answer"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400 and response.is_json, (path, response.status_code)


@pytest.mark.parametrize("field", ["description", "reporter_name"])
def test_a_lone_surrogate_in_a_filing_is_refused(client, unit, field):
    raw = ('{"x": 1}').encode()
    body = api_report(**{field: "PLACEHOLDER"})
    import json

    text = json.dumps(body).replace("PLACEHOLDER", "\\ud800")
    del raw
    response = client.post("/api/v1/reports", data=text, content_type="application/json")
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("path,body", [("/api/v1/reports/track", '{"number": "SR-2026-00001", "code": "\\udfff"}'),
                                       ("/api/v1/reports/answer", '{"number": "SR", "code": "X", "text": "\\ud800"}')])
def test_a_lone_surrogate_in_tracking_is_refused(client, unit, path, body):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("path", ["/cases/?page=9223372036854775807", "/admin/audit?date_from=0001-01-01",
                                  "/admin/audit?date_to=9999-12-31", "/admin/users?page=9223372036854775807",
                                  "/admin/audit?page=9223372036854775807",
                                  "/cases/notifications?page=9223372036854775807", "/cases/?received_from=0001-01-01",
                                  "/cases/export.csv?received_to=9999-12-31", "/cases/dashboard?start=0001-01-01",
                                  "/cases/dashboard/export.xlsx?end=9999-12-31",
                                  "/admin/audit/export.csv?date_from=0001-01-01"])
def test_extreme_query_values_are_refused(app, org, path):
    client = admin(app, org) if path.startswith("/admin") else app.test_client()
    if not path.startswith("/admin"):
        login(client, org["social_director"].email)
    response = client.get(path)
    assert response.status_code == 400, response.status_code


@pytest.mark.parametrize("content", [bytes(range(256)) * 40, ("code;name;kind;parent;municipality\n\"" + "x" * 1_900_000 + "\";a;unit;;297\n").encode()])
def test_a_hostile_organisation_file_is_refused(app, org, content):
    client = admin(app, org)
    response = upload(client, content)
    assert response.status_code == 400, response.status_code
