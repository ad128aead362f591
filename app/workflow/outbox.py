"""The outbox: every mail is stored with the event that causes it and sent later by a job.

Queueing only adds rows to the caller's transaction, so a rolled-back event announces nothing
and a mail server that is down never blocks or loses a filing. Delivery claims a batch of due
messages (a lease that a second delivery run respects), sends them outside any transaction,
and records each result: sent, or the error and the time of the next attempt.
"""
from __future__ import annotations

import secrets
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from app.extensions import db, mail
from app.codes import AuditAction
from app.models import OutboxMessage, Report, User, utcnow
from app.workflow.audit import record

CLAIM_LEASE = timedelta(minutes=10)


def app_url(endpoint: str, **values: Any) -> str:
    """An absolute link into the app for a mail, built without a request from BASE_URL."""
    path = current_app.url_map.bind("sora.invalid").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def queue_mail(kind: str, recipients: Iterable[str], subject: object, *, report: Report | None = None,
               template: str | None = None, **context: Any) -> list[OutboxMessage]:
    """Render templates/mail/<template or kind>.txt and .html and queue one message per recipient; never commit.

    Mail is Finnish whatever language the sender's browser uses, so `subject` is a lazy string.
    """
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return []
    with force_locale("fi"):
        subject = str(subject)
        values = {"report": report, "app_url": app_url, **context}
        body_text = render_template(f"mail/{template or kind}.txt", **values)
        body_html = render_template(f"mail/{template or kind}.html", subject=subject, **values)
    messages = [OutboxMessage(kind=kind, recipient=address, subject=str(subject), body_text=body_text,
                              body_html=body_html, report=report) for address in addresses]
    db.session.add_all(messages)
    return messages


def backoff(attempts: int, max_minutes: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4, ... minutes, at most max_minutes."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), max_minutes))


@dataclass(frozen=True)
class DeliveryResult:
    sent: int
    failed: int
    given_up: int


def claim_due(now: datetime, limit: int) -> str | None:
    """Lease up to `limit` due messages to this run and commit; returns the lease token, or None."""
    due = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.next_attempt_at <= now,
               sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(due))
    if not ids:
        db.session.commit()
        return None
    token = secrets.token_hex(8)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None),
               sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + CLAIM_LEASE, claim_token=token)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token


def deliver_due(now: datetime | None = None, limit: int = 100) -> DeliveryResult:
    """Send the messages that are due; commits its own short transactions."""
    now = now or utcnow()
    token = claim_due(now, limit)
    if token is None:
        return DeliveryResult(0, 0, 0)
    ids = list(db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.claim_token == token)
                                  .order_by(OutboxMessage.id)))
    db.session.commit()  # nothing is held open while the mail server answers
    sent = failed = given_up = 0
    with _transport() as transport:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            if message is None or message.sent_at is not None:
                continue
            error = transport.send(message)
            outcome = _record(message, error, now)
            db.session.commit()
            sent += outcome == "sent"
            failed += outcome == "retrying"
            given_up += outcome == "failed"
    return DeliveryResult(sent, failed, given_up)


def _record(message: OutboxMessage, error: str | None, now: datetime) -> str:
    config = current_app.config
    message.claimed_until = None
    message.claim_token = None
    message.attempts += 1
    if error is None:
        message.sent_at = utcnow()
        message.last_error = None
        return "sent"
    message.last_error = error[:500]
    if now - message.created_at >= timedelta(hours=int(config["OUTBOX_GIVE_UP_HOURS"])):
        message.failed_at = now
        current_app.logger.error("mail %s (#%s) given up: %s", message.kind, message.id, message.last_error)
        return "failed"
    message.next_attempt_at = now + backoff(message.attempts, int(config["OUTBOX_MAX_BACKOFF_MINUTES"]))
    current_app.logger.warning("mail %s (#%s) not sent, retrying: %s", message.kind, message.id, message.last_error)
    return "retrying"


@dataclass(frozen=True)
class OutboxOverview:
    queued: int
    retrying: int
    failed: int
    sent_last_week: int
    problems: list[OutboxMessage]
    """Messages that have failed at least once and are not sent, newest first."""


def overview(now: datetime | None = None, limit: int = 200) -> OutboxOverview:
    now = now or utcnow()
    unsent = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))

    def count(condition: sa.ColumnElement[bool]) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(condition)) or 0

    problems = list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
        .order_by(OutboxMessage.failed_at.is_(None), OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)))
    return OutboxOverview(
        queued=count(sa.and_(unsent, OutboxMessage.attempts == 0)),
        retrying=count(sa.and_(unsent, OutboxMessage.attempts > 0)),
        failed=count(OutboxMessage.failed_at.is_not(None) & OutboxMessage.sent_at.is_(None)),
        sent_last_week=count(OutboxMessage.sent_at >= now - timedelta(days=7)),
        problems=problems,
    )


def retry(message_ids: Iterable[int], actor: User, now: datetime | None = None) -> int:
    """The administrator sends given-up or waiting messages again at once; flush, never commit."""
    now = now or utcnow()
    message_ids = list(message_ids)
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.sent_at.is_(None))
        .values(failed_at=None, next_attempt_at=now, claimed_until=None, claim_token=None)
        .execution_options(synchronize_session=False)
    )
    count = result.rowcount or 0
    if count:
        record(AuditAction.MAIL_RETRIED, actor=actor, target="outbox", details={"messages": count}, now=now)
    return count


def _flask_message(message: OutboxMessage) -> Message:
    return Message(subject=message.subject, recipients=[message.recipient], body=message.body_text,
                   html=message.body_html, sender=current_app.config["MAIL_DEFAULT_SENDER"])


class _SmtpTransport:
    """One SMTP connection for the batch; a connection that cannot be opened fails every message."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.error: str | None = None

    def __enter__(self) -> _SmtpTransport:
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(float(current_app.config["MAIL_TIMEOUT_SECONDS"]))
        try:
            self.connection = mail.connect().__enter__()
        except Exception as error:  # noqa: BLE001 - refused, unreachable, bad login: all retried later
            self.error = _describe(error)
        finally:
            socket.setdefaulttimeout(previous)
        return self

    def send(self, message: OutboxMessage) -> str | None:
        if self.connection is None:
            return self.error or "no connection"
        try:
            self.connection.send(_flask_message(message))
        except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
            if isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
                self.connection, self.error = None, _describe(error)
            return _describe(error)
        return None

    def __exit__(self, *exc: object) -> None:
        if self.connection is not None:
            try:
                self.connection.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass


class _FileTransport:
    """Development without a mail server: each message becomes an .eml file in instance/mail/."""

    def __init__(self) -> None:
        self.folder = Path(current_app.instance_path) / "mail"

    def __enter__(self) -> _FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, message: OutboxMessage) -> str | None:
        try:
            target = self.folder / f"{utcnow():%Y%m%dT%H%M%S}-{message.id}-{message.kind}.eml"
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(_flask_message(message).as_bytes())
            temporary.replace(target)
        except OSError as error:
            return _describe(error)
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _transport() -> _SmtpTransport | _FileTransport:
    return _SmtpTransport() if current_app.config["MAIL_SERVER"] else _FileTransport()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".strip()
