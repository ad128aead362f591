"""Refuses password guessing at one account, from however many addresses it comes.

Every password attempt at a login name is counted before the password is checked, whether or
not an account has that name, so the answers and their timing say nothing about which accounts
exist. Past LOGIN_ACCOUNT_LIMIT attempts within its window, further attempts at that name are
refused without checking the password, the right one included, until the window has passed.
A successful login takes back only its own attempt: the failures before it stand, so the
owner's login neither hands a guesser a fresh allowance nor shows them, by one, that the
account exists and when its owner logged in.

Refusing, where the tracking guard only slows down: a tracking code cannot be guessed at any
pace, but a password chosen by a person can, and delays do not bound guesses sent in parallel
(they only hold workers). The price is that anyone who knows a login name can keep that
account's password login refused by failing LOGIN_ACCOUNT_LIMIT times a window; the
per-address limit bounds how many accounts one address can hold so, single sign-on is not
affected, and every refused attempt is in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.extensions import db, keyed_hash
from app.models import User
from app.models.users import password_matches
from app.workflow.auth import guard
from app.workflow.core.audit import record_failed_login

NAMESPACE = "login"


def login_name(typed: str) -> str:
    """The name as accounts are looked up by it, so every way of typing one account counts together."""
    return typed.strip().lower()


def _account(name: str) -> tuple[str, str, str]:
    return NAMESPACE, "account", keyed_hash(name, "login-account")


def admit(name: str) -> guard.Verdict:
    """Count a password attempt at this login name and say whether the password may be checked.

    A name without "@" is no account's (logins are e-mail addresses) and is not kept even as a hash:
    people type passwords into the wrong field. The per-address limit still counts such attempts.
    """
    if "@" not in name:
        return guard.Verdict(True)
    return guard.admit(current_app.config["LOGIN_ACCOUNT_LIMIT"], *_account(name))


def succeeded(name: str) -> None:
    """A right password: its attempt is taken back, the failures before it stay counted."""
    guard.refund(current_app.config["LOGIN_ACCOUNT_LIMIT"], *_account(name))


@dataclass(frozen=True)
class LoginAttempt:
    user: User | None = None
    """The account, when its password was right and checked."""
    refused: guard.Verdict | None = None
    """Set when the attempt was refused before its password was checked."""


def attempt(typed_name: str, password: str) -> LoginAttempt:
    """One password login: counted first, then refused or checked; a failure goes to the audit log.

    The account is looked up either way, so a refusal costs the same whether or not it exists.
    """
    name = login_name(typed_name)
    verdict = admit(name)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == name))
    if not verdict.allowed:
        record_failed_login(user, throttled=True)
        return LoginAttempt(refused=verdict)
    if password_matches(user, password):
        succeeded(name)
        return LoginAttempt(user=user)
    record_failed_login(user)
    return LoginAttempt()
