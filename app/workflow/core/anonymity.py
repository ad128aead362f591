"""How precisely anyone may know when an anonymous reporter acted: the one place this is decided.

An anonymous report names nobody, but the moment it came can: set beside the logins of the audit
log, the minute of a filing, or of an answer sent with the tracking code, may leave one person in
a small unit. Hiding the minute on the pages is not enough against someone who reads the database,
so four rules hold:

- **Stored as a day.** Those moments are stored as the start of their Helsinki day (`stored_moment`):
  the report's arrival and last change, the reporter's timeline entries. Nothing finer exists to leak.
- **Held apart, released in one batch a day.** Staff learn of them only when the scheduler's `release`
  job runs just after midnight and releases everything of the days before at once, in random order
  (app/workflow/cases/release.py). Until then an anonymous filing is a `HeldFiling` and an answer a
  `HeldAnswer`: one row each with a random key, outside every inbox, count, timeline, notification,
  badge and mail, and outside every order that named reports and staff's steps share: no report id,
  timeline or index row, notification or mail exists before the release, which writes them all
  together, so their ids and the notices' moment are the release's, shared by the whole batch. A
  daily batch gives away the day and nothing else, which is what is stored anyway; an hourly one
  would give away the hour.
- **Numbers of their own.** The receipt must show the number at once, so it is taken at filing, but
  from the anonymous series (SR-2026-A00017, reports/numbering.py): a number of the named series
  would say which named reports, whose moments are known, came just before and after it. The order
  within the anonymous series says only which anonymous report of a day came first.
- **Every arrival shown as a day.** Staff see the arrival of every report, named ones too, only as a
  day (`day_only`), and the named filing's audit entry is shown only to those who may see the
  reporter. Staff's own steps keep their times; the reporter's own tracking page is theirs.

What is left: someone who watches the database live (not a copy of it) sees a held row appear, and
on PostgreSQL the system columns of a row (xmin) and the write-ahead log order the day's
transactions; the held row is gone after the release, and a dump (pg_dump, SQLite's .dump) holds
neither. Against a live watcher only the access control of the database itself helps.
"""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from app.codes import EventKind, NotificationKind
from app.models import Notification, OutboxMessage, Report, ReportEvent

HELSINKI = ZoneInfo("Europe/Helsinki")

REPORTER_EVENTS = frozenset({EventKind.SUBMITTED, EventKind.ANSWER})
"""Timeline entries the reporter makes; every other entry is a step of staff."""
ARRIVAL_NOTIFICATIONS = frozenset({NotificationKind.FOR_INFORMATION, NotificationKind.FOR_ACTION})
"""What a filing notifies staff of. A hand-over's notice to new handlers shares "for action" with a
filing's and is shown to the day as well: hiding one time too many harms nobody."""
REPORTER_NOTIFICATIONS = ARRIVAL_NOTIFICATIONS | {NotificationKind.ANSWER}
ARRIVAL_MAIL = frozenset({"new_report_action", "new_report_information"})
REPORTER_MAIL = ARRIVAL_MAIL | {"answer_received"}
"""The staff mail a filing or an answer causes."""


def day_start(moment: datetime) -> datetime:
    """The start of the moment's Helsinki day, in UTC: how an anonymous reporter's moment is stored."""
    day = moment.astimezone(HELSINKI).date()
    return datetime.combine(day, time.min, HELSINKI).astimezone(timezone.utc)


def stored_moment(anonymous: bool, now: datetime) -> datetime:
    """What is stored of a moment of the reporter's: the day for an anonymous one, else the moment."""
    if now.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC datetime")
    return day_start(now) if anonymous else now


def day_only(report: Report | None, source: ReportEvent | Notification | OutboxMessage | None = None) -> bool:
    """Whether staff may see this moment of the report only to the day.

    `source` is the timeline entry, notification or queued mail whose time is shown; without one,
    the moment the report came. Every report's arrival is a day; an anonymous reporter's answers too.
    """
    if report is None:
        return False
    anonymous = report.is_anonymous
    if isinstance(source, ReportEvent):
        return source.kind == EventKind.SUBMITTED or (anonymous and source.kind in REPORTER_EVENTS)
    if isinstance(source, Notification):
        return source.kind in (REPORTER_NOTIFICATIONS if anonymous else ARRIVAL_NOTIFICATIONS)
    if isinstance(source, OutboxMessage):
        return source.kind in (REPORTER_MAIL if anonymous else ARRIVAL_MAIL)
    return True
