"""THL's three planned views over the counties' harvested national exports (seed 000, issue 19):

- `situation(level, code)`: *tilannekuva*, the national phenomena at a glance: the latest half-year's reports
  and the change from the one before, for the level and the counties under it, and which county has data
  for which half-year;
- `brief(phenomenon, level, code)`: *ilmiöstä tiiviisti*, one phenomenon per county and half-year with its
  trend, the counties' published findings (a seam: format 3 carries none) and the indicators imported for it;
- `side_by_side(phenomenon, level, code, period)`: *ilmiönäkymä*, counties or municipalities side by side,
  with rates per 10,000 residents where population figures are loaded.

Levels are Finland (`country`, code FI), a collaborative area (`area`, yhteistyöalue 1-5), a wellbeing
services county (`county`, Statistics Finland's code) and, in the phenomenon view, a municipality. The
figures come only from the current harvested file of each county and half-year (`HarvestedExport.current`):
what the county's review body approved and published, under its disclosure control. `load()` reads the
database once; everything after it is a pure function of the `Harvest` it returns, so the views, their Excel
tables and PDFs, the tests and the bench see the same numbers.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.codes import COLLABORATIVE_AREAS, AreaKind
from app.extensions import db
from app.models import HarvestedExport, HarvestSource, Indicator, IndicatorValue, PopulationFigure
from app.models.reports import in_ui_language
from app.workflow.admin.county import counties as classified_counties
from app.workflow.admin.county import MunicipalityRow, municipalities_of
from app.workflow.compilations import charts
from app.workflow.compilations.disclosure import COMPLEMENT_LABEL
from app.workflow.compilations.periods import parse_period
from app.workflow.compilations.statistics import slope
from app.workflow.phenomena import coding

COUNTRY, AREA, COUNTY, MUNICIPALITY = "country", "area", "county", "municipality"
LEVELS = (COUNTRY, AREA, COUNTY)
"""The levels of the situation and the brief; the phenomenon view adds MUNICIPALITY."""
FINLAND = "FI"
PER_RESIDENTS = 10_000
NONE = "none"
"""The export's row of reports without a confirmed national phenomenon: not a phenomenon, left out of the views."""
INDICATOR_YEARS = 8
FINDINGS_KEY = "findings"
"""Where a future export format would carry the county's published findings and proposals; format 3 has none."""

AREA_NAMES = COLLABORATIVE_AREAS


class UnknownLevel(LookupError):
    """No such level or code (the view answers 404)."""


# --- cells and the disclosure rule of aggregates ----------------------------------------------------------

EXACT, HIDDEN, LOWER_BOUND, MISSING = "exact", "hidden", "lower_bound", "missing"


@dataclass(frozen=True)
class Cell:
    """One count as it may be shown: exact, hidden in the source, a lower bound, or no data at all."""

    value: int | None
    state: str = EXACT

    @property
    def exact(self) -> bool:
        return self.state == EXACT

    @property
    def text(self) -> str:
        if self.state == EXACT:
            return str(self.value)
        if self.state == LOWER_BOUND:
            return f"≥ {self.value}"
        return COMPLEMENT_LABEL if self.state == HIDDEN else "–"

    def spreadsheet(self) -> int | str | None:
        """Exact counts stay numbers in Excel; the others are the page's text (no data: an empty cell)."""
        return self.value if self.state == EXACT else (None if self.state == MISSING else self.text)


HIDDEN_CELL = Cell(None, HIDDEN)
NO_DATA = Cell(None, MISSING)


def cell_of(row: dict[str, Any] | None) -> Cell:
    """A count of the export: `"count": null, "suppressed": true` stays hidden; a code the file lacks is no data."""
    if row is None:
        return NO_DATA
    count = row.get("count")
    return HIDDEN_CELL if count is None or row.get("suppressed") else Cell(int(count))


def combine(cells: Iterable[Cell]) -> Cell:
    """The sum of counts of several areas (counties into a collaborative area or Finland), without revealing
    a hidden cell.

    The rule: a sum over cells that are all exact is exact. If any of them is hidden (or itself a lower
    bound), the sum is shown only as a lower bound, "≥ S", where S adds up the exact cells alone: S is what
    anyone can add from the shown cells, so the aggregate gives away nothing the parts did not, and its
    difference with the shown parts is 0, never a hidden count. A sum with nothing shown (all hidden) is
    hidden. Areas without data are left out of the sum (the page says which counties have data), and a sum
    of none is no data.
    """
    present = [c for c in cells if c.state != MISSING]
    if not present:
        return NO_DATA
    known = sum(c.value or 0 for c in present if c.state in (EXACT, LOWER_BOUND))
    if all(c.exact for c in present):
        return Cell(known)
    return Cell(known, LOWER_BOUND) if known > 0 else HIDDEN_CELL


