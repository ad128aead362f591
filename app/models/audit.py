"""The audit log: who did what, when. Never anything that identifies an anonymous reporter."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import AuditAction
from app.extensions import db
from app.models.types import UTCDateTime, code_enum, utcnow
from app.models.users import User


class AuditEntry(db.Model):
    """One logged access or change. The report is kept by number, so entries outlive deleted reports."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    """The logged-in user who acted; empty for the reporter, the system and unknown accounts."""
    action: Mapped[AuditAction] = mapped_column(code_enum(AuditAction, "audit_action"), index=True)
    report_number: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    target: Mapped[str | None] = mapped_column(sa.String(200))
    """What an administrative change or a failed login concerned, e.g. 'org_node PSP-AIK'."""
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    """Changed fields as {name: [before, after]}, or a few facts such as the workflow action."""

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action.value}>"
