"""Files rendered off the web request: a queue in the database that the scheduler process works through."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.codes import RenderStatus
from app.extensions import db
from app.models.types import UTCDateTime, code_enum, utcnow


class RenderJob(db.Model):
    """One file to render (a compilation's PDF, a municipality's part, a welfare package).

    `key` names the file's content, so asking twice for the same file reuses the same job, and a
    published file, once done, is served from disk without rendering it again.
    """

    __tablename__ = "render_job"
    __table_args__ = (sa.Index("ix_render_job_waiting", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[RenderStatus] = mapped_column(code_enum(RenderStatus, "render_status"), default=RenderStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    """Per cent done, as the renderer reports it."""
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    download_name: Mapped[str] = mapped_column(sa.String(200))
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    holder: Mapped[str | None] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<RenderJob {self.key} {self.status.value}>"
