"""Figures for the social director's and working group's dashboard, counted in the database and reused for a minute."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time

import pandas as pd
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.codes import OPEN_STATUSES, EscalationLevel, NodeKind, ReportStatus
from app.extensions import db
from app.models import (
    Municipality,
    NationalPhenomenon,
    OrgNode,
    Report,
    ReportNationalPhenomenon,
    Theme,
    report_municipality,
    report_theme,
    utcnow,
)
from app.workflow.cases.deadlines import HELSINKI, DeadlineSettings, overdue_condition, stalled_condition
from app.workflow.phenomena.coding import confirmed_coding


@dataclass(frozen=True)
class Figures:
    """The dashboard's counts as plain values, so they can outlive the request that counted them."""

    by_status_and_level: dict[tuple[ReportStatus, EscalationLevel], int]
    by_month: list[tuple[str, int]]
    by_phenomenon: list[tuple[str, int]]
    by_theme: list[tuple[int, int]]
    """(theme id, reports), most reports first."""
    counted_at: datetime
    by_national: list[tuple[int, int]] = field(default_factory=list)
    """(national phenomenon id, reports with it confirmed), most reports first."""
    awaiting_coding: int = 0
    """Reports whose national phenomena are only suggested so far."""


@dataclass(frozen=True)
class Dashboard:
    by_status_and_level: dict[tuple[ReportStatus, EscalationLevel], int]
    by_month: list[tuple[str, int]]
    by_phenomenon: list[tuple[str, int]]
    by_theme: list[tuple[Theme, int]]
    oldest_open: list[Report]
    total: int
    counted_at: datetime
    by_national: list[tuple[NationalPhenomenon, int]]
    awaiting_coding: int


def days_since(moment: datetime, now: datetime) -> int:
    """Calendar days on the Helsinki clock, as the date shown beside the count reads.

    The count turns at midnight, never at the minute a report came: of an anonymous report staff
    may know only the day.
    """
    return (now.astimezone(HELSINKI).date() - moment.astimezone(HELSINKI).date()).days


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


def count_figures(months: int = 24, now: datetime | None = None) -> Figures:
    """Every report counted by status and level, by month of arrival, by phenomenon and by theme.

    Each count reads every report, so the cost grows with the database (see cached_figures).
    """
    now = now or utcnow()
    pairs = db.session.execute(
        sa.select(Report.status, Report.escalation_level, sa.func.count()).group_by(Report.status, Report.escalation_level)
    ).all()
    by_status_and_level = {(ReportStatus(s), EscalationLevel(l)): n for s, l, n in pairs}

    buckets = month_buckets(now, months)
    index = sa.case(*[(Report.created_at < end, position) for position, (_, _, end) in enumerate(buckets)])
    counted = dict(db.session.execute(
        sa.select(index, sa.func.count()).where(Report.created_at >= buckets[0][1])
        .group_by(index)
    ).all())
    by_month = [(label, counted[position]) for position, (label, _, _) in enumerate(buckets) if counted.get(position)]

    by_phenomenon = [
        (phenomenon, n) for phenomenon, n in db.session.execute(
            sa.select(Report.phenomenon, sa.func.count()).group_by(Report.phenomenon).order_by(sa.func.count().desc())
        )
    ]
    by_theme = [(theme_id, n) for theme_id, n in db.session.execute(
        sa.select(report_theme.c.theme_id, sa.func.count())
        .group_by(report_theme.c.theme_id).order_by(sa.func.count().desc(), report_theme.c.theme_id)
    )]
    confirmed = confirmed_coding().subquery()
    by_national = [(phenomenon_id, n) for phenomenon_id, n in db.session.execute(
        sa.select(confirmed.c.national_phenomenon_id, sa.func.count())
        .group_by(confirmed.c.national_phenomenon_id)
        .order_by(sa.func.count().desc(), confirmed.c.national_phenomenon_id)
    )]
    awaiting = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ReportNationalPhenomenon.report_id)))
        .where(ReportNationalPhenomenon.confirmed.is_(False))) or 0
    return Figures(by_status_and_level, by_month, by_phenomenon, by_theme, now, by_national, awaiting)


_CACHE = "sora_dashboard_figures"


def cached_figures(now: datetime | None = None) -> Figures:
    """The figures, counted again when older than DASHBOARD_CACHE_SECONDS (0: every time).

    A situation picture a minute old serves the social director as well as a fresh one, and the page
    then costs the same with a hundred thousand reports as with a thousand. Each process keeps its own.
    """
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    store: dict[str, tuple[float, Figures]] = current_app.extensions.setdefault(_CACHE, {})
    kept = store.get("figures")
    if seconds and kept is not None and time.monotonic() - kept[0] < seconds:
        return kept[1]
    figures = count_figures(now=now)
    if seconds:
        store["figures"] = (time.monotonic(), figures)
    return figures


