"""The national export: one half-year's counts in a form that lets counties be compared.

Built only from the published compilation of the half-year — its frozen snapshot — so the
figures are the ones the review body approved and the councils saw, and they never change
afterwards, however reports are later handled or deleted. An unpublished half-year has no
export. Codes are stable: THL's national phenomena as handlers confirmed them (with the version of
their classification), the data-need themes, the phenomenon, nature, population-group, profession-group,
significance and escalation-level codes of app/codes.py, the county's forum codes and Statistics
Finland's municipality numbers; the county is named by its Statistics Finland code. The format is
described in the README and in docs/national-export.schema.json; JSON and CSV carry the same numbers.
"""
from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.codes import AuditAction, CompilationStatus
from app.extensions import db
from app.models import ApiToken, Compilation, User, utcnow
from app.workflow.admin.api_tokens import audit_target
from app.workflow.compilations import disclosure
from app.workflow.compilations.content import COUNTY
from app.workflow.compilations.periods import Period
from app.workflow.core import spreadsheets
from app.workflow.core.audit import record

FORMAT = "sora-national-export"
FORMAT_VERSION = 3
"""2: counts hidden by disclosure control (app.workflow.compilations.disclosure) are null, with suppressed: true.
3: national phenomena are the confirmed coding of each report (no longer derived from themes), with the version
of their classification; counts by population group, profession group, significance, escalation level and
forum; processing times."""

# Export dimension -> the compilation's breakdown key.
DIMENSIONS = {"national_phenomenon": "national_phenomena", "theme": "themes", "phenomenon": "phenomenon",
              "nature": "nature", "municipality": "municipalities", "population_group": "population_group",
              "profession_group": "profession_group", "significance": "significance",
              "escalation_level": "escalation_level", "forum": "forum"}
MUNICIPALITY_DIMENSIONS = ("national_phenomenon", "theme", "phenomenon", "nature", "significance")
PROCESSING_STEPS = ("first_handling", "feedback", "resolution")
"""Days from receipt to the first handling, to the first feedback to the reporter, and to resolution."""
CSV_COLUMNS = ("format_version", "county_code", "period", "municipality_code", "dimension", "code", "label", "count")
CSV_PROCESSING_LABELS = {"first_handling": "Saapumisesta ensikäsittelyyn", "feedback": "Saapumisesta palautteeseen",
                         "resolution": "Saapumisesta ratkaisuun"}


class NotPublished(LookupError):
    """The half-year has no published compilation, so it has no national export."""


def published_periods() -> list[str]:
    """Codes of the half-years that have an export, oldest first."""
    return list(db.session.scalars(sa.select(Compilation.period)
                                   .where(Compilation.status == CompilationStatus.PUBLISHED)
                                   .order_by(Compilation.period)))


def _counts(breakdowns: list[dict[str, Any]], dimension: str) -> list[dict[str, Any]]:
    item = next((b for b in breakdowns if b["key"] == DIMENSIONS[dimension]), None)
    rows = item["rows"] if item else []
    return [_count(r) for r in rows if not (dimension == "municipality" and r["code"] == COUNTY)]


def _number(value: Any) -> int | None:
    return None if disclosure.is_suppressed(value) or value is None else int(value)


def _count(row: dict[str, Any]) -> dict[str, Any]:
    count = _number(row["count"])
    return {"code": row["code"], "label": row["label"], "count": count,
            **({"suppressed": True} if count is None else {})}


def _processing(snapshot: dict[str, Any], limit: int) -> dict[str, Any]:
    """The half-year's processing times: per step the reports that got there and their median days.

    A median of fewer reports than the disclosure threshold is null (suppressed): one or two reports' days
    would be their own. A snapshot approved before a step was measured has a null count for it."""
    times = snapshot.get("processing") or {}
    result: dict[str, Any] = {}
    for step in PROCESSING_STEPS:
        summary = times.get(step)
        if summary is None:
            result[step] = {"count": None, "median_days": None}
            continue
        count = int(summary["count"])
        hidden = 0 < count < limit
        result[step] = {"count": count, "median_days": None if hidden else summary["median_days"],
                        **({"suppressed": True} if hidden else {})}
    for key in ("not_handled", "open"):
        result[key] = int(times[key]) if key in times else None
    return result


