"""The social director at volume in a real browser: from the dashboard's stalled count to a Finnish search and an export.

axe-core checks each page the journey passes (the dashboard, the inbox with its search and bulk controls).
"""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
from browser_tools import download, log_in
from playwright.sync_api import expect

from app.extensions import db
from app.models import utcnow
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action


def test_the_director_follows_the_stalled_count_searches_and_exports(browsing, org, create_report):
    long_ago = utcnow() - timedelta(days=60)
    housing = create_report(org["unit"], now=long_ago, reporter_name="Nimetty Raportoija",
                            description="Nuorten asunnottomuudesta on tullut arkea Kuopiossa.")
    drugs = create_report(org["unit"], now=long_ago, reporter_name="Nimetty Raportoija",
                          description="Ohjaus päihdepalveluihin kestää viikkoja.")
    fresh = create_report(org["unit"], description="Asunnottomuus näkyy myös tänään.")
    for report in (housing, drugs):
        perform(Action.START_HANDLING, report, org["handler"], note="Raportti on otettu käsittelyyn.",
                now=long_ago + timedelta(days=1))
    db.session.commit()
    numbers = housing.number, drugs.number, fresh.number
    db.session.remove()  # on SQLite the read would keep the write lock from the server

    director = browsing.person("director")
    log_in(director, "d@t.example")
    director.goto("/cases/dashboard")
    stalled = director.locator("#stalled-count")
    expect(stalled).to_contain_text("2")
    expect(stalled).to_contain_text("pysähtynyttä")
    stalled.click()
    expect(director.get_by_label("Vain pysähtyneet")).to_be_checked()
    rows = director.locator("table.table tbody tr")
    expect(rows).to_have_count(2)

    director.get_by_label("Hae numerolla tai sanoilla").fill("asunnottomuus")
    director.get_by_role("button", name="Hae", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(numbers[0])
    assert director.get_by_label("Vain pysähtyneet").is_checked(), "the search keeps the list's filters"

    workbook = download(director, director.get_by_role("link", name="Excel"))
    book = openpyxl.load_workbook(io.BytesIO(Path(workbook.path()).read_bytes()))
    sheet = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    assert [row[0] for row in sheet] == ["Numero", numbers[0]]
    assert sheet[1][9] == "Kyllä", "stalled"
    assert sheet[1][8].startswith("erääntyy "), "the start-handling note was no feedback: still due"

    csv = download(director, director.get_by_role("link", name="CSV"))
    text = Path(csv.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith(numbers[0] + ";") and len(text.splitlines()) == 2

    director.get_by_role("link", name="Tyhjennä rajaukset").click()
    director.get_by_label("Hae numerolla tai sanoilla").fill(numbers[2].lower().replace("-", " "))
    director.get_by_role("button", name="Hae", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(numbers[2])
