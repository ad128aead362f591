"""The search index, written in the same flush as the report or note it indexes (never rebuilt nightly).

A report's row in `report_search` holds the terms of its description, proposal and the notes of its
timeline (text_analysis.terms). Every flush that adds or changes a report or adds an event to one
rewrites that report's row, so whatever writes them (filing, the case actions, the reporter's answer,
the demo) keeps the index current without knowing of it. Bulk loads that bypass the ORM call rebuild().
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Report, ReportEvent, ReportSearch
from app.workflow.search.text_analysis import terms

INDEXED_COLUMNS = ("description", "proposed_actions")
_PENDING = "sora_search_pending"


def document_terms(description: str | None, proposed_actions: str | None, notes: Iterable[str | None]) -> str:
    """The indexed text of a report: its terms, space-separated. Nothing of the reporter goes in."""
    parts = [description, proposed_actions, *notes]
    return " ".join(term for part in parts if part for term in terms(part))


def _upsert(connection: sa.Connection, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(ReportSearch)
    connection.execute(insert.on_conflict_do_update(index_elements=["report_id"],
                                                    set_={"terms": insert.excluded.terms}), rows)


@event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context: object, instances: object) -> None:
    pending: set[Report] = session.info.setdefault(_PENDING, set())
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Report):
            if instance in session.new or any(
                    sa.inspect(instance).attrs[name].history.has_changes() for name in INDEXED_COLUMNS):
                pending.add(instance)
        elif isinstance(instance, ReportEvent) and instance in session.new and instance.note:
            if instance.report is not None:
                pending.add(instance.report)


@event.listens_for(Session, "after_flush")
def _write(session: Session, flush_context: object) -> None:
    pending: set[Report] = session.info.pop(_PENDING, set())
    rows = [{"report_id": report.id,
             "terms": document_terms(report.description, report.proposed_actions,
                                     (e.note for e in report.events))}
            for report in pending if report.id is not None and report not in session.deleted]
    _upsert(session.connection(), rows)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def rebuild(connection: sa.Connection, report_ids: Iterable[int] | None = None, batch: int = 2_000) -> int:
    """Index the given reports (all when None) from what the database holds; for bulk loads and migrations."""
    report = sa.table("report", sa.column("id"), *(sa.column(name) for name in INDEXED_COLUMNS))
    note = sa.table("report_event", sa.column("report_id"), sa.column("id"), sa.column("note"))
    ids = list(report_ids) if report_ids is not None else list(
        connection.execute(sa.select(report.c.id).order_by(report.c.id)).scalars())
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        notes: dict[int, list[str]] = {}
        for report_id, text in connection.execute(
                sa.select(note.c.report_id, note.c.note)
                .where(note.c.report_id.in_(chunk), note.c.note.is_not(None)).order_by(note.c.id)):
            notes.setdefault(report_id, []).append(text)
        _upsert(connection, [
            {"report_id": row.id, "terms": document_terms(row.description, row.proposed_actions,
                                                          notes.get(row.id, []))}
            for row in connection.execute(sa.select(report).where(report.c.id.in_(chunk)))])
    return len(ids)
