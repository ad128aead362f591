"""Indicators beside the reports: THL's open indicator values read from Sotkanet or a THL Excel file.

Sotkanet's REST API (https://sotkanet.fi/rest/1.1/) answers in three JSON shapes, and a file downloaded from
it is one of them: the data (`/json?indicator=…`: records of indicator, region, year, gender, value), the
regions (`/regions`: Sotkanet's region number with its category and official code) and an indicator's
description (`/indicators/<id>`: its titles in Finnish, Swedish and English). The data names regions only
by Sotkanet's own number, so the regions are kept (`sotkanet_region`) once they have been read.

A THL Excel file is a table with the indicator, the area (its code or its name) and either a year and a
value per row or one column per year, as THL's and Sotkanet's downloads are laid out.

Only the county's own municipalities, the county and Finland are kept; other areas are passed over. A file
with any bad line is refused with a message per line and nothing of it is stored; a good file replaces the
values it gives (the same indicator, area and year) and keeps the rest.
"""
from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import requests
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.codes import AreaKind, AuditAction, IndicatorSource
from app.extensions import db
from app.models import Indicator, IndicatorValue, Municipality, NationalPhenomenon, SotkanetRegion, User, utcnow
from app.workflow.admin.county import all_municipalities, configured_code, counties
from app.workflow.core import audit
from app.workflow.core.errors import Refusal

MAX_BYTES = 20_000_000
MAX_VALUES = 200_000
SOTKANET_URL = "https://sotkanet.fi/rest/1.1"
MISSING = frozenset({"", "..", ".", "-", "–", "nan"})
"""How THL's tables write a value that is missing or withheld: such a cell is passed over, not refused."""
COUNTRY_NAMES = frozenset({"suomi", "finland", "koko maa", "hela landet", "whole country"})
COUNTRY_CODE = "FI"


@dataclass(frozen=True)
class Area:
    kind: AreaKind
    code: str


@dataclass(frozen=True)
class Row:
    indicator: str
    area: Area
    year: int
    value: float


@dataclass
class Problem:
    line: int
    message: str
    file: str = ""
    """The file's name, when several were read together."""


@dataclass
class ParsedFile:
    """What one or more files gave: the values to store, the indicators' titles, and every problem."""

    rows: list[Row] = field(default_factory=list)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    regions: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    passed_over: int = 0
    source: IndicatorSource = IndicatorSource.SOTKANET
    file_count: int = 1
    """How many files were read together: with more than one, each problem names its file."""

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows or self.regions)


@dataclass
class ImportResult:
    indicators: list[Indicator]
    values: int
    passed_over: int


# ---- the areas of this county ------------------------------------------------------------------

@dataclass
class Areas:
    """The areas a county keeps values for, found by code or by name."""

    county_code: str | None
    municipality_codes: set[str]
    by_name: dict[str, Area]
    finnish_names: frozenset[str] = frozenset()
    """Every municipality's and county's name in Finland (Statistics Finland's classification): an area named
    outside the county is passed over, a name that is none of them is a typo the file must not hide."""

    @classmethod
    def of_county(cls) -> Areas:
        municipalities = list(db.session.scalars(sa.select(Municipality)))
        by_name = {name.casefold(): Area(AreaKind.COUNTRY, COUNTRY_CODE) for name in COUNTRY_NAMES}
        for municipality in municipalities:
            for name in (municipality.name, municipality.name_sv):
                if name:
                    by_name[name.casefold()] = Area(AreaKind.MUNICIPALITY, municipality.code)
        county_code = configured_code()
        if county_code is not None:
            for county in counties():
                if county.code == county_code:
                    for name in (county.name_fi, county.name_sv, county.name_en):
                        by_name[name.casefold()] = Area(AreaKind.COUNTY, county_code)
        everywhere = {name.casefold() for row in all_municipalities() for name in (row.name_fi, row.name_sv)}
        everywhere |= {name.casefold() for county in counties() for name in (county.name_fi, county.name_sv,
                                                                              county.name_en) if name}
        return cls(county_code, {m.code for m in municipalities}, by_name, frozenset(everywhere | set(by_name)))

    def by_code(self, category: str, code: str) -> Area | None:
        """Sotkanet's categories: KUNTA (municipality number), HYVINVOINTIALUE (county code), MAA (Finland)."""
        category = category.strip().upper()
        digits = re.sub(r"\D", "", code)
        if category in ("KUNTA", "MUNICIPALITY") and digits and digits.zfill(3) in self.municipality_codes:
            return Area(AreaKind.MUNICIPALITY, digits.zfill(3))
        if (category in ("HYVINVOINTIALUE", "COUNTY") and digits and self.county_code is not None
                and int(digits) == int(self.county_code)):
            return Area(AreaKind.COUNTY, self.county_code)
        if category in ("MAA", "COUNTRY"):
            return Area(AreaKind.COUNTRY, COUNTRY_CODE)
        return None


