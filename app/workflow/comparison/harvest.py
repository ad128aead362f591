"""Harvesting the counties' open data: their sources, the scheduled harvest, uploads, and what is stored.

THL's model builds on what counties publish anyway (seed 000), so a comparison never asks a county for
anything: it reads each county's open-data index and the half-years' exports it lists. A file is stored
only whole and valid (formats.read_export); the same bytes again add nothing; a county's changed file for a
half-year becomes the current one and the earlier stays as history; a county that cannot be reached keeps
what was harvested from it before, and its source says so, beside the date of its last good file.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urljoin

import requests
import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction, HarvestProblem
from app.extensions import db
from app.models import HarvestedExport, HarvestSource, User, utcnow
from app.workflow.admin import county as counties
from app.workflow.comparison import fetching, formats
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.core.unit_of_work import unit_of_work

UPLOAD_MAX_BYTES = fetching.MAX_BYTES
UPLOAD_PREFIX = "upload: "


class Stored(Enum):
    ADDED = "added"
    """A new file: the current one of its county and half-year from now on."""
    UNCHANGED = "unchanged"
    """The same bytes as the current file: nothing added."""


@dataclass
class SourceResult:
    index_url: str
    county_code: str | None = None
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem: HarvestProblem | None = None


def _collaborative_area(county_code: str) -> str | None:
    return next((row.collaborative_area_code or None for row in counties.counties() if row.code == county_code), None)


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def store_export(read: formats.ReadExport, data: bytes, *, source: str, synthetic: bool = False,
                 county_name: str | None = None, collaborative_area_code: str | None = None,
                 now: datetime | None = None) -> Stored:
    """Keep an accepted file as its county's current half-year, unless it is the same bytes; flushes."""
    digest = hashlib.sha256(data).hexdigest()
    document = read.document
    code, period = document["county"]["code"], document["period"]["code"]
    current = db.session.scalar(sa.select(HarvestedExport).where(
        HarvestedExport.county_code == code, HarvestedExport.period == period, HarvestedExport.current))
    if current is not None and current.sha256 == digest:
        return Stored.UNCHANGED
    if current is not None:
        current.current = False
        db.session.flush()  # the one-current-row index holds at every statement
    db.session.add(HarvestedExport(
        county_code=code, county_name=county_name or document["county"]["name"],
        collaborative_area_code=collaborative_area_code or _collaborative_area(code), period=period,
        format_version=read.format_version, published_at=_moment(document.get("published_at")),
        harvested_at=now or utcnow(), source=source[:500], sha256=digest, synthetic=synthetic, current=True,
        document=document))
    db.session.flush()
    return Stored.ADDED


def _is_current(county_code: str, period: str, data: bytes) -> bool:
    digest = hashlib.sha256(data).hexdigest()
    return db.session.scalar(sa.select(HarvestedExport.id).where(
        HarvestedExport.county_code == county_code, HarvestedExport.period == period, HarvestedExport.current,
        HarvestedExport.sha256 == digest)) is not None


@dataclass
class Collected:
    """What one source's addresses gave, fetched with no database transaction open: the index (or why not),
    and each listed half-year's file (or why not)."""

    index: Any = None
    index_url: str = ""
    problem: tuple[HarvestProblem, str] | None = None
    files: list[tuple[str, Any, str | None, bool]] = field(default_factory=list)
    """(period, the fetched file or None, the reason it is missing, whether that is unreachability)."""


def collect(index_url: str, expected_county: str | None, http: requests.Session | None = None) -> Collected:
    """Fetch a county's index and each listed half-year's export. Only the network: a slow county holds no
    lock (on SQLite a write transaction open during the fetches would stop every filing meanwhile)."""
    collected = Collected(index_url=index_url)
    try:
        fetched = fetching.fetch(index_url, http)
        index = formats.read_index(fetched.data)
        if expected_county and index.county_code != expected_county:
            raise formats.RefusedFile(_("Hakemisto on alueen %(found)s, mutta lähde on alueen %(expected)s.",
                                        found=index.county_code, expected=expected_county))
    except fetching.Unreachable as error:
        collected.problem = (HarvestProblem.UNREACHABLE, str(error))
        return collected
    except formats.RefusedFile as error:
        collected.problem = (HarvestProblem.REFUSED, str(error))
        return collected
    collected.index = index
    for entry in index.periods:
        try:
            collected.files.append((entry.period, fetching.fetch(urljoin(fetched.url, entry.json_url), http), None,
                                    False))
        except fetching.Unreachable as error:
            collected.files.append((entry.period, None, str(error), True))
    return collected


