"""The national export as open data: each published half-year's export, at a stable address, with an index.

THL builds its national view on open data and registers, without a data collection from the counties
(seed 000), so what a county has published anyway is published once more in a form other installations
can harvest: the same JSON and CSV the statistics API gives, made from the published compilation's frozen
snapshot under its disclosure control, and an index that lists them. A file's `generated_at` is its
publication's moment, so the same half-year's file is the same bytes however often it is fetched; a
corrected publication is a new file (and a new `published_at`), a withdrawn one is gone from the index.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.codes import CompilationStatus
from app.extensions import db
from app.models import Compilation
from app.workflow.admin import site_settings
from app.workflow.compilations.periods import Period, parse_period
from app.workflow.welfare import national_export

INDEX_FORMAT = "sora-open-data-index"
INDEX_FORMAT_VERSION = 1


def _published() -> list[Compilation]:
    return list(db.session.scalars(sa.select(Compilation).where(Compilation.status == CompilationStatus.PUBLISHED)
                                   .order_by(Compilation.period)))


def index(address: Callable[[str, str], str], schema_address: str) -> dict[str, Any]:
    """The published half-years and their files; `address(period, kind)` gives a file's absolute URL."""
    code, name = site_settings.county_for_export()
    county = site_settings.county()
    return {
        "format": INDEX_FORMAT,
        "format_version": INDEX_FORMAT_VERSION,
        "county": {"code": code, "name": name, "name_sv": county.name_sv or None, "name_en": county.name_en or None,
                   "collaborative_area": ({"code": county.collaborative_area_code,
                                           "name": county.collaborative_area_name}
                                          if county.collaborative_area_code else None)},
        "export_format": national_export.FORMAT,
        "export_format_version": national_export.FORMAT_VERSION,
        "schema": schema_address,
        "licence": "CC BY 4.0",
        "periods": [{"period": c.period, "published_at": _moment(c.published_at),
                     "json": address(c.period, "json"), "csv": address(c.period, "csv")} for c in _published()],
    }


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export(code: str) -> dict[str, Any]:
    """A published half-year's export; NotPublished for any other half-year, InvalidPeriod for no half-year."""
    period: Period = parse_period(code)
    compilation = db.session.scalar(sa.select(Compilation).where(Compilation.period == period.code))
    if compilation is None or compilation.status != CompilationStatus.PUBLISHED or compilation.published_at is None:
        raise national_export.NotPublished(period.code)
    return national_export.build_export(period, *site_settings.county_for_export(), now=compilation.published_at)
