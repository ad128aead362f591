"""The one table of what can be done to a report, from which statuses, to which status, by whom.

Every status change of a report is a row here, the reporter's answer too; the operations read
the row and do what its fields say, and nothing else.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.codes import OPEN_STATUSES, Choice, EventKind, ReportStatus, Role

S = ReportStatus
CASE_HANDLERS = frozenset({Role.HANDLER, Role.SOCIAL_DIRECTOR})


class Action(Choice):
    """What the staff do to a report; each is a button on the case page."""

    START_HANDLING = "start_handling", _l("Aloita käsittely")
    ADD_NOTE = "add_note", _l("Lisää etenemismerkintä")
    ASK_REPORTER = "ask_reporter", _l("Kysy raportoijalta")
    TAKE_FORWARD = "take_forward", _l("Vie eteenpäin")
    RESOLVE = "resolve", _l("Merkitse ratkaistuksi")
    CLOSE = "close", _l("Sulje ilman toimenpiteitä")
    REOPEN = "reopen", _l("Avaa uudelleen")
    GO_ON_WITHOUT_ANSWER = "go_on_without_answer", _l("Jatka ilman vastausta")


class ReporterAction(Choice):
    """What the reporter does to their report on the tracking page (or through the API)."""

    ANSWER = "answer", _l("Lähetä vastaus")


class Reporter(enum.Enum):
    """The person who filed the report. Not a user and holds no role: they are known by the
    report's number and tracking code, which the tracking page and the API check before acting."""

    REPORTER = "reporter"


REPORTER = Reporter.REPORTER


class Resume(enum.Enum):
    INTERRUPTED = "interrupted"


INTERRUPTED = Resume.INTERRUPTED
"""A target: the status the question to the reporter interrupted (the report's resume_status)."""


@dataclass(frozen=True)
class Transition:
    action: Action | ReporterAction
    sources: frozenset[ReportStatus]
    target: ReportStatus | Resume | None
    """None keeps the current status; INTERRUPTED returns to where the question found the report."""
    actors: frozenset[Role | Reporter]
    """The roles that may act (permissions.py scopes each to its reports), or the reporter."""
    event: EventKind
    note_required: bool
    always_public: bool
    """The reporter sees this event; only free progress notes may be kept internal."""
    needs_forum: bool = False
    """An active forum must be chosen; the report is taken to it and reaches the forum's level."""
    starts_handling: bool = False
    """The first of these marks the report handled for the first-handling deadline."""
    remembers_status: bool = False
    """The status left is kept in resume_status, for the INTERRUPTED target to return to."""
    closes: bool = False
    """The report is closed now (closed_at)."""
    reopens: bool = False
    """The report is no longer closed (closed_at is cleared)."""
    gives_feedback: bool = False
    """Tells the reporter what is done (a forum, an outcome), so it meets the feedback deadline."""
    after_question_wait: bool = False
    """Only once the question has waited its time (deadlines.may_go_on_without_answer)."""
    note_is_feedback: bool = True
    """A public note written with it is feedback to the reporter; a question is not, nor the note of
    starting handling ("otettu käsittelyyn" says nothing of what is done)."""

    def allows(self, status: ReportStatus) -> bool:
        return status in self.sources

    def next_status(self, status: ReportStatus, resume_status: ReportStatus | None) -> ReportStatus:
        if self.target is None:
            return status
        if self.target is INTERRUPTED:
            return resume_status or S.IN_HANDLING
        return self.target


def remembered(status: ReportStatus) -> ReportStatus:
    """Where a question returns the report: a report asked about before handling began returns into handling."""
    return status if status != S.RECEIVED else S.IN_HANDLING


def _row(action: Action | ReporterAction, sources: Iterable[ReportStatus], target: ReportStatus | Resume | None,
         event: EventKind, *, note_required: bool, always_public: bool,
         actors: Iterable[Role | Reporter] = CASE_HANDLERS, **effects: bool) -> tuple[Action | ReporterAction, Transition]:
    return action, Transition(action, frozenset(sources), target, frozenset(actors), event, note_required,
                              always_public, **effects)


TRANSITIONS: dict[Action | ReporterAction, Transition] = dict(
    [
        _row(Action.START_HANDLING, {S.RECEIVED}, S.IN_HANDLING, EventKind.START_HANDLING,
             note_required=False, always_public=True, starts_handling=True, note_is_feedback=False),
        _row(Action.ADD_NOTE, OPEN_STATUSES, None, EventKind.NOTE, note_required=True, always_public=False),
        _row(Action.ASK_REPORTER, {S.RECEIVED, S.IN_HANDLING, S.FORWARDED}, S.WAITING_FOR_REPORTER,
             EventKind.QUESTION, note_required=True, always_public=True, starts_handling=True,
             remembers_status=True, note_is_feedback=False),
        _row(Action.TAKE_FORWARD, {S.IN_HANDLING, S.FORWARDED}, S.FORWARDED, EventKind.TAKE_FORWARD,
             note_required=False, always_public=True, needs_forum=True, starts_handling=True, gives_feedback=True),
        _row(Action.RESOLVE, {S.IN_HANDLING, S.FORWARDED, S.WAITING_FOR_REPORTER}, S.RESOLVED, EventKind.RESOLVE,
             note_required=True, always_public=True, closes=True, gives_feedback=True),
        _row(Action.CLOSE, OPEN_STATUSES, S.CLOSED, EventKind.CLOSE, note_required=True, always_public=True,
             closes=True, gives_feedback=True),
        _row(Action.REOPEN, {S.RESOLVED, S.CLOSED}, S.IN_HANDLING, EventKind.REOPEN,
             note_required=False, always_public=True, reopens=True),
        _row(Action.GO_ON_WITHOUT_ANSWER, {S.WAITING_FOR_REPORTER}, INTERRUPTED, EventKind.NOTE,
             note_required=True, always_public=True, after_question_wait=True, note_is_feedback=False),
        _row(ReporterAction.ANSWER, {S.WAITING_FOR_REPORTER}, INTERRUPTED, EventKind.ANSWER,
             note_required=True, always_public=True, actors={REPORTER}, note_is_feedback=False),
    ]
)