def harvest_source(source: HarvestSource, *, http: requests.Session | None = None,
                   now: datetime | None = None, collected: Collected | None = None) -> SourceResult:
    """Store what one county's addresses gave (fetched now unless `collected` is given); flushes.

    A failure is written on the source (last_error, last_problem); whatever was harvested before stays."""
    moment = now or utcnow()
    collected = collected or collect(source.index_url, source.county_code, http)
    result = SourceResult(source.index_url, source.county_code)
    source.last_attempt_at, source.harvest_requested_at = moment, None
    if collected.problem is not None:
        return _failed(source, result, collected.problem[0], [collected.problem[1]])
    index = collected.index
    source.county_code = result.county_code = index.county_code
    unreachable = False
    for period, file, reason, lost in collected.files:
        if file is None:
            unreachable = unreachable or lost
            result.problems.append(f"{period}: {reason}")
            continue
        try:
            if _is_current(index.county_code, period, file.data):
                result.unchanged.append(period)  # checked when it was stored
                continue
            read = formats.read_export(file.data)
            if (read.document["county"]["code"], read.document["period"]["code"]) != (index.county_code, period):
                raise formats.RefusedFile(_("Tiedosto on alueen %(county)s kaudelta %(period)s, mutta hakemisto "
                                            "lupasi alueen %(expected)s kauden %(expected_period)s.",
                                            county=read.document["county"]["code"],
                                            period=read.document["period"]["code"],
                                            expected=index.county_code, expected_period=period))
        except formats.RefusedFile as error:
            result.problems.append(f"{period}: {error}")
            continue
        stored = store_export(read, file.data, source=file.url,
                              collaborative_area_code=index.collaborative_area_code, now=moment)
        (result.added if stored is Stored.ADDED else result.unchanged).append(period)
    if result.added or result.unchanged:
        source.last_success_at = moment
    if result.problems:
        return _failed(source, result, HarvestProblem.UNREACHABLE if unreachable else HarvestProblem.REFUSED,
                       result.problems)
    source.last_error, source.last_problem = None, None
    db.session.flush()
    return result


def _failed(source: HarvestSource, result: SourceResult, problem: HarvestProblem,
            messages: list[str]) -> SourceResult:
    result.problem, result.problems = problem, messages
    source.last_error, source.last_problem = "\n".join(messages)[:4000], problem
    db.session.flush()
    return result


def run_harvest(*, only_requested: bool = False, http: requests.Session | None = None) -> list[SourceResult]:
    """Harvest every source (or those the administrator asked for), each in a transaction of its own, so one
    county's failure or slowness never undoes another's files. For the scheduler's job and the CLI."""
    with unit_of_work():
        query = sa.select(HarvestSource.id).order_by(HarvestSource.id)
        if only_requested:
            query = query.where(HarvestSource.harvest_requested_at.is_not(None))
        ids = list(db.session.scalars(query))
    results = []
    session = http or requests.Session()
    for source_id in ids:
        with unit_of_work():
            source = db.session.get(HarvestSource, source_id)
            address = (source.index_url, source.county_code) if source is not None else None
        if address is None:
            continue
        collected = collect(*address, session)  # between transactions: the network holds no lock
        with unit_of_work():
            source = db.session.get(HarvestSource, source_id)
            if source is not None:
                results.append(harvest_source(source, collected=collected))
    return results


def add_source(index_url: str, actor: User | None) -> HarvestSource:
    """A county's open-data index to harvest from the next harvest on; flushes."""
    url = index_url.strip()
    if not fetching.allowed(url) or len(url) > 500:
        raise Refusal(_("Anna hakemiston koko osoite, joka alkaa http:// tai https://, esim. "
                        "https://sora.alue.fi/results/open-data/index.json."))
    if db.session.scalar(sa.select(HarvestSource.id).where(HarvestSource.index_url == url)) is not None:
        raise Refusal(_("Osoite on jo lähteiden luettelossa."))
    source = HarvestSource(index_url=url)
    db.session.add(source)
    record(AuditAction.HARVEST_CHANGED, actor=actor, target="harvest sources", details={"added": url})
    db.session.flush()
    return source