def _classification(snapshot: dict[str, Any]) -> dict[str, Any]:
    """How the national phenomena were coded: confirmed codings of a classification version, or (compilations
    approved before direct coding) derived from the themes, with no version."""
    version = snapshot.get("national_phenomena_version")
    return {"version": version, "coding": "confirmed" if version is not None else "derived_from_themes"}


def build_export(period: Period, county_code: str, county_name: str, now: datetime | None = None) -> dict[str, Any]:
    """The export of one half-year as JSON-ready data; NotPublished if its compilation is not published."""
    compilation = db.session.scalar(sa.select(Compilation).where(Compilation.period == period.code))
    if compilation is None or compilation.status != CompilationStatus.PUBLISHED or not compilation.snapshot:
        raise NotPublished(period.code)
    return export_of_snapshot(period, compilation.snapshot, county_code, county_name, now)


def export_of_snapshot(period: Period, snapshot: dict[str, Any], county_code: str, county_name: str,
                       now: datetime | None = None) -> dict[str, Any]:
    """The export computed from a compilation's snapshot; a pure function of its arguments."""
    snapshot = disclosure.publishable(snapshot)
    breakdowns = snapshot["breakdowns"]
    places = next((b["rows"] for b in breakdowns if b["key"] == "municipalities"), [])
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "county": {"code": county_code, "name": county_name},
        "period": {"code": period.code, "first_day": period.first_day.isoformat(),
                   "last_day": period.last_day.isoformat()},
        "source": "published_compilation",
        "published_at": snapshot.get("published_at"),
        "generated_at": (now or utcnow()).isoformat(),
        "disclosure": {"threshold": snapshot["disclosure"]["threshold"]},
        "national_phenomena": _classification(snapshot),
        "reports": _number(snapshot["total"]),
        "whole_county_reports": _number(next((r["count"] for r in places if r["code"] == COUNTY), 0)),
        "counts": {dimension: _counts(breakdowns, dimension) for dimension in DIMENSIONS},
        "processing": _processing(snapshot, snapshot["disclosure"]["threshold"]),
        "municipalities": [
            {"code": m["code"], "name": m["name"], "reports": _number(m["total"]), "own_reports": _number(m["own"]),
             "counts": {dimension: _counts(m["breakdowns"], dimension) for dimension in MUNICIPALITY_DIMENSIONS}}
            for m in snapshot.get("municipalities", [])
        ],
    }


def to_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")


def csv_rows(export: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The export as long rows: one count per row, the county's first, then each municipality's."""
    head = (export["format_version"], export["county"]["code"], export["period"]["code"])
    rows = [(*head, "", "total", "reports", "Raportteja yhteensä", export["reports"]),
            (*head, "", "total", "whole_county_reports", "Koko hyvinvointialuetta koskevat raportit",
             export["whole_county_reports"])]
    version = export["national_phenomena"]["version"]
    rows.append((*head, "", "classification", "national_phenomena_version",
                 "Valtakunnallisten ilmiöiden luokituksen versio", version))
    for dimension, counts in export["counts"].items():
        rows += [(*head, "", dimension, c["code"], c["label"], c["count"]) for c in counts]
    for step in PROCESSING_STEPS:
        times = export["processing"][step]
        rows += [(*head, "", "processing_count", step, CSV_PROCESSING_LABELS[step], times["count"]),
                 (*head, "", "processing_median_days", step, CSV_PROCESSING_LABELS[step], times["median_days"])]
    for place in export["municipalities"]:
        rows += [(*head, place["code"], "total", "reports", "Raportteja yhteensä", place["reports"]),
                 (*head, place["code"], "total", "own_reports", "Kunnan nimeävät raportit", place["own_reports"])]
        for dimension, counts in place["counts"].items():
            rows += [(*head, place["code"], dimension, c["code"], c["label"], c["count"]) for c in counts]
    return rows


def to_csv(export: dict[str, Any]) -> bytes:
    """RFC 4180: UTF-8 without a byte-order mark, commas, CRLF line ends, a header row; a hidden count is empty."""
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(export))
    return buffer.getvalue().encode("utf-8")


RENDERERS = {"json": to_json, "csv": to_csv}
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


def record_export(period: Period, kind: str, *, actor: User | None = None, token: ApiToken | None = None) -> None:
    """Every national export goes into the audit log, by a person or by an API client's token."""
    record(AuditAction.EXPORTED, actor=actor, target=audit_target(token) if token is not None else None,
           details={"what": "national_export", "period": period.code, "format": kind})
