"""Files rendered off the web request: a queue of render jobs in the database.

A web request only asks for a file (`request_file`) and shows how far its job is; the scheduler
process (app.jobs, "render_files") claims queued jobs one at a time and renders them, so a
PDF never ties up a web worker, whatever the number of workers or the database (SQLite or
PostgreSQL). A job's key names the file's content: asking again for the same content finds the
same job, and a finished file is served from disk without rendering it again.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.codes import RenderStatus
from app.extensions import db
from app.models import RenderJob, User, utcnow
from app.workflow.core.leases import HOLDER
from app.workflow.core.unit_of_work import discard, unit_of_work

CLAIM = timedelta(minutes=10)
"""A job claimed longer ago than this by a process that did not finish it is taken up again."""
STALE_DRAFT = timedelta(minutes=10)
"""A draft's file is rendered again when asked for after this long: its figures are live."""
Renderer = Callable[[dict[str, Any], Callable[[int], None]], bytes]
"""Renders a job's params into the file's bytes, reporting progress (per cent) as it goes."""


def directory() -> Path:
    return Path(current_app.config["COMPILATION_FILES_DIR"]) / "rendered"


def path_of(job: RenderJob) -> Path | None:
    return directory() / job.file_name if job.file_name else None


def ready(job: RenderJob | None) -> bool:
    """The job's file is done and still on disk."""
    path = path_of(job) if job is not None else None
    return job is not None and job.status == RenderStatus.DONE and path is not None and path.exists()


def find(key: str) -> RenderJob | None:
    return db.session.scalar(sa.select(RenderJob).where(RenderJob.key == key))


def request_file(key: str, kind: str, params: Mapping[str, Any], download_name: str, *,
                 requested_by: User | None = None, refresh_after: timedelta | None = None,
                 now: datetime | None = None) -> RenderJob:
    """The job for this content, queued if new, failed, lost from disk or (for live content) stale; flushes.

    Runs inside the caller's unit of work (a view's request): the request commits the job, the
    scheduler renders it.
    """
    now = now or utcnow()
    job = find(key)
    if job is None:
        job = RenderJob(key=key, kind=kind, params=dict(params), download_name=download_name,
                        requested_by_id=requested_by.id if requested_by is not None else None, created_at=now,
                        status=RenderStatus.QUEUED, progress=0)
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except IntegrityError:  # another request queued it a moment ago
            job = find(key)
            assert job is not None
        return job
    stale = (refresh_after is not None and job.status == RenderStatus.DONE and job.finished_at is not None
             and job.finished_at < now - refresh_after)
    lost = job.status == RenderStatus.DONE and not ready(job)
    if job.status == RenderStatus.FAILED or stale or lost:
        job.status, job.progress, job.error = RenderStatus.QUEUED, 0, None
        job.params, job.download_name, job.created_at = dict(params), download_name, now
        job.started_at = job.finished_at = job.claimed_until = None
        db.session.flush()
    return job


def claim_next(now: datetime | None = None, holder: str = HOLDER) -> RenderJob | None:
    """Take the oldest queued job (or one whose claim ran out); commits at once so others see it taken."""
    now = now or utcnow()
    with unit_of_work():
        waiting = sa.or_(RenderJob.status == RenderStatus.QUEUED,
                         sa.and_(RenderJob.status == RenderStatus.RUNNING, RenderJob.claimed_until < now))
        candidate = db.session.scalar(sa.select(RenderJob.id).where(waiting)
                                      .order_by(RenderJob.created_at, RenderJob.id).limit(1))
        if candidate is None:
            return None
        taken = db.session.execute(
            sa.update(RenderJob).where(RenderJob.id == candidate, waiting)
            .values(status=RenderStatus.RUNNING, holder=holder, claimed_until=now + CLAIM, started_at=now,
                    progress=1).execution_options(synchronize_session=False)).rowcount
    if not taken:
        return None
    return db.session.get(RenderJob, candidate)


def _progress(job_id: int) -> Callable[[int], None]:
    def report(percent: int) -> None:
        with unit_of_work():
            db.session.execute(sa.update(RenderJob).where(RenderJob.id == job_id)
                               .values(progress=max(1, min(99, int(percent))))
                               .execution_options(synchronize_session=False))

    return report


def run_one(renderers: Mapping[str, Renderer], now: datetime | None = None) -> bool:
    """Render the next job; False when nothing waits. A failure is recorded on the job, not raised."""
    job = claim_next(now)
    if job is None:
        return False
    job_id, kind, params, key = job.id, job.kind, dict(job.params), job.key
    file_name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in key)[:150] + f"-{job_id}.{kind.rsplit('_', 1)[-1]}"
    try:
        data = renderers[kind](params, _progress(job_id))
        target = directory() / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, and is shown to who asked
        discard()
        current_app.logger.exception("rendering %s failed", key)
        with unit_of_work():
            db.session.execute(sa.update(RenderJob).where(RenderJob.id == job_id).values(
                status=RenderStatus.FAILED, error=type(error).__name__, finished_at=utcnow(), claimed_until=None)
                .execution_options(synchronize_session=False))
        return True
    discard()
    with unit_of_work():
        db.session.execute(sa.update(RenderJob).where(RenderJob.id == job_id).values(
            status=RenderStatus.DONE, progress=100, file_name=file_name, finished_at=utcnow(), claimed_until=None)
            .execution_options(synchronize_session=False))
    return True


def run_all(renderers: Mapping[str, Renderer], limit: int = 50) -> int:
    """Render waiting jobs until none is left (at most `limit`); returns how many ran."""
    done = 0
    while done < limit and run_one(renderers):
        done += 1
    return done
