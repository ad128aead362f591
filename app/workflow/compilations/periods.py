"""Half-year periods of the compilation (1.1.–30.6. and 1.7.–31.12.) and council terms.

A period is named like '2026-H1'. Its bounds are midnights in Europe/Helsinki, returned as
aware UTC datetimes for querying `created_at`; the end is exclusive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from app.workflow.core.errors import Refusal

HELSINKI = ZoneInfo("Europe/Helsinki")
_PERIOD = re.compile(r"^\s*(\d{4})\s*-\s*[Hh]([12])\s*$")


class InvalidPeriod(Refusal, ValueError):
    """Text that does not name a half-year; str(error) is the text. A page asked for by such a code is not found."""

    status_code = 404


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int
    """1: January–June, 2: July–December."""

    def __post_init__(self) -> None:
        if self.half not in (1, 2) or not 2000 <= self.year <= 2999:
            raise InvalidPeriod(f"{self.year}-H{self.half}")

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """Finnish dates as written in documents: 1.1.–30.6.2026."""
        return f"{self.first_day.day}.{self.first_day.month}.–{self.last_day.day}.{self.last_day.month}.{self.year}"

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: midnight of the first day to midnight after the last day, Helsinki time."""
        return _helsinki_midnight(self.first_day), _helsinki_midnight(self.next().first_day)

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def next(self) -> Period:
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)


def _helsinki_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=HELSINKI).astimezone(timezone.utc)


def parse_period(text: str) -> Period:
    """'2026-H1' (any case, spaces tolerated) -> Period; InvalidPeriod otherwise."""
    match = _PERIOD.match(text or "")
    if not match:
        raise InvalidPeriod(text)
    return Period(int(match.group(1)), int(match.group(2)))


def period_of(day: date | datetime) -> Period:
    """The half-year a date falls in; an aware datetime is taken in Helsinki time."""
    if isinstance(day, datetime):
        day = day.astimezone(HELSINKI).date()
    return Period(day.year, 1 if day.month <= 6 else 2)


def latest_ended(before: date) -> Period:
    """The last half-year that has wholly ended before the given day."""
    return period_of(before).previous()


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every half-year from first to last, both included; empty if first is after last."""
    periods, current = [], first
    while current <= last:
        periods.append(current)
        current = current.next()
    return periods


@dataclass(frozen=True)
class CouncilTerm:
    """A municipal council term: from 1 June of `start_year` to 31 May of `end_year` (four years)."""

    start_year: int
    end_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 6, 1)

    @property
    def last_day(self) -> date:
        return date(self.end_year, 5, 31)

    def periods(self, up_to: Period | None = None) -> list[Period]:
        """The eight half-years mostly within the term (July of the first year to June of the last),
        up to `up_to` if given."""
        first, last = Period(self.start_year, 2), Period(self.end_year, 1)
        return periods_between(first, min(last, up_to) if up_to else last)


TERM_YEARS = 4


def council_term(on: date, first_start_year: int = 2025) -> CouncilTerm:
    """The term running on a day; terms are four years long and counted from `first_start_year`."""
    start = first_start_year + ((on.year - first_start_year) // TERM_YEARS) * TERM_YEARS
    if on < date(start, 6, 1):
        start -= TERM_YEARS
    return CouncilTerm(start, start + TERM_YEARS)
