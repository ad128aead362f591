"""People and their roles, each role scoped to a node of the tree or a municipality."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.codes import AccountLinkPurpose, Role
from app.extensions import db
from app.models.org import Municipality, OrgNode
from app.models.types import UTCDateTime, code_enum, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # The identity provider's subject ("sub"), linked at the first single sign-on; preferred to the e-mail after that.
    sso_subject: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    """Part of the id kept in session and remember-me cookies; raising it ends every session of the user."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    language: Mapped[str] = mapped_column(sa.String(5), default="fi", server_default="fi")
    """The language last chosen while logged in: SoRa's mail to this person is written in it (fi or sv)."""

    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}.{self.session_generation}"

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie of this user, copies included."""
        self.session_generation += 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash or "", password)

    def has_role(self, role: Role) -> bool:
        return any(assignment.role == role for assignment in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class AccountLink(db.Model):
    """A one-time link sent by mail to set a password. Only a hash of its secret is stored: the
    database alone never lets anyone in. Used once, or expired, it opens nothing."""

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountLinkPurpose] = mapped_column(code_enum(AccountLinkPurpose, "account_link_purpose"))
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class RoleAssignment(db.Model):
    __tablename__ = "role_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(code_enum(Role, "role"))
    org_node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_node.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))

    user: Mapped[User] = relationship(back_populates="roles")
    org_node: Mapped[OrgNode | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()


_DUMMY_HASH = generate_password_hash("no account has this password")


def password_matches(user: User | None, password: str) -> bool:
    """Check a login; an unknown or inactive account costs the same hashing work as a real one."""
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return user.check_password(password)
