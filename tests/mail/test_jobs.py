"""Scheduled jobs: reminders once per report and deadline, overdue to the director, digests, the lock."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from helpers import add_report

from app import jobs
from app.codes import Nature, NotificationKind, Phenomenon, Role
from app.extensions import db
from app.models import JobLock, Notification, OutboxMessage, ScheduledNotice
from app.workflow.cases.deadlines import DeadlineSettings
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.core import leases
from app.workflow.mail import digests

UTC = timezone.utc
RECEIVED = datetime(2026, 11, 2, 8, tzinfo=UTC)  # 10.00 in Helsinki; no clock change for months
SETTINGS = DeadlineSettings(first_handling_days=7, feedback_days=90, reminder_percents=(60, 80))


def mails(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def in_app(kind: NotificationKind) -> list[tuple[str, str]]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.kind == kind).order_by(Notification.id))
    return [(row.user.email, row.report.number) for row in rows]


def new_report(org, received=RECEIVED, **extra):  # type: ignore[no-untyped-def]
    """A named report by default: its deadlines run from the minute it came (an anonymous one's are whole days)."""
    extra.setdefault("reporter_name", "Nimetty Raportoija")
    report = add_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS, now=received,
                        **extra)
    db.session.commit()
    return report


def test_reminders_come_once_per_point_even_across_restarts(app_ctx, org):
    report = new_report(org)
    day = timedelta(days=1)
    assert digests.send_deadline_notices(RECEIVED + 4 * day, SETTINGS) == 0  # 57 % of a week
    assert digests.send_deadline_notices(RECEIVED + 4 * day + timedelta(hours=5), SETTINGS) == 1  # 60 %
    assert digests.send_deadline_notices(RECEIVED + 4 * day + timedelta(hours=6), SETTINGS) == 0  # a restart: nothing new
    assert digests.send_deadline_notices(RECEIVED + 5 * day + timedelta(hours=15), SETTINGS) == 1  # 80 %
    assert digests.send_deadline_notices(RECEIVED + 6 * day, SETTINGS) == 0
    reminders = mails("reminder")
    assert [m.recipient for m in reminders] == ["h@t.example", "h@t.example"]
    assert reminders[0].subject == f"Muistutus: raportin {report.number} määräaika lähestyy"
    assert "Käsittely alkaa: viimeistään 9.11.2026 klo 10.00" in reminders[0].body_text
    assert in_app(NotificationKind.REMINDER) == [("h@t.example", report.number)] * 2
    keys = set(db.session.scalars(sa.select(ScheduledNotice.key)))
    assert keys == {f"reminder:{report.id}:first_handling:60", f"reminder:{report.id}:first_handling:80"}


def test_an_anonymous_reports_reminders_and_overdue_notice_keep_to_whole_days(app_ctx, org):
    """Filed at 10.37: the reminder comes at 60 % of the time from the start of the day, and the mails name
    the end of the last day, so neither tells the minute (nor the hour) it came."""
    report = new_report(org, received=RECEIVED + timedelta(minutes=37), reporter_name=None)
    start = datetime(2026, 11, 1, 22, tzinfo=UTC)  # 2.11. 0.00 in Helsinki
    due = datetime(2026, 11, 9, 21, 59, 59, tzinfo=UTC)  # 9.11. 23.59.59
    sixty = start + (due - start) * 0.6
    assert digests.send_deadline_notices(sixty - timedelta(seconds=1), SETTINGS) == 0
    assert digests.send_deadline_notices(sixty, SETTINGS) == 1
    assert "Käsittely alkaa: viimeistään 9.11.2026 klo 23.59" in mails("reminder")[0].body_text
    assert digests.send_deadline_notices(due, SETTINGS) == 1  # the 80 % point passed, not yet late
    assert digests.send_deadline_notices(due + timedelta(seconds=1), SETTINGS) == 1
    assert "määräaika oli 9.11.2026 klo 23.59" in mails("overdue")[0].body_text
    assert in_app(NotificationKind.OVERDUE) == [("d@t.example", report.number)]