def change(latest: Cell, previous: Cell) -> int | None:
    """The latest half-year minus the one before it; only of two exact counts (a bound has no difference)."""
    return latest.value - previous.value if latest.exact and previous.exact else None  # type: ignore[operator]


def trend(cells: Sequence[Cell]) -> float | None:
    """The least-squares change per half-year, as the compilation's council-term tables compute it; only over
    a series of exact counts of at least two half-years (a hidden or missing half-year would bend it)."""
    if len(cells) < 2 or not all(c.exact for c in cells):
        return None
    return slope([float(c.value or 0) for c in cells])


def rate(cell: Cell, residents: int | None) -> float | None:
    """Reports per 10,000 residents, of an exact count only: a hidden count has no rate (a rate would give
    the count back), nor does a lower bound."""
    if not cell.exact or not residents:
        return None
    return round((cell.value or 0) * PER_RESIDENTS / residents, 1)


# --- what was harvested ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class County:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    area_code: str

    @property
    def name(self) -> str:
        return in_ui_language(self.name_fi, self.name_en, self.name_sv)


@dataclass(frozen=True)
class Export:
    county_code: str
    period: str
    synthetic: bool
    harvested_at: datetime | None
    published_at: datetime | None
    document: dict[str, Any]


@dataclass(frozen=True)
class Source:
    county_code: str | None
    index_url: str
    last_success_at: datetime | None
    last_error: str | None


@dataclass
class Harvest:
    """The current harvested file of every county and half-year, the sources, and what the views need beside."""

    counties: dict[str, County]
    exports: dict[tuple[str, str], Export]
    sources: dict[str, Source] = field(default_factory=dict)
    population: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    """{(area kind, code): {year: residents}}."""
    phenomena: list[tuple[str, str]] = field(default_factory=list)
    """(code, label) of the national phenomena in classification order, then any only the files name."""

    def export(self, county: str, period: str) -> Export | None:
        return self.exports.get((county, period))

    def periods(self, counties: Iterable[str] | None = None) -> list[str]:
        wanted = set(self.counties) if counties is None else set(counties)
        return sorted({p for c, p in self.exports if c in wanted})

    @property
    def synthetic(self) -> bool:
        return any(e.synthetic for e in self.exports.values())


def load() -> Harvest:
    """Read what the views need: current exports, sources, population figures and the classification."""
    listed = {r.code: County(r.code, r.name_fi, r.name_sv, r.name_en, r.collaborative_area_code)
              for r in classified_counties() if r.collaborative_area_code}
    exports: dict[tuple[str, str], Export] = {}
    for row in db.session.scalars(sa.select(HarvestedExport).where(HarvestedExport.current)):
        if row.county_code not in listed:  # a county unknown to the classification (a test file, say)
            listed[row.county_code] = County(row.county_code, row.county_name, row.county_name, row.county_name,
                                             row.collaborative_area_code or "")
        exports[(row.county_code, row.period)] = Export(row.county_code, row.period, row.synthetic,
                                                        row.harvested_at, row.published_at, row.document)
    sources = {s.county_code: Source(s.county_code, s.index_url, s.last_success_at, s.last_error)
               for s in db.session.scalars(sa.select(HarvestSource).order_by(HarvestSource.id)) if s.county_code}
    population: dict[tuple[str, str], dict[int, int]] = {}
    for kind, code, year, residents in db.session.execute(
            sa.select(PopulationFigure.area_kind, PopulationFigure.area_code, PopulationFigure.year,
                      PopulationFigure.residents)):
        population.setdefault((kind, code), {})[year] = residents
    # The phenomena the files carry (every file lists every code of its classification, zeros included), in
    # this installation's order; one only this installation knows (or has retired) is no column of the comparison.
    named: dict[str, str] = {}
    for export in sorted(exports.values(), key=lambda e: (e.period, e.county_code)):
        for row in export.document.get("counts", {}).get("national_phenomenon", []):
            if row["code"] != NONE:
                named.setdefault(row["code"], row.get("label") or row["code"])
    phenomena = [(p.code, p.label) for p in coding.all_phenomena() if p.code in named]
    known = {code for code, _ in phenomena}
    phenomena += [(code, label) for code, label in named.items() if code not in known]
    return Harvest(listed, exports, sources, population, phenomena)


