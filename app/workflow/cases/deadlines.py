"""Handling deadlines: first handling within 7 days of receipt, an outcome within 3 months.

Pure rules over a report, the time and the settings. Deadlines are counted in calendar days on
the Helsinki clock (a report received at 10.00 is due at 10.00 a week later, across a change of
daylight-saving time) and stored in UTC on the report when it is filed. An anonymous report's
deadlines end at the end of a day instead, so that they tell staff nothing of the time of day it
came (anonymity.py). The inbox uses the same rules as SQL conditions.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.codes import OPEN_STATUSES, Choice, ReportStatus
from app.models import Report
from app.workflow.cases.transitions import Transition

HELSINKI = ZoneInfo("Europe/Helsinki")


class Deadline(Choice):
    FIRST_HANDLING = "first_handling", _l("Käsittely alkaa")
    FEEDBACK = "feedback", _l("Palaute raportoijalle")


@dataclass(frozen=True)
class DeadlineSettings:
    first_handling_days: int = 7
    feedback_days: int = 90
    reminder_percents: tuple[int, ...] = (60, 80)
    """Points of each deadline's time at which the handlers are warned."""
    stalled_days: int = 30
    """An open report with no step for this long is stalled."""
    question_wait_days: int = 14
    """A question unanswered this long lets the handler go on without the answer; stalled until they do."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeadlineSettings:
        return cls(int(config["FIRST_HANDLING_DAYS"]), int(config["FEEDBACK_DAYS"]),
                   tuple(sorted(int(p) for p in config["REMINDER_PERCENTS"])),
                   int(config.get("STALLED_DAYS") or cls.stalled_days),
                   int(config.get("QUESTION_WAIT_DAYS") or cls.question_wait_days))


class DeadlineFacts(Protocol):
    """What the rules read of a report; a Report, or anything shaped like one in tests."""

    status: ReportStatus
    created_at: datetime
    is_anonymous: bool
    first_handling_due_at: datetime
    feedback_due_at: datetime
    feedback_given_at: datetime | None
    last_step_at: datetime


def gives_feedback(transition: Transition, note: str | None, is_public: bool) -> bool:
    """Feedback is a person telling the reporter what is done: taking forward, an outcome, closing with
    a reason, or a public progress note. Starting handling is not, even with a note, nor a question."""
    return transition.gives_feedback or (is_public and bool(note) and transition.note_is_feedback)


def add_days(moment: datetime, days: int) -> datetime:
    """The same Helsinki wall-clock time `days` calendar days later, in UTC."""
    local = moment.astimezone(HELSINKI) + timedelta(days=days)  # zoneinfo adds in wall-clock time
    return local.replace(fold=0).astimezone(timezone.utc)


def end_of_day(moment: datetime, days: int) -> datetime:
    """The last second of the Helsinki day `days` calendar days after the moment's day, in UTC."""
    day = moment.astimezone(HELSINKI).date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), HELSINKI).astimezone(timezone.utc)


def day_start(moment: datetime) -> datetime:
    """The start of the moment's Helsinki day, in UTC."""
    return datetime.combine(moment.astimezone(HELSINKI).date(), time.min, HELSINKI).astimezone(timezone.utc)


def due_dates(received_at: datetime, settings: DeadlineSettings, *, anonymous: bool = False) -> tuple[datetime, datetime]:
    """(first handling due, feedback due) of a report received at that moment.

    An anonymous report's are counted as the law counts time limits (laki säädettyjen
    määräaikain laskemisesta 150/1930; EU regulation 1182/71): the day of receipt is not counted
    and the time ends with the last day, so a report of 10.3. is due by the end of 17.3.
    """
    count = end_of_day if anonymous else add_days
    return count(received_at, settings.first_handling_days), count(received_at, settings.feedback_days)


def is_pending(report: DeadlineFacts, deadline: Deadline) -> bool:
    """Whether the deadline still binds: first handling until handling starts, feedback until it is given."""
    if deadline == Deadline.FIRST_HANDLING:
        return report.status == ReportStatus.RECEIVED
    return report.status in OPEN_STATUSES and report.feedback_given_at is None


