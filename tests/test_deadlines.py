"""Deadlines: the pure rule and its SQL twin agree on every edge."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.codes import Nature, Phenomenon
from app.extensions import db
from app.models import Report
from app.workflow.deadlines import DeadlineSettings, is_overdue, overdue_condition
from app.workflow.filing import ReportInput, file_report
from app.workflow.statuses import ReportStatus

NOW = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
SETTINGS = DeadlineSettings(first_handling_days=7, feedback_days=90)


@pytest.mark.parametrize(
    ("status", "age", "expected"),
    [
        (ReportStatus.RECEIVED, timedelta(days=7), False),
        (ReportStatus.RECEIVED, timedelta(days=7, seconds=1), True),
        (ReportStatus.IN_HANDLING, timedelta(days=89), False),
        (ReportStatus.IN_HANDLING, timedelta(days=90, seconds=1), True),
        (ReportStatus.WAITING_FOR_REPORTER, timedelta(days=91), True),
        (ReportStatus.FORWARDED, timedelta(days=30), False),
        (ReportStatus.RESOLVED, timedelta(days=400), False),
        (ReportStatus.CLOSED, timedelta(days=400), False),
    ],
)
def test_overdue_rule_and_sql_agree(app_ctx, unit, status, age, expected):
    report = file_report(ReportInput(unit=unit, nature=Nature.OTHER, phenomenon=Phenomenon.CLIENT_WORK,
                                     description="Kuvaus."), now=NOW - age).report
    report.status = status  # test set-up
    db.session.commit()
    assert is_overdue(report, NOW, SETTINGS) is expected
    found = db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(overdue_condition(NOW, SETTINGS)))
    assert found == int(expected)
