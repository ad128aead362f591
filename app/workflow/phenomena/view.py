"""The phenomenon view (THL's ilmiönäkymä, seen from one county): for a national phenomenon, per municipality
and for the county, the reports coded to it per half-year, the working group's findings about it and the
indicator values imported for it, side by side.

Reports count only with a confirmed coding (a handler confirmed the phenomenon). Those who see every report
see exact counts; the others (the review body, welfare coordinators) see them under the compilation's
disclosure control, column by column, as a published table would show them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.codes import AreaKind
from app.extensions import db
from app.models import (
    Indicator,
    IndicatorValue,
    Municipality,
    NationalPhenomenon,
    PhenomenonGroup,
    Report,
    report_municipality,
    utcnow,
)
from app.workflow.compilations import charts, disclosure
from app.workflow.compilations.periods import Period, period_of
from app.workflow.core import permissions
from app.workflow.phenomena import coding
from app.workflow.reports import catalog

HALF_YEARS = 6
YEARS = 8
COUNTY = "county"


@dataclass
class Trend:
    """The latest value against the year before it, as the reader compares them."""

    year: int
    value: float
    previous_year: int | None
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else round(self.value - self.previous, 4)

    @property
    def direction(self) -> str:
        if self.change is None or abs(self.change) < 1e-9:
            return "flat"
        return "up" if self.change > 0 else "down"


@dataclass
class IndicatorSeries:
    indicator: Indicator
    years: list[int]
    rows: list[tuple[str, list[float | None]]]
    """(area name, a value per year): the chosen area first, then the county and Finland."""
    trend: Trend | None
    chart: str


@dataclass
class CountRow:
    code: str
    name: str
    counts: list[int | str]


@dataclass
class PhenomenonView:
    phenomenon: NationalPhenomenon
    area: Municipality | None
    periods: list[Period]
    counts: list[CountRow]
    """The county first, then each municipality: reports coded to the phenomenon per half-year."""
    exact: bool
    counts_chart: str
    indicators: list[IndicatorSeries]
    findings: list[PhenomenonGroup] = field(default_factory=list)

    @property
    def area_code(self) -> str:
        return self.area.code if self.area is not None else COUNTY


@dataclass
class Overview:
    phenomenon: NationalPhenomenon
    current: int | str
    previous: int | str
    indicators: int
    findings: int


def _periods(count: int = HALF_YEARS) -> list[Period]:
    last = period_of(utcnow())
    periods = [last]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return list(reversed(periods))


def _bucket(periods: Sequence[Period]) -> sa.ColumnElement[int]:
    """Which of the half-years a report's filing falls in (its index), in SQL on every database."""
    return sa.case(*((Report.created_at < p.bounds()[1], index) for index, p in enumerate(periods)), else_=-1)


def _coded(phenomenon: NationalPhenomenon) -> sa.Select[Any]:
    confirmed = coding.confirmed_coding().subquery()
    return sa.select(confirmed.c.report_id).where(confirmed.c.national_phenomenon_id == phenomenon.id)


def report_counts(phenomenon: NationalPhenomenon, periods: Sequence[Period]) -> dict[str, list[int]]:
    """{municipality code or 'county': a count per half-year} of released reports with the confirmed coding."""
    start = periods[0].bounds()[0]
    bucket = _bucket(periods).label("bucket")
    base = (sa.select(bucket, sa.func.count(sa.distinct(Report.id)))
            .where(Report.id.in_(_coded(phenomenon)), permissions.released_reports(),
                   Report.created_at >= start))
    counts = {COUNTY: [0] * len(periods)}
    for index, count in db.session.execute(base.group_by(bucket)):
        if index >= 0:
            counts[COUNTY][index] = count
    by_place = (sa.select(Municipality.code, bucket, sa.func.count(sa.distinct(Report.id)))
                .select_from(Report)
                .join(report_municipality, report_municipality.c.report_id == Report.id)
                .join(Municipality, Municipality.id == report_municipality.c.municipality_id)
                .where(Report.id.in_(_coded(phenomenon)), permissions.released_reports(),
                       Report.created_at >= start)
                .group_by(Municipality.code, bucket))
    for code, index, count in db.session.execute(by_place):
        if index >= 0:
            counts.setdefault(code, [0] * len(periods))[index] = count
    return counts


def _protected(rows: list[CountRow], periods: Sequence[Period]) -> list[CountRow]:
    """Each half-year's column hidden as a published table's would be; the county's own row names no place."""
    limit = disclosure.threshold()
    for column in range(len(periods)):
        values: list[Any] = [row.counts[column] for row in rows]
        for index in disclosure.hidden_cells(values, limit, exempt=frozenset({0})):
            rows[index].counts[column] = disclosure.label_of(values[index], limit)
    return rows


