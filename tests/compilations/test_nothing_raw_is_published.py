"""Proof that a published compilation carries nothing raw (issue 16, "Done when").

Reports with marker words in their texts, distinctive unit names and dates go through the real
workflow; the working group chooses and edits two excerpts, the review body approves. Then every
published file and page is fetched the way its readers fetch it (the public results page and its
downloads without login, the welfare packages and the national export as a coordinator) and read
back as text: no report text but the chosen excerpts, no filing date, no unit, no report number,
and no count from 1 to 4 in a cell that singles out a municipality or a unit, with its complement
hidden as well, so that the small count cannot be worked out from the totals.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import add_report, add_unit, login
from pypdf import PdfReader

from app import jobs
from app.codes import CompilationAction, ExcerptContext, Nature, Phenomenon
from app.extensions import db
from app.models import Theme
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period

PERIOD = Period(2026, 1)
RAW = "RAAKA"
"""Every report's description and proposal carries this marker; no published text may."""
EXCERPTS = {"kuopio": "OTEKUOPIO: vuokrat ylittävät asumistuen rajat.",
            "pielavesi": "OTEPIELAVESI: kotikäynnit jäävät lyhyiksi."}
SUMMARY, FINDINGS = "YHTEENVETOTEKSTI kevään havainnoista.", "HAVAINTOTEKSTI asumisesta."
UNITS = {  # code: (name, municipality, service area, division)
    "U-LIN": ("Lintulahden perhetyö", "Kuopio", "Perhetyö", "Perhe- ja sosiaalipalvelut"),
    "U-SAT": ("Satamakadun aikuissosiaalityö", "Varkaus", "Aikuissosiaalityö", "Perhe- ja sosiaalipalvelut"),
    "U-MAR": ("Marjapuiston kotihoito", "Pielavesi", "Kotihoito", "Ikäihmisten palvelut"),
}
NOW_COUNTS = {"U-LIN": 12, "U-SAT": 6, "U-MAR": 2}
BEFORE_COUNTS = {"U-LIN": 11, "U-SAT": 3, "U-MAR": 0}
CODES = {"Kuopio": "297", "Varkaus": "915", "Pielavesi": "595"}
SINGLING = {"municipalities", "division", "unit"}
"""County-level breakdowns whose cells single out a place or a part of the organisation."""


def filing_day(serial: int, year: int, first_month: int) -> datetime:
    """Distinct days, never the first or the last of a half-year (their dates are in the period's label)."""
    return datetime(year, first_month + serial % 6, 2 + serial % 26, 9 + serial % 8, 17, tzinfo=timezone.utc)


