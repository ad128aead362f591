"""THL's three views over harvested exports: the figures against the documents, disclosure in aggregates,
rates per 10,000 residents, the pages logged out, and the downloads (Excel, PDF through a render job)."""
from __future__ import annotations

import io
import re

import jsonschema
import openpyxl
import pytest
import sqlalchemy as sa
from comparison_fixtures import FIGURES, H1, H2, LAST_GOOD, documents, harvest

from app.codes import RenderStatus
from app.config import ROOT
from app.extensions import db
from app.jobs import render_files
from app.models import RenderJob
from app.workflow.comparison import views
from app.workflow.comparison.views import HIDDEN, LOWER_BOUND, MISSING, Cell, combine


@pytest.fixture
def harvested(app_ctx):  # type: ignore[no-untyped-def]
    harvest()


def test_the_test_documents_are_valid_exports():
    import json

    schema = json.loads((ROOT / "docs" / "national-export.schema.json").read_text(encoding="utf-8"))
    for document in documents().values():
        jsonschema.validate(document, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- the disclosure rule, as pure functions ---------------------------------------------------------------

def test_a_sum_of_exact_counts_is_exact_and_one_with_a_hidden_cell_is_only_a_lower_bound():
    assert combine([Cell(3), Cell(4)]) == Cell(7)
    assert combine([Cell(3), views.HIDDEN_CELL, Cell(10)]) == Cell(13, LOWER_BOUND)
    # the bound is the shown cells' own sum: the aggregate minus the shown parts is 0, never the hidden count
    assert combine([views.HIDDEN_CELL, views.HIDDEN_CELL]).state == HIDDEN
    assert combine([Cell(13, LOWER_BOUND), Cell(2)]) == Cell(15, LOWER_BOUND)
    assert combine([views.NO_DATA, Cell(5)]) == Cell(5)  # a county without a file is left out (coverage says so)
    assert combine([views.NO_DATA]).state == MISSING
    assert Cell(13, LOWER_BOUND).text == "≥ 13" and views.HIDDEN_CELL.text == ".." and views.NO_DATA.text == "–"


def test_change_trend_and_rate_use_exact_counts_only():
    assert views.change(Cell(14), Cell(10)) == 4
    assert views.change(Cell(14, LOWER_BOUND), Cell(10)) is None
    assert views.trend([Cell(1), Cell(3), Cell(5)]) == 2.0
    assert views.trend([Cell(1), views.HIDDEN_CELL, Cell(5)]) is None
    assert views.rate(Cell(9), 125_000) == 0.7
    assert views.rate(views.HIDDEN_CELL, 125_000) is None and views.rate(Cell(9, LOWER_BOUND), 125_000) is None
    assert views.rate(Cell(9), None) is None


def test_a_municipality_without_a_part_in_the_file_is_hidden_never_zero():
    export = views.Export("13", H1, False, None, None, documents()[("13", H1)])
    assert views.municipality_count(export, "297", "homelessness") == Cell(9)
    assert views.municipality_count(export, "915", "homelessness").state == HIDDEN  # hidden in the source
    assert views.municipality_count(export, "749", "homelessness").state == HIDDEN  # Siilinjärvi: no part


# --- tilannekuva --------------------------------------------------------------------------------------------

def _line(view, code):  # type: ignore[no-untyped-def]
    return next(line for line in view.lines if line.code == code)


def test_situation_of_finland_adds_up_the_counties_files(harvested):
    view = views.situation()
    assert (view.latest, view.previous) == (H1, H2)
    assert view.covered == (3, 22)  # Kainuu has no file for 2026-H1; 22 counties (Ahvenanmaa is none)
    homelessness = _line(view, "homelessness")
    expected_latest = sum(FIGURES[(c, H1)]["counts"][0] for c in ("13", "12", "19"))
    expected_previous = sum(FIGURES[(c, H2)]["counts"][0] for c in ("13", "12", "19", "20"))
    assert homelessness.latest == Cell(expected_latest) and homelessness.previous == Cell(expected_previous)
    assert homelessness.change == expected_latest - expected_previous
    # Pohjois-Pohjanmaa hid its mental_health count: Finland's sum is only a lower bound of the shown ones
    mental = _line(view, "mental_health")
    assert mental.latest == Cell(18 + 11, LOWER_BOUND) and mental.change is None
    assert view.lines[0].latest == Cell(44 + 25 + 75)  # reports in total
    assert view.synthetic  # Etelä-Savo's file is synthetic
    names = [row.name for row in view.rows]
    assert names[:5] == ["Etelä-Suomen yhteistyöalue", "Itä-Suomen yhteistyöalue", "Sisä-Suomen yhteistyöalue",
                         "Länsi-Suomen yhteistyöalue", "Pohjois-Suomen yhteistyöalue"]
    north = next(row for row in view.rows if row.code == "5" and row.kind == "area")
    assert north.cells[1].state == HIDDEN  # 19 hidden, Kainuu without a file: nothing shown to add up
    assert north.extra == [1, 4]


def test_situation_of_an_area_and_a_county(harvested):
    east = views.situation("area", "2")
    assert [c for c in east.level.counties] == ["12", "13", "14", "15"]
    assert _line(east, "homelessness").latest == Cell(14 + 6) and _line(east, "homelessness").previous == Cell(10 + 4)
    county = views.situation("county", "19")
    assert _line(county, "mental_health").latest.state == HIDDEN
    assert _line(county, "economic_situation").latest == Cell(16) and _line(county, "economic_situation").change == 1
    assert not county.synthetic


def test_coverage_shows_the_unreachable_county_with_its_last_good_file(harvested):
    north = views.situation("area", "5")
    kainuu = next(row for row in north.coverage if row.county.code == "20")
    assert kainuu.status == "unreachable" and kainuu.error and kainuu.last_good == LAST_GOOD
    assert kainuu.periods == {H2: False, H1: None}
    lapland = next(row for row in north.coverage if row.county.code == "21")
    assert lapland.status == "no_data"
    east = views.situation("area", "2")
    assert next(row for row in east.coverage if row.county.code == "12").periods == {H2: True, H1: True}


# --- ilmiöstä tiiviisti ------------------------------------------------------------------------------------

def test_brief_per_county_and_half_year_with_the_trend(harvested):
    view = views.brief("homelessness", "area", "2")
    assert view.periods == [H2, H1]
    area, *counties = view.rows
    assert area.cells == [Cell(14), Cell(20)] and area.change == 6 and area.slope == 6.0
    savo = next(r for r in counties if r.code == "13")
    assert savo.cells == [Cell(10), Cell(14)] and savo.slope == 4.0
    assert next(r for r in counties if r.code == "14").cells == [views.NO_DATA, views.NO_DATA]
    assert view.findings == [] and not view.findings_carried  # format 3 carries no texts
    north = views.brief("mental_health", "area", "5")
    assert north.rows[0].cells == [Cell(36), views.HIDDEN_CELL]
    # Finland's coverage changes between the half-years (Kainuu): no trend over different counties
    finland = views.brief("homelessness")
    assert finland.rows[0].coverage == [4, 3] and finland.rows[0].slope is None


def test_brief_shows_indicator_values_of_the_levels_areas(harvested):
    from app.codes import AreaKind, IndicatorSource
    from app.models import Indicator, IndicatorValue
    from app.workflow.phenomena import coding

    indicator = Indicator(source=IndicatorSource.SOTKANET, source_code="5641", title="Toimeentulotukea saaneet",
                          national_phenomenon=coding.phenomenon_by_code("economic_situation"))
    indicator.values = [IndicatorValue(area_kind=AreaKind.COUNTY, area_code="13", year=2024, value=5.1),
                        IndicatorValue(area_kind=AreaKind.COUNTY, area_code="19", year=2024, value=6.0),
                        IndicatorValue(area_kind=AreaKind.COUNTRY, area_code="FI", year=2024, value=5.5),
                        IndicatorValue(area_kind=AreaKind.MUNICIPALITY, area_code="297", year=2024, value=4.0)]
    db.session.add(indicator)
    db.session.commit()
    [table] = views.brief("economic_situation", "county", "13").indicators
    assert table.years == [2024] and [name for name, _ in table.rows] == ["Pohjois-Savon hyvinvointialue", "Koko maa"]
    [finland] = views.brief("economic_situation").indicators
    assert finland.rows == [("Koko maa", [5.5])]
    assert views.brief("homelessness").indicators == []


# --- ilmiönäkymä --------------------------------------------------------------------------------------------

def test_side_by_side_of_a_county_shows_municipalities_with_disclosure_and_rates(harvested):
    view = views.side_by_side("homelessness", "county", "13")
    rows = {row.code: row for row in view.rows}
    assert view.period == H1 and view.population_year == 2025
    assert rows["13"].cells == [Cell(10), Cell(14)] and rows["13"].rate == round(14 * 10_000 / 248_000, 1)
    assert rows["297"].cells == [Cell(7), Cell(9)] and rows["297"].rate == 0.7
    assert rows["915"].cells == [Cell(5), views.HIDDEN_CELL] and rows["915"].rate is None  # no rate of a hidden count
    assert rows["749"].cells == [views.HIDDEN_CELL, views.HIDDEN_CELL]  # Siilinjärvi: no part of its own
    assert len(view.rows) == 1 + 19  # the county and its 19 municipalities
    earlier = views.side_by_side("homelessness", "municipality", "915", H2)
    assert earlier.period == H2 and next(r for r in earlier.rows if r.code == "915").rate == 2.5
    assert next(r for r in earlier.rows if r.chosen).code == "915"


def test_side_by_side_of_an_area_rates_only_over_counties_with_figures(harvested):
    view = views.side_by_side("homelessness", "area", "2")
    area = view.rows[0]
    assert area.kind == "area" and area.cells[-1] == Cell(20)
    assert area.residents == 248_000 + 131_000 and area.rate == round(20 * 10_000 / 379_000, 1)
    finland = views.side_by_side("homelessness").rows[0]
    assert finland.rate is None  # Pohjois-Pohjanmaa has no population figure: no rate for the sum
    with pytest.raises(views.UnknownLevel):
        views.side_by_side("homelessness", "county", "13", "2019-H1")


# --- pages and downloads -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "synthetic"), [
    ("/comparison/", True), ("/comparison/area/2", True), ("/comparison/county/13", False),
    ("/comparison/county/12", True), ("/comparison/county/20", False),
    ("/comparison/phenomenon/homelessness", True), ("/comparison/phenomenon/homelessness?level=area&code=5", False),
    ("/comparison/phenomenon/mental_health?level=county&code=19", False),
    ("/comparison/phenomenon/homelessness/side-by-side", True),
    ("/comparison/phenomenon/homelessness/side-by-side?level=area&code=2", True),
    ("/comparison/phenomenon/homelessness/side-by-side?level=county&code=13", False),
    ("/comparison/phenomenon/homelessness/side-by-side?level=municipality&code=297&period=2025-H2", False),
])
def test_every_view_opens_logged_out_and_labels_synthetic_data(client, harvested, path, synthetic):
    response = client.get(path)
    assert response.status_code == 200, path
    assert ("Synteettistä aineistoa" in response.get_data(as_text=True)) == synthetic


