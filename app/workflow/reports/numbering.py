"""Report numbers: prefix, year and a gap-free sequence within the year, e.g. SR-2026-00042.

Anonymous reports are numbered in a series of their own, marked A (SR-2026-A00017): a number taken
from the named reports' series would say which named reports, whose moments are known, came just
before and after it (anonymity.py).
"""
from __future__ import annotations

import re
import secrets
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ReportNumberCounter

_SEPARATORS = re.compile(r"[\s\-–—_./]+")
_PLAIN_PREFIX = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_YEAR_SERIES_SEQUENCE = re.compile(r"([0-9]{4})(A?)([0-9]{1,9})")

NAMED_SERIES = ""
ANONYMOUS_SERIES = "A"


class ParsedNumber(NamedTuple):
    year: int
    sequence: int
    series: str = NAMED_SERIES


def series_of(anonymous: bool) -> str:
    return ANONYMOUS_SERIES if anonymous else NAMED_SERIES


def check_prefix(prefix: str) -> None:
    """Refuse a prefix that HTML or a URL would write differently: mail gets the number by plain substitution."""
    if not _PLAIN_PREFIX.fullmatch(prefix or ""):
        raise ValueError(f"REPORT_NUMBER_PREFIX {prefix!r}: use letters, digits and single dashes, e.g. SR or PSHVA-SR.")


def provisional_number() -> tuple[str, int]:
    """A stand-in (number, sequence) for a report row written before its real number is taken.

    Never a real one: the number does not parse and the sequence is negative. The filing replaces
    both before it returns, so no other transaction ever sees them; should two concurrent filings
    draw the same stand-in, the second only waits for the first's commit, which has replaced it.
    """
    return f"pending-{secrets.token_hex(8)}", -1 - secrets.randbelow(2**31 - 1)


def allocate_sequence(session: Session, year: int, series: str = NAMED_SERIES) -> int:
    """Take the next sequence number of the year's series inside the caller's transaction.

    The counter row stays locked until the transaction ends, so concurrent filings queue
    here, and a filing that rolls back gives its number back. Take it as late as possible and
    commit at once after it: every statement in between makes the other filings wait.
    """
    bump = (
        sa.update(ReportNumberCounter)
        .where(ReportNumberCounter.year == year, ReportNumberCounter.series == series)
        .values(last_value=ReportNumberCounter.last_value + 1)
        .returning(ReportNumberCounter.last_value)
        .execution_options(synchronize_session=False)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        try:
            with session.begin_nested():
                session.add(ReportNumberCounter(year=year, series=series, last_value=0))
        except IntegrityError:
            pass  # another filing created the year's counter first
        value = session.execute(bump).scalar_one()
    return value


def format_number(prefix: str, year: int, sequence: int, series: str = NAMED_SERIES) -> str:
    return f"{prefix}-{year}-{series}{sequence:05d}"


def parse_number(text: str, prefix: str) -> ParsedNumber | None:
    """(year, sequence, series) of a typed report number, or None if it is not one.

    People type and paste numbers in many ways: "sr 2026 00044", "SR2026-44", "SR–2026–00044" all
    name SR-2026-00044, and "sr 2026 a17" names SR-2026-A00017. Any case, and spaces, dashes, dots or
    none between the parts."""
    compact, head = _SEPARATORS.sub("", text or "").upper(), prefix.replace("-", "").upper()
    if not compact.startswith(head) or not (parts := _YEAR_SERIES_SEQUENCE.fullmatch(compact[len(head):])):
        return None
    year, series, sequence = parts.groups()
    return ParsedNumber(int(year), int(sequence), series)