def has_data() -> bool:
    """Whether anything was harvested: the public results page links the comparison only then."""
    return db.session.scalar(sa.select(sa.exists().where(HarvestedExport.current))) or False


@functools.cache
def _municipalities(county: str) -> tuple[MunicipalityRow, ...]:
    """The classification's municipalities of a county (a file shipped with the code: read once)."""
    return tuple(municipalities_of(county))


# --- levels ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    kind: str
    code: str
    name: str
    counties: tuple[str, ...]
    """The counties under the level (a municipality's: its county)."""
    parent: tuple[str, str] | None = None
    """(kind, code) of the level above, for the way up."""


def area_name(code: str) -> str:
    return str(AREA_NAMES.get(code, code))


def level_of(harvest: Harvest, kind: str, code: str | None = None) -> Level:
    """The level named by the address; UnknownLevel for anything else."""
    counties = harvest.counties
    if kind == COUNTRY:
        return Level(COUNTRY, FINLAND, str(_l("Koko Suomi")), tuple(sorted(counties)))
    if kind == AREA and code:
        under = tuple(sorted(c for c, county in counties.items() if county.area_code == code))
        if not under:
            raise UnknownLevel(code)
        return Level(AREA, code, area_name(code), under, (COUNTRY, FINLAND))
    if kind == COUNTY and code in counties:
        return Level(COUNTY, code, counties[code].name, (code,), (AREA, counties[code].area_code))
    if kind == MUNICIPALITY and code:
        for county in sorted(counties):
            place = next((m for m in _municipalities(county) if m.code == code), None)
            if place is not None:
                return Level(MUNICIPALITY, code, in_ui_language(place.name_fi, place.name_fi, place.name_sv),
                             (county,), (COUNTY, county))
    raise UnknownLevel(f"{kind} {code}")


def children(harvest: Harvest, level: Level) -> list[Level]:
    """The levels just under: Finland's collaborative areas, an area's counties."""
    if level.kind == COUNTRY:
        return [level_of(harvest, AREA, code) for code in sorted({harvest.counties[c].area_code
                                                                   for c in level.counties} & set(AREA_NAMES))]
    if level.kind == AREA:
        return [level_of(harvest, COUNTY, code) for code in level.counties]
    return []


def areas(harvest: Harvest) -> list[Level]:
    return children(harvest, level_of(harvest, COUNTRY))


# --- reading counts ----------------------------------------------------------------------------------------

def _row(rows: Iterable[dict[str, Any]], code: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["code"] == code), None)


def county_count(export: Export | None, phenomenon: str | None) -> Cell:
    """The county's reports of the half-year coded to the phenomenon (None: all its reports)."""
    if export is None:
        return NO_DATA
    document = export.document
    if phenomenon is None:
        return cell_of({"count": document.get("reports")})
    found = _row(document.get("counts", {}).get("national_phenomenon", []), phenomenon)
    return cell_of(found) if found is not None else NO_DATA  # a phenomenon its classification has not: unknown


def municipality_count(export: Export | None, municipality: str, phenomenon: str) -> Cell:
    """A municipality's part of the county's file: reports naming it or the whole county, coded to the
    phenomenon. A municipality with no part in the file had too few reports for one of its own (the county's
    disclosure control moved it to a shared section): it is hidden, never zero."""
    if export is None:
        return NO_DATA
    part = _row(export.document.get("municipalities", []), municipality)
    if part is None:
        return HIDDEN_CELL
    found = _row(part.get("counts", {}).get("national_phenomenon", []), phenomenon)
    return cell_of(found) if found is not None else NO_DATA


def level_count(harvest: Harvest, counties: Sequence[str], period: str, phenomenon: str | None) -> Cell:
    return combine(county_count(harvest.export(c, period), phenomenon) for c in counties)


def covered(harvest: Harvest, counties: Sequence[str], period: str) -> int:
    return sum(1 for c in counties if harvest.export(c, period) is not None)


def _previous(period: str) -> str:
    return parse_period(period).previous().code


