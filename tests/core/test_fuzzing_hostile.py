"""Property-based tests of each class of hostile input a security test found: whatever arrives, a clear
answer (a page or JSON with 400 and the like), never a server error; and no disguise hides an identity code.

Each class: deeply nested JSON, lone surrogates in JSON text, extreme page numbers and dates in query
strings, organisation files of any bytes or with huge fields.
"""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from helpers import api_report, csrf_token, login
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import limiter
from app.workflow.core.privacy import CHECK_CHARACTERS, contains_identity_code

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
API = ("/api/v1/reports", "/api/v1/reports/track", "/api/v1/reports/answer")


def upload(client, content: bytes):  # type: ignore[no-untyped-def]
    """The file posted as the browser does; encoded here in memory, as the test client would spool a large
    one to a temporary file it never closes."""
    boundary, body = encode_multipart({"csrf_token": csrf_token(client, "/admin/org"),
                                       "file": FileStorage(io.BytesIO(content), "org.csv")})
    return client.post("/admin/org/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def deliberate(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def reset_limits(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        limiter.reset()


@FUZZ
@given(depth=st.integers(min_value=1, max_value=200_000), opener=st.sampled_from(["[", '{"a":', '{"description":[']),
       closed=st.booleans())
def test_json_of_any_depth_is_answered(app, unit, depth, opener, closed):
    closer = {"[": "]", '{"a":': "}", '{"description":[': "]}"}[opener]
    body = opener * depth + ("1" + closer * depth if closed else "")
    reset_limits(app)
    client = app.test_client()
    for path in API:
        response = client.post(path, data=body, content_type="application/json")
        deliberate(response)
        assert response.is_json and (response.status_code == 400 or depth < 32), (path, depth, response.status_code)


surrogates = st.integers(min_value=0xD800, max_value=0xDFFF).map(lambda n: f"\\u{n:04x}")
text_with_surrogate = st.tuples(st.text(max_size=20), surrogates, st.text(max_size=20)).map(
    lambda parts: json.dumps(parts[0])[1:-1] + parts[1] + json.dumps(parts[2])[1:-1])


@FUZZ
@given(field=st.sampled_from(["description", "reporter_name", "proposed_actions", "reporter_email", "unit", "x"]),
       escaped=text_with_surrogate, as_key=st.booleans())
def test_lone_surrogates_in_a_filing_are_refused(app, unit, field, escaped, as_key):
    body = json.dumps(api_report()).rstrip("}")
    body += f', "{escaped}": "x"}}' if as_key else f', "{field}": "{escaped}"}}'
    reset_limits(app)
    response = app.test_client().post("/api/v1/reports", data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json


@FUZZ
@given(field=st.sampled_from(["number", "code", "text"]), escaped=text_with_surrogate,
       path=st.sampled_from(API[1:]))
def test_lone_surrogates_in_tracking_and_answers_are_refused(app, unit, field, escaped, path):
    values = {"number": "SR-2026-00001", "code": "AAAAA-AAAAA-AAAAA-AAAAA", "text": "Vastaus."}
    body = "{" + ", ".join(f'"{k}": "{escaped if k == field else v}"' for k, v in values.items()) + "}"
    reset_limits(app)
    response = app.test_client().post(path, data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json


pages = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), st.text(max_size=12),
                  st.sampled_from(["9223372036854775807", "9223372036854775808", "-1", "0", "1e9", "１", "0x10"]))
days = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "10000-01-01", "eilen", ""]),
    st.text(max_size=12),
)


@pytest.fixture
def admin_client(app, org):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, org["admin"].email)
    return client


@pytest.fixture
def director_client(app, org):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, org["social_director"].email)
    return client


@FUZZ
@given(page=pages, date_from=days, date_to=days)
def test_list_pages_answer_any_page_number_and_date(admin_client, director_client, page, date_from, date_to):
    for client, path, query in (
        (director_client, "/cases/", {"page": page}),
        (director_client, "/cases/", {"page": page, "received_from": date_from, "received_to": date_to}),
        (director_client, "/cases/export.csv", {"received_from": date_from, "received_to": date_to}),
        (director_client, "/cases/notifications", {"page": page}),
        (director_client, "/cases/dashboard", {"start": date_from, "end": date_to}),
        (admin_client, "/admin/users", {"page": page}),
        (admin_client, "/admin/audit", {"page": page, "date_from": date_from, "date_to": date_to}),
        (admin_client, "/admin/audit/export.csv", {"date_from": date_from, "date_to": date_to}),
    ):
        response = client.get(path, query_string=query)
        deliberate(response)
        assert response.status_code in (200, 400), (path, query, response.status_code)


CSV_HEADER = "code;name;kind;parent;municipality\n"


@FUZZ
@given(content=st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=200).map(lambda garbage: CSV_HEADER.encode() + garbage),
    st.tuples(st.integers(min_value=100_000, max_value=1_900_000), st.sampled_from(['"', ""]),
              st.sampled_from(["code", "name", "parent"])).map(
        lambda spec: (CSV_HEADER + (spec[1] + "x" * spec[0] + spec[1] + ";Nimi;unit;;297\n")).encode()),
    st.text(max_size=300).map(lambda text: (CSV_HEADER + text).encode("utf-8", "surrogatepass")),
))
def test_the_organisation_import_answers_any_file(app, admin_client, content):
    response = upload(admin_client, content)
    deliberate(response)
    assert response.status_code in (200, 400)


def _code(born: date, individual: int) -> str:
    sign = {18: "+", 19: "-", 20: "A"}[born.year // 100]
    digits = born.strftime("%d%m%y")
    return f"{digits}{sign}{individual:03d}{CHECK_CHARACTERS[int(digits + f'{individual:03d}') % 31]}"


DISGUISES = [
    lambda c: c.replace(c[6], f" {c[6]} "), lambda c: c.replace(c[6], f"\u00a0{c[6]}\u00a0"),
    lambda c: c[:3] + "\u200b" + c[3:], lambda c: c[:7] + "\u200d" + c[7:], lambda c: c[:8] + "\u00ad" + c[8:],
    lambda c: c[:6] + "\u2060" + c[6:], lambda c: c.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda c: "hetu" + c + "kuuluu", lambda c: c[:7] + "\n" + c[7:], lambda c: f"{c[:2]}.{c[2:4]}.{c[4:]}",
    lambda c: c[:6] + c[7:] if c[-1].isalpha() or not c.startswith("0") else c, lambda c: "".join(f"&#{ord(ch)};" for ch in c),
    lambda c: "".join(f"%{ord(ch):02X}" for ch in c), lambda c: c[:6] + "&#45;" + c[7:] if c[6] == "-" else c,
]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1)),
       individual=st.integers(min_value=2, max_value=899), disguise=st.sampled_from(DISGUISES),
       before=st.sampled_from(["", "Asiakas ", "tunnus:", "(", "x"]), after=st.sampled_from(["", " kävi.", ")", "x"]))
def test_no_disguise_hides_an_identity_code(born, individual, disguise, before, after):
    code = _code(born, individual)
    assert contains_identity_code(before + disguise(code) + after), disguise(code)