def test_overdue_goes_to_the_social_director_once(app_ctx, org):
    report = new_report(org)
    late = RECEIVED + timedelta(days=7, minutes=1)
    assert digests.send_deadline_notices(late, SETTINGS) == 1
    assert digests.send_deadline_notices(late + timedelta(hours=3), SETTINGS) == 0
    overdue = mails("overdue")
    assert [m.recipient for m in overdue] == ["d@t.example"]
    assert overdue[0].subject == f"Raportti {report.number} on myöhässä"
    assert "määräaika oli 9.11.2026 klo 10.00" in overdue[0].body_text
    assert in_app(NotificationKind.OVERDUE) == [("d@t.example", report.number)]
    assert mails("reminder") == [], "a scheduler that was down past the reminders flags the report as overdue only"


def test_starting_handling_stops_the_first_deadline_and_closing_stops_all(app_ctx, org):
    report = new_report(org)
    perform(Action.START_HANDLING, report, org["handler"], now=RECEIVED + timedelta(days=1))
    db.session.commit()
    assert digests.send_deadline_notices(RECEIVED + timedelta(days=6), SETTINGS) == 0
    assert digests.send_deadline_notices(RECEIVED + timedelta(days=55), SETTINGS) == 1  # 60 % of the feedback time
    perform(Action.RESOLVE, report, org["handler"], note="Ratkaistu.", now=RECEIVED + timedelta(days=56))
    db.session.commit()
    assert digests.send_deadline_notices(RECEIVED + timedelta(days=200), SETTINGS) == 0
    assert [k for k in db.session.scalars(sa.select(ScheduledNotice.key))] == [f"reminder:{report.id}:feedback:60"]


def test_a_report_without_handlers_reminds_the_social_director(app_ctx, create_unit, create_user):
    unit = create_unit("U-YKS", municipality="Tervo", area="Ilman käsittelijöitä")
    create_user("johtaja@t.example", roles=[(Role.SOCIAL_DIRECTOR, None)])
    new_report({"unit": unit})
    assert digests.send_deadline_notices(RECEIVED + timedelta(days=5), SETTINGS) == 1
    assert [m.recipient for m in mails("reminder")] == ["johtaja@t.example"]


def test_two_schedulers_started_by_mistake_give_each_notice_once(app, app_ctx, org):
    numbers = [new_report(org).number for _ in range(3)]
    db.session.remove()
    results: list[int] = []

    def scheduler() -> None:
        with app.app_context():
            results.append(digests.send_deadline_notices(RECEIVED + timedelta(days=5), SETTINGS))
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) in ([0, 3], [1, 2]) and sum(results) == 3
    listed = "".join(m.body_text for m in mails("reminder"))
    assert all(listed.count(f"- {number} ·") == 1 for number in numbers), "each report is reminded of once"


def test_a_held_lease_makes_a_second_scheduler_skip_the_job(app_ctx, org):
    now = datetime.now(UTC)
    assert leases.acquire("deadline_notices", now, holder="scheduler-a")
    assert not leases.acquire("deadline_notices", now, holder="scheduler-b")
    assert jobs.run("deadline_notices") is None, "this process is neither holder"
    leases.release("deadline_notices", holder="scheduler-a")
    assert jobs.run("deadline_notices") == 0
    assert db.session.get(JobLock, "deadline_notices").locked_until is None


def test_a_lease_left_by_a_crashed_scheduler_runs_out(app_ctx):
    start = datetime.now(UTC)
    assert leases.acquire("digests", start, holder="crashed")
    assert not leases.acquire("digests", start + timedelta(minutes=14), holder="new")
    assert leases.acquire("digests", start + timedelta(minutes=16), holder="new")


