"""What a compilation shows: the reports of its half-year read into a frame, and the content built from it.

`build_content()` returns plain JSON-ready data (figures with Finnish labels, the group's texts,
highlights and report excerpts). A draft is built afresh on every view; approval stores the
same data as the compilation's snapshot, so a published compilation never changes afterwards.
Reporters' names and internal notes never enter the content.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.codes import (
    Channel,
    CompilationStatus,
    EscalationLevel,
    ExcerptContext,
    Nature,
    NodeKind,
    PartnerType,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
    Significance,
)
from app.extensions import db
from app.models import (
    Compilation,
    Forum,
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
from app.workflow.admin import site_settings
from app.workflow.compilations import statistics
from app.workflow.compilations.periods import HELSINKI, CouncilTerm, Period
from app.workflow.compilations.statistics import NONE
from app.workflow.phenomena import follow_ups as proposal_follow_ups
from app.workflow.phenomena import groups as phenomenon_groups
from app.workflow.phenomena.coding import classification_version, confirmed_coding

COUNTY = "county"
"""The municipality code of a report that concerns the whole county."""
PARTNERS = "partners"
"""The unit code of a partner's report: partners have no work unit, and are counted apart from the staff."""


@dataclass(frozen=True)
class Dimension:
    key: str
    title: Any
    by_count: bool
    none_label: Any = _l("Ei tietoa")


DIMENSIONS = (
    Dimension("phenomenon", _l("Raportoitava ilmiö"), True),
    Dimension("nature", _l("Ilmiön luonne"), False),
    Dimension("themes", _l("Teemat"), True, _l("Ei teemaa")),
    Dimension("national_phenomena", _l("THL:n valtakunnalliset ilmiöt"), False,
              _l("Ei vahvistettua valtakunnallista ilmiötä")),
    Dimension("population_group", _l("Väestöryhmä"), False),
    Dimension("profession_group", _l("Ammattiryhmä"), False),
    Dimension("division", _l("Toimiala"), True),
    Dimension("unit", _l("Työyksikkö"), True),
    Dimension("channel", _l("Raportoija"), False),
    Dimension("municipalities", _l("Kunta"), True, _l("Ei kuntaa")),
    Dimension("significance", _l("Merkittävyys"), False, _l("Ei arvioitu")),
    Dimension("status", _l("Tila"), False),
    Dimension("escalation_level", _l("Käsittelytaso"), False),
    Dimension("forum", _l("Foorumi"), True, _l("Ei viety foorumille")),
)
MUNICIPALITY_DIMENSIONS = ("phenomenon", "nature", "themes", "national_phenomena", "significance")
TERM_DIMENSIONS = ("phenomenon", "nature", "themes", "national_phenomena")
LIST_KEYS = set(statistics.LIST_COLUMNS)


@dataclass
class Catalogue:
    """Codes in their display order and their labels, per dimension; read once per build."""

    categories: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    division_of_unit: dict[int, str]
    service_area_of_unit: dict[int, str]
    unit_code: dict[int, str]
    national_code: dict[int, str]
    theme_code: dict[int, str]
    municipality_code: dict[int, str]
    forum_code: dict[int, str]
    national_phenomena_version: int
    """The version of the national phenomena's classification the coding was counted under."""

    def label(self, key: str, code: str) -> str:
        if code == NONE:
            return str(next(d.none_label for d in DIMENSIONS if d.key == key))
        return self.labels.get(key, {}).get(code, code)


