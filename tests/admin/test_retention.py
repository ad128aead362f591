"""Retention: closed reports past the period and in a published compilation are deleted, logged by number only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from helpers import add_report

from app.codes import AuditAction, Nature, ReportStatus
from app.extensions import db
from app.models import AuditEntry, Notification, Report, ReportEvent
from app.workflow.admin.retention import (
    RetentionSettings,
    cutoff,
    is_expired,
    run_retention,
)
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action

NOW = datetime(2031, 6, 1, 12, 0, tzinfo=timezone.utc)
FIVE_YEARS = RetentionSettings(years=5)


def compiled() -> sa.ColumnElement[bool]:
    return sa.true()


def test_cutoff_is_the_same_moment_years_earlier():
    assert cutoff(NOW, FIVE_YEARS) == datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert cutoff(datetime(2028, 2, 29, tzinfo=timezone.utc), RetentionSettings(1)).day == 28


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("closed_days_ago,in_compilation", [(5 * 366, True), (5 * 366, False), (5 * 365 - 2, True)])
def test_only_long_closed_and_compiled_reports_expire(status, closed_days_ago, in_compilation):
    report = Report(status=status, closed_at=NOW - timedelta(days=closed_days_ago))
    expected = status in (ReportStatus.RESOLVED, ReportStatus.CLOSED) and closed_days_ago > 5 * 365 and in_compilation
    assert is_expired(report, NOW, FIVE_YEARS, in_published_compilation=in_compilation) is expected


def closed_report(unit, handler, closed_at: datetime) -> Report:  # type: ignore[no-untyped-def]
    report = add_report(unit, nature=Nature.NEGATIVE, description="Jonot ovat pitkiä.",
                        now=closed_at - timedelta(days=30))
    perform(Action.CLOSE, report, handler, note="Käsitelty aiemmin.", now=closed_at)
    return report


def test_the_job_deletes_expired_reports_and_logs_only_their_numbers(app_ctx, org, create_report):
    old = closed_report(org["unit"], org["handler"], NOW - timedelta(days=6 * 365))
    recent = closed_report(org["unit"], org["handler"], NOW - timedelta(days=365))
    still_open = create_report(org["unit"], nature=Nature.POSITIVE, description="Hyvä käytäntö.",
                               now=NOW - timedelta(days=7 * 365))
    db.session.commit()
    old_number, old_id = old.number, old.id

    dry = run_retention(FIVE_YEARS, dry_run=True, now=NOW, included=compiled)
    assert dry.numbers == [old_number] and dry.past_period == 1
    assert db.session.get(Report, old_id) is not None, "a dry run deletes nothing"

    nothing = run_retention(FIVE_YEARS, now=NOW)
    assert nothing.numbers == [] and nothing.past_period == 1, "no published compilation holds it yet"

    done = run_retention(FIVE_YEARS, now=NOW, included=compiled)
    db.session.commit()
    assert done.numbers == [old_number]
    remaining = set(db.session.scalars(sa.select(Report.number)))
    assert remaining == {recent.number, still_open.number}
    assert not db.session.scalars(sa.select(ReportEvent).where(ReportEvent.report_id == old_id)).all()
    assert not db.session.scalars(sa.select(Notification).where(Notification.report_id == old_id)).all()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_DELETED))
    assert (entry.report_number, entry.actor_id, entry.target, entry.details) == (
        old_number, None, None, {"reason": "retention"})


def test_the_command_reports_what_it_would_delete(app, app_ctx, org):
    closed_report(org["unit"], org["handler"], datetime.now(timezone.utc) - timedelta(days=6 * 365))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Säilytysaika 5 vuotta. Suljettu yli säilytysajan: 1, joista julkaistussa koosteessa: 0." in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1


def test_a_published_compilation_of_the_half_year_makes_its_closed_reports_expire(app_ctx, org):
    from app.codes import CompilationStatus
    from app.models import Compilation

    old = closed_report(org["unit"], org["handler"], datetime(2025, 3, 1, tzinfo=timezone.utc))  # received 30.1.2025
    other = closed_report(org["unit"], org["handler"], datetime(2025, 9, 1, tzinfo=timezone.utc))  # received 2.8.2025
    db.session.add(Compilation(period="2025-H1", status=CompilationStatus.PUBLISHED, summary="", snapshot={},
                               published_at=datetime(2025, 9, 20, tzinfo=timezone.utc)))
    db.session.add(Compilation(period="2025-H2", status=CompilationStatus.DRAFT, summary=""))
    db.session.commit()
    old_number = old.number
    done = run_retention(FIVE_YEARS, now=datetime(2031, 1, 1, tzinfo=timezone.utc))
    db.session.commit()
    assert done.numbers == [old_number] and done.past_period == 2
    assert set(db.session.scalars(sa.select(Report.number))) == {other.number}, "its half-year is only a draft"
