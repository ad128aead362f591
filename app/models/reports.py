"""Social reports, their timeline, and the reference lists the form offers."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import (
    Channel,
    CodingSource,
    EscalationLevel,
    EventKind,
    Nature,
    NotificationKind,
    PartnerType,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
)
from app.extensions import db
from app.models.org import Forum, Municipality, OrgNode
from app.models.types import UTCDateTime, code_enum, utcnow
from app.models.users import User

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
    """Reference rows carry a Finnish, an English and a Swedish label; `label` follows the UI language."""

    label_fi: Mapped[str]
    label_en: Mapped[str]
    label_sv: Mapped[str | None] = mapped_column(sa.String(200))

    @property
    def label(self) -> str:
        return in_ui_language(self.label_fi, self.label_en, self.label_sv)


def in_ui_language(fi: str, en: str | None, sv: str | None) -> str:
    """The text in the UI language, Finnish where the language's own is missing."""
    locale = get_locale()
    language = locale.language if locale is not None else "fi"
    return {"en": en, "sv": sv}.get(language) or fi


class NationalPhenomenon(Localized, db.Model):
    """THL's national phenomena (seed 000: asunnottomuus, mielenterveys, ...), a classification that grows.

    Codes are stable and rows are never deleted or renumbered: a phenomenon is retired, keeping the
    reports coded with it. The classification's version is the latest version in which a phenomenon
    was added or retired (app/workflow/phenomena/coding.py)."""

    __tablename__ = "national_phenomenon"
    __table_args__ = (
        sa.CheckConstraint("retired = (retired_in_version IS NOT NULL)", name="retired_has_version"),
        sa.CheckConstraint("retired_in_version IS NULL OR retired_in_version > added_in_version",
                           name="retired_after_added"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label_fi: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    explanation_fi: Mapped[str | None] = mapped_column(sa.String(300))
    """One line the form shows beside the phenomenon, so a reporter knows what it covers."""
    explanation_en: Mapped[str | None] = mapped_column(sa.String(300))
    explanation_sv: Mapped[str | None] = mapped_column(sa.String(300))
    retired: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    """No longer offered for coding; its codings stay and are still counted."""
    added_in_version: Mapped[int] = mapped_column(default=1, server_default="1")
    retired_in_version: Mapped[int | None]

    @property
    def explanation(self) -> str:
        return in_ui_language(self.explanation_fi or "", self.explanation_en, self.explanation_sv)


class Theme(Localized, db.Model):
    """The data-need themes of THL working paper 16/2022 (table 3, "Väestöryhmittäisiä tietotarpeita"):
    what municipalities said they need to know, offered on the form; not a national classification."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label_fi: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class ReportNumberCounter(db.Model):
    """The last report number used in a year's series; its row lock makes numbers gap-free."""

    __tablename__ = "report_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    series: Mapped[str] = mapped_column(sa.String(1), primary_key=True, default="", server_default="")
    """"" for named reports, "A" for anonymous ones (reports/numbering.py)."""
    last_value: Mapped[int] = mapped_column(default=0)


class Report(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("year", "series", "sequence", name="uq_report_year_series_sequence"),
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
        # A partner names the kind of its organisation; the staff name their work unit instead.
        sa.CheckConstraint("(channel = 'partner') = (partner_type IS NOT NULL)", name="partner_has_type"),
        # The language of the page a report was filed in is kept only to write a named reporter's mail in it:
        # nothing is stored about an anonymous reporter.
        sa.CheckConstraint("reporter_language IS NULL OR reporter_name IS NOT NULL OR reporter_email IS NOT NULL",
                           name="language_only_when_named"),
        # The inbox counts everyone's, a handler's or a supervisor's reports per status from the index alone.
        sa.Index("ix_report_status", "status"),
        sa.Index("ix_report_unit_id_status", "unit_id", "status"),
        sa.Index("ix_report_handling_node_id_status", "handling_node_id", "status"),
        # The whole-county reports (a tenth or fewer) in id order, for the inbox's municipality filter;
        # a report that is not for the whole county costs this index nothing.
        sa.Index("ix_report_whole_county", "id", postgresql_where=sa.text("whole_county"),
                 sqlite_where=sa.text("whole_county")),
        # The reports by filing time with their ids, so the counts of the phenomenon view read the index
        # alone, never the wide rows (phenomena/view.py).
        sa.Index("ix_report_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    year: Mapped[int]
    series: Mapped[str] = mapped_column(sa.String(1), default="", server_default="")
    """The number's series: "" for a named report, "A" for an anonymous one (reports/numbering.py)."""
    sequence: Mapped[int]
    tracking_hash: Mapped[str] = mapped_column(sa.String(64))
    """HMAC-SHA256 of the tracking code; the code itself is shown once and never stored."""
    submission_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    """SHA-256 of the random key the form carried, so a resent form does not file twice."""

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_node.id"))
    """The reporter's work unit; a partner's report is filed at the node its settings route partners to."""
    channel: Mapped[Channel] = mapped_column(code_enum(Channel, "channel"), default=Channel.STAFF,
                                             server_default=Channel.STAFF.value)
    partner_type: Mapped[PartnerType | None] = mapped_column(code_enum(PartnerType, "partner_type"))
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
    reporter_confirmed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    """The name is the reporter's own: filed logged in under the account's name, or the e-mail confirmed by its link."""
    reporter_language: Mapped[str | None] = mapped_column(sa.String(8))
    """The language of the page a named reporter filed in ("fi", "sv", "en"): their mail is written in it
    when their address is no account's. Never set for an anonymous report."""
    confirmation_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    """SHA-256 of the one-time confirmation link's token, until it is used; the token itself is never stored."""
    confirmation_expires_on: Mapped[date | None] = mapped_column(sa.Date)
    """The last day the link works (a day, not a moment, like everything else about a filing)."""
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    status: Mapped[ReportStatus] = mapped_column(code_enum(ReportStatus, "report_status"))
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

    @property
    def origin(self) -> str:
        """Where the report comes from, as the handler sees it: the work unit, or the partner's kind."""
        if self.channel == Channel.PARTNER and self.partner_type is not None:
            return f"{Channel.PARTNER.label}: {self.partner_type.label}"
        return self.unit.name
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
    national_phenomenon_codings: Mapped[list[ReportNationalPhenomenon]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    """The national phenomena the report is coded with; set only through app/workflow/phenomena/coding.py."""

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


class ReportNationalPhenomenon(db.Model):
    """One national phenomenon on one report: who put it there, and whether a handler has confirmed it.

    Only confirmed codings are counted (compilations, the national export); the reporter's picks and
    the codings derived from themes before the coding was direct wait, marked, for a handler."""

    __tablename__ = "report_national_phenomenon"
    __table_args__ = (
        sa.CheckConstraint("source <> 'handler' OR confirmed", name="handler_coding_confirmed"),
        # The confirmed reports of a phenomenon from the index alone, for the counts.
        sa.Index("ix_report_national_phenomenon_phenomenon", "national_phenomenon_id", "confirmed", "report_id"),
    )

    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True)
    national_phenomenon_id: Mapped[int] = mapped_column(sa.ForeignKey("national_phenomenon.id"), primary_key=True)
    confirmed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    source: Mapped[CodingSource] = mapped_column(code_enum(CodingSource, "coding_source"))

    report: Mapped[Report] = relationship(back_populates="national_phenomenon_codings")
    phenomenon: Mapped[NationalPhenomenon] = relationship(lazy="joined")


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


def _random_key() -> str:
    return secrets.token_hex(16)


class HeldFiling(db.Model):
    """An anonymous report between its filing and the day's release, in one row with a random key.

    Until the release nothing of the filing takes a place in an order that named reports and staff's
    steps share: no report id, number of the named series, timeline, notification or index row, which
    a reader of the database could set between two neighbours of known moments. The release makes
    the report from `content` (the form's values by code and id), in random order with the day's other
    held filings (cases/release.py). SQLite keeps the rows in key order, not in the order of writing.
    """

    __tablename__ = "held_filing"
    __table_args__ = (
        sa.UniqueConstraint("year", "sequence", name="uq_held_filing_year_sequence"),
        {"sqlite_with_rowid": False},
    )

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=_random_key)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    """Of the anonymous series (reports/numbering.py)."""
    tracking_hash: Mapped[str] = mapped_column(sa.String(64))
    submission_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_node.id"), index=True)
    """A real foreign key, so the organisation import sees that the node still has a report coming."""
    day: Mapped[datetime] = mapped_column(UTCDateTime())
    """The start of the Helsinki day it came: the only moment of it anyone learns."""
    first_handling_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    feedback_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    unit: Mapped[OrgNode] = relationship()


class HeldAnswer(db.Model):
    """An anonymous reporter's answer to a question, kept apart until the day's release, like a held filing.

    The timeline entry, the case's step back and the handlers' notices are made at the release
    (cases/release.py), so no entry's id or the case's version says when the answer came."""

    __tablename__ = "held_answer"
    __table_args__ = {"sqlite_with_rowid": False}

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=_random_key)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), unique=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(sa.Text)

    report: Mapped[Report] = relationship()


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
