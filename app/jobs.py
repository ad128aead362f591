"""The scheduled jobs: deliver mail, warn of deadlines, flag overdue reports, send digests, compilation
reminders, reminder campaigns and retention. Each runs under its lease (app.workflow.core.leases)."""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from app.models import utcnow
from app.workflow.admin.retention import RetentionSettings, run_retention
from app.workflow.campaigns.reminders import send_due as send_campaign_rounds
from app.workflow.cases.deadlines import HELSINKI
from app.workflow.compilations.operations import (
    send_deadline_reminders as send_compilation_reminders,
)
from app.workflow.cases.release import release_held
from app.workflow.core.leases import exclusive
from app.workflow.core.unit_of_work import unit_of_work
from app.workflow.mail.digests import send_deadline_notices, send_digests
from app.workflow.mail.outbox import deliver_due, purge_sent


def deliver_mail() -> int:
    return deliver_due().sent


def release_anonymous() -> int:
    """The day's batch of anonymous reports and answers to staff (app.workflow.cases.release); commits."""
    with unit_of_work():
        released = release_held()
    return released.reports + released.answers


def remind_of_compilation_deadlines() -> int:
    """The working group's reminders ahead of each compilation's approval deadline; commits."""
    with unit_of_work():
        return send_compilation_reminders(utcnow().astimezone(HELSINKI).date())


def delete_expired_reports() -> int:
    """The retention rule (app.workflow.admin.retention) and old sent mail, daily; commits. Returns reports deleted."""
    with unit_of_work():
        deleted = run_retention(RetentionSettings.from_config(current_app.config)).numbers
        purge_sent()
    return len(deleted)


def campaigns() -> int:
    """The reminder campaigns' rounds due today (Helsinki), queued in the outbox; commits. Returns rounds sent."""
    with unit_of_work():
        return send_campaign_rounds(utcnow().astimezone(HELSINKI).date())


JOBS: dict[str, Callable[[], int]] = {
    "deliver_mail": deliver_mail,
    "release": release_anonymous,
    "deadline_notices": send_deadline_notices,
    "digests": send_digests,
    "compilation_reminders": remind_of_compilation_deadlines,
    "retention": delete_expired_reports,
    "campaigns": campaigns,
}


def run(name: str) -> int | None:
    """Run one job under its lease; None if another process holds it."""
    with exclusive(name) as mine:
        if not mine:
            current_app.logger.info("job %s skipped: another scheduler is running it", name)
            return None
        return JOBS[name]()
