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
    ReportNationalPhenomenon,
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
    beside: Any = None
    """The county beside its collaborative area and Finland, from the counties' open data (comparison/views.py)."""

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


def report_counts(phenomena: Sequence[NationalPhenomenon], periods: Sequence[Period]
                  ) -> dict[int, dict[str, list[int]]]:
    """{phenomenon id: {municipality code or 'county': a count per half-year}} of the released reports with
    the confirmed coding; two queries however many phenomena.

    A coding row is one report's one phenomenon and a municipality link one report's one place, so plain
    counts are counts of reports. Both read the report table only through its partial index of released
    reports by filing time (created_at, id), so the wide rows are never read."""
    ids = [p.id for p in phenomena]
    confirmed = coding.confirmed_coding().where(ReportNationalPhenomenon.national_phenomenon_id.in_(ids)).subquery()
    bucket = _bucket(periods).label("bucket")
    base = (sa.select(confirmed.c.national_phenomenon_id, bucket, sa.func.count())
            .select_from(confirmed).join(Report, Report.id == confirmed.c.report_id)
            .where(Report.created_at >= periods[0].bounds()[0]))
    counts: dict[int, dict[str, list[int]]] = {i: {COUNTY: [0] * len(periods)} for i in ids}
    for phenomenon_id, index, count in db.session.execute(base.group_by(confirmed.c.national_phenomenon_id, bucket)):
        if index >= 0:
            counts[phenomenon_id][COUNTY][index] = count
    codes = dict(db.session.execute(sa.select(Municipality.id, Municipality.code)).all())
    place = report_municipality.c.municipality_id
    by_place = (base.add_columns(place).join(report_municipality, report_municipality.c.report_id == Report.id)
                .group_by(confirmed.c.national_phenomenon_id, bucket, place))
    for phenomenon_id, index, count, municipality_id in db.session.execute(by_place):
        if index >= 0:
            counts[phenomenon_id].setdefault(codes[municipality_id], [0] * len(periods))[index] = count
    return counts


def _protected(rows: list[CountRow], periods: Sequence[Period]) -> list[CountRow]:
    """Each half-year's column hidden as a published table's would be; the county's own row names no place."""
    limit = disclosure.threshold()
    for column in range(len(periods)):
        values: list[Any] = [row.counts[column] for row in rows]
        for index in disclosure.hidden_cells(values, limit, exempt=frozenset({0})):
            rows[index].counts[column] = disclosure.label_of(values[index], limit)
    return rows


def _values(indicators: Sequence[Indicator], area: Municipality | None) -> dict[int, dict[AreaKind, dict[int, float]]]:
    """{indicator id: {area kind: {year: value}}} for the chosen municipality, the county and Finland; one query."""
    found: dict[int, dict[AreaKind, dict[int, float]]] = {i.id: {} for i in indicators}
    rows = db.session.execute(
        sa.select(IndicatorValue.indicator_id, IndicatorValue.area_kind, IndicatorValue.year, IndicatorValue.value)
        .where(IndicatorValue.indicator_id.in_(list(found)),
               sa.or_(IndicatorValue.area_kind != AreaKind.MUNICIPALITY,
                      IndicatorValue.area_code == (area.code if area is not None else ""))))
    for indicator_id, kind, year, value in rows:
        found[indicator_id].setdefault(kind, {})[year] = value
    return found