@pytest.mark.parametrize(
    ("moment", "rhythm", "key", "label"),
    [
        (datetime(2026, 11, 30, 21, 59, tzinfo=UTC), "monthly", "2026-11", "marraskuu 2026"),
        (datetime(2026, 11, 30, 22, 0, tzinfo=UTC), "monthly", "2026-12", "joulukuu 2026"),  # midnight in Helsinki
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "daily", "2026-03-29", "29.3.2026"),  # the spring change
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "weekly", "2026-W53", "viikko 53/2026"),
        (datetime(2027, 1, 3, 23, 0, tzinfo=UTC), "weekly", "2027-W01", "viikko 1/2027"),
    ],
)
def test_digest_periods_follow_the_helsinki_calendar(app_ctx, moment, rhythm, key, label):
    assert digests.digest_period(moment, rhythm) == (key, label)


def test_digest_rhythm_off_and_unknown(app_ctx):
    assert digests.digest_period(datetime.now(UTC), "off") is None
    with pytest.raises(ValueError, match="DIGEST_RHYTHM"):
        digests.digest_period(datetime.now(UTC), "hourly")


def test_each_handler_gets_one_digest_a_period_listing_what_waits_on_them(app_ctx, org):
    unhandled = new_report(org, received=RECEIVED + timedelta(days=26))
    late = new_report(org)
    waiting = new_report(org, received=RECEIVED + timedelta(days=1))
    perform(Action.ASK_REPORTER, waiting, org["handler"], note="Tarkennatko?", now=RECEIVED + timedelta(days=2))
    resolved = new_report(org, received=RECEIVED + timedelta(days=1))
    perform(Action.START_HANDLING, resolved, org["handler"], now=RECEIVED + timedelta(days=2))
    perform(Action.RESOLVE, resolved, org["handler"], note="Valmis.", now=RECEIVED + timedelta(days=3))
    db.session.commit()

    december = datetime(2026, 12, 1, 6, tzinfo=UTC)
    patient = replace(SETTINGS, question_wait_days=30)  # the question has not waited its time yet
    assert digests.send_digests(december, patient, "monthly") == 2, "the handler's, and the director's of the late one"
    assert digests.send_digests(december + timedelta(days=3), patient, "monthly") == 0
    digest = mails("digest")
    assert [m.recipient for m in digest] == ["h@t.example", "d@t.example"]
    assert late.number in digest[1].body_text and unhandled.number not in digest[1].body_text
    assert digest[0].subject == "SoRa-yhteenveto joulukuu 2026: käsiteltävät raporttisi"
    text = digest[0].body_text
    overdue_part, rest = text.split("Käsittelemättä")
    assert late.number in overdue_part and "Myöhässä (1)" in overdue_part
    unhandled_part, waiting_part = rest.split("Odottaa raportoijan vastausta (1)")
    assert unhandled.number in unhandled_part and waiting.number in waiting_part
    assert resolved.number not in text
    assert f"https://sora.test/cases/{late.number}" in text

    assert digests.send_digests(datetime(2027, 1, 1, 6, tzinfo=UTC), patient, "monthly") == 2


def test_the_directors_digest_lists_every_overdue_and_stalled_report(app_ctx, org):
    """Stalled: no step for 30 days, or a question unanswered for 14; the director hears of all of them."""
    forgotten = new_report(org)
    perform(Action.START_HANDLING, forgotten, org["handler"], now=RECEIVED + timedelta(days=1))
    asked = new_report(org)
    perform(Action.START_HANDLING, asked, org["handler"], now=RECEIVED + timedelta(days=1))
    perform(Action.TAKE_FORWARD, asked, org["handler"], forum=org["forum"], now=RECEIVED + timedelta(days=2))
    perform(Action.ASK_REPORTER, asked, org["handler"], note="Tarkennatko?", now=RECEIVED + timedelta(days=20))
    moving = new_report(org)
    perform(Action.START_HANDLING, moving, org["handler"], now=RECEIVED + timedelta(days=1))
    perform(Action.TAKE_FORWARD, moving, org["handler"], forum=org["forum"], now=RECEIVED + timedelta(days=30))
    db.session.commit()

    assert digests.send_digests(RECEIVED + timedelta(days=40), SETTINGS, "daily") == 2
    director = next(m for m in mails("digest") if m.recipient == "d@t.example").body_text
    stalled_part = director.split("Pysähtyneet (2)")[1]
    assert forgotten.number in stalled_part and asked.number in stalled_part and moving.number not in director
    assert "https://sora.test/cases/?stalled=y" in director


