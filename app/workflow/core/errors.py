"""The one kind of refusal, and the one check that nobody changed a row in between.

An operation that will not do what was asked raises `Refusal` (or a subclass) with a message
for the user, before it has changed anything, or after a flush the request then rolls back.
The request lifecycle (`app.views.lifecycle`) turns every refusal into that message, shown
with what the user typed; the CLI prints it. Nothing catches a refusal to carry on.
"""
from __future__ import annotations

from typing import Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db


class Refusal(Exception):
    """A refused change; str(refusal) is a message for the user, in their language."""

    status_code = 409
    """The HTTP status of the page or JSON answer that shows the refusal."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConcurrentChange(Refusal):
    """Someone else changed the same report or compilation between loading the page and sending it."""


class Versioned(Protocol):
    __tablename__: str
    version: int


_CHANGED = {
    "report": _l("Joku muu ehti muuttaa raporttia sillä välin. Tarkista tilanne ja tee toimenpide uudelleen."),
    "compilation": _l("Joku muu ehti muuttaa koostetta sillä välin. Tarkista tilanne ja tee muutos uudelleen."),
    "phenomenon_group": _l("Joku muu ehti muuttaa ilmiötä sillä välin. Tarkista tilanne ja tee muutos uudelleen."),
}


def concurrent_change(row: Versioned) -> ConcurrentChange:
    return ConcurrentChange(str(_CHANGED[row.__tablename__]))


def check_version(row: Versioned, expected_version: int | None) -> None:
    """Refuse a change made on a page that showed an older version of the row."""
    if expected_version is not None and expected_version != row.version:
        raise concurrent_change(row)


def flush(row: Versioned) -> None:
    """Flush the session; a row another transaction changed first is a ConcurrentChange, not a crash."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise concurrent_change(row) from error
