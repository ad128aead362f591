"""The scheduled work: deliver mail, warn of deadlines, flag overdue reports, send digests.

Each job may run in any process and any number of times: a lease in the database keeps two
schedulers from running the same job at once, and every reminder, overdue flag and digest is
recorded under a unique key in the same transaction as its mail, so it is given once.
"""
from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, force_locale
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import JobLock, Report, ScheduledNotice, User, utcnow
from app.workflow import notices
from app.workflow import settings as site_settings
from app.workflow.compilations import send_deadline_reminders as send_compilation_reminders
from app.workflow.deadlines import HELSINKI, DeadlineSettings, Notice, is_overdue, notices_due
from app.workflow.operations import active_users, notify_in_app
from app.workflow.outbox import deliver_due, purge_sent
from app.workflow.retention import RetentionSettings, run_retention
from app.workflow.routing import responsibility, social_directors
from app.workflow.statuses import OPEN_STATUSES, NotificationKind, ReportStatus

HOLDER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
LEASE = timedelta(minutes=15)


def acquire(name: str, now: datetime, holder: str = HOLDER, lease: timedelta = LEASE) -> bool:
    """Take the job's lease if it is free or has run out; commits."""
    take = (
        sa.update(JobLock)
        .where(JobLock.name == name, sa.or_(JobLock.locked_until.is_(None), JobLock.locked_until < now,
                                            JobLock.holder == holder))
        .values(holder=holder, locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(take).rowcount:
        db.session.commit()
        return True
    exists = db.session.get(JobLock, name) is not None
    db.session.rollback()
    if exists:
        return False
    try:
        db.session.add(JobLock(name=name, holder=holder, locked_until=now + lease))
        db.session.commit()
        return True
    except IntegrityError:  # another scheduler created the row first
        db.session.rollback()
        return False


def release(name: str, holder: str = HOLDER) -> None:
    db.session.rollback()
    db.session.execute(sa.update(JobLock).where(JobLock.name == name, JobLock.holder == holder)
                       .values(holder=None, locked_until=None).execution_options(synchronize_session=False))
    db.session.commit()


@contextmanager
def exclusive(name: str, holder: str = HOLDER) -> Iterator[bool]:
    """`with exclusive("digests") as mine:` runs the body's work only if `mine` is True."""
    mine = acquire(name, utcnow(), holder)
    try:
        yield mine
    finally:
        if mine:
            release(name, holder)


def _record(key: str, report: Report | None = None) -> bool:
    """Note a notice as given, inside a savepoint; False if it had been given already."""
    try:
        with db.session.begin_nested():
            db.session.add(ScheduledNotice(key=key, report_id=report.id if report is not None else None))
    except IntegrityError:
        return False
    return True


def send_deadline_notices(now: datetime | None = None, settings: DeadlineSettings | None = None) -> int:
    """Warn the handlers before each deadline and flag overdue reports to the social director; commits.

    Each recipient gets one mail per run listing what is due, so the first run after an upgrade
    does not send the social director a mail for every old report. Returns how many notices were given.
    """
    now = now or utcnow()
    settings = settings or DeadlineSettings.from_config(site_settings.current())
    users = active_users()
    directors = social_directors(users)
    responsible = responsibility(users)
    given = 0
    open_ids = list(db.session.scalars(sa.select(Report.id).where(Report.status.in_(OPEN_STATUSES))
                                       .order_by(Report.id)))
    for start in range(0, len(open_ids), 500):
        batch = open_ids[start:start + 500]
        done = set(db.session.scalars(sa.select(ScheduledNotice.key).where(ScheduledNotice.report_id.in_(batch))))
        mail: dict[tuple[int, bool], list[tuple[Report, Notice]]] = {}
        recipients_by_id: dict[int, User] = {}
        for report in db.session.scalars(sa.select(Report).where(Report.id.in_(batch)).order_by(Report.id)):
            for notice in notices_due(report, now, settings):
                if notice.key(report.id) in done or not _record(notice.key(report.id), report):
                    continue
                recipients = directors if notice.is_overdue else responsible(report.handling_node)
                kind = NotificationKind.OVERDUE if notice.is_overdue else NotificationKind.REMINDER
                notify_in_app(recipients, report, kind, now)
                for user in recipients:
                    recipients_by_id[user.id] = user
                    mail.setdefault((user.id, notice.is_overdue), []).append((report, notice))
                given += 1
        for (user_id, overdue), items in mail.items():
            notices.deadline_notices(recipients_by_id[user_id], items, overdue=overdue)
        db.session.commit()
    return given


RHYTHMS = ("daily", "weekly", "monthly", "off")


def digest_period(now: datetime, rhythm: str) -> tuple[str, str] | None:
    """(key, Finnish label) of the digest period containing `now` on the Helsinki clock; None when off."""
    day = now.astimezone(HELSINKI).date()
    if rhythm == "off":
        return None
    with force_locale("fi"):
        if rhythm == "daily":
            return day.isoformat(), format_date(day, "d.M.yyyy")
        if rhythm == "weekly":
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}", f"viikko {week}/{year}"
        if rhythm == "monthly":
            return f"{day:%Y-%m}", format_date(day, "LLLL yyyy")
    raise ValueError(f"DIGEST_RHYTHM must be one of {', '.join(RHYTHMS)}, not {rhythm!r}")


def send_digests(now: datetime | None = None, settings: DeadlineSettings | None = None,
                 rhythm: str | None = None) -> int:
    """Each handler's digest of the period, once: their unhandled, waiting and overdue reports; commits."""
    now = now or utcnow()
    settings = settings or DeadlineSettings.from_config(site_settings.current())
    period = digest_period(now, rhythm or site_settings.current()["DIGEST_RHYTHM"])
    if period is None:
        return 0
    key, label = period
    responsible = responsibility(active_users())
    pending: dict[int, list[Report]] = {}
    owners: dict[int, User] = {}
    reports = db.session.scalars(sa.select(Report).where(Report.status.in_(OPEN_STATUSES))
                                 .options(selectinload(Report.unit)).order_by(Report.created_at))
    for report in reports:
        for user in responsible(report.handling_node):
            pending.setdefault(user.id, []).append(report)
            owners[user.id] = user
    sent = 0
    for user_id, reports in pending.items():
        if not _record(f"digest:{user_id}:{key}"):
            continue
        overdue = [r for r in reports if is_overdue(r, now)]
        unhandled = [r for r in reports if r.status == ReportStatus.RECEIVED and r not in overdue]
        waiting = [r for r in reports if r.status == ReportStatus.WAITING_FOR_REPORTER and r not in overdue]
        if overdue or unhandled or waiting:
            notices.digest(owners[user_id], label, unhandled, waiting, overdue, settings, now)
            sent += 1
    db.session.commit()
    return sent


def deliver_mail() -> int:
    return deliver_due().sent


def remind_of_compilation_deadlines() -> int:
    """The working group's reminders ahead of each compilation's approval deadline; commits."""
    sent = send_compilation_reminders(utcnow().astimezone(HELSINKI).date())
    db.session.commit()
    return sent


def delete_expired_reports() -> int:
    """The retention rule (app.workflow.retention) and old sent mail, daily; commits. Returns reports deleted."""
    deleted = run_retention(RetentionSettings.from_config(current_app.config)).numbers
    purge_sent()
    db.session.commit()
    return len(deleted)


JOBS: dict[str, Callable[[], int]] = {
    "deliver_mail": deliver_mail,
    "deadline_notices": send_deadline_notices,
    "digests": send_digests,
    "compilation_reminders": remind_of_compilation_deadlines,
    "retention": delete_expired_reports,
}


def run(name: str) -> int | None:
    """Run one job under its lease; None if another process holds it."""
    with exclusive(name) as mine:
        if not mine:
            current_app.logger.info("job %s skipped: another scheduler is running it", name)
            return None
        return JOBS[name]()

