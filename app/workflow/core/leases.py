"""Leases that keep two schedulers from running the same job at once, and notices given only once.

Each job may run in any process and any number of times: a lease in the database keeps two
schedulers from running it at once, and every reminder, overdue flag and digest is recorded
under a unique key in the same transaction as its mail, so it is given once.
"""
from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import JobLock, Report, ScheduledNotice, utcnow
from app.workflow.core.unit_of_work import discard, unit_of_work

HOLDER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
LEASE = timedelta(minutes=15)


def acquire(name: str, now: datetime, holder: str = HOLDER, lease: timedelta = LEASE) -> bool:
    """Take the job's lease if it is free or has run out; commits at once."""
    take = (
        sa.update(JobLock)
        .where(JobLock.name == name, sa.or_(JobLock.locked_until.is_(None), JobLock.locked_until < now,
                                            JobLock.holder == holder))
        .values(holder=holder, locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    with unit_of_work():
        if db.session.execute(take).rowcount:
            return True
        exists = db.session.get(JobLock, name) is not None
    if exists:
        return False
    try:
        with unit_of_work():
            db.session.add(JobLock(name=name, holder=holder, locked_until=now + lease))
            db.session.flush()  # inside the unit, so a failure rolls it back
    except IntegrityError:  # another scheduler created the row first
        return False
    return True


def release(name: str, holder: str = HOLDER) -> None:
    discard()  # nothing the job left unfinished is kept
    with unit_of_work():
        db.session.execute(sa.update(JobLock).where(JobLock.name == name, JobLock.holder == holder)
                           .values(holder=None, locked_until=None).execution_options(synchronize_session=False))


@contextmanager
def exclusive(name: str, holder: str = HOLDER) -> Iterator[bool]:
    """`with exclusive("digests") as mine:` runs the body's work only if `mine` is True."""
    mine = acquire(name, utcnow(), holder)
    try:
        yield mine
    finally:
        if mine:
            release(name, holder)


def record_once(key: str, report: Report | None = None) -> bool:
    """Note a notice as given, inside a savepoint; False if it had been given already."""
    try:
        with db.session.begin_nested():
            db.session.add(ScheduledNotice(key=key, report_id=report.id if report is not None else None))
    except IntegrityError:
        return False
    return True
