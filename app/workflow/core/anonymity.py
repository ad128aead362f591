"""How precisely staff may know when an anonymous reporter acted: the one place this is decided.

An anonymous report names nobody, but the moment it came can: set beside the logins of the audit
log, the minute of a filing, or of an answer sent with the tracking code, may leave one person in
a small unit. So staff see those moments only to the day, wherever they see them (`day_only`);
the mail they cause leaves at the next full hour, with whatever else that hour brought
(`mail_not_before`); and an anonymous report's deadlines end at the end of a day, so neither they
nor the reminders they bring tell the time of day (deadlines.py). Staff's own steps keep their
times, and so does everything of a named report. The reporter's own tracking page is theirs and
shows them what it always did.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from app.codes import EventKind, NotificationKind
from app.models import Notification, OutboxMessage, Report, ReportEvent

REPORTER_EVENTS = frozenset({EventKind.SUBMITTED, EventKind.ANSWER})
"""Timeline entries the reporter makes; every other entry is a step of staff."""
REPORTER_NOTIFICATIONS = frozenset({NotificationKind.FOR_INFORMATION, NotificationKind.FOR_ACTION,
                                    NotificationKind.ANSWER})
"""What a filing or an answer notifies staff of in the app. A hand-over's notice to new handlers shares
"for action" with a filing's and is shown to the day as well: hiding one time too many harms nobody."""
REPORTER_MAIL = frozenset({"new_report_action", "new_report_information", "answer_received"})
"""The staff mail a filing or an answer causes."""


def day_only(report: Report | None, source: ReportEvent | Notification | OutboxMessage | None = None) -> bool:
    """Whether staff may see this moment of the report only to the day.

    `source` is the timeline entry, notification or queued mail whose time is shown; without one,
    the moment the report came. Deadlines need no such care: an anonymous report's are whole days.
    """
    if report is None or not report.is_anonymous:
        return False
    if isinstance(source, ReportEvent):
        return source.kind in REPORTER_EVENTS
    if isinstance(source, Notification):
        return source.kind in REPORTER_NOTIFICATIONS
    if isinstance(source, OutboxMessage):
        return source.kind in REPORTER_MAIL
    return True


def mail_not_before(report: Report, now: datetime) -> datetime | None:
    """When staff mail caused by this report's reporter may leave: an anonymous one's at the next full hour.

    The Date of a mail sent within a minute would give the minute that the pages hide. An hour at
    most keeps the handlers' week intact, and every such mail of the hour leaves in one batch.
    Whole hours are the same in UTC and in Helsinki time. None: at once.
    """
    if not report.is_anonymous:
        return None
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
