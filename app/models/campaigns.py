"""Reminder campaigns: a short message with the form link, the guidance and the latest results, mailed
to the staff of chosen units, once or every few months; each sending is a round with its reach."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import OrgNode
from app.models.types import UTCDateTime, utcnow
from app.models.users import User

campaign_node = sa.Table(
    "campaign_node",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("org_node_id", sa.ForeignKey("org_node.id"), primary_key=True),
)


class Campaign(db.Model):
    __table_args__ = (sa.CheckConstraint("every_months IS NULL OR every_months BETWEEN 1 AND 24",
                                         name="sensible_rhythm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    """The mail's subject."""
    message: Mapped[str] = mapped_column(sa.Text)
    next_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    """The day of the next round (Helsinki time); None when the campaign is over or stopped."""
    every_months: Mapped[int | None]
    """Repeat every this many months (6: twice a year); None: once."""
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    nodes: Mapped[list[OrgNode]] = relationship(secondary=campaign_node, order_by=OrgNode.name)
    """The chosen units (or service areas, divisions: all their units)."""
    rounds: Mapped[list[CampaignRound]] = relationship(back_populates="campaign", order_by="CampaignRound.sent_on",
                                                       cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship()


class CampaignRound(db.Model):
    """One sending of a campaign: the day and how many people it reached."""

    __tablename__ = "campaign_round"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    sent_on: Mapped[date] = mapped_column(sa.Date)
    reach: Mapped[int]
    """The people mailed."""

    campaign: Mapped[Campaign] = relationship(back_populates="rounds")
