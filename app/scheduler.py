"""The one process that runs SoRa's scheduled jobs: `flask --app app scheduler`.

Job definitions live in the app's database (APScheduler's SQLAlchemy job store), and each run
takes the job's lease (app.jobs), so web workers never send mail themselves and a
second scheduler started by mistake sends nothing twice.
"""
from __future__ import annotations

import logging
import signal
from datetime import datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app import jobs
from app.extensions import db
from app.workflow.admin import site_settings
from app.workflow.cases.deadlines import HELSINKI, DeadlineSettings
from app.workflow.mail import digests

JOBSTORE_TABLE = "apscheduler_jobs"
# Every job also runs once at start, so nothing waits for its first interval after a restart.
SCHEDULE: list[tuple[str, str, dict[str, int]]] = [
    ("deliver_mail", "interval", {"seconds": 30}),
    ("release", "cron", {"hour": 0, "minute": 5}),
    ("org_imports", "interval", {"seconds": 15}),
    ("render_files", "interval", {"seconds": 3}),
    ("deadline_notices", "interval", {"minutes": 10}),
    ("digests", "cron", {"hour": 7, "minute": 0}),
    ("compilation_reminders", "cron", {"hour": 7, "minute": 15}),
    ("retention", "cron", {"hour": 3, "minute": 30}),
    ("campaigns", "cron", {"hour": 8, "minute": 0}),
    ("harvest", "cron", {"hour": 4, "minute": 10}),
    ("harvest_requested", "interval", {"seconds": 20}),
]
_app: Flask | None = None


def run_job(name: str) -> None:
    """The entry APScheduler calls (by name, so the job store can hold it) in a worker thread."""
    assert _app is not None, "the scheduler's app is set by start()"
    with _app.app_context():
        try:
            jobs.run(name)
        finally:
            db.session.remove()


def configure(app: Flask, scheduler: BaseScheduler) -> BaseScheduler:
    """Put SoRa's jobs into the scheduler, replacing the stored definitions of an earlier start."""
    global _app
    _app = app
    scheduler.configure(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE)},
        timezone=HELSINKI,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    now = datetime.now(HELSINKI)
    for name, trigger, timing in SCHEDULE:
        scheduler.add_job(f"{__name__}:run_job", trigger, args=[name], id=name, name=name, replace_existing=True,
                          next_run_time=now, **timing)
    return scheduler


def check_settings(app: Flask) -> None:
    """Refuse to start on settings a job would only trip over later; warn where mail goes nowhere real."""
    settings = site_settings.current()
    DeadlineSettings.from_config(settings)
    digests.digest_period(datetime.now(HELSINKI), settings["DIGEST_RHYTHM"])
    if not app.config["MAIL_SERVER"]:
        app.logger.warning("SORA_MAIL_SERVER is not set: mail is written to %s/mail/ instead of being sent",
                           app.instance_path)
    elif "127.0.0.1" in app.config["BASE_URL"] or "localhost" in app.config["BASE_URL"]:
        app.logger.warning("SORA_BASE_URL is %s: links in mail will not open for their readers", app.config["BASE_URL"])


def start(app: Flask) -> None:
    """Run until Ctrl+C or SIGTERM; then let running jobs finish, so their leases are released."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # each run of a job, and each page WeasyPrint lays out, is not news: the console keeps what went wrong
    for chatty in ("apscheduler.executors.default", "apscheduler.scheduler", "weasyprint.progress"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    check_settings(app)
    db.session.remove()  # the command's own session must not keep a transaction (on SQLite, the write lock)
    scheduler = configure(app, BlockingScheduler())
    signal.signal(signal.SIGTERM, _exit)
    app.logger.info("SoRa scheduler started: %s", ", ".join(name for name, _, _ in SCHEDULE))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        app.logger.info("SoRa scheduler stopping: waiting for running jobs")
        scheduler.shutdown(wait=True)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)