@pytest.fixture
def published(org):  # type: ignore[no-untyped-def]
    """2026-H1 published from 20 reports in three units (2025-H2 had 14), with two excerpts chosen and edited."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    units = {code: add_unit(code, name=name, municipality=place, area=area, division=division)
             for code, (name, place, area, division) in UNITS.items()}
    reports: dict[str, list[Any]] = {code: [] for code in UNITS}
    serial = 0
    for counts, year, month in ((BEFORE_COUNTS, 2025, 7), (NOW_COUNTS, 2026, 1)):
        for code, count in counts.items():
            for index in range(count):
                serial += 1
                theme = themes["housing"] if index % 2 == 0 else themes["income"]
                report = add_report(
                    units[code], now=filing_day(serial, year, month), nature=Nature.NEGATIVE,
                    phenomenon=Phenomenon.SOCIAL_PROBLEMS, themes=[theme],
                    description=f"{RAW}KUVAUS{serial:03d} asiakkaan tilanteesta yksikössä {UNITS[code][0]}.",
                    proposed_actions=f"{RAW}EHDOTUS{serial:03d}", reporter_name=f"Raportoija{serial:03d}")
                if year == 2026:
                    reports[code].append(report)
    db.session.commit()

    group, body = org["working_group"], org["review_body"]
    compilation = compilations.open_compilation(PERIOD, group)
    compilations.save_texts(compilation, group, SUMMARY, {"housing": (FINDINGS, "EHDOTUSTEKSTI")})
    for key, report, level in (("kuopio", reports["U-LIN"][0], ExcerptContext.MUNICIPALITY),
                               ("pielavesi", reports["U-MAR"][0], ExcerptContext.DIVISION)):
        highlight = compilations.highlight_report(compilation, group, report.number)
        compilations.edit_highlight(compilation, group, highlight.id, EXCERPTS[key], level)
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, group)
    compilations.perform(CompilationAction.APPROVE, compilation, body, note="Hyväksytty.")
    db.session.commit()
    everything = [r for rs in reports.values() for r in rs]
    return {"numbers": [r.number for r in everything], "days": [r.created_at for r in everything]}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(re.sub(r"-\n", "", text).split())


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(" | ".join("" if v is None else str(v) for v in row)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def fetch_pdf(client, url: str) -> bytes:  # type: ignore[no-untyped-def]
    """A PDF as a reader gets it: asked for (queued), rendered by the scheduler, asked for again."""
    response = client.get(url)
    if response.status_code == 202:
        jobs.render_files()
        response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", url
    return response.data


def get(client, url: str) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.data


def published_files(app, org) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every published page and file of the half-year, as text, by where it was fetched."""
    public, code = app.test_client(), PERIOD.code
    files = {"/results/": get(public, "/results/").decode(), f"/results/{code}": get(public, f"/results/{code}").decode()}
    for municipality in ("", *CODES.values()):
        asked = f"?municipality={municipality}" if municipality else ""
        files[f"pdf{asked}"] = pdf_text(fetch_pdf(public, f"/results/{code}/kooste.pdf{asked}"))
        files[f"csv{asked}"] = get(public, f"/results/{code}/kooste.csv{asked}").decode("utf-8-sig")
        files[f"xlsx{asked}"] = xlsx_text(get(public, f"/results/{code}/kooste.xlsx{asked}"))
    coordinator = app.test_client()
    login(coordinator, org["coordinator"].email)
    for place in ("county", *CODES.values()):
        for span in (code, "2026"):
            asked = f"?municipality={place}&span={span}"
            files[f"welfare{asked}"] = get(coordinator, f"/welfare/{asked}").decode()
            files[f"welfare.xlsx{asked}"] = xlsx_text(get(coordinator, f"/welfare/aineisto.xlsx{asked}"))
            files[f"welfare.pdf{asked}"] = pdf_text(fetch_pdf(coordinator, f"/welfare/aineisto.pdf{asked}"))
    files["national.json"] = get(coordinator, f"/welfare/national/{code}.json").decode()
    files["national.csv"] = get(coordinator, f"/welfare/national/{code}.csv").decode()
    return files


def date_forms(moment: datetime) -> list[str]:
    """How a filing date could be written: 3.2.2026, 03.02.2026, 2026-02-03."""
    from app.workflow.compilations.periods import HELSINKI

    day = moment.astimezone(HELSINKI).date()
    return [f"{day.day}.{day.month}.{day.year}", f"{day.day:02d}.{day.month:02d}.{day.year}", day.isoformat()]


def test_no_report_text_date_unit_or_number_is_published_only_the_chosen_excerpts(app, org, published):
    files = published_files(app, org)
    unit_names = [name for name, *_rest in UNITS.values()] + list(UNITS)
    for where, text in files.items():
        assert RAW not in text, f"{where}: a report's own text"
        assert not re.search(r"Raportoija\d{3}", text), f"{where}: a reporter's name"
        for name in unit_names:
            assert name not in text, f"{where}: the unit {name}"
        for number in published["numbers"]:
            assert number not in text, f"{where}: the report number {number}"
        for moment in published["days"]:
            for form in date_forms(moment):
                assert form not in text, f"{where}: the filing date {form}"
    # the chosen excerpts are what is published, with the level the group chose: not vacuous
    for where in ("/results/2026-H1", "pdf", "welfare?municipality=county&span=2026-H1",
                  "welfare.pdf?municipality=county&span=2026-H1", "welfare.xlsx?municipality=county&span=2026-H1"):
        for excerpt in EXCERPTS.values():
            assert excerpt in files[where], f"{where}: {excerpt}"
        assert SUMMARY in files[where] and FINDINGS in files[where], where
    assert "Ikäihmisten palvelut" in files["/results/2026-H1"]  # the Pielavesi excerpt's chosen level
    assert EXCERPTS["kuopio"] in files["pdf?municipality=297"]  # it names Kuopio: Kuopio's part has it
    assert EXCERPTS["pielavesi"] not in files["pdf?municipality=595"]  # it names no municipality


