"""The annual clock's events in the database: the defaults, each organisation's events, editing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.models import ClockEvent, Municipality, Recurrence
from app.workflow.compilations import annual_clock
from app.workflow.compilations.annual_clock import ClockEntry, Deadline
from app.workflow.compilations.periods import Period
from app.workflow.core.errors import Refusal


def seed_default_events() -> None:
    """Add the county's default events that are missing (matched by code); flush."""
    existing = set(db.session.scalars(sa.select(ClockEvent.code).where(ClockEvent.municipality_id.is_(None))))
    for entry in annual_clock.DEFAULT_EVENTS:
        if entry.code not in existing:
            db.session.add(ClockEvent(code=entry.code, name=entry.name, description=entry.description,
                                      recurrence=Recurrence(entry.recurrence), month=entry.month, day=entry.day,
                                      compilation_lead_days=entry.compilation_lead_days))
    db.session.flush()


def entry(event: ClockEvent) -> ClockEntry:
    return ClockEntry(event.code, event.name, event.recurrence.value, event.month, event.day,
                      event.compilation_lead_days, event.description,
                      event.municipality.code if event.municipality else None)


def events_of(municipality: Municipality | None = None) -> list[ClockEvent]:
    """The rows of one organisation: the county's (None) or a municipality's own."""
    condition = (ClockEvent.municipality_id.is_(None) if municipality is None
                 else ClockEvent.municipality_id == municipality.id)
    return list(db.session.scalars(sa.select(ClockEvent).where(condition, ClockEvent.active.is_(True))
                                   .order_by(ClockEvent.month, ClockEvent.day, ClockEvent.code)))


def clock_of(municipality: Municipality | None = None) -> list[ClockEntry]:
    """The effective clock: the county's events, overridden by the municipality's own."""
    county = [entry(e) for e in events_of(None)]
    if municipality is None:
        return county
    return annual_clock.effective_events(county, [entry(e) for e in events_of(municipality)])


def first_term_start() -> int:
    return int(current_app.config["COUNCIL_TERM_FIRST_YEAR"])


def compilation_deadline(period: Period) -> Deadline | None:
    """The approval deadline of a (county-wide) compilation, from the county's clock."""
    return annual_clock.compilation_deadline(period, clock_of(None), first_term_start())


def adds_term_section(period: Period) -> bool:
    return annual_clock.adds_term_section(period, clock_of(None), first_term_start())


def upcoming_deadlines(today: date) -> list[Deadline]:
    found = [d for year in (today.year, today.year + 1)
             for d in annual_clock.deadlines(clock_of(None), year, first_term_start())]
    return [d for d in found if d.day >= today]


@dataclass(frozen=True)
class EventInput:
    name: str
    description: str
    recurrence: Recurrence
    month: int
    day: int
    compilation_lead_days: int | None
    code: str = ""


def _check(data: EventInput) -> None:
    if not data.name.strip():
        raise Refusal(_("Anna tapahtumalle nimi."))
    try:
        date(2024, data.month, data.day)  # a leap year: 29.2. is a valid yearly day
    except (TypeError, ValueError):
        raise Refusal(_("Päivämäärää ei ole olemassa. Tarkista päivä ja kuukausi.")) from None


def save_event(event: ClockEvent | None, data: EventInput, municipality: Municipality | None) -> ClockEvent:
    """Create or change an organisation's event; a municipality's event with a county code overrides it."""
    _check(data)
    if event is None:
        code = data.code.strip() or f"event-{db.session.scalar(sa.select(sa.func.count(ClockEvent.id))) + 1}"
        clash = db.session.scalar(sa.select(ClockEvent).where(
            ClockEvent.code == code, ClockEvent.active.is_(True),
            ClockEvent.municipality_id.is_(None) if municipality is None
            else ClockEvent.municipality_id == municipality.id))
        if clash is not None:
            raise Refusal(_("Tällä organisaatiolla on jo tapahtuma tällä tunnuksella."))
        event = ClockEvent(code=code, municipality=municipality)
        db.session.add(event)
    event.name = data.name.strip()
    event.description = data.description.strip()
    event.recurrence = data.recurrence
    event.month, event.day = data.month, data.day
    event.compilation_lead_days = data.compilation_lead_days
    db.session.flush()
    return event


def remove_event(event: ClockEvent) -> None:
    """A removed event is kept inactive, so history stays explainable; a municipality falls back to the county's."""
    event.active = False
    db.session.flush()
