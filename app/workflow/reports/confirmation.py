"""A named reporter's name is true only when it is theirs: their account's, or an e-mail they confirmed.

Filed logged in "under my name", the report carries the account's name and e-mail and is confirmed at
once. Filed logged out (the form or the API), anyone could type anyone's name, so the handlers see the
name marked unconfirmed, and the only mail that goes to the address is a one-time link: it works once,
until the end of its last day, and only the SHA-256 of its token is stored. Following it confirms the
name and sends the acknowledgement that a confirmed reporter gets at once.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import OutboxMessage, Report, User
from app.workflow.core.errors import Refusal
from app.workflow.mail.outbox import app_url, queue_mail
from app.workflow.mail.report_mail import acknowledge_to_reporter


class NotYourName(Refusal):
    status_code = 400


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_own_name(author: User | None, name: str | None, email: str | None) -> None:
    """A logged-in reporter files anonymously or under the account's own name and e-mail, never another's."""
    if author is None or not (name or email):
        return
    if (name, (email or "").lower()) != (author.name, author.email.lower()):
        raise NotYourName(str(_l("Kirjautuneena voit lähettää raportin vain omalla nimelläsi tai nimettömänä.")))


def mail_for_new_report(report: Report, today: date) -> list[OutboxMessage]:
    """The mail to a new named report's reporter: the acknowledgement if confirmed, else only the link."""
    if report.reporter_confirmed:
        return acknowledge_to_reporter(report)
    if not report.reporter_email:
        return []  # a name without an address stays unconfirmed: there is nothing to confirm it with
    token = secrets.token_urlsafe(32)
    report.confirmation_hash = token_hash(token)
    report.confirmation_expires_on = today + timedelta(days=current_app.config["REPORTER_CONFIRMATION_DAYS"])
    return queue_mail("reporter_confirmation", [report.reporter_email],
                      _l("Vahvista sähköpostiosoitteesi raporttiin %(number)s", number=report.number), report=report,
                      language=report.reporter_language, confirm_url=app_url("reports.confirm", token=token),
                      expires_on=report.confirmation_expires_on)


def pending(token: str, today: date) -> Report | None:
    """The report whose link this is, while the link works."""
    report = db.session.scalar(sa.select(Report).where(Report.confirmation_hash == token_hash(token or "")))
    if report is None or report.confirmation_expires_on is None or report.confirmation_expires_on < today:
        return None
    return report


def confirm(token: str, today: date) -> Report | None:
    """Confirm the reporter's name with the link's token (once); flush. None when the link does not work."""
    report = pending(token, today)
    if report is None:
        return None
    report.reporter_confirmed = True
    report.confirmation_hash = None
    report.confirmation_expires_on = None
    acknowledge_to_reporter(report)
    db.session.flush()
    return report
