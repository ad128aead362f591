"""Handling deadlines: first handling within 7 days of receipt, an outcome within 3 months.

Pure rules over a report and the time; the inbox uses the same rule as an SQL condition.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.models import Report
from app.workflow.statuses import OPEN_STATUSES, ReportStatus


@dataclass(frozen=True)
class DeadlineSettings:
    first_handling_days: int = 7
    feedback_days: int = 90

    @classmethod
    def from_config(cls, config: dict) -> DeadlineSettings:  # type: ignore[type-arg]
        return cls(config["FIRST_HANDLING_DAYS"], config["FEEDBACK_DAYS"])


def first_handling_due(report: Report, settings: DeadlineSettings) -> datetime:
    return report.created_at + timedelta(days=settings.first_handling_days)


def feedback_due(report: Report, settings: DeadlineSettings) -> datetime:
    return report.created_at + timedelta(days=settings.feedback_days)


def is_overdue(report: Report, now: datetime, settings: DeadlineSettings) -> bool:
    if report.status not in OPEN_STATUSES:
        return False
    if report.status == ReportStatus.RECEIVED and now > first_handling_due(report, settings):
        return True
    return now > feedback_due(report, settings)


def overdue_condition(now: datetime, settings: DeadlineSettings) -> sa.ColumnElement[bool]:
    """is_overdue() as an SQL condition on Report."""
    return sa.and_(
        Report.status.in_(OPEN_STATUSES),
        sa.or_(
            sa.and_(Report.status == ReportStatus.RECEIVED,
                    Report.created_at < now - timedelta(days=settings.first_handling_days)),
            Report.created_at < now - timedelta(days=settings.feedback_days),
        ),
    )