def test_pages_show_hidden_cells_bounds_and_the_unreachable_county(client, harvested):
    html = client.get("/comparison/").get_data(as_text=True)
    assert "≥ 29" in html and "Ei tavoitettu" in html and "15.1.2026" in html
    side = client.get("/comparison/phenomenon/homelessness/side-by-side?level=county&code=13").get_data(as_text=True)
    assert re.search(r"Varkaus</a></th>\s*<td class=\"number\">5</td><td class=\"number\"><abbr[^>]*>\.\.</abbr>", side)
    assert "Synteettistä aineistoa" not in client.get("/comparison/county/19").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/comparison/area/9", "/comparison/county/99", "/comparison/phenomenon/nothing",
    "/comparison/phenomenon/homelessness?level=municipality&code=297",
    "/comparison/phenomenon/homelessness/side-by-side?level=county&code=13&period=2019-H1",
    "/comparison/phenomenon/homelessness/side-by-side?level=county&code=13&period=bad",
    "/comparison/situation.docx",
])
def test_unknown_levels_are_404(client, harvested, path):
    assert client.get(path).status_code == 404


def test_an_installation_without_harvested_files_says_so(client):
    assert "ei ole vielä haettu" in client.get("/comparison/").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/comparison/situation.xlsx?level=area&code=2",
    "/comparison/phenomenon/homelessness/brief.xlsx?level=area&code=2",
    "/comparison/phenomenon/homelessness/side-by-side.xlsx?level=county&code=13",
])
def test_each_views_table_downloads_as_excel(client, harvested, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert (book.sheetnames[0] == "Synteettistä aineistoa") == ("code=2" in path)  # Etelä-Savo's file is in area 2
    values = [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    if "situation" in path:
        homelessness = next(r for r in values if r[0] == "Asunnottomuus")
        assert homelessness[1:4] == (20, 14, 6)
    if "side-by-side" in path:
        varkaus = next(r for r in values if r[0] == "Varkaus")
        assert varkaus[1:3] == (5, "..")  # the hidden cell stays hidden in the file
        kuopio = next(r for r in values if r[0] == "Kuopio")
        assert kuopio[1:5] == (7, 9, 125_000, 0.7)


def test_the_comparison_pdf_is_queued_and_rendered_by_the_scheduler(app, client, harvested):
    path = "/comparison/phenomenon/homelessness/side-by-side.pdf?level=county&code=13"
    waiting = client.get(path)
    assert waiting.status_code == 202
    job = db.session.scalar(sa.select(RenderJob))
    assert job.kind == "comparison_pdf" and job.status == RenderStatus.QUEUED
    assert client.get(path).status_code == 202 and db.session.scalar(sa.select(sa.func.count(RenderJob.id))) == 1
    assert render_files() == 1
    done = client.get(path)
    assert done.status_code == 200 and done.mimetype == "application/pdf" and done.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(done.data)).pages)
    assert "Varkaus" in text and "Kuopio" in text


