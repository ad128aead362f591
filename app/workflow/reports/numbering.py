"""Report numbers: prefix, year and a gap-free sequence within the year, e.g. SR-2026-00042."""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ReportNumberCounter

_SEPARATORS = re.compile(r"[\s\-–—_./]+")
_PLAIN_PREFIX = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


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


def allocate_sequence(session: Session, year: int) -> int:
    """Take the next sequence number of the year inside the caller's transaction.

    The counter row stays locked until the transaction ends, so concurrent filings queue
    here, and a filing that rolls back gives its number back. Take it as late as possible and
    commit at once after it: every statement in between makes the other filings wait.
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
    """(year, sequence) of a typed report number, or None if it is not one.

    People type and paste numbers in many ways: "sr 2026 00044", "SR2026-44", "SR–2026–00044" all
    name SR-2026-00044. Any case, and spaces, dashes, dots or none between the parts."""
    compact, head = _SEPARATORS.sub("", text or "").upper(), prefix.replace("-", "").upper()
    digits = compact[len(head):]
    if not compact.startswith(head) or not (5 <= len(digits) <= 13) or not digits.isascii() or not digits.isdigit():
        return None
    return int(digits[:4]), int(digits[4:])
