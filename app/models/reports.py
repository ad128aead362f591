"""Social reports, their timeline, and the reference lists the form offers."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import (
    EscalationLevel,
    EventKind,
    Nature,
    NotificationKind,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
)
from app.extensions import db
from app.models.org import Forum, Municipality, OrgNode
from app.models.types import UTCDateTime, code_enum, utcnow
from app.models.users import User

theme_national_phenomenon = sa.Table(
    "theme_national_phenomenon",
    db.metadata,
    sa.Column("theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("national_phenomenon_id", sa.ForeignKey("national_phenomenon.id", ondelete="CASCADE"), primary_key=True),
)

report_theme = sa.Table(
    "report_theme",
    db.metadata,
    sa.Column("report_id", sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("theme.id"), primary_key=True),
    # A theme's reports in id order from the index alone, so the inbox can merge them with a municipality's.
    sa.Index("ix_report_theme_theme_id_report_id", "theme_id", "report_id"),
)

report_municipality = sa.Table(
    "report_municipality",
    db.metadata,
    sa.Column("report_id", sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipality.id"), primary_key=True),
    sa.Index("ix_report_municipality_municipality_id_report_id", "municipality_id", "report_id"),
)


class Localized:
    """Reference rows carry a Finnish and an English label; `label` follows the UI language."""

    label_fi: Mapped[str]
    label_en: Mapped[str]

    @property
    def label(self) -> str:
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.label_en:
            return self.label_en
        return self.label_fi


class NationalPhenomenon(Localized, db.Model):
    """THL's four nationally comparable phenomena (asunnottomuus, mielenterveys, ...)."""

    __tablename__ = "national_phenomenon"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label_fi: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)