# --- 1. tilannekuva ----------------------------------------------------------------------------------------

@dataclass
class Line:
    """One national phenomenon (or all reports) at the level: the latest half-year against the one before."""

    code: str | None
    label: str
    latest: Cell
    previous: Cell

    @property
    def change(self) -> int | None:
        return change(self.latest, self.previous)


@dataclass
class AreaRow:
    """A collaborative area or a county under the level: its count per column."""

    kind: str
    code: str
    name: str
    cells: list[Cell]
    extra: list[Any] = field(default_factory=list)


@dataclass
class Coverage:
    """Which half-years a county has data for, and whether its source can be reached."""

    county: County
    periods: dict[str, bool | None]
    """{half-year: None (no file), False (a county's file), True (synthetic)}."""
    last_good: datetime | None
    error: str | None

    @property
    def status(self) -> str:
        if self.error:
            return "unreachable"
        return "ok" if any(v is not None for v in self.periods.values()) else "no_data"


@dataclass
class Situation:
    level: Level
    latest: str | None
    previous: str | None
    lines: list[Line]
    columns: list[tuple[str, str]]
    """(code, label) of the phenomena: the columns of `rows`."""
    rows: list[AreaRow]
    """The areas and counties under the level, the latest half-year's reports per phenomenon."""
    coverage: list[Coverage]
    periods: list[str]
    covered: tuple[int, int]
    """Counties with a file for the latest half-year, of those under the level."""
    synthetic: bool
    chart: str
    children: list[Level]


def coverage_of(harvest: Harvest, level: Level, periods: Sequence[str]) -> list[Coverage]:
    rows = []
    for code in level.counties:
        county = harvest.counties[code]
        shown = {p: (None if (e := harvest.export(code, p)) is None else e.synthetic) for p in periods}
        source = harvest.sources.get(code)
        harvested = [e.harvested_at for (c, _), e in harvest.exports.items() if c == code and e.harvested_at]
        last_good = (source.last_success_at if source is not None and source.last_success_at else None) or (
            max(harvested) if harvested else None)
        rows.append(Coverage(county, shown, last_good, source.last_error if source is not None else None))
    return rows


def situation_of(harvest: Harvest, level: Level) -> Situation:
    periods = harvest.periods(level.counties)
    latest = periods[-1] if periods else None
    previous = _previous(latest) if latest else None
    counties = list(level.counties)
    phenomena = harvest.phenomena
    lines = [Line(None, str(_l("Raportteja yhteensä")),
                  level_count(harvest, counties, latest, None) if latest else NO_DATA,
                  level_count(harvest, counties, previous, None) if previous else NO_DATA)]
    lines += [Line(code, label, level_count(harvest, counties, latest, code) if latest else NO_DATA,
                   level_count(harvest, counties, previous, code) if previous else NO_DATA)
              for code, label in phenomena]
    under = children(harvest, level)
    if level.kind == COUNTRY:  # the areas, then every county
        under = under + [level_of(harvest, COUNTY, c) for c in counties]
    elif level.kind == COUNTY:
        under = [level]
    rows = [AreaRow(u.kind, u.code, u.name,
                    [level_count(harvest, u.counties, latest, code) if latest else NO_DATA for code, _ in phenomena],
                    [covered(harvest, u.counties, latest) if latest else 0, len(u.counties)])
            for u in under]
    # A chart draws exact counts only; the previous half-year's bars only when every one of them is exact.
    shown = [line for line in lines[1:] if line.latest.exact]
    before = [float(line.previous.value or 0) for line in shown] if all(line.previous.exact for line in shown) else None
    chart = charts.bar_chart(
        str(_l("Raportit ilmiöittäin: %(level)s", level=level.name)),
        [(line.label, float(line.latest.value or 0)) for line in shown], before,
        axis_label=str(_l("Raportteja")), current_label=latest or "", previous_label=previous or "",
    ) if latest and shown else ""
    return Situation(level, latest, previous, lines, phenomena, rows, coverage_of(harvest, level, periods), periods,
                     (covered(harvest, counties, latest) if latest else 0, len(counties)),
                     any(e.synthetic for (c, _), e in harvest.exports.items() if c in level.counties), chart,
                     children(harvest, level))


def situation(level: str = COUNTRY, code: str | None = None) -> Situation:
    """Tilannekuva at a level, read from the database: what the page draws (and the bench times)."""
    harvest = load()
    return situation_of(harvest, level_of(harvest, level, code))


