"""A welfare coordinator puts together the package for a welfare report, copies a section and downloads
the PDF and the Excel file."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from browser_tools import download, download_rendered, log_in
from playwright.sync_api import expect
from pypdf import PdfReader
from welfare_fixtures import no_disclosure_threshold, published  # noqa: F401  (two published half-years)


def test_a_coordinator_picks_a_place_span_and_theme_copies_a_section_and_downloads_the_files(
        no_disclosure_threshold, published, browsing):  # noqa: F811
    """`published` comes first: `browsing` then ends the test's transaction, which on SQLite holds the lock.
    The fixture's counts are tiny, so disclosure control is off here (the compilation tests cover it)."""
    page = browsing.person("coordinator")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "hyte.alue@t.example")
    page.get_by_role("link", name="Hyvinvointikertomukseen").click()

    page.get_by_label("Alue", exact=True).select_option(label="Kuopio")
    page.get_by_label("Ajanjakso").select_option("2026")
    page.get_by_text("Teemat (kaikki)").click()
    page.get_by_role("checkbox", name="Asuminen").check()
    page.get_by_role("button", name="Näytä aineisto").click()
    expect(page.get_by_role("heading", level=2, name="Kuopio: vuosi 2026")).to_be_visible()
    summaries = page.locator("#copy-summaries")
    expect(summaries).to_contain_text("Kevään yhteenveto: asuminen ja päihteet.")
    page.locator("button[data-copy='copy-summaries']").click()
    expect(page.locator("#copy-status")).to_have_text("Teksti kopioitiin leikepöydälle.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Kevään yhteenveto: asuminen ja päihteet." in copied
    assert "<" not in copied, "plain text, not markup"

    pdf = download_rendered(page, page.get_by_role("link", name="Lataa PDF"))
    assert pdf.suggested_filename == "hyvinvointikertomuksen-aineisto-297-2026.pdf"
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in ("Sosiaalinen raportointi hyvinvointikertomukseen", "Kuopio", "Asuminen",
                     "Kevään yhteenveto: asuminen ja päihteet.", "Nuorten asunnottomuus kasvaa."):
        assert expected in text, expected
    assert "Jonot päihdepalveluihin." not in text, "only the theme picked"

    page.get_by_role("link", name="← Takaisin").click()  # from the page that waited for the PDF
    xlsx = download(page, page.get_by_role("link", name="Lataa Excel"))
    assert xlsx.suggested_filename == "hyvinvointikertomuksen-aineisto-297-2026.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))
    about = {row[0]: row[1] for row in book["Tiedot"].iter_rows(min_row=2, values_only=True)}
    assert about["Alue"] == "Kuopio" and about["Teemat"] == "Asuminen"
    header, totals = ([cell.value for cell in row] for row in book["Raportteja"].iter_rows(max_row=2))
    counts = dict(zip(header, totals))
    assert counts["Alue"] == "Kuopio" and counts["2026-H1"] == 3 and counts["Edellinen puolivuotiskausi"] == 1, counts
    assert "2026-H2" not in counts, "the half-year without a published compilation has no column"
    texts = [row for row in book["Havainnot ja ehdotukset"].iter_rows(min_row=2, values_only=True)]
    assert [(row[1], row[4]) for row in texts] == [("Asuminen", "Nuorten asunnottomuus kasvaa.")], texts
