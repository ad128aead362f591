"""Indicators beside the reports: values of THL's open indicators (Sotkanet, or a THL Excel file) for the
county's municipalities, the county and Finland, each indicator placed beside one national phenomenon."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import AreaKind, IndicatorSource
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
