"""Phenomenon groups (ilmiöt): the working group's named phenomena across reports, their proposals,
and what came of each proposal (follow-ups, also of a compilation theme's proposals)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import FollowUpStatus
from app.extensions import db
from app.models.compilations import CompilationThemeText
from app.models.org import Forum
from app.models.reports import NationalPhenomenon, Report
from app.models.types import UTCDateTime, code_enum, utcnow
from app.models.users import User

phenomenon_group_report = sa.Table(
    "phenomenon_group_report",
    db.metadata,
    sa.Column("group_id", sa.ForeignKey("phenomenon_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("report_id", sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True),
    # A report's groups (the case page, the tracking page, the weak signals' "not in a group yet").
    sa.Index("ix_phenomenon_group_report_report_id", "report_id"),
)

phenomenon_group_national_phenomenon = sa.Table(
    "phenomenon_group_national_phenomenon",
    db.metadata,
    sa.Column("group_id", sa.ForeignKey("phenomenon_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("national_phenomenon_id", sa.ForeignKey("national_phenomenon.id", ondelete="CASCADE"),
              primary_key=True),
)


class PhenomenonGroup(db.Model):
    """A phenomenon the working group sees across reports of any units and municipalities.

    Its texts are the group's own writing; they go into the half-year compilation, so they describe
    the phenomenon, never a reporter or a client.
    """

    __tablename__ = "phenomenon_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    observations: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    created_by: Mapped[User | None] = relationship()
    reports: Mapped[list[Report]] = relationship(secondary=phenomenon_group_report, order_by=Report.id)
    national_phenomena: Mapped[list[NationalPhenomenon]] = relationship(
        secondary=phenomenon_group_national_phenomenon, order_by=NationalPhenomenon.position)
    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Proposal.position, Proposal.id")

    def __repr__(self) -> str:
        return f"<PhenomenonGroup {self.id} {self.name}>"


class Proposal(db.Model):
    """One proposal of a phenomenon group: a row of its own, so what came of it can be followed up."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("phenomenon_group.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[PhenomenonGroup] = relationship(back_populates="proposals")
    follow_ups: Mapped[list[ProposalFollowUp]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan",
        order_by="ProposalFollowUp.dated_on, ProposalFollowUp.id")


class ProposalFollowUp(db.Model):
    """What came of a proposal: to whom it went, when, the answer or decision, and where it stands.

    The proposal is a phenomenon group's (`proposal`) or a compilation theme's (`theme_text`: a theme's
    proposals are one text per compilation). A public follow-up is shown to the reporters of the group's
    reports and on the public results page; an internal one only to staff.
    """

    __tablename__ = "proposal_follow_up"
    __table_args__ = (
        sa.CheckConstraint("(proposal_id IS NULL) <> (theme_text_id IS NULL)", name="follows_one_proposal"),
        sa.CheckConstraint("forum_id IS NOT NULL OR decision_body IS NOT NULL", name="went_somewhere"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    theme_text_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("compilation_theme_text.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id"))
    decision_body: Mapped[str | None] = mapped_column(sa.String(200))
    """A body that is no forum of SoRa's (a council, a ministry's working group), as written."""
    dated_on: Mapped[date] = mapped_column(sa.Date)
    response: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[FollowUpStatus] = mapped_column(code_enum(FollowUpStatus, "follow_up_status"))
    public: Mapped[bool] = mapped_column(default=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal | None] = relationship(back_populates="follow_ups")
    theme_text: Mapped[CompilationThemeText | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def recipient(self) -> str:
        """To whom it went: the forum's name or the body as written."""
        return self.forum.name if self.forum is not None else (self.decision_body or "")