def test_the_public_results_page_links_the_comparison_once_there_is_data(client, app_ctx):
    assert "/comparison/" not in client.get("/results/").get_data(as_text=True)
    harvest()
    assert 'href="/comparison/"' in client.get("/results/").get_data(as_text=True)


@pytest.mark.parametrize(("language", "expected", "finnish"), [
    ("en", ["Situation at a glance", "Southern Finland collaborative area", "Synthetic data", "Not reached"],
     ["Tilannekuva", "Etelä-Suomen yhteistyöalue", "Synteettistä aineistoa", "Ei tavoitettu"]),
    ("sv", ["Lägesbild", "Södra Finlands samarbetsområde", "Syntetiska data", "Nåddes inte",
            "Södra Savolax välfärdsområde"],
     ["Tilannekuva", "Etelä-Suomen yhteistyöalue", "Synteettistä aineistoa", "Ei tavoitettu"]),
])
def test_the_views_speak_english_and_swedish(client, harvested, language, expected, finnish):
    from helpers import csrf_token

    token = csrf_token(client, "/")
    client.post("/language", data={"lang-csrf_token": token, "lang-language": language, "lang-next": "/"})
    html = client.get("/comparison/").get_data(as_text=True)
    html += client.get("/comparison/area/2").get_data(as_text=True)
    assert [text for text in expected if text not in html] == []
    assert [text for text in finnish if text in html] == []
    side = client.get("/comparison/phenomenon/homelessness/side-by-side?level=area&code=2").get_data(as_text=True)
    assert ("Homelessness" if language == "en" else "Bostadslöshet") in side