# ---- Sotkanet ------------------------------------------------------------------------------------

def _json(data: bytes, line: int, parsed: ParsedFile) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        parsed.problems.append(Problem(line, _("Tiedosto ei ole Sotkanetin JSON-muotoa (%(error)s).",
                                               error=str(error)[:200])))
        return None


def _titles(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"fi": value.strip()}
    if isinstance(value, Mapping):
        return {lang: str(text).strip() for lang, text in value.items()
                if lang in ("fi", "sv", "en") and isinstance(text, str) and text.strip()}
    return {}


def read_sotkanet(files: Sequence[bytes], areas: Areas | None = None, names: Sequence[str] = ()) -> ParsedFile:
    """Read Sotkanet files of any of its three shapes, in any order; the data last, once its regions are known.
    `names` (the files' names) say in which file each problem is."""
    parsed = ParsedFile(source=IndicatorSource.SOTKANET)
    areas = areas or Areas.of_county()
    data_files: list[tuple[str, list[Any]]] = []
    for number, data in enumerate(files):
        name = names[number] if number < len(names) else ""
        first = len(parsed.problems)
        content = _json(data, 0, parsed)
        if content is None:
            continue
        if isinstance(content, Mapping) and "id" in content and "title" in content:
            parsed.titles[str(content["id"])] = _titles(content["title"])
        elif isinstance(content, list) and content and all(isinstance(r, Mapping) for r in content) \
                and "category" in content[0]:
            _read_regions(content, parsed)
        elif isinstance(content, list) and all(isinstance(r, Mapping) for r in content):
            data_files.append((name, content))
        else:
            parsed.problems.append(Problem(0, _("Tiedostosta ei tunnistettu Sotkanetin tietoja, alueita eikä "
                                                "indikaattorin kuvausta.")))
        for problem in parsed.problems[first:]:
            problem.file = name
    known = {row.id: (row.category, row.code, row.title) for row in db.session.scalars(sa.select(SotkanetRegion))}
    regions = {**known, **parsed.regions}
    for name, content in data_files:
        first = len(parsed.problems)
        _read_data(content, regions, areas, parsed)
        for problem in parsed.problems[first:]:
            problem.file = name
    if not data_files and not parsed.regions and not parsed.problems:
        parsed.problems.append(Problem(0, _("Tiedostoissa ei ollut indikaattorin arvoja.")))
    return parsed


def _read_regions(content: list[Mapping[str, Any]], parsed: ParsedFile) -> None:
    for line, record in enumerate(content, start=1):
        region_id, category, code = record.get("id"), record.get("category"), record.get("code")
        if not isinstance(region_id, int) or not isinstance(category, str) or not isinstance(code, (str, int)):
            parsed.problems.append(Problem(line, _("Alueelta puuttuu numero, luokka tai koodi.")))
            continue
        title = _titles(record.get("title")).get("fi", str(code))
        parsed.regions[region_id] = (category[:40], str(code)[:16], title[:200])


def _read_data(content: list[Mapping[str, Any]], regions: Mapping[int, tuple[str, str, str]], areas: Areas,
               parsed: ParsedFile) -> None:
    """Each record's problem on its own line, except unknown regions: those all mean one thing (the regions
    file is missing), so they are one message naming how many records and which regions."""
    unknown: dict[int, int] = {}
    for line, record in enumerate(content, start=1):
        indicator, region, year, value = (record.get(k) for k in ("indicator", "region", "year", "value"))
        gender = record.get("gender", "total")
        if not isinstance(indicator, int) or isinstance(indicator, bool):
            parsed.problems.append(Problem(line, _("Indikaattorin numero puuttuu tai ei ole luku.")))
            continue
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            parsed.problems.append(Problem(line, _("Vuosi puuttuu tai ei ole vuosiluku.")))
            continue
        if not isinstance(region, int) or isinstance(region, bool):
            parsed.problems.append(Problem(line, _("Alueen numero puuttuu tai ei ole luku.")))
            continue
        if region not in regions:
            unknown.setdefault(region, line)
            continue
        if value is None:
            parsed.passed_over += 1
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            parsed.problems.append(Problem(line, _("Arvo ei ole luku.")))
            continue
        category, code, _title = regions[region]
        area = areas.by_code(category, code)
        if gender != "total" or area is None:
            parsed.passed_over += 1
            continue
        parsed.rows.append(Row(str(indicator), area, year, float(value)))
    if unknown:
        shown = ", ".join(str(region) for region in sorted(unknown)[:5]) + (" …" if len(unknown) > 5 else "")
        parsed.problems.append(Problem(min(unknown.values()), ngettext(
            "Aluetta %(regions)s ei tunneta: lataa myös Sotkanetin aluetiedosto (regions).",
            "%(num)d aluetta ei tunneta (%(regions)s): lataa myös Sotkanetin aluetiedosto (regions).",
            len(unknown), regions=shown)))


