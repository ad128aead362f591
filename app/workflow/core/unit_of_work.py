"""One transaction, committed in one place: every web request, CLI command and scheduled job runs in one.

Operations only flush; whoever started the work (the request lifecycle, a CLI command, a job)
opens a unit of work, and it commits when the work ends normally and rolls back when it raises.
Mail is queued in the outbox inside the same transaction, so nothing is announced that was rolled back.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the body did, or roll it back if the body or the commit itself fails."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def discard() -> None:
    """Forget this unit's changes so far (a refusal, or a failed attempt retried in a fresh transaction)."""
    db.session.rollback()
