"""Single sign-on: which SoRa account an identity from the county's identity provider opens.

Only an existing, active account, found by the provider's subject once linked, else by a
verified e-mail address. Nothing is created here: the administrator manages people and roles.
The audit log gets the same entries as a local login, marked with the method; tokens and
the provider's claims are never stored.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.codes import AuditAction
from app.extensions import db
from app.models import AuditEntry, User
from app.workflow.core.audit import record

METHOD = "sso"

MESSAGES = {
    "sso_failed": _l("Kirjautuminen tunnistuspalvelun kautta epäonnistui. Yritä uudelleen tai kirjaudu "
                     "SoRa-tunnuksella."),
    "no_email": _l("Tunnistuspalvelu ei kertonut vahvistettua sähköpostiosoitettasi, joten SoRa-tunnustasi "
                   "ei löytynyt. Ota yhteyttä SoRan pääkäyttäjään."),
    "unknown_account": _l("Sähköpostiosoitteellasi ei ole SoRa-tunnusta. Pyydä tunnus SoRan pääkäyttäjältä: "
                          "hän lisää käyttäjät ja heidän roolinsa."),
    "inactive": _l("SoRa-tunnuksesi ei ole käytössä. Ota yhteyttä SoRan pääkäyttäjään."),
    "sso_subject_mismatch": _l("SoRa-tunnus on jo liitetty toiseen tunnistuspalvelun tunnukseen, joten "
                               "kirjautuminen estettiin. Ota yhteyttä SoRan pääkäyttäjään."),
}


class SignOnRefused(Exception):
    """No session: `reason` goes to the audit log, `message` to the login page.

    Not a `Refusal`: a refusal rolls the request back, but a refused sign-on is recorded in the
    audit log, and that entry is kept. Nothing has changed when it is raised (`account_for` links
    an account only after its last check), so the sign-on view records it and returns normally.
    """

    def __init__(self, reason: str, account: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.account = account

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


def _verified_email(claims: Mapping[str, Any], require_verified: bool) -> str:
    email = claims.get("email")
    verified = claims.get("email_verified") in (True, "true")  # some providers send the flag as text
    if not isinstance(email, str) or not email.strip() or (require_verified and not verified):
        raise SignOnRefused("no_email")
    return email.strip().lower()


def account_for(claims: Mapping[str, Any], *, require_verified_email: bool = True) -> tuple[User, bool]:
    """The active account of a validated ID token's claims, and whether its subject was linked now (flushed).

    The subject wins once linked, so a reused e-mail address cannot open an account that
    belongs to another identity.
    """
    subject = str(claims["sub"])
    account = db.session.scalar(sa.select(User).where(User.sso_subject == subject))
    if account is None:
        email = _verified_email(claims, require_verified_email)
        account = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if account is None:
            raise SignOnRefused("unknown_account")
        if account.sso_subject is not None:
            raise SignOnRefused("sso_subject_mismatch", account)
    if not account.active:
        raise SignOnRefused("inactive", account)
    linked = account.sso_subject is None
    if linked:
        account.sso_subject = subject
        db.session.flush()
    return account, linked


def record_login(account: User, *, linked: bool) -> AuditEntry:
    details: dict[str, object] = {"method": METHOD}
    if linked:
        details["sso_linked"] = True
    return record(AuditAction.LOGIN, actor=account, details=details)


def record_refusal(refusal: SignOnRefused) -> AuditEntry:
    """A refused sign-on, shaped as a refused local login; only an existing account is named."""
    target = f"user {refusal.account.email}" if refusal.account is not None else None
    return record(AuditAction.LOGIN_FAILED, target=target, details={"reason": refusal.reason, "method": METHOD})


def unlink(account: User, actor: User | None = None) -> bool:
    """Forget the account's link to a subject, e.g. after the county changed identity provider; flush."""
    if account.sso_subject is None:
        return False
    account.sso_subject = None
    record(AuditAction.USER_CHANGED, actor=actor, target=f"user {account.email}", details={"sso_linked": [True, False]})
    db.session.flush()
    return True