def due_at(report: DeadlineFacts, deadline: Deadline) -> datetime:
    return report.first_handling_due_at if deadline == Deadline.FIRST_HANDLING else report.feedback_due_at


def next_due(report: DeadlineFacts) -> datetime | None:
    """The nearest deadline that still binds, or None for a closed report."""
    dates = [due_at(report, d) for d in Deadline if is_pending(report, d)]
    return min(dates) if dates else None


def overdue_deadlines(report: DeadlineFacts, now: datetime) -> list[Deadline]:
    return [d for d in Deadline if is_pending(report, d) and now > due_at(report, d)]


def is_overdue(report: DeadlineFacts, now: datetime) -> bool:
    return bool(overdue_deadlines(report, now))


@dataclass(frozen=True)
class DeadlineNotice:
    """Something a deadline calls for now: a reminder at `percent` %, or (percent None) an overdue flag."""

    deadline: Deadline
    percent: int | None
    due_at: datetime

    @property
    def is_overdue(self) -> bool:
        return self.percent is None

    def key(self, report_id: int) -> str:
        if self.percent is None:
            return f"overdue:{report_id}:{self.deadline.value}"
        return f"reminder:{report_id}:{self.deadline.value}:{self.percent}"


def reminder_time(report: DeadlineFacts, deadline: Deadline, percent: int) -> datetime:
    """`percent` of the deadline's time; an anonymous report's time starts with the day it came, not its minute."""
    start = day_start(report.created_at) if report.is_anonymous else report.created_at
    return start + (due_at(report, deadline) - start) * percent / 100


def notices_due(report: DeadlineFacts, now: datetime, settings: DeadlineSettings) -> list[DeadlineNotice]:
    """What each binding deadline calls for at `now`: the latest reminder point passed, or overdue.

    Only the latest point counts, so a scheduler that was down past two points warns once, and a
    deadline already passed is flagged as overdue instead of being warned about.
    """
    notices = []
    for deadline in Deadline:
        if not is_pending(report, deadline):
            continue
        due = due_at(report, deadline)
        if now > due:
            notices.append(DeadlineNotice(deadline, None, due))
            continue
        passed = [p for p in settings.reminder_percents if reminder_time(report, deadline, p) <= now]
        if passed:
            notices.append(DeadlineNotice(deadline, max(passed), due))
    return notices


def overdue_condition(now: datetime) -> sa.ColumnElement[bool]:
    """is_overdue() as an SQL condition on Report."""
    return sa.or_(
        sa.and_(Report.status == ReportStatus.RECEIVED, Report.first_handling_due_at < now),
        sa.and_(Report.status.in_(OPEN_STATUSES), Report.feedback_given_at.is_(None), Report.feedback_due_at < now),
    )


def next_due_column() -> sa.ColumnElement[datetime]:
    """next_due() as an SQL expression, for sorting the inbox by deadline."""
    feedback_pending = sa.and_(Report.status.in_(OPEN_STATUSES), Report.feedback_given_at.is_(None))
    return sa.case(
        (Report.status == ReportStatus.RECEIVED,
         sa.case((sa.and_(feedback_pending, Report.feedback_due_at < Report.first_handling_due_at),
                  Report.feedback_due_at), else_=Report.first_handling_due_at)),
        (feedback_pending, Report.feedback_due_at),
        else_=None,
    )


def stalled_since(report: DeadlineFacts, settings: DeadlineSettings) -> datetime | None:
    """The moment an open report counts as stalled from: no step for stalled_days, or (waiting for the
    reporter) no answer for question_wait_days. None for a closed report."""
    if report.status not in OPEN_STATUSES:
        return None
    waiting = report.status == ReportStatus.WAITING_FOR_REPORTER
    return report.last_step_at + timedelta(days=settings.question_wait_days if waiting else settings.stalled_days)


