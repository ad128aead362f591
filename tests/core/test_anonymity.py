"""An anonymous report stores nothing that identifies its author, even when they are logged in."""
from __future__ import annotations

import io
import logging
import re
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import VIEWERS, csrf_token, file_via_form, login, release_all

from app.codes import AuditAction, ReportStatus, Role
from app.extensions import db
from app.models import AuditEntry, Notification, OutboxMessage, Report, ReportEvent
from app.workflow.cases import operations
from app.workflow.cases.release import release_held
from app.workflow.cases.deadlines import HELSINKI
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period
from app.workflow.reports import filing

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
    held = dump_database()

    release_all()
    db.session.expire_all()
    report = db.session.scalar(sa.select(Report))
    assert report.author_id is None and report.reporter_name is None and report.reporter_email is None
    assert all(event.actor_id is None for event in db.session.scalars(sa.select(ReportEvent)))

    dump = held + "\n" + dump_database()
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
    response = file_via_form(client, under_my_name="y")
    assert response.status_code == 200
    report = db.session.scalar(sa.select(Report))
    assert report.number not in caplog.text, "no log line for a reporter's own request, named or not: the audit log has it"
    assert report.author_id == user.id and not report.is_anonymous

    mine = client.get("/my-reports").get_data(as_text=True)
    assert report.number in mine
    detail = client.get(f"/my-reports/{report.number}")
    assert detail.status_code == 200 and "Vastaanotettu" in detail.get_data(as_text=True)


def test_others_cannot_open_my_report(app, client, unit, create_user):
    author = create_user("kirjoittaja@test.example", name="Kirjoittaja")
    login(client, author.email)
    assert file_via_form(client, under_my_name="y").status_code == 200
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


# The time of day gives away what the missing name does not: set beside the logins of the audit log,
# the minute an anonymous report came (or an answer) can point to one person in a small unit.
FILED = datetime(2025, 11, 3, 12, 47, 13, tzinfo=timezone.utc)  # 3.11.2025 14.47 in Helsinki
ASKED = datetime(2025, 11, 4, 7, 30, tzinfo=timezone.utc)  # 9.30: the handler's question keeps its time
ANSWERED = datetime(2025, 11, 4, 8, 5, 9, tzinfo=timezone.utc)  # 10.05
MINUTES = ("14:47", "14.47", "12:47", "T12:47", "10:05", "10.05", "08:05", "T08:05")


class Clock:
    """The filing's and the workflow's clock, set by the test: the views take the time from these modules."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = FILED
        for module in (filing, operations):
            monkeypatch.setattr(module, "utcnow", lambda: self.now)


def assert_no_minute(text: str, where: str) -> None:
    for minute in MINUTES:
        assert minute not in text, f"{where} shows {minute}"


RELEASED = datetime(2025, 11, 3, 22, 5, tzinfo=timezone.utc)  # the release job at 0.05 on 4.11. in Helsinki
RELEASED_AGAIN = RELEASED + timedelta(days=1)


def release(moment: datetime) -> None:
    """The scheduler's release job, run at that moment."""
    release_held(moment)
    db.session.commit()


def filed_anonymously_while_logged_in(app, org, monkeypatch):  # type: ignore[no-untyped-def]
    """Eeva, logged in, files anonymously at 14.47; it is released at 0.05; the handler asks at 9.30 the next day;
    she answers at 10.05, and the answer is released at 0.05 the day after."""
    clock = Clock(monkeypatch)
    reporter = app.test_client()
    login(reporter, org["employee"].email)
    receipt = file_via_form(reporter).get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', receipt).group(1)
    release(RELEASED)
    handler = app.test_client()
    login(handler, org["handler"].email)
    clock.now = ASKED
    page = handler.get(f"/cases/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    asked = handler.post(f"/cases/{number}/ask_reporter", data={
        "csrf_token": csrf_token(handler, f"/cases/{number}"), "version": version, "note": "Missä kunnassa?"})
    assert asked.status_code == 302
    clock.now = ANSWERED
    answered = reporter.post("/track/answer", data={"csrf_token": csrf_token(reporter, "/track"), "number": number,
                                                    "code": code, "answer": "Kuopiossa."}, follow_redirects=True)
    assert answered.status_code == 200 and "Vastauksesi on tallennettu" in answered.get_data(as_text=True)
    release(RELEASED_AGAIN)
    return number


