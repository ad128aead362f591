"""Retention: a report closed longer than the retention period, and included in a published
compilation, is deleted. The deletion is logged with the report number only.

`is_expired()` is the rule as a pure function; `expired_condition()` the same rule in SQL.
Whether a report is in a published compilation belongs to the compilations (issue 5): until
they exist, `included_in_published_compilation()` says no for every report, so nothing is
deleted. Wiring it is one function; the rule and the job need no other change.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.codes import AuditAction, CompilationStatus, ReportStatus
from app.extensions import db
from app.models import Compilation, Report, utcnow
from app.workflow.compilations.periods import parse_period
from app.workflow.core.audit import record

CLOSED_STATUSES = frozenset({ReportStatus.RESOLVED, ReportStatus.CLOSED})

Condition = Callable[[], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class RetentionSettings:
    years: int = 5

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetentionSettings:
        return cls(int(config["RETENTION_YEARS"]))


def cutoff(now: datetime, settings: RetentionSettings) -> datetime:
    """The same moment `years` earlier (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - settings.years)
    except ValueError:
        return now.replace(year=now.year - settings.years, day=28)


def is_expired(report: Report, now: datetime, settings: RetentionSettings, *, in_published_compilation: bool) -> bool:
    return (
        in_published_compilation
        and report.status in CLOSED_STATUSES
        and report.closed_at is not None
        and report.closed_at < cutoff(now, settings)
    )


def included_in_published_compilation() -> sa.ColumnElement[bool]:
    """SQL condition on Report: it was received within a half-year whose compilation is published."""
    periods = db.session.scalars(sa.select(Compilation.period).where(Compilation.status == CompilationStatus.PUBLISHED))
    ranges = [parse_period(code).bounds() for code in periods]
    return sa.or_(sa.false(), *[sa.and_(Report.created_at >= start, Report.created_at < end) for start, end in ranges])


def closed_before_condition(now: datetime, settings: RetentionSettings) -> sa.ColumnElement[bool]:
    return sa.and_(Report.status.in_(CLOSED_STATUSES), Report.closed_at.is_not(None),
                   Report.closed_at < cutoff(now, settings))


def expired_condition(now: datetime, settings: RetentionSettings,
                      included: Condition = included_in_published_compilation) -> sa.ColumnElement[bool]:
    """is_expired() as an SQL condition."""
    return sa.and_(closed_before_condition(now, settings), included())


@dataclass(frozen=True)
class RetentionRun:
    past_period: int
    """Reports closed longer than the period, compiled or not."""
    numbers: list[str]
    """The reports deleted (or, in a dry run, that would be)."""


def run_retention(settings: RetentionSettings, *, dry_run: bool = False, now: datetime | None = None,
                  included: Condition = included_in_published_compilation) -> RetentionRun:
    """Delete the expired reports and log each by its number; flush, the caller commits."""
    now = now or utcnow()
    past_period = db.session.scalar(
        sa.select(sa.func.count()).select_from(Report).where(closed_before_condition(now, settings))) or 0
    reports = list(db.session.scalars(
        sa.select(Report).where(expired_condition(now, settings, included)).order_by(Report.year, Report.series, Report.sequence)))
    numbers = [report.number for report in reports]
    if not dry_run:
        for report in reports:
            db.session.delete(report)
            record(AuditAction.REPORT_DELETED, report_number=report.number, now=now, details={"reason": "retention"})
        db.session.flush()
    return RetentionRun(past_period=past_period, numbers=numbers)
