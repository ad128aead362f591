"""Deadline reminders, overdue flags and the handlers' digests, each given once under its key."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString, format_date, gettext
from sqlalchemy.orm import selectinload

from app.codes import OPEN_STATUSES, NotificationKind, ReportStatus
from app.extensions import db
from app.models import Report, ScheduledNotice, User, utcnow
from app.workflow.admin import site_settings
from app.workflow.cases.deadlines import (
    HELSINKI,
    DeadlineNotice,
    DeadlineSettings,
    is_overdue,
    is_stalled,
    notices_due,
)
from app.workflow.cases.operations import active_users, notify_in_app
from app.workflow.cases.routing import responsibility, social_directors
from app.workflow.core.leases import record_once
from app.workflow.core.unit_of_work import unit_of_work
from app.workflow.mail import report_mail


def send_deadline_notices(now: datetime | None = None, settings: DeadlineSettings | None = None) -> int:
    """Warn the handlers before each deadline and flag overdue reports to the social director; commits.

    Each recipient gets one mail per run listing what is due, so the first run after an upgrade
    does not send the social director a mail for every old report. Returns how many notices were given.
    """
    now = now or utcnow()
    settings = settings or DeadlineSettings.from_config(site_settings.current())
    users = active_users()
    directors = social_directors(users)
    responsible = responsibility(users)
    given = 0
    open_ids = list(db.session.scalars(sa.select(Report.id).where(Report.status.in_(OPEN_STATUSES)).order_by(Report.id)))
    for start in range(0, len(open_ids), 500):
        batch = open_ids[start:start + 500]
        with unit_of_work():  # each batch's notices, flags and mail at once
            done = set(db.session.scalars(sa.select(ScheduledNotice.key).where(ScheduledNotice.report_id.in_(batch))))
            mail: dict[tuple[int, bool], list[tuple[Report, DeadlineNotice]]] = {}
            recipients_by_id: dict[int, User] = {}
            for report in db.session.scalars(sa.select(Report).where(Report.id.in_(batch)).order_by(Report.id)):
                for notice in notices_due(report, now, settings):
                    if notice.key(report.id) in done or not record_once(notice.key(report.id), report):
                        continue
                    recipients = directors if notice.is_overdue else responsible(report.handling_node)
                    kind = NotificationKind.OVERDUE if notice.is_overdue else NotificationKind.REMINDER
                    notify_in_app(recipients, report, kind, now)
                    for user in recipients:
                        recipients_by_id[user.id] = user
                        mail.setdefault((user.id, notice.is_overdue), []).append((report, notice))
                    given += 1
            for (user_id, overdue), items in mail.items():
                report_mail.deadline_notices(recipients_by_id[user_id], items, overdue=overdue)
    return given


RHYTHMS = ("daily", "weekly", "monthly", "off")


def digest_period(now: datetime, rhythm: str) -> tuple[str, LazyString] | None:
    """(key, label) of the digest period containing `now` on the Helsinki clock; None when off.

    The label is lazy: each recipient's mail names the period in their own language."""
    day = now.astimezone(HELSINKI).date()
    if rhythm == "off":
        return None
    if rhythm == "daily":
        return day.isoformat(), LazyString(lambda: format_date(day, "d.M.yyyy"))
    if rhythm == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}", LazyString(lambda: gettext("viikko %(week)d/%(year)d", week=week, year=year))
    if rhythm == "monthly":
        return f"{day:%Y-%m}", LazyString(lambda: format_date(day, "LLLL yyyy"))
    raise ValueError(f"DIGEST_RHYTHM must be one of {', '.join(RHYTHMS)}, not {rhythm!r}")


def send_digests(now: datetime | None = None, settings: DeadlineSettings | None = None,
                 rhythm: str | None = None) -> int:
    """Each handler's digest of the period, once: their unhandled, waiting and overdue reports; commits."""
    now = now or utcnow()
    settings = settings or DeadlineSettings.from_config(site_settings.current())
    period = digest_period(now, rhythm or site_settings.current()["DIGEST_RHYTHM"])
    if period is None:
        return 0
    key, label = period
    with unit_of_work():
        users = active_users()
        responsible = responsibility(users)
        directors = {user.id for user in social_directors(users)}
        pending: dict[int, list[Report]] = {}
        owners: dict[int, User] = {user.id: user for user in users if user.id in directors}
        reports = list(db.session.scalars(sa.select(Report).where(Report.status.in_(OPEN_STATUSES))
                                          .options(selectinload(Report.unit)).order_by(Report.created_at)))
        for report in reports:
            for user in responsible(report.handling_node):
                pending.setdefault(user.id, []).append(report)
                owners[user.id] = user
        # The social director follows the whole county's deadlines: every overdue and stalled report.
        late = [r for r in reports if is_overdue(r, now) or is_stalled(r, now, settings)]
        for director in directors:
            own = pending.setdefault(director, [])
            own += [r for r in late if r not in own]
            own.sort(key=lambda r: r.created_at)
        sent = 0
        for user_id, reports in pending.items():
            if not record_once(f"digest:{user_id}:{key}"):
                continue
            overdue = [r for r in reports if is_overdue(r, now)]
            stalled = [r for r in reports if is_stalled(r, now, settings) and r not in overdue]
            unhandled = [r for r in reports if r.status == ReportStatus.RECEIVED and r not in overdue + stalled]
            waiting = [r for r in reports if r.status == ReportStatus.WAITING_FOR_REPORTER and r not in overdue + stalled]
            if overdue or stalled or unhandled or waiting:
                report_mail.digest(owners[user_id], label, unhandled, waiting, overdue, settings, now,
                                   stalled=stalled, director=user_id in directors)
                sent += 1
    return sent
