"""Open data: each published half-year's national export at a stable address, and an index of them, for anyone."""
from __future__ import annotations

import json

from test_national_export import PERIOD, published, validate  # noqa: F401  (the fixture)

from app.codes import CompilationAction
from app.config import ROOT
from app.extensions import db
from app.workflow.compilations import operations as compilations
from app.workflow.welfare import national_export


def test_the_index_lists_only_published_half_years_with_their_files(client, published):  # noqa: F811
    response = client.get("/results/open-data/index.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600" and "Pragma" not in response.headers
    index = response.get_json()
    assert index["format"] == "sora-open-data-index" and index["county"]["code"] == "13"
    assert index["export_format"] == national_export.FORMAT
    assert index["export_format_version"] == national_export.FORMAT_VERSION
    assert [p["period"] for p in index["periods"]] == ["2026-H1"]  # 2026-H2 is a draft
    entry = index["periods"][0]
    assert entry["json"] == "http://localhost/results/open-data/2026-H1.json"
    assert entry["csv"] == "http://localhost/results/open-data/2026-H1.csv"
    assert entry["published_at"] == published.published_at.isoformat()
    schema = client.get("/results/open-data/schema.json")
    assert schema.status_code == 200
    assert schema.get_json() == json.loads((ROOT / "docs" / "national-export.schema.json").read_text(encoding="utf-8"))


def test_a_published_half_years_file_is_the_national_export_and_stays_the_same(client, published):  # noqa: F811
    first = client.get("/results/open-data/2026-H1.json")
    assert first.status_code == 200 and first.mimetype == "application/json"
    document = first.get_json()
    validate(document)
    assert document == json.loads(national_export.to_json(national_export.build_export(
        PERIOD, "13", document["county"]["name"], now=published.published_at)))
    assert document["generated_at"] == published.published_at.isoformat()
    again = client.get("/results/open-data/2026-H1.json")
    assert again.data == first.data
    assert client.get("/results/open-data/2026-H1.json",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    csv = client.get("/results/open-data/2026-H1.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).splitlines()[0] == ",".join(national_export.CSV_COLUMNS)


def test_no_file_for_a_draft_a_withdrawn_or_an_unknown_half_year(client, org, published):  # noqa: F811
    for path in ("/results/open-data/2026-H2.json", "/results/open-data/2031-H1.csv",
                 "/results/open-data/ei-kausi.json", "/results/open-data/2026-H1.xlsx"):
        assert client.get(path).status_code == 404, path
    compilations.perform(CompilationAction.WITHDRAW, published, org["review_body"], note="Virheellinen luku.")
    db.session.commit()
    gone = client.get("/results/open-data/2026-H1.json")
    assert gone.status_code == 404 and gone.headers["Cache-Control"] == "no-store"  # a 404 is not kept
    assert client.get("/results/open-data/index.json").get_json()["periods"] == []


def test_the_page_links_the_files_logged_out(client, published):  # noqa: F811
    page = client.get("/results/open-data/").get_data(as_text=True)
    assert "http://localhost/results/open-data/index.json" in page
    assert 'href="http://localhost/results/open-data/2026-H1.csv"' in page
    assert "/results/open-data/" in client.get("/results/").get_data(as_text=True)
