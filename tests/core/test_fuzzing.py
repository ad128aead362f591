"""Property-based fuzzing of the report form, the tracking forms and the JSON API: whatever arrives, no server error.

Each answer must be a deliberate one: a report, a clear refusal (400, 404, 409, 413, 415) or a limit (429).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers import csrf_token, valid_report, release_all
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db, limiter
from app.models import Report
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

REPORT_FIELDS = ["unit", "nature", "phenomenon", "description", "themes", "population_group", "municipalities",
                 "whole_county", "significance", "profession_group", "proposed_actions", "available_to_help",
                 "made_by_team", "with_client", "reporter_name", "reporter_email"]
CODES = ["U-KUO", "negative", "positive", "social_problems", "housing", "income", "297", "915", "yes", "no",
         "working_age", "social_welfare", "3", "SR-2026-00001"]

# Text that has broken web apps: control characters, NUL, right-to-left marks, very long lines, markup, SQL.
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(["\x00", "\x1f", "<", ">", "&", "'", '"', "%", "\\", "ä", "\u202e", "\n", " ",
                                      "a", "1", "-", "\ufeff", "😀"]), min_size=1, max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(CODES + ["\x00", "a\x00b", "\u202e", "' OR 1=1 --", "<script>", "%00", "\ud7ff", "x" * 20_000,
                             "131052-308T", "  ", "\r\n", "null", "[]", "{}", "-1", "1e309"]),
)
form_values = st.lists(texts, min_size=1, max_size=3)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


def api_report() -> dict[str, object]:
    body: dict[str, object] = valid_report()
    body.update({"available_to_help": True, "made_by_team": False, "with_client": False, "significance": 3})
    return body


FREE_TEXT = ["description", "proposed_actions", "reporter_name", "reporter_email"]


def mutated(valid: dict[str, object], values: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    """A valid body with odd text in its free-text fields (what gets stored), or with any fields dropped or
    given odd values and now and then unknown ones added (what gets refused)."""
    odd_text = st.dictionaries(st.sampled_from(FREE_TEXT), texts, min_size=1, max_size=3).map(
        lambda changes: {**valid, **changes})
    odd_fields = st.builds(
        lambda dropped, changes, extra: {**extra, **{k: v for k, v in valid.items() if k not in dropped}, **changes},
        st.sets(st.sampled_from(REPORT_FIELDS), max_size=2),
        st.dictionaries(st.sampled_from(REPORT_FIELDS), values, max_size=3),
        st.one_of(st.just({}), st.just({}), st.just({}), st.dictionaries(texts, values, max_size=2)),
    )
    return st.one_of(odd_text, odd_fields)


def status_is_deliberate(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]


def reset_limits(app) -> None:  # type: ignore[no-untyped-def]
    """Between examples the rate limits start over, so every example reaches the code behind them."""
    with app.app_context():
        limiter.reset()


def test_the_filing_api_never_fails_on_any_json(app, unit):
    seen: set[int] = set()

    @FUZZ
    @given(body=mutated(api_report(), texts | st.sampled_from(CODES) | json_values) | json_values)
    def send(body: object) -> None:
        reset_limits(app)
        response = app.test_client().post("/api/v1/reports", json=body)
        status_is_deliberate(response)
        assert response.status_code in (201, 400) and response.is_json, response.status_code
        seen.add(response.status_code)

    send()
    assert seen == {201, 400}, "the fuzzed bodies should reach both filing and refusal"


@FUZZ
@given(raw=st.binary(max_size=300) | texts.map(lambda text: text.encode("utf-8", "surrogatepass")),
       content_type=st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain",
                                     "application/x-www-form-urlencoded", "multipart/form-data", ""]))
def test_the_api_never_fails_on_any_bytes(app, unit, raw, content_type):
    reset_limits(app)
    client = app.test_client()
    for path in ("/api/v1/reports", "/api/v1/reports/track", "/api/v1/reports/answer"):
        response = client.post(path, data=raw, content_type=content_type)
        status_is_deliberate(response)
        assert response.is_json, path


@FUZZ
@given(body=st.dictionaries(st.sampled_from(["number", "code", "text"]) | texts, json_values | texts, max_size=4))
def test_api_tracking_and_answers_never_fail(app, unit, body):
    reset_limits(app)
    client = app.test_client()
    for path in ("/api/v1/reports/track", "/api/v1/reports/answer"):
        status_is_deliberate(client.post(path, json=body))


def test_the_report_form_never_fails(app, unit):
    """A valid report with some fields removed and others replaced by odd values, sent with a valid token."""
    seen: set[int] = set()

    @FUZZ
    @given(data=mutated(valid_report(), form_values))
    def send(data: dict[str, object]) -> None:
        reset_limits(app)
        client = app.test_client()
        response = client.post("/report/new", data={**data, "csrf_token": csrf_token(client, "/report/new")})
        status_is_deliberate(response)
        assert response.status_code in (200, 400), response.status_code
        seen.add(response.status_code)

    send()
    assert seen == {200, 400}, "the fuzzed forms should reach both the receipt and the refusal"


def test_the_tracking_forms_never_fail(app, org):
    """Odd numbers, codes and answers; half of them to a real report with an open question."""
    created = app.test_client().post("/api/v1/reports", json=api_report()).get_json()
    number, code = created["number"], created["tracking_code"]
    release_all()

    @FUZZ
    @given(number=st.just(number) | texts, code=st.just(code) | texts, answer=texts)
    def send(number: str, code: str, answer: str) -> None:
        reset_limits(app)
        report = db.session.scalar(sa.select(Report).where(Report.number == created["number"]))
        if report.open_question is None:
            perform(Action.ASK_REPORTER, report, org["social_director"], note="Kysymys?")
        db.session.commit()  # the test's transaction ends before the requests (SQLite has one writer)
        client = app.test_client()
        token = csrf_token(client, "/track")
        status_is_deliberate(client.post("/track", data={"csrf_token": token, "number": number, "code": code}))
        status_is_deliberate(client.post("/track/answer", data={"csrf_token": token, "number": number, "code": code,
                                                                "answer": answer}))

    send()


def test_a_nul_character_is_refused_clearly_and_the_typed_report_kept(app, client, unit):
    """Found by the fuzzing above on PostgreSQL, which cannot store NUL: it was a server error."""
    data = valid_report(description="Asuntoja\x00 ei ole.", proposed_actions="Lisää\x00")
    data["csrf_token"] = csrf_token(client, "/report/new")
    page = client.post("/report/new", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "nollamerkkejä" in html
    assert ">\r\nAsuntoja ei ole.</textarea>" in html and "\x00" not in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0

    api = client.post("/api/v1/reports", json={**api_report(), "reporter_name": "Nimi\x00"})
    assert api.status_code == 400 and "nollamerkki" in api.get_json()["message"]
    assert client.post("/api/v1/reports/track", json={"number": "SR\x00", "code": "X"}).status_code == 400
    assert client.get("/cases/SR-2026-00001%00").status_code == 400
    assert client.get("/cases/?status=%00").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0
