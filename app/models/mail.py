"""Mail waiting to be sent, notices already given by the scheduled jobs, and the jobs' lock."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.reports import Report


REPORTER_KINDS = frozenset({"acknowledgement", "reporter_update", "reporter_confirmation"})


class OutboxMessage(db.Model):
    """One e-mail to one recipient, written in the transaction of the event that caused it.

    The delivery job sends it after the commit, so a rolled-back event announces nothing and a
    mail server that is down delays the mail without touching filing or handling.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_pending", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    """The message template, e.g. new_report_action; shown to the administrator."""
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    """A report's mails go with it when retention deletes it."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """A delivery run holds the message until then; another run leaves it alone meanwhile."""
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when delivery was given up; the administrator can send it again."""
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the administrator last sent it again; the retry period counts from then."""

    report: Mapped[Report | None] = relationship()

    @property
    def to_reporter(self) -> bool:
        """Mail to a named reporter: the administrator sees that it exists, not to whom it went."""
        return self.kind in REPORTER_KINDS

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "retrying" if self.attempts else "queued"


class ScheduledNotice(db.Model):
    """A reminder, overdue notice or digest already given; its unique key makes each one happen once.

    Keys: ``reminder:<report id>:<deadline>:<percent>``, ``overdue:<report id>:<deadline>``,
    ``digest:<user id>:<period>``.
    """

    __tablename__ = "scheduled_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JobLock(db.Model):
    """A lease on one scheduled job, so that two schedulers started by mistake never run it twice at once."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(sa.String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrgImportJob(db.Model):
    """A checked organisation file waiting for the scheduler to apply it, too large to apply in a request.

    `state` is queued, running, done or failed; `result` holds the counts of what changed, or the problems
    found when the file was checked again. The file is kept only until it has been applied.
    """

    __tablename__ = "org_import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(sa.String(16), default="queued", index=True)
    result: Mapped[dict[str, object] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
