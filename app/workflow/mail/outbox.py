"""The outbox: every mail is stored with the event that causes it and sent later by a job.

Queueing only adds rows to the caller's transaction, so a rolled-back event announces nothing
and a mail server that is down never blocks or loses a filing. Delivery claims a batch of due
messages (a lease that a second delivery run respects), sends them outside any transaction,
and records each result: sent, or the error and the time of the next attempt.
"""
from __future__ import annotations

import re
import secrets
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from time import monotonic
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy.orm.attributes import set_committed_value

from app.codes import AuditAction
from app.extensions import db, mail
from app.models import OutboxMessage, Report, User, utcnow
from app.workflow.core.audit import record
from app.workflow.core.unit_of_work import unit_of_work

CLAIM_LEASE = timedelta(minutes=10)


def app_url(endpoint: str, **values: Any) -> str:
    """An absolute link into the app for a mail, built without a request from BASE_URL."""
    path = current_app.url_map.bind("sora.invalid").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def queue_mail(kind: str, recipients: Iterable[str], subject: object, *, report: Report | None = None,
               template: str | None = None, not_before: datetime | None = None, queued_at: datetime | None = None,
               language: str | None = None, **context: Any) -> list[OutboxMessage]:
    """Render templates/mail/<template or kind>.txt and .html and queue one message per recipient; never commit.

    Each recipient reads it in their own language (User.language: Swedish templates in templates/mail/sv/,
    English ones in templates/mail/en/),
    whatever language the sender's browser uses, so `subject` is a lazy string; an address that is no
    account's gets `language` (a named reporter's: the page they filed in, Report.reporter_language) or
    Finnish, and every language without its own templates gets Finnish.
    `not_before` holds the messages until then (delivery sends them on its first run after it);
    `queued_at` dates them (default: now), e.g. the moment of the release that wrote them.
    """
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return []
    languages = mail_languages(addresses, default=language)
    rendered = {}
    for language in sorted(set(languages)):
        with force_locale(language):
            name = template or kind
            folders = ["mail/"] if language == "fi" else [f"mail/{language}/", "mail/"]
            text = str(subject)
            values = {"report": report, "app_url": app_url, **context}
            rendered[language] = (text, _render([f"{folder}{name}.txt" for folder in folders], values),
                                  _render([f"{folder}{name}.html" for folder in folders], {"subject": text, **values}))
    held: dict[str, datetime] = {"created_at": queued_at, "next_attempt_at": queued_at} if queued_at else {}
    if not_before is not None:
        held["next_attempt_at"] = not_before
    messages = [OutboxMessage(kind=kind, recipient=address, subject=rendered[language][0],
                              body_text=rendered[language][1], body_html=rendered[language][2], report=report, **held)
                for address, language in zip(addresses, languages)]
    db.session.add_all(messages)
    return messages


MAIL_LANGUAGES = ("fi", "sv", "en")


def mail_languages(addresses: list[str], default: str | None = None) -> list[str]:
    """The language of each address's mail: its account's, where SoRa has mail in that language; for an address
    that is no account's, `default` (the language a named reporter filed in); else Finnish."""
    chosen = dict(db.session.execute(sa.select(sa.func.lower(User.email), User.language)
                                     .where(sa.func.lower(User.email).in_([a.lower() for a in addresses]))).all())
    return [language if (language := chosen.get(address.lower(), default or "fi")) in MAIL_LANGUAGES else "fi"
            for address in addresses]


def fill_in(messages: list[OutboxMessage], placeholder: str, value: str) -> None:
    """Write `value` where queued, flushed messages say `placeholder`, in one UPDATE; never commit.

    For what is known only at the last moment (a report's number, taken just before the commit).
    `value` must read the same in text, in HTML and in a URL: it is not escaped.
    """
    if not messages:
        return
    columns = ("subject", "body_text", "body_html")
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id.in_([message.id for message in messages]))
        .values({name: sa.func.replace(getattr(OutboxMessage, name), placeholder, value) for name in columns})
        .execution_options(synchronize_session=False)
    )
    for message in messages:
        for name in columns:
            set_committed_value(message, name, getattr(message, name).replace(placeholder, value))


def _render(names: list[str], values: dict[str, Any]) -> str:
    """The first of the mail templates that exists, without the pages' context processors: mail reads
    only what it is given, the same whether a request or a scheduled job queues it."""
    return current_app.jinja_env.select_template(names).render(values)


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
    with unit_of_work():
        ids = list(db.session.scalars(due))
        if not ids:
            return None
        token = secrets.token_hex(8)
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None),
                   sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .values(claimed_until=now + CLAIM_LEASE, claim_token=token)
            .execution_options(synchronize_session=False)
        )
    return token


@dataclass(frozen=True)
class Envelope:
    """What a transport needs of one message, read before sending so no transaction stays open."""

    id: int
    kind: str
    recipient: str
    subject: str
    body_text: str
    body_html: str


