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

from flask import current_app

from app import guard
from app.extensions import keyed_hash

NAMESPACE = "login"


def login_name(typed: str) -> str:
    """The name as accounts are looked up by it, so every way of typing one account counts together."""
    return typed.strip().lower()


def _account(name: str) -> tuple[str, str, str]:
    return NAMESPACE, "account", keyed_hash(name)


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
