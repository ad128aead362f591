"""What SoRa reads from outside: THL's open indicators beside the reports (Sotkanet, or a THL Excel file: values
for the county's municipalities, the county and Finland, each indicator beside one national phenomenon), and
for comparing counties from open data (issue 19) the national exports harvested from counties' open-data
addresses (or uploaded), their sources, and population figures for per-capita rates."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import AreaKind, HarvestProblem, IndicatorSource
from app.extensions import db
from app.models.reports import NationalPhenomenon
from app.models.types import UTCDateTime, code_enum, utcnow


class Indicator(db.Model):
    __table_args__ = (sa.UniqueConstraint("source", "source_code", name="uq_indicator_source_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[IndicatorSource] = mapped_column(code_enum(IndicatorSource, "indicator_source"))
    source_code: Mapped[str] = mapped_column(sa.String(64))
    """The indicator's number in Sotkanet (e.g. 5641), or its name where a file gives no number."""
    title: Mapped[str] = mapped_column(sa.String(500))
    title_sv: Mapped[str | None] = mapped_column(sa.String(500))
    title_en: Mapped[str | None] = mapped_column(sa.String(500))
    national_phenomenon_id: Mapped[int] = mapped_column(sa.ForeignKey("national_phenomenon.id"), index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    national_phenomenon: Mapped[NationalPhenomenon] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(back_populates="indicator", cascade="all, delete-orphan",
                                                        passive_deletes=True)

    def title_in(self, language: str) -> str:
        return {"sv": self.title_sv, "en": self.title_en}.get(language) or self.title


class IndicatorValue(db.Model):
    """One year's value for one area: a municipality (its number), the county (its code) or Finland."""

    __tablename__ = "indicator_value"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "area_kind", "area_code", "year",
                                          name="uq_indicator_value_area_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id", ondelete="CASCADE"))
    area_kind: Mapped[AreaKind] = mapped_column(code_enum(AreaKind, "area_kind"))
    area_code: Mapped[str] = mapped_column(sa.String(8))
    year: Mapped[int]
    value: Mapped[float]

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class SotkanetRegion(db.Model):
    """Sotkanet's own region numbers, which its data files use, with the official code each stands for."""

    __tablename__ = "sotkanet_region"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(sa.String(40))
    code: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))



class HarvestSource(db.Model):
    """A county whose open data is harvested: its index address, and how the last attempts went."""

    __tablename__ = "harvest_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str | None] = mapped_column(sa.String(8))
    """Statistics Finland's code of the county, learnt from its first good index (None until then)."""
    index_url: Mapped[str] = mapped_column(sa.String(500), unique=True)
    """The county's open-data index, e.g. https://sora.example.fi/results/open-data/index.json."""
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When a file of it was last harvested and accepted: shown beside a county that cannot be reached."""
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    """Why the last attempt failed (unreachable, not JSON, refused by the schema), in the user's words; None after a success."""
    last_problem: Mapped[HarvestProblem | None] = mapped_column(code_enum(HarvestProblem, "harvest_problem"))
    """What kind of failure last_error describes, so that a view can show an unreachable county as such."""
    harvest_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """The administrator asked for a harvest now ("Hae nyt"); the scheduler does it and clears this."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HarvestedExport(db.Model):
    """One county's national export of one half-year as harvested, converted to the current format.

    A repeated harvest that brings a different file adds a row and makes it the current one; the earlier
    rows stay as the history (`current` False). A file refused (schema, version) adds no row."""

    __tablename__ = "harvested_export"
    __table_args__ = (
        # One current file per county and half-year.
        sa.Index("uq_harvested_export_current", "county_code", "period", unique=True,
                 postgresql_where=sa.text("current"), sqlite_where=sa.text("current")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.String(8), index=True)
    county_name: Mapped[str] = mapped_column(sa.String(200))
    collaborative_area_code: Mapped[str | None] = mapped_column(sa.String(8))
    period: Mapped[str] = mapped_column(sa.String(8))
    """The half-year, '2026-H1'."""
    format_version: Mapped[int]
    """The version the file came in; `document` is always in the current version."""
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    harvested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(500))
    """The file's address, or 'upload: <file name>'."""
    sha256: Mapped[str] = mapped_column(sa.String(64))
    """Of the file as received, so a harvest that brings the same bytes again adds nothing."""
    synthetic: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    """Made from the demo's own data, not a county's publication: every view that shows it says so."""
    current: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    document: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class PopulationFigure(db.Model):
    """Residents of an area in a year, for rates per 10,000 residents: a municipality (its number), a
    county (its code) or Finland ('FI')."""

    __tablename__ = "population_figure"
    __table_args__ = (sa.UniqueConstraint("area_kind", "area_code", "year", name="uq_population_figure_area_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_kind: Mapped[str] = mapped_column(sa.String(16))
    """'municipality', 'county' or 'country' (the codes of app.codes.AreaKind)."""
    area_code: Mapped[str] = mapped_column(sa.String(8))
    year: Mapped[int]
    residents: Mapped[int]