def deliver_due(now: datetime | None = None, limit: int = 100) -> DeliveryResult:
    """Send the messages that are due; commits its own short transactions.

    Nothing is held open while the mail server answers (on SQLite an open transaction would keep
    filings waiting), and a run that outlasts its claim stops rather than race another run.
    """
    now = now or utcnow()
    token = claim_due(now, limit)
    if token is None:
        return DeliveryResult(0, 0, 0)
    with unit_of_work():
        envelopes = [Envelope(m.id, m.kind, m.recipient, m.subject, m.body_text, m.body_html)
                     for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.claim_token == token)
                                                 .order_by(OutboxMessage.id))]
    stop_at = monotonic() + CLAIM_LEASE.total_seconds() * 0.8
    outcomes = {"sent": 0, "retrying": 0, "failed": 0}
    with _transport() as transport:
        for envelope in envelopes:
            if monotonic() > stop_at or not _still_claimed(envelope.id, token):
                continue
            error, permanent = transport.send(envelope)
            outcomes[_record(envelope.id, token, error, permanent, now)] += 1
    return DeliveryResult(outcomes["sent"], outcomes["retrying"], outcomes["failed"])


def _still_claimed(message_id: int, token: str) -> bool:
    with unit_of_work():
        held = db.session.scalar(sa.select(OutboxMessage.claim_token).where(OutboxMessage.id == message_id))
    return held == token


def _record(message_id: int, token: str, error: str | None, permanent: bool, now: datetime) -> str:
    """Store one result in its own short transaction; returns sent, retrying or failed."""
    with unit_of_work():
        return _store(message_id, token, error, permanent, now)


def _store(message_id: int, token: str, error: str | None, permanent: bool, now: datetime) -> str:
    config = current_app.config
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claim_token != token:
        return "retrying"
    message.claimed_until = None
    message.claim_token = None
    message.attempts += 1
    if error is None:
        message.sent_at = utcnow()
        message.last_error = None
        outcome = "sent"
    else:
        message.last_error = error[:500]
        started = message.retried_at or message.created_at
        if permanent or now - started >= timedelta(hours=int(config["OUTBOX_GIVE_UP_HOURS"])):
            message.failed_at = now
            current_app.logger.error("mail %s (#%s) given up: %s", message.kind, message.id, message.last_error)
            outcome = "failed"
        else:
            message.next_attempt_at = now + backoff(message.attempts, int(config["OUTBOX_MAX_BACKOFF_MINUTES"]))
            current_app.logger.warning("mail %s (#%s) not sent, retrying: %s", message.kind, message.id,
                                       message.last_error)
            outcome = "retrying"
    return outcome


def purge_sent(now: datetime | None = None) -> int:
    """Delete sent mail older than OUTBOX_KEEP_SENT_DAYS: its copies of names and notes are not kept; never commits."""
    before = (now or utcnow()) - timedelta(days=int(current_app.config["OUTBOX_KEEP_SENT_DAYS"]))
    result = db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.sent_at < before)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0


@dataclass(frozen=True)
class OutboxOverview:
    queued: int
    retrying: int
    failed: int
    sent_last_week: int
    problems: list[OutboxMessage]
    """Messages that have failed at least once and are not sent, newest first."""
    waiting: list[OutboxMessage]
    """Messages not yet tried (the queued count), those due first first."""


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
        waiting=list(db.session.scalars(
            sa.select(OutboxMessage).where(unsent, OutboxMessage.attempts == 0)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))),
    )


def retry_unsent(actor: User, now: datetime | None = None) -> int:
    """The administrator sends every failed or waiting message again at once; flush, never commit.

    Each gets a new full retry period from now.
    """
    now = now or utcnow()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
        .values(failed_at=None, next_attempt_at=now, retried_at=now, claimed_until=None, claim_token=None)
        .execution_options(synchronize_session=False)
    )
    count = result.rowcount or 0
    if count:
        record(AuditAction.MAIL_RETRIED, actor=actor, target="outbox", details={"messages": count}, now=now)
    return count


def _flask_message(message: Envelope) -> Message:
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

    def send(self, message: Envelope) -> tuple[str | None, bool]:
        """(error or None, whether the error is permanent, i.e. the server refused with a 5xx code)."""
        if self.connection is None:
            return self.error or "no connection", False
        try:
            self.connection.send(_flask_message(message))
        except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
            if isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
                self.connection, self.error = None, _describe(error)
            return _describe(error), _is_permanent(error)
        return None, False

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

    def send(self, message: Envelope) -> tuple[str | None, bool]:
        try:
            target = self.folder / f"{utcnow():%Y%m%dT%H%M%S}-{message.id}-{message.kind}.eml"
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(_flask_message(message).as_bytes())
            temporary.replace(target)
        except OSError as error:
            return _describe(error), False
        return None, False

    def __exit__(self, *exc: object) -> None:
        return None


def _transport() -> _SmtpTransport | _FileTransport:
    return _SmtpTransport() if current_app.config["MAIL_SERVER"] else _FileTransport()


def _is_permanent(error: BaseException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


_ADDRESS = re.compile(r"[^\s<>()'\"@,;]+@[^\s<>()'\"@,;]+")


def _describe(error: BaseException) -> str:
    """The error for the log and the administrator's page, without the addresses SMTP errors repeat."""
    return _ADDRESS.sub("<osoite>", f"{type(error).__name__}: {error}".strip())