def fetch_sotkanet(indicator_ids: Iterable[int], years: Iterable[int], *, base_url: str = SOTKANET_URL,
                   timeout: float = 30.0) -> ParsedFile:
    """Fetch the regions, each indicator's description and its values from Sotkanet's REST API."""
    base = base_url.rstrip("/")
    years = list(years)
    try:
        files = [_get(f"{base}/regions", {}, timeout)]
        for indicator in indicator_ids:
            files.append(_get(f"{base}/indicators/{indicator}", {}, timeout))
            files.append(_get(f"{base}/json", {"indicator": indicator, "years": years, "genders": "total"}, timeout))
    except requests.RequestException as error:
        raise Refusal(_("Sotkanetiin ei saatu yhteyttä (%(error)s). Lataa tiedostot Sotkanetista ja tuo ne "
                        "tiedostoina.", error=str(error)[:200])) from error
    return read_sotkanet(files)


def _get(url: str, params: Mapping[str, Any], timeout: float) -> bytes:
    response = requests.get(url, params=params, timeout=timeout, headers={"Accept": "application/json"})
    response.raise_for_status()
    if len(response.content) > MAX_BYTES:
        raise requests.RequestException(_("vastaus on liian suuri"))
    return response.content


# ---- THL Excel -----------------------------------------------------------------------------------

COLUMNS = {
    "indicator": ("indikaattori", "indicator", "indikator", "mittari"),
    "indicator_code": ("indikaattorin tunnus", "indikaattorin numero", "indikaattori id", "indicator id", "id"),
    "area": ("alue", "area", "område", "kunta", "region"),
    "area_code": ("aluekoodi", "alueen koodi", "kuntanumero", "area code", "områdeskod", "koodi"),
    "area_kind": ("aluetyyppi", "alueluokka", "category", "områdestyp"),
    "year": ("vuosi", "year", "år"),
    "value": ("arvo", "value", "värde"),
}


def _column_names(frame: pd.DataFrame) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for column in frame.columns:
        name = str(column).strip().casefold()
        for key, names in COLUMNS.items():
            if name in names and key not in found:
                found[key] = column
    return found


