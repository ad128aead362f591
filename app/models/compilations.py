"""Half-yearly compilations (puolivuotiskooste), their texts and highlights, and the HYTE annual clock."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import Choice, CompilationAction, CompilationStatus, ExcerptContext
from app.extensions import db
from app.models.org import Municipality
from app.models.reports import Report, Theme
from app.models.types import UTCDateTime, code_enum, utcnow
from app.models.users import User


class Compilation(db.Model):
    """The working group's compilation of one half-year; frozen into `snapshot` when published."""

    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'published') = (snapshot IS NOT NULL AND published_at IS NOT NULL)",
            name="published_has_snapshot",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7), unique=True)
    """The half-year, e.g. '2026-H1'."""
    status: Mapped[CompilationStatus] = mapped_column(code_enum(CompilationStatus, "compilation_status"))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    """Everything the published compilation shows, as it was when approved."""
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    opened_by: Mapped[User | None] = relationship()
    theme_texts: Mapped[list[CompilationThemeText]] = relationship(
        back_populates="compilation", cascade="all, delete-orphan")
    highlights: Mapped[list[CompilationHighlight]] = relationship(
        back_populates="compilation", cascade="all, delete-orphan",
        order_by="CompilationHighlight.position, CompilationHighlight.id")
    events: Mapped[list[CompilationEvent]] = relationship(
        back_populates="compilation", cascade="all, delete-orphan",
        order_by="CompilationEvent.created_at, CompilationEvent.id")
    publications: Mapped[list[CompilationPublication]] = relationship(
        back_populates="compilation", cascade="all, delete-orphan",
        order_by="CompilationPublication.published_at, CompilationPublication.id")

    @property
    def publication(self) -> CompilationPublication | None:
        """The version now published; None for a draft, one in review or one withdrawn."""
        live = [p for p in self.publications if p.withdrawn_at is None]
        return live[-1] if live and self.status == CompilationStatus.PUBLISHED else None

    def __repr__(self) -> str:
        return f"<Compilation {self.period} {self.status.value}>"


class CompilationThemeText(db.Model):
    """The working group's findings and proposals on one theme."""

    __tablename__ = "compilation_theme_text"
    __table_args__ = (sa.UniqueConstraint("compilation_id", "theme_id", name="uq_compilation_theme_text_theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compilation_id: Mapped[int] = mapped_column(sa.ForeignKey("compilation.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id"))
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    proposals: Mapped[str] = mapped_column(sa.Text, default="")

    compilation: Mapped[Compilation] = relationship(back_populates="theme_texts")
    theme: Mapped[Theme] = relationship()


class CompilationHighlight(db.Model):
    """A report the compilation lifts up, with the excerpt shown; the report itself is not changed."""

    __tablename__ = "compilation_highlight"
    __table_args__ = (sa.UniqueConstraint("compilation_id", "report_id", name="uq_compilation_highlight_report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compilation_id: Mapped[int] = mapped_column(sa.ForeignKey("compilation.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"))
    excerpt: Mapped[str] = mapped_column(sa.Text)
    """The text the working group chose and edited for publication; the only report text ever published."""
    context: Mapped[ExcerptContext] = mapped_column(code_enum(ExcerptContext, "excerpt_context"),
                                                    default=ExcerptContext.COUNTY)
    """Which level of the organisation the published excerpt names besides the half-year."""
    position: Mapped[int] = mapped_column(default=0)

    compilation: Mapped[Compilation] = relationship(back_populates="highlights")
    report: Mapped[Report] = relationship()


class CompilationEvent(db.Model):
    """One step of a compilation's history: opened, sent for review, returned with comments, approved."""

    __tablename__ = "compilation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    compilation_id: Mapped[int] = mapped_column(sa.ForeignKey("compilation.id", ondelete="CASCADE"), index=True)
    action: Mapped[CompilationAction] = mapped_column(code_enum(CompilationAction, "compilation_action"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    to_status: Mapped[CompilationStatus] = mapped_column(code_enum(CompilationStatus, "compilation_event_status"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    compilation: Mapped[Compilation] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CompilationPublication(db.Model):
    """One published version of a compilation, kept when it is withdrawn and a corrected one replaces it."""

    __tablename__ = "compilation_publication"
    __table_args__ = (
        sa.CheckConstraint("(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)", name="withdrawal_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compilation_id: Mapped[int] = mapped_column(sa.ForeignKey("compilation.id", ondelete="CASCADE"), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    """The publishable content (excerpts and protected figures only) as approved."""
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    compilation: Mapped[Compilation] = relationship(back_populates="publications")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])


class Recurrence(Choice):
    YEARLY = "yearly", _l("Joka vuosi")
    TERM_LAST_YEAR = "term_last_year", _l("Valtuustokauden viimeisenä vuonna")
    TERM_FIRST_YEAR = "term_first_year", _l("Valtuustokauden ensimmäisenä vuonna")


class ClockEvent(db.Model):
    """An event of the HYTE annual clock of the county (no municipality) or of one municipality.

    A municipality's event overrides the county's event with the same code. An event with
    `compilation_lead_days` needs the latest finished half-year's compilation approved that
    many days before it: that is where compilation deadlines come from.
    """

    __tablename__ = "clock_event"
    __table_args__ = (
        sa.CheckConstraint("month BETWEEN 1 AND 12 AND day BETWEEN 1 AND 31", name="valid_day"),
        sa.CheckConstraint("compilation_lead_days IS NULL OR compilation_lead_days BETWEEN 0 AND 365",
                           name="lead_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), index=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    recurrence: Mapped[Recurrence] = mapped_column(code_enum(Recurrence, "clock_recurrence"))
    month: Mapped[int]
    day: Mapped[int]
    compilation_lead_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)

    municipality: Mapped[Municipality | None] = relationship()


class CompilationReminder(db.Model):
    """A reminder of a compilation deadline already sent, so the daily job sends each only once."""

    __tablename__ = "compilation_reminder"
    __table_args__ = (sa.UniqueConstraint("period", "deadline", "days_before", name="uq_compilation_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7))
    deadline: Mapped[date]
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
