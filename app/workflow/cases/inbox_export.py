"""The inbox's filtered list as a spreadsheet: CSV streamed row by row, or an Excel workbook; audited.

Both go through the spreadsheet guard (core/spreadsheets.py), so no cell is read as a formula. The file
holds what the list shows, in the list's order, for exactly the reports the user may see, and nothing
of a reporter: neither name nor e-mail, and of an anonymous report's arrival only the day.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.codes import AuditAction
from app.extensions import db
from app.models import Report, User
from app.workflow.cases.deadlines import HELSINKI, Deadline, describe, is_stalled, standing
from app.workflow.cases.inbox import InboxFilters, inbox_query
from app.workflow.core.audit import record
from app.workflow.core.spreadsheets import csv_stream, frames_to_xlsx

HEADINGS = (_l("Numero"), _l("Saapunut"), _l("Työyksikkö"), _l("Ilmiö"), _l("Luonne"), _l("Tila"),
            _l("Käsittelytaso"), _l("Käsittely alkaa"), _l("Palaute raportoijalle"), _l("Pysähtynyt"))
BATCH = 500


def rows(user: User, filters: InboxFilters) -> Iterator[list[str]]:
    """The list's rows in its order, read from the database a batch at a time. The query is made now, from
    the user's roles, so the rows can be read after the request (see views.lifecycle.streamed)."""
    query = inbox_query(user, filters, walking=False).options(joinedload(Report.unit))
    return _read(query, filters)


def _read(query: sa.Select, filters: InboxFilters) -> Iterator[list[str]]:
    """Labels, days and deadline words are made once each and reused: ten thousand rows repeat few of them."""
    now = filters.now
    assert now is not None
    yes, no = str(_l("Kyllä")), str(_l("Ei"))
    labels: dict[object, str] = {}
    words: dict[object, str] = {}

    def label(member: Any) -> str:
        if member not in labels:
            labels[member] = member.label
        return labels[member]

    def day(moment: datetime) -> str:
        local = moment.astimezone(HELSINKI).date()
        if local not in words:
            words[local] = format_date(local, "d.M.yyyy")
        return words[local]

    def deadline(report: Report, which: Deadline) -> str:
        position = standing(report, which, now)
        key = None if position is None else (position.deadline, position.state, position.date.astimezone(HELSINKI).date(),
                                             position.days_late)
        if key not in words:
            words[key] = describe(position)
        return words[key]

    for report in db.session.scalars(query.execution_options(yield_per=BATCH)):
        yield [report.number, day(report.created_at), report.unit.name, label(report.phenomenon), label(report.nature),
               label(report.status), label(report.escalation_level),
               deadline(report, Deadline.FIRST_HANDLING), deadline(report, Deadline.FEEDBACK),
               yes if is_stalled(report, now, filters.settings) else no]


def _audit(user: User, filters: InboxFilters, kind: str) -> None:
    chosen = {key: value for key, value in asdict(filters).items()
              if value and key not in ("now", "settings", "number_prefix")}
    record(AuditAction.EXPORTED, actor=user, details={
        "what": "inbox", "format": kind,
        "filters": {key: value if isinstance(value, bool) else str(value) for key, value in chosen.items()}})


def csv_lines(user: User, filters: InboxFilters) -> Iterator[str]:
    """The CSV a line at a time (semicolons and a byte-order mark, as Finnish Excel opens it)."""
    _audit(user, filters, "csv")
    yield from csv_stream(HEADINGS, rows(user, filters), BATCH)


def workbook(user: User, filters: InboxFilters) -> bytes:
    _audit(user, filters, "xlsx")
    frame = pd.DataFrame(list(rows(user, filters)), columns=[str(h) for h in HEADINGS])
    return frames_to_xlsx({str(_l("Raportit")): frame})


def file_name(now: datetime, extension: str) -> str:
    return f"sora-raportit-{now.astimezone(HELSINKI):%Y-%m-%d}.{extension}"