def test_staff_see_an_anonymous_reporters_moments_only_to_the_day(app, org, monkeypatch):
    number = filed_anonymously_while_logged_in(app, org, monkeypatch)
    for role in sorted(VIEWERS):
        viewer = app.test_client()
        login(viewer, org[role].email)
        case = viewer.get(f"/cases/{number}").get_data(as_text=True)
        assert_no_minute(case, f"the case page for the {role}")
        assert '<time datetime="2025-11-03">3.11.2025</time>' in case, "the filing: the day only"
        assert '<time datetime="2025-11-04">4.11.2025</time>' in case, "the answer: the day only"
        assert "4.11.2025 09:30" in case, "the handler's own question keeps its time"
        assert "Kuopiossa." in case
        for page in ("/cases/", "/cases/notifications"):
            assert_no_minute(viewer.get(page).get_data(as_text=True), f"{page} for the {role}")
    handler = app.test_client()
    login(handler, org["handler"].email)
    notifications = handler.get("/cases/notifications").get_data(as_text=True)
    assert "Uusi raportti käsiteltäväksi" in notifications and "Raportoija vastasi kysymykseen" in notifications
    assert '<time datetime="2025-11-04">4.11.2025</time>' in notifications, "the release's day"
    director = app.test_client()
    login(director, org["social_director"].email)
    dashboard = director.get("/cases/dashboard").get_data(as_text=True)
    assert number in dashboard and "3.11.2025" in dashboard
    assert_no_minute(dashboard, "the dashboard")
    admin = app.test_client()
    login(admin, org["admin"].email)
    audit = admin.get(f"/admin/audit?report_number={number}").get_data(as_text=True)
    assert_no_minute(audit, "the audit log")
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.report_number == number)).all()
    assert entries and all(entry.actor_id != org["employee"].id for entry in entries), "only staff's own steps"


def test_an_anonymous_reporters_moments_are_stored_only_as_a_day(app, org, monkeypatch):
    number = filed_anonymously_while_logged_in(app, org, monkeypatch)
    db.session.expire_all()
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    filed_day = datetime(2025, 11, 2, 22, tzinfo=timezone.utc)  # 3.11.2025 0.00 in Helsinki
    answer_day = filed_day + timedelta(days=1)
    assert report.created_at == filed_day and report.updated_at == RELEASED_AGAIN, "last changed by the release"
    moments = {event.kind.value: event.created_at for event in report.events}
    assert moments["submitted"] == filed_day and moments["answer"] == answer_day
    assert moments["question"] == ASKED, "the handler's own step keeps its time"
    kinds = {n.kind.value: n.created_at for n in db.session.scalars(sa.select(Notification))}
    assert kinds == {"for_information": RELEASED, "for_action": RELEASED, "answer": RELEASED_AGAIN}, \
        "notices are written at the release, with its moment"
    dump = dump_database()
    for moment in (FILED, ANSWERED):
        assert moment.replace(tzinfo=None).isoformat(" ")[:16] not in dump


def test_staff_learn_of_an_anonymous_report_only_at_the_release(app, org, monkeypatch):
    Clock(monkeypatch)
    reporter = app.test_client()
    receipt = file_via_form(reporter).get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    for role in sorted(VIEWERS):
        viewer = app.test_client()
        login(viewer, org[role].email)
        assert viewer.get(f"/cases/{number}").status_code == 404, role
        assert number not in viewer.get("/cases/").get_data(as_text=True), role
        assert number not in viewer.get("/cases/notifications").get_data(as_text=True), role
    director = app.test_client()
    login(director, org["social_director"].email)
    assert number not in director.get("/cases/dashboard").get_data(as_text=True)
    release(datetime(2025, 11, 3, 21, 59, tzinfo=timezone.utc))  # 23.59 the same day: not yet
    assert director.get(f"/cases/{number}").status_code == 404
    release(RELEASED)
    assert director.get(f"/cases/{number}").status_code == 200
    assert "Uusi raportti tiedoksi" in director.get("/cases/notifications").get_data(as_text=True)
    staff = db.session.scalars(sa.select(OutboxMessage)).all()
    assert len(staff) == 3 and {m.created_at for m in staff} == {RELEASED}
    assert all(m.next_attempt_at == RELEASED for m in staff), "due at once from the release"
    for message in staff:
        assert_no_minute(message.body_text + message.body_html, f"the {message.kind} mail")
        assert message.to_reporter is False


