"""Every CSV and Excel file SoRa writes goes through here, so that text is shown, never run.

Free text in the files (anonymous reporters' proposals, excerpts, the working group's texts, names of
units, forums and themes) could start with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
spreadsheet may take for a formula (OWASP, "CSV Injection"). CSV has no cell types, so such text gets a
leading apostrophe, which Excel and LibreOffice read as "this is text". An Excel file keeps the text as
typed: it is stored as a string, never as a formula, and marked quote-prefixed, so that editing the cell
in Excel keeps it text. Numbers stay numbers, and so does text that is a plain number ("-12,5").
JSON needs none of this and gets none.

Nor may a cell hold what its format cannot: an Excel file (XML) no control character but tab and line
breaks, a CSV (UTF-8) no lone surrogate and, for the programs that read it, no NUL. Such characters are
replaced by U+FFFD, so a report's excerpt with a stray control character can never make a file fail
to be written, not even from a frozen snapshot that can no longer be edited.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
REPLACEMENT = "\ufffd"
NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NOT_IN_CSV = re.compile("[\x00\ud800-\udfff]")


def writable(value: Any, unwritable: re.Pattern[str] = NOT_IN_XLSX) -> Any:
    """The value with every character its format cannot hold replaced by U+FFFD; other values as they are."""
    return unwritable.sub(REPLACEMENT, value) if isinstance(value, str) else value


def runs_as_formula(value: object) -> bool:
    """Whether a spreadsheet could read this cell as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)


def csv_cell(value: Any) -> Any:
    value = writable(value, NOT_IN_CSV)
    return "'" + value if runs_as_formula(value) else value


def from_csv_cell(value: str) -> str:
    """The text a guarded cell was written from (for files SoRa reads back, such as the organisation).

    Lenient on purpose: files written before plain numbers were left alone had "'-5" too.
    """
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


class CsvWriter:
    """csv.writer whose every text cell is guarded."""

    def __init__(self, stream: TextIO, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_stream(headings: Iterable[Any], rows: Iterable[Iterable[Any]], batch: int = 1_000) -> Iterator[str]:
    """A guarded CSV, semicolon-separated with a byte-order mark as Finnish Excel opens it, in pieces of
    `batch` rows, so that a long list is sent while it is still being read."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";")

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([str(h) for h in headings])
    yield "\ufeff" + taken()
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % batch == 0:
            yield taken()
    yield taken()


def _holds_no_text(column: pd.Series) -> bool:
    """Numbers, truth values and times; every other column may hold text (object, or pandas' own str dtype)."""
    types = pd.api.types
    return bool(types.is_numeric_dtype(column) or types.is_bool_dtype(column)
                or types.is_datetime64_any_dtype(column))


def frames_to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with a sheet per table, columns sized to their text, shares ('Osuus') as per cent."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            title = sheet_name(name)
            frame = frame.rename(columns=writable).apply(
                lambda column: column if _holds_no_text(column) else column.map(writable))
            frame.to_excel(writer, sheet_name=title, index=False)
            sheet = writer.sheets[title]
            for column in sheet.columns:
                for cell in column:
                    if runs_as_formula(cell.value):
                        cell.data_type = "s"  # openpyxl made text starting with "=" a formula
                        cell.quotePrefix = True
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
            if "Osuus" in frame.columns:
                position = list(frame.columns).index("Osuus") + 1
                for row in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                    row[0].number_format = "0.0 %"
    return buffer.getvalue()


_GENITIVE_OF_ABBREVIATION = re.compile(r"^([A-ZÅÄÖ]{2,}):n (\w)(.*)$")


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters) that still reads as Finnish.

    Excel forbids the colon, and "THL:n valtakunnalliset ilmiöt" without it would read "THLn ...",
    so an abbreviation's genitive goes to the end in brackets: "Valtakunnalliset ilmiöt (THL)".
    """
    name = _GENITIVE_OF_ABBREVIATION.sub(lambda m: f"{m.group(2).upper()}{m.group(3)} ({m.group(1)})", name)
    return "".join(ch for ch in writable(name) if ch not in "[]:*?/\\")[:31] or "-"
