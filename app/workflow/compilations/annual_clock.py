"""The HYTE annual clock: events of welfare work and the compilation deadlines derived from them.

Pure rules over plain event records, so the calendar page, the iCalendar feed, the reminders
and the compilation page all derive the same deadlines. An event that needs a compilation
(`compilation_lead_days` set) needs the latest half-year that ended before the event, approved
that many days before it: with the defaults, the July–December compilation by the end of
February and the January–June one by the end of September.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.workflow.compilations.periods import TERM_YEARS, Period, latest_ended

YEARLY, TERM_LAST_YEAR, TERM_FIRST_YEAR = "yearly", "term_last_year", "term_first_year"


@dataclass(frozen=True)
class ClockEntry:
    """One event of the clock as the rules need it (a ClockEvent row, or a default)."""

    code: str
    name: str
    recurrence: str
    month: int
    day: int
    compilation_lead_days: int | None = None
    description: str = ""
    municipality_code: str | None = None


# The SPEC's defaults, used for the county and inherited by every municipality.
DEFAULT_EVENTS: tuple[ClockEntry, ...] = (
    ClockEntry("annual_report", "Hyvinvointikertomuksen vuosiraportin kirjoittaminen", YEARLY, 3, 1, 1,
               "Vuosiraportti valmistellaan alkuvuonna. Heinä–joulukuun kooste on hyväksyttävä helmikuun loppuun mennessä."),
    ClockEntry("annual_report_council", "Vuosiraportti valtuustolle tilinpäätöksen yhteydessä", YEARLY, 6, 15, None,
               "Valtuusto käsittelee vuosiraportin keväällä tilinpäätöksen kanssa."),
    ClockEntry("budget_and_plan", "Talousarvion ja hyvinvointisuunnitelman valmistelu", YEARLY, 10, 1, 1,
               "Syksyn talousarvio- ja suunnitelmatyö. Tammi–kesäkuun kooste on hyväksyttävä syyskuun loppuun mennessä."),
    ClockEntry("extensive_report", "Laajan hyvinvointikertomuksen valmistelu lähtevälle valtuustolle", TERM_LAST_YEAR,
               3, 1, 1, "Valtuustokauden viimeisenä vuonna: koosteeseen liitetään koko valtuustokauden kehitys."),
    ClockEntry("extensive_report_council", "Lähtevä valtuusto hyväksyy laajan hyvinvointikertomuksen", TERM_LAST_YEAR,
               5, 15, None, ""),
    ClockEntry("new_welfare_plan", "Uusi valtuusto hyväksyy hyvinvointisuunnitelman", TERM_FIRST_YEAR, 12, 1, None,
               "Uuden valtuustokauden hyvinvointisuunnitelma ja sen tavoitteet."),
)


@dataclass(frozen=True)
class Occurrence:
    day: date
    event: ClockEntry


@dataclass(frozen=True)
class Deadline:
    """The compilation of `period` must be approved by `day`, for `event`."""

    period: Period
    day: date
    event: ClockEntry
    occurrence: date

    @property
    def adds_term_section(self) -> bool:
        return self.event.recurrence == TERM_LAST_YEAR


def _day(year: int, month: int, day: int) -> date:
    """The day, moved to the month's last day if the month is shorter (29.2. in a common year)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def is_term_change_year(year: int, first_term_start: int) -> bool:
    """A year in which one council term ends and the next begins (2025, 2029, ... by default)."""
    return (year - first_term_start) % TERM_YEARS == 0


def occurrences(events: Iterable[ClockEntry], year: int, first_term_start: int = 2025) -> list[Occurrence]:
    """The events of one calendar year, in date order."""
    change_year = is_term_change_year(year, first_term_start)
    found = [Occurrence(_day(year, e.month, e.day), e) for e in events
             if e.recurrence == YEARLY or (e.recurrence in (TERM_LAST_YEAR, TERM_FIRST_YEAR) and change_year)]
    return sorted(found, key=lambda o: (o.day, o.event.code))


def deadline_of(occurrence: Occurrence) -> Deadline | None:
    lead = occurrence.event.compilation_lead_days
    if lead is None:
        return None
    day = occurrence.day - timedelta(days=lead)
    return Deadline(latest_ended(occurrence.day), day, occurrence.event, occurrence.day)


def deadlines(events: Iterable[ClockEntry], year: int, first_term_start: int = 2025) -> list[Deadline]:
    """The compilation deadlines falling in a year's events, in date order.

    Two events asking for the same compilation on the same day make one deadline; a council-term
    event wins, as it adds the term section.
    """
    merged: dict[tuple[Period, date], Deadline] = {}
    for occurrence in occurrences(events, year, first_term_start):
        deadline = deadline_of(occurrence)
        if deadline is None:
            continue
        key = (deadline.period, deadline.day)
        if key not in merged or (deadline.adds_term_section and not merged[key].adds_term_section):
            merged[key] = deadline
    return sorted(merged.values(), key=lambda d: (d.day, d.event.code))


def deadlines_of_period(period: Period, events: Sequence[ClockEntry], first_term_start: int = 2025) -> list[Deadline]:
    """Every deadline that asks for this half-year's compilation, earliest first."""
    found = [d for year in (period.year, period.year + 1) for d in deadlines(events, year, first_term_start)
             if d.period == period]
    return sorted(found, key=lambda d: d.day)


def compilation_deadline(period: Period, events: Sequence[ClockEntry], first_term_start: int = 2025) -> Deadline | None:
    found = deadlines_of_period(period, events, first_term_start)
    return found[0] if found else None


def adds_term_section(period: Period, events: Sequence[ClockEntry], first_term_start: int = 2025) -> bool:
    """True when the compilation feeds a council-term event: it then shows the whole term side by side."""
    return any(d.adds_term_section for d in deadlines_of_period(period, events, first_term_start))


def effective_events(county: Iterable[ClockEntry], own: Iterable[ClockEntry] = ()) -> list[ClockEntry]:
    """A municipality's clock: its own events, and the county's for every code it has not overridden."""
    own = list(own)
    codes = {e.code for e in own}
    return [*own, *(e for e in county if e.code not in codes)]


def due_reminders(upcoming: Iterable[Deadline], today: date, days_before: Sequence[int],
                  already_sent: set[tuple[str, date, int]]) -> list[tuple[Deadline, int]]:
    """Reminders to send today as (deadline, stage): the stage is the nearest of `days_before` not below
    the days left, sent once. A day the job did not run is made up for; a passed stage is never sent late.
    """
    due: list[tuple[Deadline, int]] = []
    for deadline in upcoming:
        left = (deadline.day - today).days
        stages = [n for n in sorted(days_before) if n >= left]
        if left < 0 or not stages:
            continue
        if (deadline.period.code, deadline.day, stages[0]) not in already_sent:
            due.append((deadline, stages[0]))
    return due


def deadline_state(deadline_day: date, published_on: date | None, today: date) -> tuple[str, int]:
    """How a compilation deadline went, for the calendar: ("on_time" | "late" | "overdue" | "open", days late).

    "Published" alone would call a compilation published two months after its deadline as good as one
    published on time, so the calendar tells which it was.
    """
    if published_on is not None:
        late = (published_on - deadline_day).days
        return ("late", late) if late > 0 else ("on_time", 0)
    if today > deadline_day:
        return "overdue", (today - deadline_day).days
    return "open", 0