def test_the_pdfs_waiting_page_leads_back_to_its_view(client, harvested):
    html = client.get("/comparison/phenomenon/homelessness/brief.pdf?level=area&code=2&phenomenon=x").get_data(
        as_text=True)
    assert 'href="/comparison/phenomenon/homelessness?level=area&amp;code=2"' in html
    assert 'href="/comparison/area/2"' in client.get("/comparison/situation.pdf?level=area&code=2").get_data(as_text=True)


def test_a_phenomenon_no_file_carries_is_no_column_and_a_code_a_file_lacks_is_no_data(harvested, org):
    """A county's own addition to the classification is not zero everywhere else: it is unknown there."""
    from app.workflow.phenomena import coding

    coding.add_phenomenon(coding.PhenomenonInput("loneliness", "Yksinäisyys", "", "", "Selitys.", "", ""),
                          org["admin"])
    harvest_now = views.load()
    assert "loneliness" not in [code for code, _ in harvest_now.phenomena]
    assert [code for code, _ in harvest_now.phenomena][:4] == ["homelessness", "mental_health",
                                                                "substances_and_addictions", "economic_situation"]
    export = harvest_now.export("13", H1)
    assert views.county_count(export, "loneliness").state == MISSING
    assert views.municipality_count(export, "297", "loneliness").state == MISSING