def _number(cell: Any) -> float | None | str:
    """The cell's value; None for THL's marks of a missing value; the text itself when it is no number."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if text.casefold() in MISSING:
        return None
    try:
        number = float(text.replace(",", ".").replace("−", "-"))
    except ValueError:
        return str(cell)
    return number if math.isfinite(number) else str(cell)


def read_thl_excel(data: bytes, areas: Areas | None = None) -> ParsedFile:
    """Read a THL Excel table: long (a year and a value per row) or wide (a column per year)."""
    parsed = ParsedFile(source=IndicatorSource.THL_EXCEL)
    areas = areas or Areas.of_county()
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=object)
    except Exception as error:  # the workbook reader raises many kinds for a file that is not a workbook
        parsed.problems.append(Problem(0, _("Tiedosto ei ole Excel-työkirja (%(error)s).", error=str(error)[:200])))
        return parsed
    names = _column_names(frame)
    year_columns = [c for c in frame.columns if re.fullmatch(r"(19|20)\d\d", str(c).strip().removesuffix(".0"))]
    if "indicator" not in names and "indicator_code" not in names:
        parsed.problems.append(Problem(1, _("Sarake ”Indikaattori” puuttuu.")))
    if "area" not in names and "area_code" not in names:
        parsed.problems.append(Problem(1, _("Sarake ”Alue” tai ”Aluekoodi” puuttuu.")))
    if not year_columns and not ("year" in names and "value" in names):
        parsed.problems.append(Problem(1, _("Sarakkeet ”Vuosi” ja ”Arvo” tai vuosien sarakkeet (esim. 2023) "
                                            "puuttuvat.")))
    if parsed.problems:
        return parsed
    for index, record in enumerate(frame.to_dict("records")):
        line = index + 2  # the header is line 1
        indicator = _text(record.get(names.get("indicator_code"))) or _text(record.get(names.get("indicator")))
        if not indicator:
            parsed.problems.append(Problem(line, _("Indikaattori puuttuu.")))
            continue
        if "indicator" in names and _text(record.get(names["indicator"])):
            parsed.titles.setdefault(indicator, {"fi": _text(record.get(names["indicator"]))[:500]})
        try:
            area = _excel_area(record, names, areas)
        except UnknownArea as unknown_area:
            parsed.problems.append(Problem(line, _("Aluetta ”%(name)s” ei tunneta: kirjoita kunnan tai "
                                                   "hyvinvointialueen nimi, ”Koko maa” tai aluekoodi.",
                                                   name=str(unknown_area)[:60])))
            continue
        if area is False:
            parsed.problems.append(Problem(line, _("Alue puuttuu.")))
            continue
        pairs = ([(str(c).strip().removesuffix(".0"), record.get(c)) for c in year_columns] if year_columns
                 else [(record.get(names["year"]), record.get(names["value"]))])
        for year_cell, cell in pairs:
            year = _number(year_cell)
            if not isinstance(year, float) or not year.is_integer() or not 1900 <= year <= 2100:
                parsed.problems.append(Problem(line, _("Vuosi ”%(year)s” ei ole vuosiluku.", year=year_cell)))
                continue
            value = _number(cell)
            if value is None:
                continue
            if isinstance(value, str):
                parsed.problems.append(Problem(line, _("Arvo ”%(value)s” ei ole luku.", value=value[:40])))
                continue
            if area is None:
                parsed.passed_over += 1
                continue
            parsed.rows.append(Row(indicator[:64], area, int(year), value))
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(0, _("Tiedostossa ei ollut tämän hyvinvointialueen arvoja.")))
    return parsed


def _text(cell: Any) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class UnknownArea(ValueError):
    """A row names an area that is no municipality, county or Finland: a typo, refused rather than passed over."""


def _excel_area(record: Mapping[str, Any], names: Mapping[str, Any], areas: Areas) -> Area | None | bool:
    """The area of a row; None for an area outside the county (passed over); False when none is given."""
    code = _text(record.get(names["area_code"])) if "area_code" in names else ""
    name = _text(record.get(names["area"])) if "area" in names else ""
    if not code and not name:
        return False
    if code:
        kind = _text(record.get(names["area_kind"])) if "area_kind" in names else ""
        if kind:
            return areas.by_code(kind, code)
        found = areas.by_code("KUNTA", code) if len(re.sub(r"\D", "", code)) == 3 else None
        if found is None and areas.county_code is not None and code.isdigit() and len(code) <= 2:
            found = areas.by_code("HYVINVOINTIALUE", code)
        if found is not None:
            return found
    if not name:
        return None
    found = areas.by_name.get(name.casefold())
    if found is None and name.casefold() not in areas.finnish_names:
        raise UnknownArea(name)
    return found


# ---- storing -------------------------------------------------------------------------------------

def read_files(files: Sequence[tuple[str, bytes]]) -> ParsedFile:
    """Read uploaded files by their kind: Excel workbooks as THL's tables, the rest as Sotkanet's JSON."""
    for name, data in files:
        if len(data) > MAX_BYTES:
            raise Refusal(_("Tiedosto %(name)s on liian suuri (enintään %(size)d Mt).", name=name,
                            size=MAX_BYTES // 1_000_000))
    workbooks = [data for name, data in files if data[:2] == b"PK" or name.lower().endswith((".xlsx", ".xlsm"))]
    if workbooks and len(workbooks) != len(files):
        raise Refusal(_("Tuo Excel-tiedosto ja Sotkanetin JSON-tiedostot erikseen."))
    if workbooks:
        merged = ParsedFile(source=IndicatorSource.THL_EXCEL)
        areas = Areas.of_county()
        for name, data in files:
            parsed = read_thl_excel(data, areas)
            for problem in parsed.problems:
                problem.file = name
            merged.rows += parsed.rows
            merged.problems += parsed.problems
            merged.passed_over += parsed.passed_over
            for code, titles in parsed.titles.items():
                merged.titles.setdefault(code, titles)
        merged.file_count = len(files)
        return merged
    parsed = read_sotkanet([data for _name, data in files], names=[name for name, _data in files])
    parsed.file_count = len(files)
    return parsed


def store(parsed: ParsedFile, phenomenon: NationalPhenomenon | None, actor: User | None, *,
          title: str | None = None) -> ImportResult:
    """Store a good file's values, all or nothing; flush, the caller commits.

    A new indicator needs its phenomenon and a title (from the file, or `title` for a single one)."""
    if parsed.problems:
        raise Refusal(_("Tiedostossa on virheitä, joten mitään ei tuotu."))
    if len(parsed.rows) > MAX_VALUES:
        raise Refusal(_("Tiedostossa on yli %(count)d arvoa: jaa se osiin.", count=MAX_VALUES))
    session = db.session
    for region_id, (category, code, region_title) in parsed.regions.items():
        session.merge(SotkanetRegion(id=region_id, category=category, code=code, title=region_title))
    codes = sorted({row.indicator for row in parsed.rows})
    existing = {i.source_code: i for i in session.scalars(sa.select(Indicator).where(
        Indicator.source == parsed.source, Indicator.source_code.in_(codes)))}
    indicators: dict[str, Indicator] = {}
    for code in codes:
        titles = parsed.titles.get(code, {})
        indicator = existing.get(code)
        if indicator is None:
            name = titles.get("fi") or (title if title and len(codes) == 1 else None)
            if not name:
                raise Refusal(_("Indikaattorin %(code)s nimi puuttuu: tuo myös sen kuvaus Sotkanetista "
                                "(indicators/%(code)s) tai kirjoita nimi.", code=code))
            if phenomenon is None:
                raise Refusal(_("Valitse ilmiö, jonka rinnalla indikaattori %(name)s näytetään.", name=name))
            indicator = Indicator(source=parsed.source, source_code=code, title=name[:500],
                                  national_phenomenon=phenomenon)
            session.add(indicator)
        elif phenomenon is not None:
            indicator.national_phenomenon = phenomenon
        if titles.get("fi"):
            indicator.title = titles["fi"][:500]
        indicator.title_sv = titles.get("sv", indicator.title_sv)
        indicator.title_en = titles.get("en", indicator.title_en)
        indicators[code] = indicator
    session.flush()
    latest = {(row.indicator, row.area, row.year): row.value for row in parsed.rows}
    replaced: dict[tuple[str, Area], set[int]] = {}
    for code, area, year in latest:
        replaced.setdefault((code, area), set()).add(year)
    for (code, area), years in replaced.items():
        session.execute(sa.delete(IndicatorValue).where(
            IndicatorValue.indicator_id == indicators[code].id, IndicatorValue.area_kind == area.kind,
            IndicatorValue.area_code == area.code, IndicatorValue.year.in_(sorted(years))))
    for indicator in indicators.values():
        indicator.imported_at = utcnow()
    if latest:
        session.execute(sa.insert(IndicatorValue), [
            {"indicator_id": indicators[code].id, "area_kind": area.kind, "area_code": area.code, "year": year,
             "value": value} for (code, area, year), value in latest.items()])
    audit.record(AuditAction.INDICATORS_CHANGED, actor=actor,
                 target=", ".join(i.title for i in indicators.values())[:200] or None,
                 details={"source": parsed.source.value, "values": len(latest),
                          "indicators": sorted(indicators)})
    session.flush()
    return ImportResult(list(indicators.values()), len(latest), parsed.passed_over)


def delete_indicator(indicator: Indicator, actor: User | None) -> None:
    db.session.delete(indicator)
    audit.record(AuditAction.INDICATORS_CHANGED, actor=actor, target=indicator.title[:200],
                 details={"deleted": indicator.source_code})
    db.session.flush()


def summaries() -> list[tuple[Indicator, int | None, int | None, int]]:
    """Every indicator with its first and last year and its number of values, for the list of imports."""
    counted = (sa.select(IndicatorValue.indicator_id, sa.func.min(IndicatorValue.year).label("first"),
                         sa.func.max(IndicatorValue.year).label("last"), sa.func.count().label("count"))
               .group_by(IndicatorValue.indicator_id).subquery())
    rows = db.session.execute(sa.select(Indicator, counted.c.first, counted.c.last, counted.c.count)
                              .outerjoin(counted, counted.c.indicator_id == Indicator.id).order_by(Indicator.title))
    return [(indicator, first, last, count or 0) for indicator, first, last, count in rows]


def indicators_of(phenomenon: NationalPhenomenon | None = None) -> list[Indicator]:
    query = sa.select(Indicator).order_by(Indicator.title)
    if phenomenon is not None:
        query = query.where(Indicator.national_phenomenon_id == phenomenon.id)
    return list(db.session.scalars(query))