def load_catalogue() -> Catalogue:
    session = db.session
    nodes = {n.id: n for n in session.scalars(sa.select(OrgNode))}
    themes = list(session.scalars(sa.select(Theme).order_by(Theme.position)))
    national = list(session.scalars(sa.select(NationalPhenomenon)
                                    .order_by(NationalPhenomenon.position, NationalPhenomenon.id)))
    municipalities = list(session.scalars(sa.select(Municipality).order_by(Municipality.name)))
    forums = list(session.scalars(sa.select(Forum).order_by(Forum.level, Forum.name)))

    def division(node: OrgNode) -> str:
        top = node.division
        return top.code if top is not None else NONE

    def service_area(node: OrgNode) -> str:
        area = next((n for n in node.ancestors() if n.kind == NodeKind.SERVICE_AREA), None)
        return area.code if area is not None else NONE

    units = [n for n in nodes.values() if n.kind == NodeKind.UNIT]
    divisions = sorted((n for n in nodes.values() if n.kind == NodeKind.DIVISION), key=lambda n: n.name)
    return Catalogue(
        categories={
            "phenomenon": [p.value for p in Phenomenon],
            "nature": [n.value for n in Nature],
            "themes": [t.code for t in themes if t.active],
            "national_phenomena": [p.code for p in national],
            "population_group": [g.value for g in PopulationGroup],
            "profession_group": [g.value for g in ProfessionGroup],
            "division": [d.code for d in divisions],
            "unit": [],
            "municipalities": [m.code for m in municipalities] + [COUNTY],
            "significance": [str(s.value) for s in Significance],
            "status": [s.value for s in ReportStatus],
            "escalation_level": [level.value for level in EscalationLevel],
            "forum": [],
            "channel": [Channel.STAFF.value, *[kind.value for kind in PartnerType]],
        },
        labels={
            "phenomenon": {p.value: p.label for p in Phenomenon},
            "nature": {n.value: n.label for n in Nature},
            "themes": {t.code: t.label_fi for t in themes},
            "national_phenomena": {p.code: p.label_fi for p in national},
            "population_group": {g.value: g.label for g in PopulationGroup},
            "profession_group": {g.value: g.label for g in ProfessionGroup},
            "division": {d.code: d.name for d in divisions},
            "unit": {**{u.code: u.name for u in units}, PARTNERS: str(_l("Kumppanien raportit"))},
            "service_area": {n.code: n.name for n in nodes.values() if n.kind == NodeKind.SERVICE_AREA},
            "municipalities": {**{m.code: m.name for m in municipalities}, COUNTY: str(_l("Koko hyvinvointialue"))},
            "significance": {str(s.value): s.label for s in Significance},
            "status": {s.value: s.label for s in ReportStatus},
            "escalation_level": {level.value: level.label for level in EscalationLevel},
            "forum": {f.code: f.name for f in forums},
            "channel": {Channel.STAFF.value: Channel.STAFF.label,
                        **{kind.value: f"{Channel.PARTNER.label}: {kind.label}" for kind in PartnerType}},
        },
        division_of_unit={u.id: division(u) for u in units},
        service_area_of_unit={u.id: service_area(u) for u in units},
        unit_code={n.id: n.code for n in nodes.values()},
        national_code={p.id: p.code for p in national},
        theme_code={t.id: t.code for t in themes},
        municipality_code={m.id: m.code for m in municipalities},
        forum_code={f.id: f.code for f in forums},
        national_phenomena_version=classification_version(),
    )