class Theme(Localized, db.Model):
    """The national summary themes of THL working paper 16/2022, table 3."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label_fi: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    national_phenomena: Mapped[list[NationalPhenomenon]] = relationship(
        secondary=theme_national_phenomenon, order_by=NationalPhenomenon.position
    )


class ReportNumberCounter(db.Model):
    """The last report number used in a year; its row lock makes numbers gap-free."""

    __tablename__ = "report_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Report(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("year", "sequence", name="uq_report_year_sequence"),
        sa.CheckConstraint("significance IS NULL OR significance BETWEEN 1 AND 4", name="significance_range"),
        sa.CheckConstraint(
            "author_id IS NULL OR reporter_name IS NOT NULL OR reporter_email IS NOT NULL",
            name="author_only_when_named",
        ),
        # What each status means for the other columns (the same list as migration 5db2f59ad535):
        # the question's interrupted status is kept exactly while the report waits for the reporter,
        sa.CheckConstraint("(status = 'waiting_for_reporter') = (resume_status IS NOT NULL)",
                           name="waiting_has_resume_status"),
        # a report is closed exactly when resolved or closed without actions,
        sa.CheckConstraint("(status IN ('resolved', 'closed')) = (closed_at IS NOT NULL)",
                           name="closed_has_closed_at"),
        # a forwarded report has its forum, and only a forum takes a report above its unit
        # (the forum stays when the report goes on from there, so these hold one way only),
        sa.CheckConstraint("status <> 'forwarded' OR forum_id IS NOT NULL", name="forwarded_has_forum"),
        sa.CheckConstraint("forum_id IS NOT NULL OR escalation_level = 'unit'", name="escalated_through_forum"),
        # and a received report has not been handled yet.
        sa.CheckConstraint("status <> 'received' OR first_handled_at IS NULL", name="received_not_handled"),
        # The inbox counts a handler's or a supervisor's reports per status from the index alone.
        sa.Index("ix_report_unit_id_status", "unit_id", "status"),
        sa.Index("ix_report_handling_node_id_status", "handling_node_id", "status"),
        # The whole-county reports (a tenth or fewer) in id order, for the inbox's municipality filter;
        # a report that is not for the whole county costs this index nothing.
        sa.Index("ix_report_whole_county", "id", postgresql_where=sa.text("whole_county"),
                 sqlite_where=sa.text("whole_county")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    tracking_hash: Mapped[str] = mapped_column(sa.String(64))
    """HMAC-SHA256 of the tracking code; the code itself is shown once and never stored."""
    submission_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    """SHA-256 of the random key the form carried, so a resent form does not file twice."""

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_node.id"))
    profession_group: Mapped[ProfessionGroup | None] = mapped_column(code_enum(ProfessionGroup, "profession_group"))
    nature: Mapped[Nature] = mapped_column(code_enum(Nature, "nature"))
    phenomenon: Mapped[Phenomenon] = mapped_column(code_enum(Phenomenon, "phenomenon"))
    population_group: Mapped[PopulationGroup | None] = mapped_column(code_enum(PopulationGroup, "population_group"))
    whole_county: Mapped[bool] = mapped_column(default=False)
    significance: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text)
    proposed_actions: Mapped[str | None] = mapped_column(sa.Text)
    available_to_help: Mapped[bool | None]
    made_by_team: Mapped[bool | None]
    with_client: Mapped[bool | None]

    reporter_name: Mapped[str | None] = mapped_column(sa.String(200))
    reporter_email: Mapped[str | None] = mapped_column(sa.String(254))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    status: Mapped[ReportStatus] = mapped_column(code_enum(ReportStatus, "report_status"), index=True)
    escalation_level: Mapped[EscalationLevel] = mapped_column(code_enum(EscalationLevel, "escalation_level"))
    handling_node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_node.id"))
    """The node whose handlers handle this report, chosen by routing when it was filed."""
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id"))
    resume_status: Mapped[ReportStatus | None] = mapped_column(code_enum(ReportStatus, "resume_status"))
    """Where the report returns when the reporter answers the open question."""
    unread_answer: Mapped[bool] = mapped_column(default=False)
    first_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_handling_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """Fixed at filing from the settings of the day, so a later change of settings moves no deadline."""
    feedback_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    feedback_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the reporter first heard what is done: a public note, taking forward, resolving or closing."""
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    """When the report last moved: filed, or the last step of its timeline (deadlines.py counts a stall from it)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[OrgNode] = relationship(foreign_keys=[unit_id])
    handling_node: Mapped[OrgNode | None] = relationship(foreign_keys=[handling_node_id])
    forum: Mapped[Forum | None] = relationship()
    author: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=report_theme, order_by=Theme.position)
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=report_municipality, order_by=Municipality.name
    )
    events: Mapped[list[ReportEvent]] = relationship(
        back_populates="report", order_by="ReportEvent.created_at, ReportEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email)

    @property
    def public_events(self) -> list[ReportEvent]:
        return [event for event in self.events if event.is_public]

    @property
    def open_question(self) -> ReportEvent | None:
        """The question the reporter has not answered yet, if the report waits for one."""
        if self.status != ReportStatus.WAITING_FOR_REPORTER:
            return None
        questions = [event for event in self.events if event.kind == EventKind.QUESTION]
        return questions[-1] if questions else None

    def __repr__(self) -> str:
        return f"<Report {self.number}>"


class ReportEvent(db.Model):
    """One entry of a report's timeline: who did what, when, and the note they wrote."""

    __tablename__ = "report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(code_enum(EventKind, "event_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    from_status: Mapped[ReportStatus | None] = mapped_column(code_enum(ReportStatus, "event_from_status"))
    to_status: Mapped[ReportStatus | None] = mapped_column(code_enum(ReportStatus, "event_to_status"))
    escalation_level: Mapped[EscalationLevel | None] = mapped_column(code_enum(EscalationLevel, "event_level"))
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    is_public: Mapped[bool] = mapped_column(default=False)

    report: Mapped[Report] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    forum: Mapped[Forum | None] = relationship()


class Notification(db.Model):
    """An in-app message to one user about one report: for information, for action, or an answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(code_enum(NotificationKind, "notification_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    report: Mapped[Report] = relationship()


class ReportSearch(db.Model):
    """The terms a report is found by: the stems of its description, proposal and notes (search/index.py).

    Never the reporter's name or e-mail: search must not find an anonymous report by who sent it, and a
    named one is found by its number. PostgreSQL indexes the terms with a GIN index on their tsvector,
    SQLite in an FTS5 table kept in step by triggers (both made by migration f15a0c0ffee1).
    """

    __tablename__ = "report_search"

    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    terms: Mapped[str] = mapped_column(sa.Text, default="")