HIDDEN = ("<5", "..")
"""A small count ("<5") and a complement hidden with it (".."), as published."""


def is_small(value: Any) -> bool:
    number = value if isinstance(value, int) else int(value) if isinstance(value, str) and value.isdigit() else None
    return number is not None and 0 < number < 5


def test_every_published_cell_from_1_to_4_is_hidden_with_its_complement(app, org, published):
    public, code = app.test_client(), PERIOD.code
    county = list(csv.DictReader(io.StringIO(get(public, f"/results/{code}/kooste.csv").decode("utf-8-sig")),
                                 delimiter=";"))
    for row in county:
        if row["jaottelu"] in SINGLING and row["koodi"] not in ("county", "none"):
            assert not is_small(row["raportteja"]) and not is_small(row["edellinen_kausi"]), row
    places = {r["koodi"]: r for r in county if r["jaottelu"] == "municipalities"}
    # Pielavesi's 2 (now) and Varkaus's 3 (before) are hidden, each with a complement (Varkaus's 6 now,
    # Kuopio's 11 before) that is marked ".." since it is not small
    assert places["595"]["raportteja"] == "<5" and places["915"]["raportteja"] == ".."
    assert places["915"]["edellinen_kausi"] == "<5" and places["297"]["edellinen_kausi"] == ".."
    # nothing hidden can be worked out from the total: the shown cells leave at least 5 unexplained
    total = next(r for r in county if r["jaottelu"] == "total")
    for column in ("raportteja", "edellinen_kausi"):
        shown = sum(int(r[column]) for r in places.values() if r[column].isdigit())
        assert int(total[column]) - shown >= 5, column
    divisions = {r["koodi"]: r["raportteja"] for r in county if r["jaottelu"] == "division"}
    assert sorted(divisions.values()) == ["..", "<5"]  # Ikäihmisten palvelut's 2, with its complement
    assert not [r for r in county if r["jaottelu"] == "unit"], "the units' table is not published"

    # a municipality's part: every cell singles the municipality out
    for municipality in CODES.values():
        part = list(csv.DictReader(io.StringIO(
            get(public, f"/results/{code}/kooste.csv?municipality={municipality}").decode("utf-8-sig")), delimiter=";"))
        for row in part:
            assert not is_small(row["raportteja"]) and not is_small(row["edellinen_kausi"]), (municipality, row)
    for municipality, shown in (("595", "<5"), ("915", "..")):  # Varkaus's part would give Pielavesi's 2 away
        small = list(csv.DictReader(io.StringIO(
            get(public, f"/results/{code}/kooste.csv?municipality={municipality}").decode("utf-8-sig")), delimiter=";"))
        assert [(r["jaottelu"], r["raportteja"]) for r in small] == [("total", shown)], municipality
    kuopio = list(csv.DictReader(io.StringIO(
        get(public, f"/results/{code}/kooste.csv?municipality=297").decode("utf-8-sig")), delimiter=";"))
    assert kuopio[0]["raportteja"] == "12" and {r["edellinen_kausi"] for r in kuopio} <= set(HIDDEN), \
        "Kuopio's previous half-year is hidden in the county table, so in its part too"

    # the national export: a hidden cell is null and flagged, never the small number
    coordinator = app.test_client()
    login(coordinator, org["coordinator"].email)
    export = json.loads(get(coordinator, f"/welfare/national/{code}.json"))
    for row in export["counts"]["municipality"]:
        assert not is_small(row["count"]), row
    hidden = [r["code"] for r in export["counts"]["municipality"] if r.get("suppressed")]
    assert {"595", "915"} <= set(hidden)
    for part in export["municipalities"]:
        assert part["code"] == "297"
        for rows in part["counts"].values():
            assert not any(is_small(r["count"]) for r in rows), part["code"]

    # the welfare package of a municipality: its figures come from the protected part
    for municipality in CODES.values():
        sheet = xlsx_text(get(coordinator, f"/welfare/aineisto.xlsx?municipality={municipality}&span={code}"))
        for line in sheet.splitlines()[1:]:
            cells = line.split(" | ")
            assert not any(is_small(c) for c in cells[1:3]), (municipality, line)

