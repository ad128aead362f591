"""Figures for the social director's and working group's dashboard, computed in the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models import Report, Theme, report_theme, utcnow
from app.workflow.deadlines import HELSINKI
from app.workflow.statuses import OPEN_STATUSES, EscalationLevel, ReportStatus


@dataclass(frozen=True)
class Dashboard:
    by_status_and_level: dict[tuple[ReportStatus, EscalationLevel], int]
    by_month: list[tuple[str, int]]
    by_phenomenon: list[tuple[str, int]]
    by_theme: list[tuple[Theme, int]]
    oldest_open: list[Report]
    total: int


def month_buckets(now: datetime, months: int) -> list[tuple[str, datetime, datetime]]:
    """(label, start, end) of the last `months` calendar months on the Helsinki clock, as UTC instants."""
    local = now.astimezone(HELSINKI)
    year, month = local.year, local.month
    starts = []
    for _ in range(months + 1):
        starts.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    edges = [datetime(y, m, 1, tzinfo=HELSINKI).astimezone(timezone.utc) for y, m in starts]
    next_year, next_month = (local.year, local.month + 1) if local.month < 12 else (local.year + 1, 1)
    edges.append(datetime(next_year, next_month, 1, tzinfo=HELSINKI).astimezone(timezone.utc))
    return [(f"{m}/{y}", edges[i], edges[i + 1]) for i, (y, m) in enumerate(starts)]


def build_dashboard(months: int = 24, oldest: int = 10, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    pairs = db.session.execute(
        sa.select(Report.status, Report.escalation_level, sa.func.count()).group_by(Report.status, Report.escalation_level)
    ).all()
    by_status_and_level = {(ReportStatus(s), EscalationLevel(l)): n for s, l, n in pairs}

    buckets = month_buckets(now, months)
    index = sa.case(*[(Report.created_at < end, position) for position, (_, _, end) in enumerate(buckets)])
    counted = dict(db.session.execute(
        sa.select(index, sa.func.count()).where(Report.created_at >= buckets[0][1]).group_by(index)
    ).all())
    by_month = [(label, counted[position]) for position, (label, _, _) in enumerate(buckets) if counted.get(position)]

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
