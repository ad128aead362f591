"""Report numbers: prefix, year and a gap-free sequence within the year, e.g. SR-2026-00042."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ReportNumberCounter

_NUMBER = re.compile(r"^\s*(.+)-(\d{4})-(\d{1,9})\s*$")


def allocate_sequence(session: Session, year: int) -> int:
    """Take the next sequence number of the year inside the caller's transaction.

    The counter row stays locked until the transaction ends, so concurrent filings queue
    here, and a filing that rolls back gives its number back.
    """
    bump = (
        sa.update(ReportNumberCounter)
        .where(ReportNumberCounter.year == year)
        .values(last_value=ReportNumberCounter.last_value + 1)
        .returning(ReportNumberCounter.last_value)
        .execution_options(synchronize_session=False)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        try:
            with session.begin_nested():
                session.add(ReportNumberCounter(year=year, last_value=0))
        except IntegrityError:
            pass  # another filing created the year's counter first
        value = session.execute(bump).scalar_one()
    return value


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:05d}"


def parse_number(text: str, prefix: str) -> tuple[int, int] | None:
    """(year, sequence) of a typed report number, or None if it is not one."""
    match = _NUMBER.match(text or "")
    if not match or match.group(1).upper() != prefix.upper():
        return None
    return int(match.group(2)), int(match.group(3))
