"""Access tokens of the statistics API, created and revoked by the administrator."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.users import User


class ApiToken(db.Model):
    """A client's bearer token. Only its SHA-256 hash is stored: the token itself is shown once."""

    __tablename__ = "api_token"
    __table_args__ = (
        sa.CheckConstraint("(revoked_at IS NULL) = (revoked_by_id IS NULL)", name="revoked_by_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    """Who uses the token and for what, e.g. 'THL, valtakunnallinen koonti'."""
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    """The token's first characters, so the administrator can tell tokens apart without the token."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}>"