def _in_period(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    """Filed in the period (a held anonymous report is a report from its release)."""
    return sa.and_(Report.created_at >= start, Report.created_at < end)


def load_reports(start: datetime, end: datetime, catalogue: Catalogue, *, texts: bool = True) -> list[dict[str, Any]]:
    """One dict per report filed in [start, end), oldest first: codes, times and (if asked) the texts.

    Four queries whatever the number of reports: the reports, their themes, their municipalities and their
    confirmed national phenomena (an unconfirmed suggestion counts for nothing).
    """
    columns = [Report.id, Report.number, Report.created_at, Report.first_handled_at, Report.closed_at,
               Report.feedback_given_at, Report.nature, Report.phenomenon, Report.unit_id, Report.whole_county,
               Report.significance, Report.status, Report.escalation_level, Report.forum_id, Report.channel,
               Report.partner_type, Report.population_group, Report.profession_group]
    if texts:
        columns += [Report.description, Report.proposed_actions]
    rows = db.session.execute(sa.select(*columns).where(_in_period(start, end))
                              .order_by(Report.created_at, Report.id)).all()
    ids = sa.select(Report.id).where(_in_period(start, end)).scalar_subquery()
    themes: dict[int, list[int]] = defaultdict(list)
    for report_id, theme_id in db.session.execute(
            sa.select(report_theme.c.report_id, report_theme.c.theme_id).where(report_theme.c.report_id.in_(ids))):
        themes[report_id].append(theme_id)
    places: dict[int, list[str]] = defaultdict(list)
    for report_id, municipality_id in db.session.execute(
            sa.select(report_municipality.c.report_id, report_municipality.c.municipality_id)
            .where(report_municipality.c.report_id.in_(ids))):
        places[report_id].append(catalogue.municipality_code[municipality_id])
    coded: dict[int, list[str]] = defaultdict(list)
    for report_id, phenomenon_id in db.session.execute(
            confirmed_coding().where(ReportNationalPhenomenon.report_id.in_(ids))):
        coded[report_id].append(catalogue.national_code[phenomenon_id])
    national_order = {code: i for i, code in enumerate(catalogue.categories["national_phenomena"])}
    theme_order = {code: i for i, code in enumerate(catalogue.categories["themes"])}
    result = []
    for row in rows:
        theme_codes = sorted((catalogue.theme_code[t] for t in themes.get(row.id, [])),
                             key=lambda code: theme_order.get(code, 999))
        national = sorted(coded.get(row.id, []), key=national_order.__getitem__)
        partner = row.channel == Channel.PARTNER
        record = {
            "number": row.number, "created_at": row.created_at, "first_handled_at": row.first_handled_at,
            "closed_at": row.closed_at, "feedback_given_at": row.feedback_given_at,
            "nature": row.nature.value, "phenomenon": row.phenomenon.value,
            "themes": theme_codes, "national_phenomena": national,
            "division": NONE if partner else catalogue.division_of_unit.get(row.unit_id, NONE),
            "unit": PARTNERS if partner else catalogue.unit_code[row.unit_id],
            "service_area": NONE if partner else catalogue.service_area_of_unit.get(row.unit_id, NONE),
            "channel": row.partner_type.value if partner and row.partner_type else Channel.STAFF.value,
            "municipalities": [COUNTY] if row.whole_county else sorted(places.get(row.id, [])),
            "significance": row.significance, "status": row.status.value,
            "escalation_level": row.escalation_level.value,
            "forum": catalogue.forum_code.get(row.forum_id) if row.forum_id else None,
            "population_group": row.population_group.value if row.population_group else None,
            "profession_group": row.profession_group.value if row.profession_group else None,
        }
        if texts:
            record["description"] = row.description
            record["proposed_actions"] = row.proposed_actions or ""
        result.append(record)
    return result


def _rows(table: pd.DataFrame, key: str, catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "label": catalogue.label(key, r.code), "count": int(r.count), "share": round(float(r.share), 4),
         "previous": int(r.previous), "change": int(r.change), "change_pct": r.change_pct}
        for r in table.itertuples(index=False)
    ]


