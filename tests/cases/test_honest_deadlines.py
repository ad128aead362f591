"""Deadlines that tell the truth: what counts as feedback, stalled cases, and wording that cannot be misread."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from helpers import csrf_token, login

from app.codes import Nature, ReportStatus
from app.extensions import db
from app.models import Report, utcnow
from app.workflow.cases.deadlines import (
    Deadline,
    DeadlineSettings,
    describe,
    is_stalled,
    standing,
)
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.core.errors import Refusal

UTC = timezone.utc
NAMED = {"reporter_name": "Nimetty Raportoija"}


def listed(client, **args: str) -> set[str]:  # type: ignore[no-untyped-def]
    page = client.get("/cases/", query_string=args).get_data(as_text=True)
    return set(re.findall(r'<a href="/cases/([A-Z]+-\d{4}-A?\d{5})">', page))


def test_starting_with_the_automatic_note_is_no_feedback_and_the_case_becomes_overdue(app, org, create_report):
    """SR-2024-00002 of the demo: "Raportti on otettu käsittelyyn" and nothing after; it must show as late."""
    received = utcnow() - timedelta(days=120)
    report = create_report(org["unit"], now=received, **NAMED)
    perform(Action.START_HANDLING, report, org["handler"], note="Raportti on otettu käsittelyyn.",
            now=received + timedelta(days=1))
    db.session.commit()
    assert report.feedback_given_at is None
    director = app.test_client()
    login(director, org["social_director"].email)
    assert report.number in listed(director, overdue="y")
    assert report.number in listed(director, stalled="y"), "no step for 119 days"
    page = director.get(f"/cases/{report.number}").get_data(as_text=True)
    helsinki = ZoneInfo("Europe/Helsinki")  # three calendar months from 120 days ago: 28 to 31 days late
    late = (utcnow().astimezone(helsinki).date() - report.feedback_due_at.astimezone(helsinki).date()).days
    assert late > 20 and f"myöhässä {late} päivää" in page and "täyttynyt" not in page


def test_a_public_progress_note_is_feedback(app_ctx, org, create_report):
    report = create_report(org["unit"], **NAMED)
    perform(Action.START_HANDLING, report, org["handler"])
    perform(Action.ADD_NOTE, report, org["handler"], note="Selvitämme asiaa kunnan kanssa.", is_public=False)
    assert report.feedback_given_at is None, "an internal note tells the reporter nothing"
    perform(Action.ADD_NOTE, report, org["handler"], note="Asia on viety palvelualueen johtoryhmään.", is_public=True)
    assert report.feedback_given_at is not None


def test_the_wording_of_each_deadline(app_ctx, org, create_report):
    received = datetime(2026, 1, 2, 8, tzinfo=UTC)
    on_time = create_report(org["unit"], now=received, **NAMED)
    perform(Action.START_HANDLING, on_time, org["handler"], now=received + timedelta(days=1))
    perform(Action.TAKE_FORWARD, on_time, org["handler"], forum=org["forum"], now=received + timedelta(days=20))
    late = create_report(org["unit"], now=received, **NAMED)
    now = received + timedelta(days=95)
    assert describe(standing(on_time, Deadline.FIRST_HANDLING, now)) == "aloitettu ajallaan 3.1.2026"
    assert describe(standing(on_time, Deadline.FEEDBACK, now)) == "annettu ajallaan 22.1.2026"
    assert describe(standing(late, Deadline.FIRST_HANDLING, now)) == "myöhässä 88 päivää"
    assert describe(standing(late, Deadline.FEEDBACK, now)) == "myöhässä 5 päivää"
    assert describe(standing(late, Deadline.FEEDBACK, received + timedelta(days=91))) == "myöhässä 1 päivä"
    assert describe(standing(late, Deadline.FEEDBACK, received)) == "erääntyy 2.4.2026"
    perform(Action.START_HANDLING, late, org["handler"], now=now)
    perform(Action.RESOLVE, late, org["handler"], note="Ratkaistu.", now=now)
    assert describe(standing(late, Deadline.FEEDBACK, now)) == "annettu myöhässä 7.4.2026"


def test_stalled_after_a_set_time_without_steps_and_after_an_unanswered_question(app, org, create_report):
    settings = DeadlineSettings(stalled_days=30, question_wait_days=14)
    now = utcnow()
    quiet = create_report(org["unit"], now=now - timedelta(days=40), **NAMED)
    perform(Action.START_HANDLING, quiet, org["handler"], now=now - timedelta(days=31))
    recent = create_report(org["unit"], now=now - timedelta(days=40), **NAMED)
    perform(Action.START_HANDLING, recent, org["handler"], now=now - timedelta(days=29))
    asked = create_report(org["unit"], now=now - timedelta(days=40), **NAMED)
    perform(Action.ASK_REPORTER, asked, org["handler"], note="Tarkennatko?", now=now - timedelta(days=15))
    closed = create_report(org["unit"], now=now - timedelta(days=80), **NAMED)
    perform(Action.CLOSE, closed, org["handler"], note="Ei toimenpiteitä.", now=now - timedelta(days=70))
    db.session.commit()
    assert [is_stalled(r, now, settings) for r in (quiet, recent, asked, closed)] == [True, False, True, False]
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert listed(handler, stalled="y") == {quiet.number, asked.number}


def test_the_handler_goes_on_without_the_answer_only_once_the_question_has_waited(app, org, create_report):
    now = utcnow()
    report = create_report(org["unit"], now=now - timedelta(days=30), **NAMED)
    perform(Action.START_HANDLING, report, org["handler"], now=now - timedelta(days=29))
    perform(Action.ASK_REPORTER, report, org["handler"], note="Tarkennatko?", now=now - timedelta(days=5))
    db.session.commit()
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert "Jatka ilman vastausta" not in handler.get(f"/cases/{report.number}").get_data(as_text=True)
    with pytest.raises(Refusal, match="odotetaan vielä vastausta"):
        perform(Action.GO_ON_WITHOUT_ANSWER, report, org["handler"], note="Jatketaan.")
    db.session.rollback()

    db.session.execute(sa.update(Report).where(Report.id == report.id).values(last_step_at=now - timedelta(days=15)))
    db.session.commit()
    page = handler.get(f"/cases/{report.number}").get_data(as_text=True)
    assert "Jatka ilman vastausta" in page and "Pysähtynyt" in page
    response = handler.post(f"/cases/{report.number}/go_on_without_answer",
                            data={"csrf_token": csrf_token(handler, f"/cases/{report.number}"),
                                  "note": "Vastausta ei tullut; jatkamme käsittelyä saatavilla olevin tiedoin.",
                                  "version": str(db.session.get(Report, report.id).version)})
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.status == ReportStatus.IN_HANDLING and report.feedback_given_at is None
    assert report.number not in listed(handler, stalled="y")


def test_the_dashboard_counts_overdue_and_stalled_and_links_to_the_lists(app, org, create_report):
    now = utcnow()
    late = create_report(org["unit"], now=now - timedelta(days=100), nature=Nature.NEGATIVE, **NAMED)
    create_report(org["unit"], **NAMED)
    db.session.commit()
    director = app.test_client()
    login(director, org["social_director"].email)
    page = director.get("/cases/dashboard").get_data(as_text=True)
    overdue = re.search(r'href="(/cases/\?overdue=y)" id="overdue-count"><strong>(\d+)</strong>', page)
    stalled = re.search(r'href="(/cases/\?stalled=y)" id="stalled-count"><strong>(\d+)</strong>', page)
    assert overdue and stalled and (overdue.group(2), stalled.group(2)) == ("1", "1")
    assert listed(director, overdue="y") == {late.number} == listed(director, stalled="y")


def test_the_migration_takes_back_feedback_that_was_only_the_note_of_starting(app, app_ctx, org, create_report):
    """Reports handled before this change had "feedback" from the automatic note; the migration derives it again,
    sets each report's last step from its timeline and indexes every report for search."""
    from flask_migrate import downgrade, upgrade

    from app.models import ReportSearch

    received = datetime(2025, 1, 5, 8, tzinfo=UTC)
    started = create_report(org["unit"], now=received, description="Asunnottomuudesta.", **NAMED)
    perform(Action.START_HANDLING, started, org["handler"], note="Raportti on otettu käsittelyyn.",
            now=received + timedelta(days=1))
    forwarded = create_report(org["unit"], now=received, **NAMED)
    perform(Action.START_HANDLING, forwarded, org["handler"], now=received + timedelta(days=1))
    perform(Action.TAKE_FORWARD, forwarded, org["handler"], forum=org["forum"], now=received + timedelta(days=9))
    db.session.execute(sa.update(Report).where(Report.id == started.id)
                       .values(feedback_given_at=received + timedelta(days=1)))  # as the old rule stored it
    db.session.commit()
    ids = (started.id, forwarded.id)
    db.session.remove()
    downgrade(revision="5db2f59ad535")
    upgrade()
    db.session.remove()
    started, forwarded = (db.session.get(Report, report_id) for report_id in ids)
    assert started.feedback_given_at is None
    assert forwarded.feedback_given_at == received + timedelta(days=9) == forwarded.last_step_at
    assert started.last_step_at == received + timedelta(days=1)
    assert "asunnottomuus" in db.session.get(ReportSearch, started.id).terms.split(), "the migrations indexed it"