# --- 2. ilmiöstä tiiviisti ---------------------------------------------------------------------------------

@dataclass
class TrendRow:
    kind: str
    code: str
    name: str
    cells: list[Cell]
    coverage: list[int] = field(default_factory=list)
    """For an aggregate: the counties with data in each half-year (a trend needs the same ones throughout)."""

    @property
    def change(self) -> int | None:
        return change(self.cells[-1], self.cells[-2]) if len(self.cells) > 1 else None

    @property
    def slope(self) -> float | None:
        if self.coverage and len(set(self.coverage)) > 1:
            return None
        return trend(self.cells)


@dataclass
class IndicatorTable:
    indicator: Indicator
    years: list[int]
    rows: list[tuple[str, list[float | None]]]
    chart: str


@dataclass
class Finding:
    """A county's published finding or proposal about the phenomenon, as a future export would carry it."""

    county: str
    period: str
    kind: str
    text: str


@dataclass
class Brief:
    level: Level
    phenomenon: tuple[str, str]
    periods: list[str]
    rows: list[TrendRow]
    """The level first, then the areas or counties under it."""
    chart: str
    findings: list[Finding]
    findings_carried: bool
    """Whether any harvested file carries findings at all (format 3 does not)."""
    indicators: list[IndicatorTable]
    synthetic: bool
    children: list[Level]


def phenomenon_of(harvest: Harvest, code: str) -> tuple[str, str]:
    found = next((p for p in harvest.phenomena if p[0] == code), None)
    if found is None:
        raise UnknownLevel(code)
    return found


def _trend_rows(harvest: Harvest, levels: Sequence[Level], periods: Sequence[str], phenomenon: str) -> list[TrendRow]:
    return [TrendRow(lv.kind, lv.code, lv.name, [level_count(harvest, lv.counties, p, phenomenon) for p in periods],
                     [covered(harvest, lv.counties, p) for p in periods] if len(lv.counties) > 1 else [])
            for lv in levels]


def published_findings(harvest: Harvest, counties: Sequence[str], phenomenon: str) -> tuple[list[Finding], bool]:
    """The counties' published findings and proposals about the phenomenon, and whether any file carries any.

    The seam for a later format: the national export (format 3) carries counts only, no texts, so this finds
    nothing today. A file with a `findings` list of {"kind": "finding"|"proposal", "text",
    "national_phenomena": [codes]} would show here without another change."""
    found, carried = [], False
    for (county, period), export in sorted(harvest.exports.items()):
        items = export.document.get(FINDINGS_KEY)
        if county not in counties or not isinstance(items, list):
            continue
        carried = True
        found += [Finding(harvest.counties[county].name, period, str(item.get("kind", "finding")), str(item["text"]))
                  for item in items if isinstance(item, dict) and item.get("text")
                  and phenomenon in item.get("national_phenomena", [])]
    return found, carried


def _indicator_areas(harvest: Harvest, level: Level) -> list[tuple[AreaKind, str, str]]:
    """(kind, code, name) of the indicator values that match the level: its own, the counties of an area,
    a municipality's county, and Finland."""
    country = (AreaKind.COUNTRY, FINLAND, str(AreaKind.COUNTRY.label))
    if level.kind == COUNTRY:
        return [country]
    counties = [(AreaKind.COUNTY, c, harvest.counties[c].name) for c in level.counties]
    if level.kind == MUNICIPALITY:
        return [(AreaKind.MUNICIPALITY, level.code, level.name), *counties, country]
    return [*counties, country]


def indicator_tables(harvest: Harvest, level: Level, phenomenon: str) -> list[IndicatorTable]:
    """Each indicator imported beside the phenomenon, its values of the last years for the level's areas."""
    indicators = list(db.session.scalars(sa.select(Indicator)
                                         .where(Indicator.national_phenomenon.has(code=phenomenon))
                                         .order_by(Indicator.title)))
    wanted = _indicator_areas(harvest, level)
    tables = []
    for indicator in indicators:
        values: dict[tuple[str, str], dict[int, float]] = {}
        for kind, code, year, value in db.session.execute(
                sa.select(IndicatorValue.area_kind, IndicatorValue.area_code, IndicatorValue.year, IndicatorValue.value)
                .where(IndicatorValue.indicator_id == indicator.id)):
            values.setdefault((AreaKind(kind).value, code), {})[year] = value
        years = sorted({y for kind, code, _ in wanted for y in values.get((kind.value, code), {})})[-INDICATOR_YEARS:]
        rows = [(name, [values.get((kind.value, code), {}).get(y) for y in years]) for kind, code, name in wanted]
        rows = [r for r in rows if any(v is not None for v in r[1])]
        complete = [(name, [float(v) for v in row if v is not None]) for name, row in rows if None not in row]
        chart = charts.line_chart(indicator.title, [str(y) for y in years], complete) if len(years) > 1 and complete else ""
        if rows:
            tables.append(IndicatorTable(indicator, years, rows, chart))
    return tables