def test_a_named_report_is_announced_at_once_and_its_arrival_shown_as_a_day(app, org, monkeypatch):
    Clock(monkeypatch)
    author = app.test_client()
    login(author, org["employee"].email)
    receipt = file_via_form(author, under_my_name="y").get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.report.has(Report.number == number))).all()
    staff = [m for m in mail if not m.to_reporter]
    assert [m.kind for m in mail if m.to_reporter] == ["acknowledgement"]
    assert len(staff) == 3 and all(m.next_attempt_at <= datetime.now(timezone.utc) for m in mail), "due at once"
    handler = app.test_client()
    login(handler, org["handler"].email)
    case = handler.get(f"/cases/{number}").get_data(as_text=True)
    assert '<time datetime="2025-11-03">3.11.2025</time>' in case, "a neighbour's minute would bracket others"
    assert_no_minute(case, "a named report's case page")
    assert_no_minute(handler.get("/cases/notifications").get_data(as_text=True), "the notifications")


def test_compilation_exports_give_an_anonymous_report_no_time_of_day(app, org, monkeypatch):
    filed_anonymously_while_logged_in(app, org, monkeypatch)
    compilations.open_compilation(Period(2025, 2), org["working_group"])
    db.session.commit()
    group = app.test_client()
    login(group, org["working_group"].email)
    page = group.get("/compilations/2025-H2/reports").get_data(as_text=True)
    assert "3.11.2025" in page
    assert_no_minute(page, "the period's reports page")
    assert_no_minute(group.get("/compilations/2025-H2").get_data(as_text=True), "the compilation page")
    csv_file = group.get("/compilations/2025-H2/kooste.csv")
    assert csv_file.status_code == 200
    assert_no_minute(csv_file.get_data().decode("utf-8-sig"), "the CSV export")
    workbook = openpyxl.load_workbook(io.BytesIO(group.get("/compilations/2025-H2/kooste.xlsx").get_data()))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not isinstance(value, datetime), f"a time in the sheet {sheet.title}"
                assert_no_minute(str(value), f"the sheet {sheet.title}")


def test_the_audit_log_shows_who_filed_a_named_report_only_to_those_who_may_see_the_reporter(app, org, monkeypatch):
    Clock(monkeypatch)
    author = app.test_client()
    login(author, org["employee"].email)
    receipt = file_via_form(author, under_my_name="y").get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
    assert author.get(f"/my-reports/{number}").status_code == 200, "the author opens their own report"
    name = org["employee"].name
    admin = app.test_client()
    login(admin, org["admin"].email)
    page = admin.get(f"/admin/audit?report_number={number}").get_data(as_text=True)
    assert number in page and "raportoija (ei näytetä)" in page and name not in page
    assert '<time datetime="2025-11-03">3.11.2025</time>' in page and "14:47" not in page
    found = admin.get(f"/admin/audit?actor={name}").get_data(as_text=True)
    assert number not in found, "a search by actor does not find the author either"
    from app.workflow.core.anonymity import day_start

    filed_at = db.session.scalars(sa.select(AuditEntry.created_at).where(
        AuditEntry.report_number == number, AuditEntry.action.in_([AuditAction.REPORT_FILED,
                                                                   AuditAction.REPORT_VIEWED]))).all()
    assert filed_at and all(moment == day_start(moment) for moment in filed_at), \
        "stored as the day, so the entries do not sort beside the author's login"


