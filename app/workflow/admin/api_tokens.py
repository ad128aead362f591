"""Bearer tokens of the statistics API: the administrator creates and revokes them.

A token is 256 random bits, shown once when created; only its SHA-256 hash is stored, so a
leaked database gives no working token. A plain hash (not a slow password hash) is enough
because the token is random, not chosen by a person. Every change is written to the audit log.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction
from app.extensions import db
from app.models import ApiToken, User, utcnow
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal

TOKEN_PREFIX = "sora_"
PREFIX_LENGTH = len(TOKEN_PREFIX) + 6


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def audit_target(token: ApiToken) -> str:
    return f"api_token {token.name} ({token.prefix}…)"


def create_token(name: str, actor: User, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for a named client; returns the row and the token itself, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise Refusal(_("Kirjoita avaimelle nimi: kuka sitä käyttää ja mihin."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=_hash(secret), prefix=secret[:PREFIX_LENGTH], created_by=actor,
                     created_at=now or utcnow())
    db.session.add(token)
    db.session.flush()
    record(AuditAction.API_TOKEN_CREATED, actor=actor, target=audit_target(token), details={"name": name}, now=now)
    return token, secret


def revoke_token(token: ApiToken, actor: User, now: datetime | None = None) -> None:
    """The token stops working at once; the row stays, so the log and the list still name it."""
    if token.revoked_at is not None:
        raise Refusal(_("Avain on jo peruttu."))
    token.revoked_at, token.revoked_by = now or utcnow(), actor
    record(AuditAction.API_TOKEN_REVOKED, actor=actor, target=audit_target(token), now=now)
    db.session.flush()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an 'Authorization: Bearer <token>' header, or None."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def authenticate(authorization: str | None, now: datetime | None = None) -> ApiToken | None:
    """The active token the header carries (its use is noted), or None for a missing, unknown or revoked one."""
    secret = bearer_token(authorization)
    if secret is None:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or not token.active:
        return None
    token.last_used_at = now or utcnow()
    return token


def all_tokens() -> list[ApiToken]:
    """Active tokens first, newest first within each group."""
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None),
                                                                 ApiToken.created_at.desc(), ApiToken.id.desc())))
