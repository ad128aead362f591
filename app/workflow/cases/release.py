"""The daily release: staff learn of the anonymous reports and answers of the days before, all at once.

Until released, an anonymous report is `held`: it is in no inbox, count, dashboard or timeline, and
no notification or mail about it exists. The scheduler's `release` job runs just after midnight
(Helsinki time) and releases everything held from the days before in random order, so neither the
order of the notices and mail nor their ids say which came first; every notice of the batch carries
the release's moment. Why a day: it is what is stored of those moments anyway (anonymity.py).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.codes import EventKind
from app.extensions import db
from app.models import Report, ReportEvent, utcnow
from app.workflow.cases.operations import announce_answer, announce_new_report, route_of
from app.workflow.core.anonymity import day_start


@dataclass(frozen=True)
class Released:
    reports: int
    answers: int


def release_held(now: datetime | None = None, *, until: datetime | None = None) -> Released:
    """Release what was held before `until` (default: the start of today); flushes, never commits."""
    now = now or utcnow()
    until = until or day_start(now)
    shuffle = secrets.SystemRandom().shuffle
    reports = list(db.session.scalars(
        sa.select(Report).where(Report.held.is_(True), Report.created_at < until)))
    shuffle(reports)
    for report in reports:
        release_report(report, now)
    answers = list(db.session.scalars(
        sa.select(ReportEvent).where(ReportEvent.held.is_(True), ReportEvent.kind == EventKind.ANSWER,
                                     ReportEvent.created_at < until)))
    shuffle(answers)
    for event in answers:
        event.held = False
        if not event.report.held:
            announce_answer(event.report, now)
    db.session.flush()
    return Released(len(reports), len(answers))


def release_report(report: Report, now: datetime) -> None:
    """One held report to staff: its timeline entries, its notices and its mail, as a filing tells them."""
    report.held = False
    for event in report.events:
        event.held = False
    chosen = route_of(report)
    report.handling_node = chosen.handling_node
    announce_new_report(report, chosen.informed, chosen.responsible, now)
    if any(event.kind == EventKind.ANSWER for event in report.events):
        announce_answer(report, now)
