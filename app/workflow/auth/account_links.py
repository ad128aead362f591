"""One-time links by mail: an invitation to set the first password, and a reset for a forgotten one.

The link carries a random secret of 256 bits; only its SHA-256 is stored, so neither the database
nor a backup opens an account. A link works once, until it expires (an invitation in
INVITATION_DAYS, a reset in PASSWORD_RESET_MINUTES), and a new link of the same kind replaces the
one before. Setting the password ends every session of the account. Asking for a reset answers the
same whether or not the address has an account: mail goes only to an active account that logs in
with a password, and each address may ask PASSWORD_RESET_ACCOUNT_LIMIT times (the client's address
is limited in the view). Every link sent and every password set goes to the audit log.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.codes import AccountLinkPurpose, AuditAction
from app.extensions import db, keyed_hash
from app.models import AccountLink, User, utcnow
from app.workflow.auth import guard
from app.workflow.auth.login_guard import login_name
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.mail.outbox import app_url, queue_mail

SUBJECTS = {
    AccountLinkPurpose.INVITATION: _l("Tervetuloa SoRaan: aseta salasanasi"),
    AccountLinkPurpose.PASSWORD_RESET: _l("SoRa: salasanan vaihtaminen"),
}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def valid_for(purpose: AccountLinkPurpose) -> timedelta:
    if purpose == AccountLinkPurpose.INVITATION:
        return timedelta(days=current_app.config["INVITATION_DAYS"])
    return timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def _send(user: User, purpose: AccountLinkPurpose, now: datetime) -> None:
    """A new link of this kind for the user, replacing any unused one, queued to their address."""
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.purpose == purpose, AccountLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    )
    secret = secrets.token_urlsafe(32)
    link = AccountLink(user=user, purpose=purpose, secret_hash=_hash(secret), created_at=now,
                       expires_at=now + valid_for(purpose))
    db.session.add(link)
    queue_mail(purpose.value, [user.email], SUBJECTS[purpose], user=user, expires_at=link.expires_at,
               link_url=app_url("auth.set_password", secret=secret))


def invite(user: User, actor: User, now: datetime | None = None) -> None:
    """Mail a new account (or one that never set a password) its link to set one; flush."""
    now = now or utcnow()
    _send(user, AccountLinkPurpose.INVITATION, now)
    db.session.flush()
    record(AuditAction.USER_CHANGED, actor=actor, target=f"user {user.email}", details={"kutsu lähetetty": True},
           now=now)


def request_reset(typed_email: str, now: datetime | None = None) -> None:
    """Mail a reset link if the address is an active password login's; answer nothing either way.

    Past the per-address limit nothing more is sent in its window, silently, so a stranger cannot
    fill someone's mailbox, and the page still says what it says to everyone.
    """
    now = now or utcnow()
    name = login_name(typed_email)
    if "@" not in name:
        return
    verdict = guard.admit(current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"], "password_reset", keyed_hash(name, "password_reset"))
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == name))
    if not verdict.allowed or user is None or not user.active or not user.password_hash:
        return
    _send(user, AccountLinkPurpose.PASSWORD_RESET, now)
    db.session.flush()
    record(AuditAction.USER_CHANGED, actor=None, target=f"user {user.email}",
           details={"salasanan vaihtolinkki lähetetty": True}, now=now)


def open_link(secret: str, now: datetime | None = None) -> AccountLink | None:
    """The unused, unexpired link of an active account that this secret belongs to, or None."""
    now = now or utcnow()
    link = db.session.scalar(sa.select(AccountLink).where(AccountLink.secret_hash == _hash(secret or "")))
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.active:
        return None
    return link


def set_password(secret: str, password: str, now: datetime | None = None) -> User:
    """Set the password through a link and spend the link (and the account's other open links); flush."""
    now = now or utcnow()
    link = open_link(secret, now)
    if link is None:
        raise Refusal(_("Linkki on vanhentunut tai jo käytetty. Pyydä uusi linkki."))
    user = link.user
    user.set_password(password)
    user.end_sessions()  # whoever held a session of this account before is logged out
    db.session.execute(
        sa.update(AccountLink).where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    )
    db.session.flush()
    record(AuditAction.USER_CHANGED, actor=user, target=f"user {user.email}",
           details={"password": ["", "***"], "linkillä": link.purpose.label}, now=now)
    return user
