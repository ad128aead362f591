"""What a hands-on review of the compilations found: a late publication called late, a running half-year
opened only with a warning, a history told in the past tense, sheet and PDF wording that reads as Finnish."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from helpers import csrf_token, login

from app.codes import CompilationAction, Nature, Phenomenon
from app.extensions import db
from app.models import utcnow
from app.workflow.compilations import annual_clock
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import HELSINKI, Period
from app.workflow.core.spreadsheets import sheet_name


def test_a_deadline_tells_on_time_from_late():
    deadline = date(2026, 9, 30)
    assert annual_clock.deadline_state(deadline, date(2026, 9, 28), date(2026, 12, 1)) == ("on_time", 0)
    assert annual_clock.deadline_state(deadline, date(2026, 11, 30), date(2026, 12, 1)) == ("late", 61)
    assert annual_clock.deadline_state(deadline, None, date(2026, 10, 2)) == ("overdue", 2)
    assert annual_clock.deadline_state(deadline, None, date(2026, 9, 1)) == ("open", 0)


def test_the_calendar_marks_a_late_publication_late(app, org, create_report):
    create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                  now=datetime(2025, 9, 1, tzinfo=timezone.utc))
    published = compilations.open_compilation(Period(2025, 2), org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, published, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, published, org["review_body"])
    db.session.commit()
    client = app.test_client()
    login(client, org["employee"].email)
    page = client.get("/calendar/?year=2026").get_data(as_text=True)
    line = re.search(r"Kooste 1\.7\.–31\.12\.2025 hyväksyttävä.*?</li>", page, re.S).group(0)
    today = utcnow().astimezone(HELSINKI).date()
    assert "myöhässä" in line and f"julkaistu {today.day}.{today.month}.{today.year}" in line
    assert "(julkaistu)" not in line
    history = client.application.test_client()
    login(history, org["working_group"].email)
    detail = history.get("/compilations/2025-H2").get_data(as_text=True)
    assert "Lähetetty jaoston käsiteltäväksi" in detail and "Hyväksytty ja julkaistu" in detail


def test_a_running_half_year_is_marked_and_opened_with_a_warning(app, org):
    client = app.test_client()
    login(client, org["working_group"].email)
    today = utcnow().astimezone(HELSINKI).date()
    running = Period(today.year, 1 if today.month <= 6 else 2)
    html = client.get("/compilations/").get_data(as_text=True)
    assert re.search(rf'<option value="{running.code}">[^<]*kesken, päättyy', html)
    opened = client.post("/compilations/open", data={"csrf_token": csrf_token(client, "/compilations/"),
                                                     "period": running.code}, follow_redirects=True)
    assert "on vielä kesken" in opened.get_data(as_text=True)


def test_sheet_names_keep_an_abbreviations_genitive_readable():
    assert sheet_name("THL:n valtakunnalliset ilmiöt") == "Valtakunnalliset ilmiöt (THL)"
    assert sheet_name("Ilmiö / teema") == "Ilmiö  teema"