def figures(frame: pd.DataFrame, previous: pd.DataFrame, catalogue: Catalogue,
            keys: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The breakdowns of a period against the previous one, with labels."""
    result = []
    for dimension in DIMENSIONS:
        if keys is not None and dimension.key not in keys:
            continue
        categories = catalogue.categories[dimension.key]
        table = statistics.compare(
            statistics.breakdown(frame, dimension.key, categories, by_count=dimension.by_count),
            statistics.breakdown(previous, dimension.key, categories, by_count=dimension.by_count),
        )
        if dimension.key in ("unit", "forum", "division", "channel"):
            table = table[(table["count"] > 0) | (table["previous"] > 0)]
        result.append({"key": dimension.key, "title": str(dimension.title), "multi": dimension.key in LIST_KEYS,
                       "rows": _rows(table, dimension.key, catalogue)})
    return result


def _concerns(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame["municipalities"].map(lambda places: code in places or COUNTY in places).astype(bool)


def _report_excerpt(record: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """A report as the compilation shows it: no reporter, no notes, no handling history."""
    local = record["created_at"].astimezone(HELSINKI)
    return {
        "number": record["number"], "date": f"{local.day}.{local.month}.{local.year}",
        "unit": catalogue.label("unit", record["unit"]), "division": catalogue.label("division", record["division"]),
        "service_area": catalogue.label("service_area", record.get("service_area", NONE))
        if record.get("service_area", NONE) != NONE else "",
        "municipality_codes": record["municipalities"],
        "municipalities": ", ".join(catalogue.label("municipalities", c) for c in record["municipalities"]),
        "phenomenon": catalogue.label("phenomenon", record["phenomenon"]),
        "nature": catalogue.label("nature", record["nature"]),
        "themes": [catalogue.label("themes", c) for c in record["themes"]], "theme_codes": list(record["themes"]),
        "nature_code": record["nature"],
        "significance": catalogue.label("significance", str(record["significance"]))
        if record["significance"] else catalogue.label("significance", NONE),
        "status": catalogue.label("status", record["status"]),
        "level": catalogue.label("escalation_level", record["escalation_level"]),
        "forum": catalogue.label("forum", record["forum"]) if record["forum"] else "",
        "description": record["description"], "proposed_actions": record["proposed_actions"],
    }


def _texts(compilation: Compilation | None, catalogue: Catalogue, counts: dict[str, int]) -> list[dict[str, Any]]:
    if compilation is None:
        return []
    written = {t.theme.code: t for t in compilation.theme_texts}
    return [{"code": code, "label": catalogue.label("themes", code), "count": counts.get(code, 0),
             "findings": written[code].findings, "proposals": written[code].proposals}
            for code in catalogue.categories["themes"] if code in written
            and (written[code].findings.strip() or written[code].proposals.strip())]


def excerpt_context(excerpt: dict[str, Any], level: ExcerptContext) -> str:
    """Where a published excerpt says it comes from: the chosen level of the organisation, never the unit."""
    if level == ExcerptContext.DIVISION and excerpt.get("division"):
        return str(excerpt["division"])
    if level == ExcerptContext.SERVICE_AREA and excerpt.get("service_area"):
        return str(excerpt["service_area"])
    if level == ExcerptContext.MUNICIPALITY and excerpt.get("municipalities"):
        return str(excerpt["municipalities"])
    return site_settings.county().name_fi


def _highlights(compilation: Compilation | None, excerpts: dict[str, dict[str, Any]],
                period_label: str) -> list[dict[str, Any]]:
    """The excerpts the group chose, each with the half-year and the level of context it chose."""
    if compilation is None:
        return []
    result = []
    for h in compilation.highlights:
        if h.report.number not in excerpts:
            continue
        excerpt = excerpts[h.report.number]
        level = h.context or ExcerptContext.COUNTY
        result.append({**excerpt, "id": h.id, "position": h.position, "excerpt": h.excerpt,
                       "context_level": level.value, "context": excerpt_context(excerpt, level),
                       "period_label": period_label,
                       "municipality_codes": excerpt["municipality_codes"] if level == ExcerptContext.MUNICIPALITY
                       else []})
    return result


def term_section(term: CouncilTerm, period: Period, catalogue: Catalogue,
                 current: pd.DataFrame | None = None) -> dict[str, Any]:
    """Every half-year of the council term up to `period`, side by side, with the trend."""
    periods = term.periods(up_to=period)
    frames = {}
    for p in periods:
        if p == period and current is not None:
            frames[p.code] = current
        else:
            frames[p.code] = statistics.report_frame(load_reports(*p.bounds(), catalogue, texts=False))
    codes = [p.code for p in periods]

    def rows(table: pd.DataFrame, key: str) -> list[dict[str, Any]]:
        return [{"code": r["code"], "label": catalogue.label(key, r["code"]) if key else str(_l("Raportteja yhteensä")),
                 "values": [int(r[c]) for c in codes], "change": int(r["change"]), "slope": float(r["slope"])}
                for _, r in table.iterrows()]

    tables = [{"key": key, "title": str(next(d.title for d in DIMENSIONS if d.key == key)),
               "rows": rows(statistics.term_table(frames, key, catalogue.categories[key]), key)}
              for key in TERM_DIMENSIONS]
    return {"label": term.label, "periods": [{"code": p.code, "label": p.label} for p in periods],
            "totals": rows(statistics.term_totals(frames), "")[0], "tables": tables}


@dataclass
class PeriodData:
    """The rows a compilation is computed from: the period's reports (with texts) and the previous period's."""

    period: Period
    catalogue: Catalogue
    records: list[dict[str, Any]]
    previous_records: list[dict[str, Any]]
    groups: list[dict[str, Any]] = field(default_factory=list)
    """The phenomenon groups with reports in the period (phenomena/groups.compilation_groups)."""
    previous_follow_ups: list[dict[str, Any]] = field(default_factory=list)
    """What came of the previous half-year's proposals (phenomena/follow_ups.of_previous_period)."""


def load_period(period: Period) -> PeriodData:
    """The database part of building a compilation."""
    catalogue = load_catalogue()
    before = period.previous()
    previous_compilation = db.session.scalar(sa.select(Compilation).where(Compilation.period == before.code))
    return PeriodData(period, catalogue, load_reports(*period.bounds(), catalogue),
                      load_reports(*before.bounds(), catalogue, texts=False),
                      phenomenon_groups.compilation_groups(*period.bounds()),
                      proposal_follow_ups.of_previous_period(previous_compilation, *before.bounds()))


def _groups(data: PeriodData, highlights: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each phenomenon group of the period: its texts, its reports per municipality and its chosen excerpts.

    The counts are of the group's reports filed in the period; disclosure.protect() marks the small ones.
    """
    catalogue = data.catalogue
    places = {r["number"]: r["municipalities"] for r in data.records}
    result = []
    for group in data.groups:
        numbers = [n for n in group["report_numbers"] if n in places]
        counts = {code: sum(1 for n in numbers if code in places[n]) for code in catalogue.categories["municipalities"]}
        result.append({
            **{k: group[k] for k in ("id", "name", "description", "observations", "national_phenomena", "proposals")},
            "total": len(numbers), "report_numbers": numbers,
            "municipalities": [{"code": code, "label": catalogue.label("municipalities", code), "count": count}
                               for code, count in counts.items() if count],
            "highlights": [h for h in highlights if h["number"] in set(numbers)],
        })
    return result


def build_content(period: Period, compilation: Compilation | None = None, *, now: datetime | None = None,
                  deadline: str | None = None, term: CouncilTerm | None = None) -> dict[str, Any]:
    """Everything a compilation shows, in Finnish, as JSON-ready data."""
    with force_locale("fi"):
        return assemble_content(load_period(period), compilation, now=now, deadline=deadline, term=term)


def assemble_content(data: PeriodData, compilation: Compilation | None = None, *, now: datetime | None = None,
                     deadline: str | None = None, term: CouncilTerm | None = None) -> dict[str, Any]:
    """The figures and texts from loaded rows (the term section, if asked, queries its other half-years)."""
    period, catalogue, records = data.period, data.catalogue, data.records
    with force_locale("fi"):
        previous_period = period.previous()
        frame = statistics.report_frame(records)
        previous = statistics.report_frame(data.previous_records)
        breakdowns = figures(frame, previous, catalogue)
        excerpts = {r["number"]: _report_excerpt(r, catalogue) for r in records}
        theme_counts = {row["code"]: row["count"] for b in breakdowns if b["key"] == "themes" for row in b["rows"]}
        highlights = _highlights(compilation, excerpts, period.label)
        municipalities = []
        for code in catalogue.categories["municipalities"][:-1]:
            mine, before = frame[_concerns(frame, code)], previous[_concerns(previous, code)]
            municipalities.append({
                "code": code, "name": catalogue.label("municipalities", code), "total": len(mine),
                "previous_total": len(before), "own": int(mine["municipalities"].map(lambda c: code in c).sum()),
                "breakdowns": figures(mine, before, catalogue, MUNICIPALITY_DIMENSIONS),
                "report_numbers": list(mine["number"]),
            })
        return {
            "period": period.code, "period_label": period.label,
            "previous_period": previous_period.code, "previous_label": previous_period.label,
            "generated_at": (now or utcnow()).isoformat(),
            "status": (compilation.status if compilation else CompilationStatus.DRAFT).value,
            "deadline": deadline,
            "total": len(frame), "previous_total": len(previous),
            "total_change_pct": statistics.percent_change(len(frame), len(previous)),
            "breakdowns": breakdowns,
            "processing": statistics.processing_times(frame),
            "national_phenomena_version": catalogue.national_phenomena_version,
            "summary": compilation.summary if compilation else "",
            "themes": _texts(compilation, catalogue, theme_counts),
            "highlights": highlights,
            "groups": _groups(data, highlights),
            "previous_follow_ups": data.previous_follow_ups,
            "reports": list(excerpts.values()),
            "municipalities": municipalities,
            "term": term_section(term, period, catalogue, frame) if term else None,
        }