def remove_source(source: HarvestSource, actor: User | None) -> None:
    """No more harvests from it; what was harvested from it stays (it is the county's published data)."""
    record(AuditAction.HARVEST_CHANGED, actor=actor, target="harvest sources", details={"removed": source.index_url})
    db.session.delete(source)
    db.session.flush()


def request_harvest(actor: User | None, now: datetime | None = None) -> int:
    """Ask the scheduler to harvest every source soon ("Hae nyt"); the request itself fetches nothing."""
    sources = list(db.session.scalars(sa.select(HarvestSource)))
    for source in sources:
        source.harvest_requested_at = now or utcnow()
    if sources:
        record(AuditAction.HARVEST_CHANGED, actor=actor, target="harvest sources",
               details={"harvest_requested": len(sources)})
    db.session.flush()
    return len(sources)


def upload_export(filename: str, data: bytes, actor: User | None, now: datetime | None = None) -> Stored:
    """An export file the administrator uploaded, checked as a harvested one; RefusedFile names the fault."""
    if len(data) > UPLOAD_MAX_BYTES:
        raise formats.RefusedFile(_("Tiedosto on liian suuri (yli %(size)s Mt).", size=UPLOAD_MAX_BYTES // 1_000_000))
    read = formats.read_export(data)
    stored = store_export(read, data, source=UPLOAD_PREFIX + (filename or "?")[:200], now=now)
    record(AuditAction.HARVEST_CHANGED, actor=actor, target="harvested exports",
           details={"uploaded": filename, "county": read.document["county"]["code"],
                    "period": read.document["period"]["code"], "format_version": read.format_version,
                    "stored": stored.value})
    return stored


def current_exports(collaborative_area_code: str | None = None, period: str | None = None) -> list[HarvestedExport]:
    """The current file of each county and half-year (of one collaborative area, of one half-year), by county."""
    query = sa.select(HarvestedExport).where(HarvestedExport.current)
    if collaborative_area_code:
        query = query.where(HarvestedExport.collaborative_area_code == collaborative_area_code)
    if period:
        query = query.where(HarvestedExport.period == period)
    return list(db.session.scalars(query.order_by(HarvestedExport.county_code, HarvestedExport.period)))


@dataclass(frozen=True)
class HarvestedPeriod:
    period: str
    format_version: int
    published_at: datetime | None
    harvested_at: datetime
    source: str
    synthetic: bool
    earlier_versions: int


@dataclass(frozen=True)
class HarvestedCounty:
    county_code: str
    county_name: str
    collaborative_area_code: str | None
    periods: list[HarvestedPeriod]


def harvested_counties() -> list[HarvestedCounty]:
    """What the comparison holds: per county its half-years' current files and how many earlier ones."""
    rows = list(db.session.execute(sa.select(
        HarvestedExport.county_code, HarvestedExport.county_name, HarvestedExport.collaborative_area_code,
        HarvestedExport.period, HarvestedExport.format_version, HarvestedExport.published_at,
        HarvestedExport.harvested_at, HarvestedExport.source, HarvestedExport.synthetic, HarvestedExport.current,
    ).order_by(HarvestedExport.county_code, HarvestedExport.period)))
    history: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if not row.current:
            history[(row.county_code, row.period)] += 1
    by_county: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if row.current:
            by_county[row.county_code].append(row)
    return [HarvestedCounty(code, found[-1].county_name, found[-1].collaborative_area_code,
                            [HarvestedPeriod(r.period, r.format_version, r.published_at, r.harvested_at, r.source,
                                             r.synthetic, history[(code, r.period)]) for r in found])
            for code, found in by_county.items()]


def sources() -> list[HarvestSource]:
    return list(db.session.scalars(sa.select(HarvestSource).order_by(HarvestSource.county_code.is_(None),
                                                                     HarvestSource.county_code,
                                                                     HarvestSource.index_url)))