def build_dashboard(months: int = 24, oldest: int = 10, now: datetime | None = None, *,
                    figures: Figures | None = None) -> Dashboard:
    """The dashboard from the given figures (counted now if none), with the oldest open reports as they are now."""
    figures = figures or count_figures(months, now)
    themes = {t.id: t for t in db.session.scalars(sa.select(Theme))}
    national = {p.id: p for p in db.session.scalars(sa.select(NationalPhenomenon))}
    oldest_open = list(db.session.scalars(
        sa.select(Report).where(Report.status.in_(OPEN_STATUSES))
        .order_by(Report.created_at, Report.id).limit(oldest)
    ))
    return Dashboard(figures.by_status_and_level, figures.by_month, figures.by_phenomenon,
                     [(themes[theme_id], n) for theme_id, n in figures.by_theme if theme_id in themes], oldest_open,
                     sum(figures.by_status_and_level.values()), figures.counted_at,
                     [(national[i], n) for i, n in figures.by_national if i in national], figures.awaiting_coding)


@dataclass(frozen=True)
class Period:
    """Days on the Helsinki clock, both included; an open end is unbounded."""

    start: date | None = None
    end: date | None = None

    def condition(self) -> sa.ColumnElement[bool]:
        conditions: list[sa.ColumnElement[bool]] = []
        if self.start:
            conditions.append(Report.created_at >= datetime.combine(self.start, dt_time.min, HELSINKI))
        if self.end:
            conditions.append(Report.created_at < datetime.combine(self.end + timedelta(days=1), dt_time.min, HELSINKI))
        return sa.and_(sa.true(), *conditions)


@dataclass(frozen=True)
class Breakdown:
    """Reports of a period by work unit and by municipality, each with how many are open, overdue, stalled."""

    by_unit: list[tuple[str, str, int, int]]
    """(unit code, unit name, reports, of them open), most reports first. Plain values, so they outlive the request."""
    by_municipality: list[tuple[str | None, str | None, int, int]]
    """(municipality code, name, reports, open); None for the reports of the whole county."""


def deadline_counts(now: datetime, settings: DeadlineSettings) -> tuple[int, int]:
    """(overdue, stalled) open reports, in one reading of the open reports, reused for as long as the other
    figures (DASHBOARD_CACHE_SECONDS): a minute-old count serves as well, and the lists they link to are current."""
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    store: dict[str, tuple[float, tuple[int, int]]] = current_app.extensions.setdefault(_CACHE, {})
    kept = store.get("deadlines")
    if seconds and kept is not None and time.monotonic() - kept[0] < seconds:
        return kept[1]
    overdue = sa.func.sum(sa.case((overdue_condition(now), 1), else_=0))
    stalled = sa.func.sum(sa.case((stalled_condition(now, settings), 1), else_=0))
    row = db.session.execute(sa.select(overdue, stalled).where(Report.status.in_(OPEN_STATUSES))).one()
    counts = (int(row[0] or 0), int(row[1] or 0))
    if seconds:
        store["deadlines"] = (time.monotonic(), counts)
    return counts


def breakdown(period: Period) -> Breakdown:
    """Counted afresh when older than DASHBOARD_CACHE_SECONDS, for each period asked (the last few kept)."""
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    store: dict[object, tuple[float, Breakdown]] = current_app.extensions.setdefault(_CACHE, {}).setdefault(
        "breakdowns", {})
    kept = store.get(period)
    if seconds and kept is not None and time.monotonic() - kept[0] < seconds:
        return kept[1]
    counted = _count_breakdown(period)
    if seconds:
        if len(store) > 20:
            store.clear()
        store[period] = (time.monotonic(), counted)
    return counted


def _count_breakdown(period: Period) -> Breakdown:
    is_open = sa.func.sum(sa.case((Report.status.in_(OPEN_STATUSES), 1), else_=0))
    units = {node.id: node for node in db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT))}
    by_unit = [(units[unit_id].code, units[unit_id].name, n, int(o or 0)) for unit_id, n, o in db.session.execute(
        sa.select(Report.unit_id, sa.func.count(), is_open).where(period.condition())
        .group_by(Report.unit_id).order_by(sa.func.count().desc(), Report.unit_id)) if unit_id in units]
    places = {m.id: m for m in db.session.scalars(sa.select(Municipality))}
    named = db.session.execute(
        sa.select(report_municipality.c.municipality_id, sa.func.count(), is_open)
        .join(Report, Report.id == report_municipality.c.report_id).where(period.condition())
        .group_by(report_municipality.c.municipality_id)
        .order_by(sa.func.count().desc(), report_municipality.c.municipality_id)).all()
    county = db.session.execute(sa.select(sa.func.count(), is_open)
                                .where(period.condition(), Report.whole_county.is_(True))).one()
    by_municipality: list[tuple[str | None, str | None, int, int]] = [
        (places[m].code, places[m].name, n, int(o or 0)) for m, n, o in named if m in places]
    if county[0]:
        by_municipality.append((None, None, county[0], int(county[1] or 0)))
    return Breakdown(by_unit, by_municipality)


def breakdown_frames(data: Breakdown, whole_county: str) -> dict[str, pd.DataFrame]:
    """The breakdown as tables for the spreadsheet guard (core/spreadsheets.py)."""
    reports, still_open = str(_l("Raportteja")), str(_l("Avoinna"))
    return {
        str(_l("Työyksiköittäin")): pd.DataFrame(
            [(name, n, o) for _, name, n, o in data.by_unit], columns=[str(_l("Työyksikkö")), reports, still_open]),
        str(_l("Kunnittain")): pd.DataFrame(
            [(name or whole_county, n, o) for _, name, n, o in data.by_municipality],
            columns=[str(_l("Kunta")), reports, still_open]),
    }
