"""Figures for the social director's and working group's dashboard, computed in the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Report, Theme, report_theme, utcnow
from app.workflow.statuses import OPEN_STATUSES, EscalationLevel, ReportStatus


@dataclass(frozen=True)
class Dashboard:
    by_status_and_level: dict[tuple[ReportStatus, EscalationLevel], int]
    by_month: list[tuple[str, int]]
    by_phenomenon: list[tuple[str, int]]
    by_theme: list[tuple[Theme, int]]
    oldest_open: list[Report]
    total: int


def build_dashboard(months: int = 24, oldest: int = 10, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    pairs = db.session.execute(
        sa.select(Report.status, Report.escalation_level, sa.func.count()).group_by(Report.status, Report.escalation_level)
    ).all()
    by_status_and_level = {(ReportStatus(s), EscalationLevel(l)): n for s, l, n in pairs}

    since = (now - timedelta(days=31 * months)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year, month = sa.extract("year", Report.created_at), sa.extract("month", Report.created_at)
    monthly = db.session.execute(
        sa.select(year, month, sa.func.count()).where(Report.created_at >= since).group_by(year, month).order_by(year, month)
    ).all()
    by_month = [(f"{int(m)}/{int(y)}", n) for y, m, n in monthly]

    by_phenomenon = [
        (phenomenon, n) for phenomenon, n in db.session.execute(
            sa.select(Report.phenomenon, sa.func.count()).group_by(Report.phenomenon).order_by(sa.func.count().desc())
        )
    ]
    theme_counts = db.session.execute(
        sa.select(Theme, sa.func.count(report_theme.c.report_id))
        .join(report_theme, report_theme.c.theme_id == Theme.id)
        .group_by(Theme.id).order_by(sa.func.count(report_theme.c.report_id).desc())
    ).all()
    oldest_open = list(db.session.scalars(
        sa.select(Report).where(Report.status.in_(OPEN_STATUSES)).order_by(Report.created_at).limit(oldest)
    ))
    total = sum(by_status_and_level.values())
    return Dashboard(by_status_and_level, by_month, by_phenomenon, [(t, n) for t, n in theme_counts], oldest_open, total)