def brief_of(harvest: Harvest, phenomenon: tuple[str, str], level: Level) -> Brief:
    periods = harvest.periods(level.counties)
    under = children(harvest, level)
    rows = _trend_rows(harvest, [level, *under], periods, phenomenon[0])
    drawn = [r for r in rows if all(c.exact for c in r.cells)][:8]
    chart = charts.line_chart(phenomenon[1], periods, [(r.name, [float(c.value or 0) for c in r.cells]) for r in drawn],
                              axis_label=str(_l("Raportteja"))) if len(periods) > 1 and drawn else ""
    findings, carried = published_findings(harvest, level.counties, phenomenon[0])
    return Brief(level, phenomenon, periods, rows, chart, findings, carried,
                 indicator_tables(harvest, level, phenomenon[0]),
                 any(e.synthetic for (c, _), e in harvest.exports.items() if c in level.counties), under)


def brief(phenomenon: str, level: str = COUNTRY, code: str | None = None) -> Brief:
    """Ilmiöstä tiiviisti of one phenomenon at a level, read from the database."""
    harvest = load()
    return brief_of(harvest, phenomenon_of(harvest, phenomenon), level_of(harvest, level, code))


# --- 3. ilmiönäkymä ----------------------------------------------------------------------------------------

@dataclass
class PlaceRow:
    kind: str
    code: str
    name: str
    cells: list[Cell]
    """Per half-year."""
    residents: int | None
    rate: float | None
    """Reports per 10,000 residents in the chosen half-year."""
    chosen: bool = False


@dataclass
class SideBySide:
    level: Level
    phenomenon: tuple[str, str]
    periods: list[str]
    period: str | None
    rows: list[PlaceRow]
    population_year: int | None
    has_population: bool
    count_chart: str
    rate_chart: str
    trend_chart: str
    synthetic: bool


def residents_of(harvest: Harvest, kind: str, code: str, year: int) -> tuple[int | None, int | None]:
    """(residents, year) of an area in the half-year's year, or the latest year before it (population figures
    come a year late); (None, None) when none is loaded."""
    years = harvest.population.get((kind, code), {})
    usable = [y for y in years if y <= year]
    return (years[max(usable)], max(usable)) if usable else (None, None)


def _places(harvest: Harvest, level: Level) -> list[tuple[Level, str]]:
    """The places side by side, each with how its population is found: aggregates add up their counties."""
    if level.kind == COUNTRY:
        return [(level, "sum"), *[(a, "sum") for a in children(harvest, level)],
                *[(level_of(harvest, COUNTY, c), COUNTY) for c in level.counties]]
    if level.kind == AREA:
        return [(level, "sum"), *[(c, COUNTY) for c in children(harvest, level)]]
    county = level_of(harvest, COUNTY, level.counties[0])
    places = [(county, COUNTY)]
    for m in _municipalities(county.code):
        places.append((Level(MUNICIPALITY, m.code, in_ui_language(m.name_fi, m.name_fi, m.name_sv), county.counties),
                       MUNICIPALITY))
    return places


