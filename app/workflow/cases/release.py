"""The daily release: staff learn of the anonymous reports and answers of the days before, all at once.

Until released, an anonymous filing is a `HeldFiling` and an anonymous reporter's answer a
`HeldAnswer`: rows with random keys, apart from everything staff see and from every order that named
reports and staff's steps share. The scheduler's `release` job runs just after midnight (Helsinki
time) and makes the reports, their timeline entries, notices and mail from everything held from the
days before, in random order, so neither their ids nor the order of the notices say which came
first; every notice of the batch carries the release's moment, every report and entry its day.
Why a day: it is what is stored of those moments anyway (anonymity.py).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import HeldAnswer, HeldFiling, Report, utcnow
from app.workflow.cases.operations import announce_answer, announce_new_report, apply_answer, route_of
from app.workflow.core.anonymity import day_start
from app.workflow.reports.filing import as_report


@dataclass(frozen=True)
class Released:
    reports: int
    answers: int


def release_held(now: datetime | None = None, *, until: datetime | None = None) -> Released:
    """Release what was held before `until` (default: the start of today); flushes, never commits."""
    now = now or utcnow()
    until = until or day_start(now)
    shuffle = secrets.SystemRandom().shuffle
    filings = list(db.session.scalars(sa.select(HeldFiling).where(HeldFiling.day < until)))
    shuffle(filings)
    for held in filings:
        release_filing(held, now)
    answers = list(db.session.scalars(sa.select(HeldAnswer).where(HeldAnswer.day < until)))
    shuffle(answers)
    for answer in answers:
        release_answer(answer, now)
    db.session.flush()
    return Released(len(filings), len(answers))


def release_filing(held: HeldFiling, now: datetime) -> Report:
    """One held filing to staff: the report, its timeline entry, its notices and its mail; flushed."""
    report = as_report(held)
    report.submission_hash = held.submission_hash
    chosen = route_of(report)
    report.handling_node = chosen.handling_node
    db.session.add(report)
    db.session.delete(held)
    announce_new_report(report, chosen.informed, chosen.responsible, now)
    db.session.flush()
    return report


def release_answer(answer: HeldAnswer, now: datetime) -> None:
    """One held answer to staff: its timeline entry, the case's step back and the handlers' notices."""
    apply_answer(answer.report, answer.text, answer.day)
    announce_answer(answer.report, now)
    db.session.delete(answer)

