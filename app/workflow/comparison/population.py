"""Population figures for the phenomenon view's rates per 10,000 residents: a CSV of area_kind, area_code,
year, residents (Statistics Finland's figures, one row per area and year; `flask import-population FILE`).

Like the indicator import, a file with any bad line is refused, with a message per line, and nothing of it
is stored: half a file would give some areas this year's figures and others last year's without anyone
seeing it. A good file replaces the figures it gives (the same area and year) and keeps the others.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AreaKind, AuditAction
from app.extensions import db
from app.models import PopulationFigure, User
from app.workflow.admin.county import counties
from app.workflow.core.audit import record

COLUMNS = ("area_kind", "area_code", "year", "residents")
FINLAND = "FI"
KINDS = frozenset(kind.value for kind in AreaKind)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class Parsed:
    figures: list[tuple[str, str, int, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    added: int
    replaced: int


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def parse(data: bytes) -> Parsed:
    """Every line checked: a known kind, a code of that kind, a year and a whole number of residents.

    Municipality numbers have three digits and county codes two (Statistics Finland's), Finland is FI;
    separators may be commas or semicolons (a spreadsheet's CSV in Finnish uses semicolons)."""
    parsed = Parsed()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problems.append(Problem(0, _("Tiedosto ei ole UTF-8-muotoinen CSV-tiedosto.")))
        return parsed
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [h.strip().lower() for h in next(reader, [])]
    if header != list(COLUMNS):
        parsed.problems.append(Problem(1, _("Otsikkorivin pitää olla %(columns)s.", columns=",".join(COLUMNS))))
        return parsed
    county_codes = {c.code for c in counties()}
    seen: dict[tuple[str, str, int], int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            parsed.problems.append(Problem(line, _("Rivillä pitää olla neljä saraketta.")))
            continue
        kind, code, year_text, residents_text = (cell.strip() for cell in row)
        residents_text = residents_text.replace(" ", "").replace("\u00a0", "")
        if kind not in KINDS:
            parsed.problems.append(Problem(line, _("Aluetyyppi ”%(kind)s” ei ole municipality, county eikä country.",
                                                   kind=kind)))
            continue
        if (kind == AreaKind.MUNICIPALITY.value and not (_digits(code) and len(code) == 3)) or (
                kind == AreaKind.COUNTY.value and code not in county_codes) or (
                kind == AreaKind.COUNTRY.value and code != FINLAND):
            parsed.problems.append(Problem(line, _("Aluekoodi ”%(code)s” ei sovi aluetyyppiin %(kind)s.",
                                                   code=code, kind=kind)))
            continue
        if not (_digits(year_text) and 1900 <= int(year_text) <= 2999):
            parsed.problems.append(Problem(line, _("Vuosi ”%(year)s” ei ole vuosiluku.", year=year_text)))
            continue
        if not (_digits(residents_text) and int(residents_text) > 0):
            parsed.problems.append(Problem(line, _("Asukasluku ”%(residents)s” ei ole positiivinen kokonaisluku.",
                                                   residents=residents_text)))
            continue
        key = (kind, code, int(year_text))
        if key in seen:
            parsed.problems.append(Problem(line, _("Sama alue ja vuosi on jo rivillä %(line)d.", line=seen[key])))
            continue
        seen[key] = line
        parsed.figures.append((*key, int(residents_text)))
    if not parsed.figures and not parsed.problems:
        parsed.problems.append(Problem(0, _("Tiedostossa ei ollut asukaslukuja.")))
    return parsed


def store(parsed: Parsed, actor: User | None = None) -> Stored:
    """Store a parsed file (only one without problems); flushes, the caller commits."""
    if parsed.problems:
        raise ValueError("a file with problems is never stored")
    existing = {(f.area_kind, f.area_code, f.year): f for f in db.session.scalars(sa.select(PopulationFigure))}
    added = replaced = 0
    for kind, code, year, residents in parsed.figures:
        figure = existing.get((kind, code, year))
        if figure is None:
            db.session.add(PopulationFigure(area_kind=kind, area_code=code, year=year, residents=residents))
            added += 1
        elif figure.residents != residents:
            figure.residents = residents
            replaced += 1
    record(AuditAction.SETTINGS_CHANGED, actor=actor,
           details={"what": "population_figures", "added": added, "replaced": replaced})
    db.session.flush()
    return Stored(added, replaced)