def side_by_side_of(harvest: Harvest, phenomenon: tuple[str, str], level: Level, period: str | None = None) -> SideBySide:
    periods = harvest.periods(level.counties)
    if period is not None and period not in periods:
        raise UnknownLevel(period)
    chosen = period or (periods[-1] if periods else None)
    year = parse_period(chosen).year if chosen else 0
    code = phenomenon[0]
    rows, years = [], set()
    for place, kind in _places(harvest, level):
        if kind == MUNICIPALITY:
            cells = [municipality_count(harvest.export(place.counties[0], p), place.code, code) for p in periods]
        else:
            cells = [level_count(harvest, place.counties, p, code) for p in periods]
        current = cells[periods.index(chosen)] if chosen else NO_DATA
        if kind == "sum":  # the residents of the counties that have a file for the half-year, all or nothing
            found = [residents_of(harvest, COUNTY, c, year) for c in place.counties if harvest.export(c, chosen or "")]
            residents = sum(r for r, _ in found) if found and all(r for r, _ in found) else None  # type: ignore[misc]
            years.update(y for _, y in found if y)
        else:
            residents, used = residents_of(harvest, kind, place.code, year)
            years.update([used] if used else [])
        rows.append(PlaceRow(place.kind, place.code, place.name, cells, residents, rate(current, residents),
                             chosen=place.kind == level.kind and place.code == level.code))
    index = periods.index(chosen) if chosen else -1
    # A chart draws no hidden cell: the table shows it; a bound is not a height either.
    counted = [(r.name, float(r.cells[index].value or 0)) for r in rows if chosen and r.cells[index].exact]
    rated = [(r.name, r.rate) for r in rows if r.rate is not None]
    title = phenomenon[1]
    count_chart = charts.bar_chart(str(_l("%(phenomenon)s: raportit %(period)s", phenomenon=title, period=chosen)),
                                   counted, axis_label=str(_l("Raportteja"))) if counted else ""
    rate_chart = charts.bar_chart(str(_l("%(phenomenon)s: raportteja 10 000 asukasta kohden %(period)s",
                                         phenomenon=title, period=chosen)), rated,
                                  axis_label=str(_l("Raportteja / 10 000 asukasta"))) if rated else ""
    drawn = [r for r in rows if all(c.exact for c in r.cells)][:8]
    trend_chart = charts.line_chart(title, periods, [(r.name, [float(c.value or 0) for c in r.cells]) for r in drawn],
                                    axis_label=str(_l("Raportteja"))) if len(periods) > 1 and drawn else ""
    return SideBySide(level, phenomenon, periods, chosen, rows, max(years) if years else None,
                      any(r.residents for r in rows), count_chart, rate_chart, trend_chart,
                      any(e.synthetic for (c, _), e in harvest.exports.items() if c in level.counties))


def side_by_side(phenomenon: str, level: str = COUNTRY, code: str | None = None,
                 period: str | None = None) -> SideBySide:
    """Ilmiönäkymä of one phenomenon at a level (a municipality too), read from the database."""
    harvest = load()
    return side_by_side_of(harvest, phenomenon_of(harvest, phenomenon), level_of(harvest, level, code), period)



# --- back to the county: its own figures beside its collaborative area's and Finland's ----------------------

@dataclass
class Beside:
    """A county's phenomenon beside its collaborative area and Finland, half-year by half-year."""

    phenomenon: tuple[str, str]
    periods: list[str]
    rows: list[TrendRow]
    area: Level
    synthetic: bool


def with_own_exports(harvest: Harvest, county_code: str) -> Harvest:
    """The harvest with this county's own published exports in place of any harvested copy of itself: a county
    compares its neighbours' open files with what it published, exactly as they see it, and nothing else of
    its own (a copy of another half-year, a demo's invented file) stands beside them."""
    from app.workflow.welfare import national_export, open_data

    for key in [key for key in harvest.exports if key[0] == county_code]:
        del harvest.exports[key]
    for period in national_export.published_periods():
        harvest.exports[(county_code, period)] = Export(county_code, period, False, None, None, open_data.export(period))
    return harvest


def beside_county(phenomenon: str, county_code: str | None) -> Beside | None:
    """The county's own row, its collaborative area's and Finland's for one phenomenon; None when nothing of
    other counties has been loaded (there is nothing to compare with) or the county is not classified."""
    if not county_code or not has_data():
        return None
    harvest = with_own_exports(load(), county_code)
    if county_code not in harvest.counties:
        return None
    own = level_of(harvest, COUNTY, county_code)
    area = level_of(harvest, AREA, harvest.counties[county_code].area_code)
    levels = [own, area, level_of(harvest, COUNTRY)]
    periods = harvest.periods(area.counties)[-6:]
    found = phenomenon_of(harvest, phenomenon)
    return Beside(found, periods, _trend_rows(harvest, levels, periods, phenomenon), area,
                  any(e.synthetic for e in harvest.exports.values()))
