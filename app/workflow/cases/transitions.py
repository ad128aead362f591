"""The one table of what can be done to a report, from which statuses, to which status, by whom."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.codes import OPEN_STATUSES, Choice, EventKind, ReportStatus, Role

S = ReportStatus
CASE_HANDLERS = frozenset({Role.HANDLER, Role.SOCIAL_DIRECTOR})


class Action(Choice):
    START_HANDLING = "start_handling", _l("Aloita käsittely")
    ADD_NOTE = "add_note", _l("Lisää etenemismerkintä")
    ASK_REPORTER = "ask_reporter", _l("Kysy raportoijalta")
    TAKE_FORWARD = "take_forward", _l("Vie eteenpäin")
    RESOLVE = "resolve", _l("Merkitse ratkaistuksi")
    CLOSE = "close", _l("Sulje ilman toimenpiteitä")
    REOPEN = "reopen", _l("Avaa uudelleen")


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[ReportStatus]
    target: ReportStatus | None
    """None keeps the current status."""
    actors: frozenset[Role]
    event: EventKind
    note_required: bool
    always_public: bool
    """The reporter sees this event; only free progress notes may be kept internal."""


def _row(action, sources, target, event, *, note_required, always_public):  # type: ignore[no-untyped-def]
    return action, Transition(action, frozenset(sources), target, CASE_HANDLERS, event, note_required, always_public)


TRANSITIONS: dict[Action, Transition] = dict(
    [
        _row(Action.START_HANDLING, {S.RECEIVED}, S.IN_HANDLING, EventKind.START_HANDLING,
             note_required=False, always_public=True),
        _row(Action.ADD_NOTE, OPEN_STATUSES, None, EventKind.NOTE, note_required=True, always_public=False),
        _row(Action.ASK_REPORTER, {S.RECEIVED, S.IN_HANDLING, S.FORWARDED}, S.WAITING_FOR_REPORTER,
             EventKind.QUESTION, note_required=True, always_public=True),
        _row(Action.TAKE_FORWARD, {S.IN_HANDLING, S.FORWARDED}, S.FORWARDED, EventKind.TAKE_FORWARD,
             note_required=False, always_public=True),
        _row(Action.RESOLVE, {S.IN_HANDLING, S.FORWARDED, S.WAITING_FOR_REPORTER}, S.RESOLVED, EventKind.RESOLVE,
             note_required=True, always_public=True),
        _row(Action.CLOSE, OPEN_STATUSES, S.CLOSED, EventKind.CLOSE, note_required=True, always_public=True),
        _row(Action.REOPEN, {S.RESOLVED, S.CLOSED}, S.IN_HANDLING, EventKind.REOPEN,
             note_required=False, always_public=True),
    ]
)
