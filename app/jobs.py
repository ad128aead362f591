"""The scheduled jobs: deliver mail, warn of deadlines, flag overdue reports, send digests, compilation
reminders, reminder campaigns, retention, large organisation imports, the PDFs to render and the harvest of
counties' open data. Each runs under its lease
(app.workflow.core.leases)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import CompilationPublication, OrgImportJob, utcnow
from app.workflow.admin import org_csv
from app.workflow.admin.retention import RetentionSettings, run_retention
from app.workflow.campaigns.reminders import send_due as send_campaign_rounds
from app.workflow.cases.deadlines import HELSINKI
from app.workflow.compilations.operations import (
    send_deadline_reminders as send_compilation_reminders,
)
from app.workflow.cases.release import release_held
from app.workflow.comparison import files as comparison_files
from app.workflow.compilations import disclosure, files
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.languages import document_language
from app.workflow.compilations.periods import parse_period
from app.workflow.comparison import harvest as comparison_harvest
from app.workflow.core import rendering
from app.workflow.core.leases import exclusive
from app.workflow.core.unit_of_work import unit_of_work
from app.workflow.mail.digests import send_deadline_notices, send_digests
from app.workflow.mail.outbox import deliver_due, purge_sent
from app.workflow.welfare import files as welfare_files
from app.workflow.welfare import package_export as welfare_package_export


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


def apply_org_imports() -> int:
    """Apply the queued organisation files, oldest first, each in its own transaction; returns how many."""
    done = 0
    while True:
        with unit_of_work():
            job = db.session.scalar(sa.select(OrgImportJob).where(OrgImportJob.state == "queued")
                                    .order_by(OrgImportJob.id).limit(1))
            if job is None:
                return done
            job.state = "running"
            job_id = job.id
        try:
            with unit_of_work():
                org_csv.apply_queued(db.session.get(OrgImportJob, job_id))
        except Exception:
            current_app.logger.exception("organisation import %d failed", job_id)
            with unit_of_work():
                failed = db.session.get(OrgImportJob, job_id)
                failed.state, failed.content, failed.finished_at = "failed", None, utcnow()
                failed.result = {"error": True}
        done += 1


def render_compilation_pdf(params: dict[str, Any], progress: Callable[[int], None]) -> bytes:
    """A published version from its snapshot, or a draft as it stands now."""
    period = parse_period(params["period"])
    if params.get("publication_id"):
        publication = db.session.get(CompilationPublication, params["publication_id"])
        if publication is None:
            raise LookupError(f"publication {params['publication_id']}")
        content = disclosure.publishable(publication.snapshot)
        corrections = [{"published_at": p.published_at.astimezone(HELSINKI).isoformat(),
                        "withdrawn_at": p.withdrawn_at.astimezone(HELSINKI).isoformat(),
                        "reason": p.withdrawal_reason or ""} for p in publication.compilation.publications
                       if p.withdrawn_at is not None and p.id < publication.id]
    else:
        content, corrections = compilations.content_of(period, compilations.find(period)), []
    progress(30)
    html = compilation_export.render_html(content, params.get("municipality"), corrections=corrections,
                                          language=document_language(params.get("language")))
    progress(50)
    return compilation_export.html_to_pdf(html)


def render_welfare_pdf(params: dict[str, Any], progress: Callable[[int], None]) -> bytes:
    """The package was built when it was asked for (from published content only) and travels in the job."""
    progress(30)
    return welfare_package_export.render_pdf(params["package"])


RENDERERS: dict[str, rendering.Renderer] = {
    files.KIND: render_compilation_pdf,
    welfare_files.KIND: render_welfare_pdf,
    comparison_files.KIND: comparison_files.render_pdf,
}


def render_files() -> int:
    """The PDFs waiting in the render queue (app.workflow.core.rendering), oldest first."""
    return rendering.run_all(RENDERERS)


def harvest_open_data() -> int:
    """Every county's open data, daily (app.workflow.comparison.harvest); returns the files added."""
    return sum(len(result.added) for result in comparison_harvest.run_harvest())


def harvest_requested() -> int:
    """The sources the administrator asked to harvest now ("Hae nyt"), soon after the asking."""
    return sum(len(result.added) for result in comparison_harvest.run_harvest(only_requested=True))


JOBS: dict[str, Callable[[], int]] = {
    "deliver_mail": deliver_mail,
    "release": release_anonymous,
    "deadline_notices": send_deadline_notices,
    "digests": send_digests,
    "compilation_reminders": remind_of_compilation_deadlines,
    "retention": delete_expired_reports,
    "campaigns": campaigns,
    "org_imports": apply_org_imports,
    "render_files": render_files,
    "harvest": harvest_open_data,
    "harvest_requested": harvest_requested,
}


def run(name: str) -> int | None:
    """Run one job under its lease; None if another process holds it."""
    with exclusive(name) as mine:
        if not mine:
            current_app.logger.info("job %s skipped: another scheduler is running it", name)
            return None
        return JOBS[name]()
