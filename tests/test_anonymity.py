"""An anonymous report stores nothing that identifies its author, even when they are logged in."""
from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from app.codes import Role
from app.extensions import db
from app.models import AuditEntry, Report, ReportEvent
from helpers import file_via_form, login

CLIENT_ADDRESS = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (X11; Linux) SoRaTestBrowser/77.1"


def dump_database() -> str:
    """Every row of every table as text."""
    lines = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            lines.append(f"{table.name}: {tuple(row)}")
    return "\n".join(lines)


def test_anonymous_report_while_logged_in_leaves_no_trace(app, client, unit, create_user, caplog):
    user = create_user("salainen.raportoija@test.example", name="Salainen Raportoija")
    user_id = user.id
    client.environ_base.update({"REMOTE_ADDR": CLIENT_ADDRESS, "HTTP_USER_AGENT": USER_AGENT})
    login(client, user.email)
    assert "Kirjaudu ulos" in client.get("/report/new").get_data(as_text=True), "logged in"

    caplog.set_level(logging.DEBUG)
    response = file_via_form(client, reporter_name="", reporter_email="")
    receipt = response.get_data(as_text=True)
    assert response.status_code == 200 and "Lähetit raportin nimettömänä" in receipt
    code = re.search(r'id="tracking-code">([^<]+)<', receipt).group(1)

    db.session.expire_all()
    report = db.session.scalar(sa.select(Report))
    assert report.author_id is None and report.reporter_name is None and report.reporter_email is None
    assert all(event.actor_id is None for event in db.session.scalars(sa.select(ReportEvent)))

    dump = dump_database()
    user_rows = [line for line in dump.splitlines() if line.startswith(("user_account:", "role_assignment:"))]
    report_rows = "\n".join(line for line in dump.splitlines() if line not in user_rows)
    assert report.number in report_rows, "the dump does contain the report"
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.report_number == report.number)).all()
    assert report.number not in caplog.text, "every log line has its time: the filing is not logged at all"
    for secret in ("salainen.raportoija", "Salainen Raportoija", CLIENT_ADDRESS, USER_AGENT, "SoRaTestBrowser"):
        assert secret not in report_rows
        assert secret not in caplog.text
    report_tables = {"report", "report_event", "report_theme", "report_municipality", "notification"}
    for table in db.metadata.sorted_tables:
        if table.name not in report_tables:
            continue
        for column in table.columns:
            if column.name in ("author_id", "actor_id"):
                values = db.session.scalars(sa.select(column)).all()
                assert user_id not in values, f"{table.name}.{column.name} links the author"

    cookie = client.get_cookie("session")
    session_data = str(app.session_interface.get_signing_serializer(app).loads(cookie.value))
    assert report.number not in session_data and code not in session_data, "the cookie must not link the report"

    mine = client.get("/my-reports").get_data(as_text=True)
    assert report.number not in mine


def test_named_report_is_linked_to_its_author(client, unit, create_user, caplog):
    user = create_user("nimetty@test.example", name="Nimetty Raportoija")
    login(client, user.email)
    form = client.get("/report/new").get_data(as_text=True)
    assert 'value="Nimetty Raportoija"' not in form, "anonymous is the default, even when logged in"
    caplog.set_level(logging.INFO)
    response = file_via_form(client, reporter_name="Nimetty Raportoija", reporter_email="nimetty@test.example")
    assert response.status_code == 200
    report = db.session.scalar(sa.select(Report))
    assert f"report {report.number} filed" in caplog.text, "a named filing is logged"
    assert report.author_id == user.id and not report.is_anonymous

    mine = client.get("/my-reports").get_data(as_text=True)
    assert report.number in mine
    detail = client.get(f"/my-reports/{report.number}")
    assert detail.status_code == 200 and "Vastaanotettu" in detail.get_data(as_text=True)


def test_others_cannot_open_my_report(app, client, unit, create_user):
    author = create_user("kirjoittaja@test.example", name="Kirjoittaja")
    login(client, author.email)
    file_via_form(client, reporter_name="Kirjoittaja")
    number = db.session.scalar(sa.select(Report.number))

    other = app.test_client()
    create_user("toinen@test.example", name="Toinen", roles=[(Role.EMPLOYEE, None)])
    login(other, "toinen@test.example")
    assert other.get(f"/my-reports/{number}").status_code == 404
    assert number not in other.get("/my-reports").get_data(as_text=True)


def test_named_report_without_login_is_not_linked(client, unit):
    file_via_form(client, reporter_name="Kirjautumaton Raportoija", reporter_email="k@test.example")
    report = db.session.scalar(sa.select(Report))
    assert report.author_id is None and report.reporter_name == "Kirjautumaton Raportoija"


def test_my_reports_needs_login(client):
    response = client.get("/my-reports")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