def test_only_the_social_director_sees_reporters_in_the_audit_log(org):
    from app.workflow.core.permissions import can_see_reporters_in_audit

    assert can_see_reporters_in_audit(org["social_director"])
    assert not can_see_reporters_in_audit(org["admin"]) and not can_see_reporters_in_audit(org["working_group"])


def test_an_anonymous_filing_and_answer_take_no_place_among_named_reports_and_staffs_steps(app, org):
    """A named report at 10.00.01, an anonymous one at 10.00.02, a named one at 10.00.03, and later an
    anonymous answer between two steps of staff: in a copy of the database, taken before the release or
    after it, no id, number or row order sets the anonymous filing or answer between its neighbours."""
    from app.models import HeldAnswer, HeldFiling
    from app.workflow.cases.transitions import Action

    def moment(minute: int, second: int) -> datetime:
        return datetime(2025, 11, 3, 8, minute, second, tzinfo=timezone.utc)

    def filed(second: int, **named: str):  # type: ignore[no-untyped-def]
        data = filing.ReportInput(unit=org["unit"], nature=filing.Nature.NEGATIVE,
                                  phenomenon=filing.Phenomenon.CLIENT_WORK, description=f"Kuvaus {second}.", **named)
        return filing.file_report(data, now=moment(0, second))

    first = filed(1, reporter_name="Niina Nimellinen", reporter_email="niina@example.org")
    anonymous = filed(2)
    last = filed(3, reporter_name="Matti Nimellinen", reporter_email="matti@example.org")
    db.session.commit()
    assert anonymous.report is None and anonymous.number.startswith("SR-2025-A")
    named = [first.report, last.report]
    assert [r.number for r in named] == ["SR-2025-00001", "SR-2025-00002"], "no gap in the named series"
    assert named[1].id == named[0].id + 1, "no report id was taken in between"
    events = [event.id for report in named for event in report.events]
    assert events == list(range(events[0], events[0] + len(events))), "nor a timeline entry's"
    elsewhere = [line for line in dump_database().splitlines() if not line.startswith("held_filing:")]
    assert not any(anonymous.number in line for line in elsewhere), "the held row is all there is of it"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.report_id.not_in([r.id for r in named]))) == 0

    release(RELEASED)
    report = db.session.scalar(sa.select(Report).where(Report.number == anonymous.number))
    assert report.id > named[1].id and min(e.id for e in report.events) > max(events), "made at the release"
    assert report.created_at == datetime(2025, 11, 2, 22, tzinfo=timezone.utc)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldFiling)) == 0

    handler = org["handler"]
    operations.perform(Action.START_HANDLING, report, handler, now=moment(30, 0) + timedelta(days=1))
    operations.perform(Action.ASK_REPORTER, report, handler, note="Missä kunnassa?", now=moment(31, 0) + timedelta(days=1))
    db.session.commit()
    version, status = report.version, report.status
    operations.perform(Action.START_HANDLING, named[0], handler, now=moment(40, 0) + timedelta(days=1))
    held = operations.answer_question(report, "Kuopiossa.", now=moment(40, 1) + timedelta(days=1))
    operations.perform(Action.START_HANDLING, named[1], handler, now=moment(40, 2) + timedelta(days=1))
    db.session.commit()
    assert isinstance(held, HeldAnswer)
    db.session.expire_all()
    assert (report.version, report.status) == (version, status), "nothing staff see changes before the release"
    assert "Kuopiossa." not in "".join(e.note or "" for e in report.events)
    staff_steps = sorted(e.id for r in named for e in r.events if e.actor_id == handler.id)
    assert staff_steps[1] == staff_steps[0] + 1, "the answer took no timeline id between the two steps"

    release(RELEASED_AGAIN)
    db.session.expire_all()
    answer = next(e for e in report.events if e.note == "Kuopiossa.")
    assert answer.id > staff_steps[1] and answer.created_at == datetime(2025, 11, 3, 22, tzinfo=timezone.utc)
    assert report.status == ReportStatus.IN_HANDLING and report.unread_answer
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldAnswer)) == 0
