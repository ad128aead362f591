"""Working at volume: date range, sorting by every column, exports, notifications in bulk, cases handed over in bulk."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import csrf_token, login

from app.codes import AuditAction, EscalationLevel, NotificationKind, Phenomenon, ReportStatus
from app.extensions import db
from app.models import AuditEntry, Notification, Report, utcnow
from app.workflow.cases.inbox import COLUMNS
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action

UTC = timezone.utc
NUMBER = re.compile(r'<a href="/cases/([A-Z]+-\d{4}-A?\d{5})">')


def listed(client, **args: str) -> list[str]:  # type: ignore[no-untyped-def]
    return NUMBER.findall(client.get("/cases/", query_string=args).get_data(as_text=True))


def exports(action: str = "exported") -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def three(org, create_report):  # type: ignore[no-untyped-def]
    """Three reports in two units, of different days, phenomena, statuses and levels."""
    now = utcnow()
    first = create_report(org["other_unit"], now=now - timedelta(days=20), phenomenon=Phenomenon.OWN_SERVICES,
                          description="=HYPERLINK(\"http://paha.example\") ensimmäinen")
    second = create_report(org["unit"], now=now - timedelta(days=10), phenomenon=Phenomenon.SOCIAL_PROBLEMS)
    third = create_report(org["unit"], now=now - timedelta(days=1), phenomenon=Phenomenon.CLIENT_WORK)
    perform(Action.START_HANDLING, first, org["social_director"])
    perform(Action.TAKE_FORWARD, first, org["social_director"], forum=org["forum"])
    perform(Action.START_HANDLING, second, org["social_director"])
    db.session.commit()
    return first, second, third


@pytest.mark.parametrize("column", COLUMNS)
def test_every_column_sorts_both_ways(app, org, three, column):
    director = app.test_client()
    login(director, org["social_director"].email)
    ascending, descending = listed(director, sort=column), listed(director, sort=f"-{column}")
    assert sorted(ascending) == sorted(n.number for n in three) and descending != ascending or column == "deadline"
    expected = {
        "number": [r.number for r in three], "received": [r.number for r in three],
        "unit": [three[0].number, *sorted([three[1].number, three[2].number])],  # Vammaispalvelut after Aikuis…
        "phenomenon": [three[0].number, three[2].number, three[1].number],  # the form's order of phenomena
        "status": [three[2].number, three[1].number, three[0].number],  # received, in handling, forwarded
        "level": [three[1].number, three[2].number, three[0].number],  # unit, unit, county
    }
    if column == "unit":
        names = {r.number: r.unit.name for r in three}
        assert [names[n] for n in ascending] == sorted(names[n] for n in ascending)
        assert [names[n] for n in descending] == sorted((names[n] for n in descending), reverse=True)
    elif column == "deadline":
        assert ascending[-1] == three[0].number, "a report whose deadlines are met sorts last"
    elif column in ("status", "level"):
        assert ascending[0] == expected[column][0] and ascending[-1] == expected[column][-1]
        assert descending[0] == expected[column][-1]
    else:
        assert ascending == expected[column] and descending == list(reversed(expected[column]))
    page = director.get("/cases/", query_string={"sort": column}).get_data(as_text=True)
    assert 'aria-sort="ascending"' in page and f"sort=-{column}" in page


def test_the_date_range_takes_whole_helsinki_days(app, org, three):
    director = app.test_client()
    login(director, org["social_director"].email)
    first, second, third = three
    day = second.created_at.astimezone(timezone(timedelta(hours=2))).date()  # Helsinki in winter
    assert listed(director, received_from=day.isoformat(), received_to=day.isoformat()) == [second.number]
    assert set(listed(director, received_from=day.isoformat())) == {second.number, third.number}
    assert listed(director, received_to=(day - timedelta(days=1)).isoformat()) == [first.number]
    assert len(listed(director, received_from="not-a-date")) == 3, "a date that does not parse is left out"


def test_the_filtered_list_exports_as_guarded_csv_and_excel_and_is_audited(app, org, three):
    first, second, third = three
    handler = app.test_client()
    login(handler, org["handler"].email)
    response = handler.get("/cases/export.csv", query_string={"sort": "number"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Numero", "Saapunut", "Työyksikkö"]
    assert [row[0] for row in rows[1:]] == [second.number, third.number], "only what the handler may see"
    assert "erääntyy" in rows[2][7]

    director = app.test_client()
    login(director, org["social_director"].email)
    book = openpyxl.load_workbook(io.BytesIO(director.get("/cases/export.xlsx", query_string={"unit": "U-VAR"}).data))
    sheet = book.worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Numero" and [row[0] for row in values[1:]] == [first.number]
    assert values[1][6] == EscalationLevel.COUNTY.label

    entries = exports()
    assert [(e.actor_id, e.details["what"], e.details["format"]) for e in entries] == [
        (org["handler"].id, "inbox", "csv"), (org["social_director"].id, "inbox", "xlsx")]
    assert entries[1].details["filters"] == {"unit": "U-VAR"}


def test_exported_text_cannot_run_as_a_formula(app, org, create_report):
    report = create_report(org["unit"], description="Kuvaus.")
    db.session.execute(sa.update(Report).where(Report.id == report.id).values(number="=1+2"))  # worst case
    db.session.commit()
    director = app.test_client()
    login(director, org["social_director"].email)
    text = director.get("/cases/export.csv").get_data(as_text=True)
    assert "'=1+2" in text


def test_notifications_filter_page_and_mark_read_in_bulk(app, org, create_report):
    for number in range(60):
        create_report(org["unit"], description=f"Raportti {number}.")
    db.session.commit()
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == org["handler"].id, Notification.read_at.is_(None))) == 60
    elsewhere = {"Sec-Fetch-Site": "cross-site"}
    page = handler.get("/cases/notifications", headers=elsewhere).get_data(as_text=True)
    assert "Ilmoituksia 60." in page and "Sivu 1 / 2" in page and page.count('class="unread"') == 50
    assert "Ilmoituksia 0." in handler.get("/cases/notifications?kind=answer", headers=elsewhere).get_data(as_text=True)
    handler.get("/cases/notifications?page=2")  # opened here: the ten on it are read
    assert "Ilmoituksia 50." in handler.get("/cases/notifications?unread=y", headers=elsewhere).get_data(as_text=True)
    response = handler.post("/cases/notifications/read", data={
        "csrf_token": csrf_token(handler, "/cases/notifications"), "kind": NotificationKind.FOR_ACTION.value})
    assert response.status_code == 302
    assert "Ilmoituksia 0." in handler.get("/cases/notifications?unread=y", headers=elsewhere).get_data(as_text=True)
    assert handler.post("/cases/notifications/read", data={}).status_code == 400, "no CSRF token, nothing marked"


def test_the_director_hands_selected_cases_over_in_bulk(app, org, three):
    first, second, third = three
    director = app.test_client()
    login(director, org["social_director"].email)
    page = director.get("/cases/").get_data(as_text=True)
    assert 'name="number"' in page and org["other_handler"].roles[0].org_node.code in page
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert 'id="bulk"' not in handler.get("/cases/").get_data(as_text=True), "the director's, not a handler's"
    target = org["other_handler"].roles[0].org_node
    response = director.post("/cases/hand-over", data={
        "csrf_token": csrf_token(director, "/cases/"), "node": target.code, "back": "/cases/?sort=number",
        "number": [second.number, third.number]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/?sort=number")
    db.session.expire_all()
    assert {db.session.get(Report, r.id).handling_node_id for r in (second, third)} == {target.id}
    assert set(listed(handler)) == set(), "the old handlers no longer see them"
    entry = exports(AuditAction.HANDED_OVER.value)[-1]
    assert entry.details["reports"] == [second.number, third.number] and entry.target == f"org_node {target.code}"
    told = db.session.scalars(sa.select(Notification.report_id).where(
        Notification.user_id == org["other_handler"].id, Notification.kind == NotificationKind.FOR_ACTION)).all()
    assert {second.id, third.id} <= set(told)
    refused = handler.post("/cases/hand-over", data={"csrf_token": csrf_token(handler, "/cases/"),
                                                    "node": org["area"].code, "number": [first.number]})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Report, first.id).handling_node_id == target.id, "a handler may not hand cases over"


def test_the_dashboard_by_unit_and_municipality_for_a_period_with_export(app, org, three):
    first, second, third = three
    director = app.test_client()
    login(director, org["social_director"].email)
    page = director.get("/cases/dashboard").get_data(as_text=True)
    assert "Työyksiköittäin ja kunnittain" in page and org["unit"].name in page and "Varkaus" in page
    start = (utcnow() - timedelta(days=5)).date().isoformat()
    page = director.get("/cases/dashboard", query_string={"start": start}).get_data(as_text=True)
    section = page.split('id="breakdown"')[1].split("Vanhimmat avoimet raportit")[0]
    assert org["unit"].name in section and org["other_unit"].name not in section
    book = openpyxl.load_workbook(io.BytesIO(director.get(f"/cases/dashboard/export.xlsx?start={start}").data))
    assert book.sheetnames == ["Työyksiköittäin", "Kunnittain"]
    units = [[c.value for c in row] for row in book["Työyksiköittäin"].iter_rows()]
    assert units == [["Työyksikkö", "Raportteja", "Avoinna"], [org["unit"].name, 1, 1]]
    assert exports()[-1].details == {"what": "dashboard", "start": start, "end": ""}
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert handler.get("/cases/dashboard/export.xlsx").status_code == 403


def test_the_audit_log_exports_as_csv_and_the_export_is_logged(app, org, three):
    admin = app.test_client()
    login(admin, org["admin"].email)
    response = admin.get("/admin/audit/export.csv", query_string={"action": "report_changed"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Aika", "Tekijä", "Tapahtuma", "Raportti", "Kohde", "Tiedot"]
    assert len(rows) == 1 + 3 and {row[2] for row in rows[1:]} == {"Raportin käsittely"}
    assert exports()[-1].details == {"what": "audit_log", "action": "report_changed"}
    director = app.test_client()
    login(director, org["social_director"].email)
    assert director.get("/admin/audit/export.csv").status_code in (403, 404)


@pytest.mark.parametrize(("language", "headings", "sheet", "phenomenon"), [
    ("sv", ["Nummer", "Inkommen", "Arbetsenhet"], "Rapporter", "sv"),
    ("en", ["Number", "Received", "Work unit"], "Reports", "en"),
])
def test_the_inbox_exports_in_the_readers_language(app, org, three, language, headings, sheet, phenomenon):
    from flask_babel import force_locale

    handler = app.test_client()
    login(handler, org["handler"].email)
    handler.post("/language", data={"lang-csrf_token": csrf_token(handler, "/"), "lang-language": language,
                                    "lang-next": "/"})
    with app.test_request_context(), force_locale(phenomenon):
        social_problems, started = Phenomenon.SOCIAL_PROBLEMS.label, ReportStatus.IN_HANDLING.label
    response = handler.get("/cases/export.csv", query_string={"sort": "number"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == headings
    assert rows[1][3] == social_problems and rows[1][5] == started  # codes' labels in the reader's language
    book = openpyxl.load_workbook(io.BytesIO(handler.get("/cases/export.xlsx", query_string={"sort": "number"}).data))
    assert book.sheetnames == [sheet] and [c.value for c in book[sheet][1]][:3] == headings
