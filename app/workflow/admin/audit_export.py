"""The audit log, as filtered on its page, as a CSV file streamed row by row; the export is itself logged."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.codes import AuditAction
from app.extensions import db
from app.models import AuditEntry, User
from app.workflow.core.audit import HELSINKI, AuditFilters, audit_query, describe, describe_target, record
from app.workflow.core.spreadsheets import csv_stream

HEADINGS = (_l("Aika"), _l("Tekijä"), _l("Tapahtuma"), _l("Raportti"), _l("Kohde"), _l("Tiedot"))
BATCH = 1_000


def csv_lines(actor: User, filters: AuditFilters) -> Iterator[str]:
    """Semicolon-separated with a byte-order mark, as Finnish Excel opens it; through the spreadsheet guard."""
    record(AuditAction.EXPORTED, actor=actor, details={
        "what": "audit_log", **{key: str(value) for key, value in asdict(filters).items() if value}})
    yield from csv_stream(HEADINGS, _rows(filters), BATCH)


def _rows(filters: AuditFilters) -> Iterator[list[str]]:
    """Read only once the first piece is sent: the request's own transaction (with the export's audit entry)
    has ended by then, see views.lifecycle.streamed."""
    query = audit_query(filters).options(joinedload(AuditEntry.actor)).execution_options(yield_per=BATCH)
    for entry in db.session.scalars(query):
        yield [entry.created_at.astimezone(HELSINKI).strftime("%d.%m.%Y %H:%M:%S"),
               entry.actor.name if entry.actor else "", entry.action.label, entry.report_number or "",
               describe_target(entry.target), " | ".join(describe(entry.details))]