def is_stalled(report: DeadlineFacts, now: datetime, settings: DeadlineSettings) -> bool:
    since = stalled_since(report, settings)
    return since is not None and now > since


def may_go_on_without_answer(report: DeadlineFacts, now: datetime, settings: DeadlineSettings) -> bool:
    """The question has waited its time: the handler may continue without the reporter's answer."""
    return report.status == ReportStatus.WAITING_FOR_REPORTER and is_stalled(report, now, settings)


def stalled_condition(now: datetime, settings: DeadlineSettings) -> sa.ColumnElement[bool]:
    """is_stalled() as an SQL condition on Report."""
    waiting = ReportStatus.WAITING_FOR_REPORTER
    return sa.or_(
        sa.and_(Report.status.in_(OPEN_STATUSES - {waiting}),
                Report.last_step_at < now - timedelta(days=settings.stalled_days)),
        sa.and_(Report.status == waiting, Report.last_step_at < now - timedelta(days=settings.question_wait_days)),
    )


class DeadlineState(Choice):
    """How a deadline stands (describe() words it so that it cannot be misread)."""

    MET = "met", _l("Ajallaan")
    MET_LATE = "met_late", _l("Myöhässä annettu")
    LATE = "late", _l("Myöhässä")
    DUE = "due", _l("Avoinna")


@dataclass(frozen=True)
class DeadlineStanding:
    deadline: Deadline
    state: DeadlineState
    date: datetime
    """When it was met, or when it falls due."""
    days_late: int = 0


def done_at(report: DeadlineFacts, deadline: Deadline) -> datetime | None:
    """When the deadline was met: handling started (first_handled_at), or feedback given."""
    if deadline == Deadline.FIRST_HANDLING:
        return getattr(report, "first_handled_at", None)
    return report.feedback_given_at


def standing(report: DeadlineFacts, deadline: Deadline, now: datetime) -> DeadlineStanding | None:
    """Met on time / met late (with the day), late by n days, or falling due (with the day); None for a
    deadline a closed report left unmet, which binds no longer."""
    due = due_at(report, deadline)
    done = done_at(report, deadline)
    if done is not None:
        return DeadlineStanding(deadline, DeadlineState.MET if done <= due else DeadlineState.MET_LATE, done)
    if not is_pending(report, deadline):
        return None
    if now > due:
        late = (now.astimezone(HELSINKI).date() - due.astimezone(HELSINKI).date()).days
        return DeadlineStanding(deadline, DeadlineState.LATE, due, max(late, 1))
    return DeadlineStanding(deadline, DeadlineState.DUE, due)


def describe(standing: DeadlineStanding | None) -> str:
    """"annettu ajallaan 3.1.2026", "annettu myöhässä 3.1.2026", "myöhässä 5 päivää", "erääntyy 9.12.2026"
    (never "täyttynyt", which a Finn reads as "has passed"); a dash for a deadline that no longer binds."""
    if standing is None:
        return "–"
    day = format_date(standing.date.astimezone(HELSINKI).date(), "d.M.yyyy")
    started = standing.deadline == Deadline.FIRST_HANDLING
    if standing.state == DeadlineState.MET:
        return gettext("aloitettu ajallaan %(date)s", date=day) if started else \
            gettext("annettu ajallaan %(date)s", date=day)
    if standing.state == DeadlineState.MET_LATE:
        return gettext("aloitettu myöhässä %(date)s", date=day) if started else \
            gettext("annettu myöhässä %(date)s", date=day)
    if standing.state == DeadlineState.LATE:
        return ngettext("myöhässä %(num)d päivä", "myöhässä %(num)d päivää", standing.days_late)
    return gettext("erääntyy %(date)s", date=day)


def due_soon_condition(now: datetime, within: timedelta) -> sa.ColumnElement[bool]:
    """Open reports whose next deadline comes within `within` and has not passed yet."""
    column = next_due_column()
    return sa.and_(column >= now, column <= now + within)