def test_no_digest_for_someone_with_nothing_waiting(app_ctx, org):
    report = new_report(org)
    perform(Action.START_HANDLING, report, org["handler"], now=RECEIVED + timedelta(hours=1))
    db.session.commit()
    assert digests.send_digests(RECEIVED + timedelta(days=2), SETTINGS, "monthly") == 0
    assert mails("digest") == []


def test_run_jobs_command(app, app_ctx, org):
    new_report(org)
    result = app.test_cli_runner().invoke(args=["run-jobs", "deadline_notices", "digests"])
    assert result.exit_code == 0, result.output
    assert "deadline_notices: 1" in result.output  # the report of 2.11. is long overdue
    assert "digests: 2" in result.output  # the handler's, and the director's of every overdue report
    wrong = app.test_cli_runner().invoke(args=["run-jobs", "everything"])
    assert wrong.exit_code != 0 and "Tuntematon työ: everything" in wrong.output


JOB_IDS = ["campaigns", "compilation_reminders", "deadline_notices", "deliver_mail", "digests", "harvest",
           "harvest_requested", "org_imports", "release",
           "render_files", "retention"]


def test_the_scheduler_keeps_its_jobs_in_the_database_and_a_restart_replaces_them(app, app_ctx):
    from apscheduler.schedulers.background import BackgroundScheduler

    from app import scheduler

    for _ in range(2):  # a second start replaces the stored definitions instead of adding copies
        instance = scheduler.configure(app, BackgroundScheduler())
        instance.start(paused=True)
        assert sorted(job.id for job in instance.get_jobs()) == JOB_IDS
        instance.shutdown(wait=False)
    with db.engine.connect() as connection:
        stored = connection.execute(sa.text(f"SELECT id FROM {scheduler.JOBSTORE_TABLE} ORDER BY id")).scalars().all()
    assert stored == JOB_IDS


def test_many_overdue_reports_at_once_make_one_mail_to_the_director(app_ctx, org):
    reports = [new_report(org, received=RECEIVED - timedelta(days=days)) for days in (30, 20, 10)]
    assert digests.send_deadline_notices(RECEIVED + timedelta(days=8), SETTINGS) == 3
    overdue = mails("overdue")
    assert [m.recipient for m in overdue] == ["d@t.example"]
    assert overdue[0].subject == "3 raporttia on myöhässä"
    assert all(report.number in overdue[0].body_text for report in reports)
    assert len(in_app(NotificationKind.OVERDUE)) == 3, "the in-app list still names each report"


def test_the_scheduler_process_stops_on_sigterm_and_leaves_no_lease(app, app_ctx, database_url, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    environment = {**os.environ, "SORA_DATABASE_URL": database_url, "SORA_SECRET_KEY": "test-secret-key",
                   "SORA_MAIL_SERVER": "127.0.0.1", "SORA_MAIL_PORT": "9"}
    db.session.commit()
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler"], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            finished = db.session.scalars(sa.select(JobLock.name).where(JobLock.locked_until.is_(None))).all()
            db.session.commit()  # on SQLite an open transaction would hold the scheduler's writes
            if {"deliver_mail", "deadline_notices"} <= set(finished):
                break
            time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "SoRa scheduler started" in output and "SoRa scheduler stopping" in output
    assert db.session.scalars(sa.select(JobLock).where(JobLock.locked_until.is_not(None))).all() == []


def test_the_scheduler_refuses_to_start_on_a_bad_digest_rhythm(app, app_ctx, monkeypatch):
    from app.scheduler import check_settings

    monkeypatch.setitem(app.config, "DIGEST_RHYTHM", "hourly")
    with pytest.raises(ValueError, match="DIGEST_RHYTHM"):
        check_settings(app)