def _series(indicator: Indicator, area: Municipality | None, county_name: str) -> IndicatorSeries:
    wanted = [(AreaKind.COUNTY, None)]
    if area is not None:
        wanted.insert(0, (AreaKind.MUNICIPALITY, area.code))
    wanted.append((AreaKind.COUNTRY, None))
    values = db.session.execute(
        sa.select(IndicatorValue.area_kind, IndicatorValue.area_code, IndicatorValue.year, IndicatorValue.value)
        .where(IndicatorValue.indicator_id == indicator.id,
               sa.or_(IndicatorValue.area_kind != AreaKind.MUNICIPALITY,
                      IndicatorValue.area_code == (area.code if area is not None else ""))))
    table: dict[AreaKind, dict[int, float]] = {}
    for kind, _code, year, value in values:
        table.setdefault(kind, {})[year] = value
    years = sorted({year for by_year in table.values() for year in by_year})[-YEARS:]
    names = {AreaKind.MUNICIPALITY: area.label if area is not None else "", AreaKind.COUNTY: county_name,
             AreaKind.COUNTRY: AreaKind.COUNTRY.label}
    rows = [(names[kind], [table.get(kind, {}).get(year) for year in years]) for kind, _ in wanted]
    own = table.get(wanted[0][0], {})
    own_years = [year for year in years if year in own]
    trend = (Trend(own_years[-1], own[own_years[-1]], own_years[-2] if len(own_years) > 1 else None,
                   own[own_years[-2]] if len(own_years) > 1 else None) if own_years else None)
    chart_rows = [(name, row) for name, row in rows if any(v is not None for v in row)]
    chart = ""
    if years and chart_rows:
        chart = charts.line_chart(indicator.title, [str(y) for y in years],
                                  [(name, [v if v is not None else 0.0 for v in row]) for name, row in chart_rows])
    return IndicatorSeries(indicator, years, rows, trend, chart)


def _findings(phenomenon: NationalPhenomenon) -> list[PhenomenonGroup]:
    """The working group's phenomenon groups that name this national phenomenon, with their proposals."""
    return list(db.session.scalars(
        sa.select(PhenomenonGroup).where(PhenomenonGroup.national_phenomena.any(NationalPhenomenon.id == phenomenon.id))
        .options(selectinload(PhenomenonGroup.proposals)).order_by(PhenomenonGroup.name)))


def phenomenon_view(phenomenon: NationalPhenomenon, area: Municipality | None, viewer: Any,
                    county_name: str) -> PhenomenonView:
    periods = _periods()
    counts = report_counts(phenomenon, periods)
    municipalities = catalog.municipalities()
    rows = [CountRow(COUNTY, county_name, list(counts[COUNTY]))] + [
        CountRow(m.code, m.label, list(counts.get(m.code, [0] * len(periods)))) for m in municipalities]
    exact = permissions.sees_all(viewer)
    if not exact:
        rows = _protected(rows, periods)
    chosen = [rows[0]] + [row for row in rows[1:] if area is not None and row.code == area.code]
    chart = charts.line_chart(phenomenon.label, [p.code for p in periods],
                              [(row.name, [c if isinstance(c, int) else 0 for c in row.counts]) for row in chosen])
    series = [_series(indicator, area, county_name)
              for indicator in db.session.scalars(sa.select(Indicator).where(
                  Indicator.national_phenomenon_id == phenomenon.id).order_by(Indicator.title))]
    return PhenomenonView(phenomenon, area, periods, rows, exact, chart, series, _findings(phenomenon))


def overview(viewer: Any) -> list[Overview]:
    """Each national phenomenon at a glance: this and the previous half-year's reports, indicators, findings."""
    periods = _periods(2)
    exact = permissions.sees_all(viewer)
    limit = disclosure.threshold()
    indicator_counts = dict(db.session.execute(sa.select(Indicator.national_phenomenon_id, sa.func.count())
                                               .group_by(Indicator.national_phenomenon_id)).all())
    result = []
    for phenomenon in coding.all_phenomena():
        county = report_counts(phenomenon, periods)[COUNTY]
        shown: list[int | str] = [c if exact or not disclosure.small(c, limit) else disclosure.label(limit)
                                  for c in county]
        result.append(Overview(phenomenon, shown[1], shown[0], indicator_counts.get(phenomenon.id, 0),
                               len(_findings(phenomenon))))
    return result