def _series(indicator: Indicator, table: dict[AreaKind, dict[int, float]], area: Municipality | None,
            county_name: str) -> IndicatorSeries:
    """The chart draws only the areas with a value for every year: a gap drawn as zero would be a false fall."""
    kinds = ([AreaKind.MUNICIPALITY] if area is not None else []) + [AreaKind.COUNTY, AreaKind.COUNTRY]
    years = sorted({year for by_year in table.values() for year in by_year})[-YEARS:]
    names = {AreaKind.MUNICIPALITY: area.label if area is not None else "", AreaKind.COUNTY: county_name,
             AreaKind.COUNTRY: AreaKind.COUNTRY.label}
    rows = [(names[kind], [table.get(kind, {}).get(year) for year in years]) for kind in kinds]
    own = table.get(kinds[0], {})
    own_years = [year for year in years if year in own]
    trend = (Trend(own_years[-1], own[own_years[-1]], own_years[-2] if len(own_years) > 1 else None,
                   own[own_years[-2]] if len(own_years) > 1 else None) if own_years else None)
    complete = [(name, [float(v) for v in row if v is not None]) for name, row in rows if None not in row]
    chart = charts.line_chart(indicator.title, [str(y) for y in years], complete) if years and complete else ""
    return IndicatorSeries(indicator, years, rows, trend, chart)


def _findings(phenomena: Sequence[NationalPhenomenon]) -> dict[int, list[PhenomenonGroup]]:
    """{phenomenon id: the working group's phenomenon groups that name it, with their proposals}."""
    found: dict[int, list[PhenomenonGroup]] = {p.id: [] for p in phenomena}
    groups = db.session.scalars(
        sa.select(PhenomenonGroup).where(PhenomenonGroup.national_phenomena.any(
            NationalPhenomenon.id.in_(list(found))))
        .options(selectinload(PhenomenonGroup.proposals), selectinload(PhenomenonGroup.national_phenomena))
        .order_by(PhenomenonGroup.name))
    for group in groups:
        for phenomenon in group.national_phenomena:
            if phenomenon.id in found:
                found[phenomenon.id].append(group)
    return found


def phenomenon_view(phenomenon: NationalPhenomenon, area: Municipality | None, viewer: Any,
                    county_name: str) -> PhenomenonView:
    periods = _periods()
    counts = report_counts([phenomenon], periods)[phenomenon.id]
    municipalities = catalog.municipalities()
    rows = [CountRow(COUNTY, county_name, list(counts[COUNTY]))] + [
        CountRow(m.code, m.label, list(counts.get(m.code, [0] * len(periods)))) for m in municipalities]
    exact = permissions.sees_all(viewer)
    if not exact:
        rows = _protected(rows, periods)
    # A hidden cell cannot be drawn: its row stays in the table only (the county's own row is never hidden).
    chosen = [row for row in rows if (row.code == COUNTY or (area is not None and row.code == area.code))
              and all(isinstance(c, int) for c in row.counts)]
    chart = charts.line_chart(phenomenon.label, [p.code for p in periods],
                              [(row.name, [float(c) for c in row.counts]) for row in chosen])
    indicators = list(db.session.scalars(sa.select(Indicator).where(
        Indicator.national_phenomenon_id == phenomenon.id).order_by(Indicator.title)))
    values = _values(indicators, area)
    series = [_series(indicator, values[indicator.id], area, county_name) for indicator in indicators]
    from app.workflow.admin.county import configured_code
    from app.workflow.comparison.views import beside_county

    return PhenomenonView(phenomenon, area, periods, rows, exact, chart, series, _findings([phenomenon])[phenomenon.id],
                          beside_county(phenomenon.code, configured_code()))


def overview(viewer: Any) -> list[Overview]:
    """Each national phenomenon at a glance: this and the previous half-year's reports, indicators, findings."""
    periods = _periods(2)
    exact = permissions.sees_all(viewer)
    limit = disclosure.threshold()
    indicator_counts = dict(db.session.execute(sa.select(Indicator.national_phenomenon_id, sa.func.count())
                                               .group_by(Indicator.national_phenomenon_id)).all())
    result = []
    phenomena = coding.all_phenomena()
    counts = report_counts(phenomena, periods)
    findings = _findings(phenomena)
    for phenomenon in phenomena:
        county = counts[phenomenon.id][COUNTY]
        shown: list[int | str] = [c if exact or not disclosure.small(c, limit) else disclosure.label(limit)
                                  for c in county]
        result.append(Overview(phenomenon, shown[1], shown[0], indicator_counts.get(phenomenon.id, 0),
                               len(findings[phenomenon.id])))
    return result
