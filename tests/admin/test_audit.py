"""The audit log: what is recorded, what never is, and the administrator's search page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from helpers import PASSWORD, csrf_token, file_via_form, login, release_all

from app.codes import AuditAction
from app.extensions import db
from app.models import AuditEntry, Report
from app.workflow.core.audit import AuditFilters, audit_query, describe, record


def log() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def failed_login(client, email: str, password: str = "väärin"):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": email, "password": password})


def test_logins_failed_logins_and_logouts(app, client, org):
    login(client, org["handler"].email)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert failed_login(client, org["handler"].email).status_code == 401
    typed = "Salasana123 kirjoitettu väärään kenttään"
    assert failed_login(client, typed, PASSWORD).status_code == 401

    entries = log()
    assert [(e.action, e.actor_id) for e in entries] == [
        (AuditAction.LOGIN, org["handler"].id), (AuditAction.LOGOUT, org["handler"].id),
        (AuditAction.LOGIN_FAILED, None), (AuditAction.LOGIN_FAILED, None)]
    assert entries[2].target == f"user {org['handler'].email}" and entries[2].details == {"reason": "wrong_password"}
    assert entries[3].target is None and entries[3].details == {"reason": "unknown_account"}
    dump = " ".join(f"{e.target} {e.details}" for e in entries)
    assert "Salasana123" not in dump and "väärin" not in dump, "what was typed is never kept"


def test_a_deactivated_account_failing_is_logged_as_such(client, org):
    org["employee"].active = False
    db.session.commit()
    failed_login(client, org["employee"].email, PASSWORD)
    assert log()[-1].details == {"reason": "inactive"}


def test_views_and_changes_of_a_report_are_logged_with_who(app, org):
    file_via_form(app.test_client())
    assert log() == [], "an anonymous filing is not logged"
    release_all()
    number = db.session.scalar(sa.select(Report.number))
    handler = app.test_client()
    login(handler, org["handler"].email)
    handler.get(f"/cases/{number}")
    version = db.session.scalar(sa.select(Report.version))
    started = handler.post(f"/cases/{number}/start_handling", data={
        "csrf_token": csrf_token(handler, f"/cases/{number}"), "version": str(version), "note": ""})
    assert started.status_code == 302, started.get_data(as_text=True)
    director = app.test_client()
    login(director, org["social_director"].email)
    director.get(f"/cases/{number}")
    outsider = app.test_client()
    login(outsider, org["other_handler"].email)
    assert outsider.get(f"/cases/{number}").status_code == 404

    about = [(e.action, e.actor_id, e.details) for e in log() if e.report_number == number]
    handler_id, director_id = org["handler"].id, org["social_director"].id
    assert (AuditAction.REPORT_VIEWED, handler_id, None) in about
    assert (AuditAction.REPORT_CHANGED, handler_id,
            {"action": "start_handling", "from": "received", "to": "in_handling"}) in about
    assert (AuditAction.REPORT_VIEWED, director_id, None) in about
    assert all(actor != org["other_handler"].id for _action, actor, _details in about), "a refused view opens nothing"


def test_the_reporters_own_steps_are_not_logged_even_when_logged_in(app, client, org):
    """Filing anonymously, tracking and answering by code would otherwise sit next to the reporter's login."""
    login(client, org["employee"].email)
    receipt = file_via_form(client).get_data(as_text=True)
    code = re.search(r'id="tracking-code">([^<]+)<', receipt).group(1)
    number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
    tracked = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code},
                          follow_redirects=True)
    assert tracked.status_code == 200
    entries = log()
    assert [e.action for e in entries] == [AuditAction.LOGIN]
    assert all(e.report_number is None for e in entries)


def test_a_named_filing_and_the_authors_own_view_are_logged(client, org):
    login(client, org["employee"].email)
    file_via_form(client, reporter_name="Eeva Työntekijä", reporter_email="e@t.example")
    number = db.session.scalar(sa.select(Report.number))
    client.get(f"/my-reports/{number}")
    about = [(e.action, e.actor_id) for e in log() if e.report_number == number]
    assert about == [(AuditAction.REPORT_FILED, org["employee"].id), (AuditAction.REPORT_VIEWED, org["employee"].id)]


def test_search_by_actor_action_report_and_dates(app_ctx, org):
    now = datetime(2026, 3, 15, 10, 0, tzinfo=timezone.utc)
    record(AuditAction.LOGIN, actor=org["handler"], now=now - timedelta(days=10))
    record(AuditAction.REPORT_VIEWED, actor=org["handler"], report_number="SR-2026-00007", now=now)
    record(AuditAction.REPORT_VIEWED, actor=org["social_director"], report_number="SR-2026-00008", now=now)
    record(AuditAction.LOGIN_FAILED, details={"reason": "unknown_account"}, now=now)
    db.session.commit()

    def found(**filters) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
        rows = db.session.scalars(audit_query(AuditFilters(**filters))).all()
        return [(e.action.value, e.report_number) for e in rows]

    assert found(actor="hanna") == [("report_viewed", "SR-2026-00007"), ("login", None)]
    assert found(actor="D@T.EXAMPLE") == [("report_viewed", "SR-2026-00008")]
    assert found(action="login_failed") == [("login_failed", None)]
    assert found(report_number="00007") == [("report_viewed", "SR-2026-00007")]
    assert found(actor="%") == [], "search text is taken literally"
    day = now.date()
    assert len(found(date_from=day, date_to=day)) == 3
    assert found(date_to=day - timedelta(days=1)) == [("login", None)]


def test_the_log_page_filters_and_pages(app, org):
    for index in range(55):
        record(AuditAction.REPORT_VIEWED, actor=org["handler"], report_number=f"SR-2026-{index:05d}")
    record(AuditAction.LOGIN_FAILED, details={"reason": "wrong_password"}, target=f"user {org['handler'].email}")
    db.session.commit()
    client = app.test_client()
    login(client, org["admin"].email)
    first = client.get("/admin/audit?action=report_viewed").get_data(as_text=True)
    assert "Tapahtumia 55." in first and "Sivu 1 / 2" in first and "SR-2026-00054" in first
    assert "SR-2026-00000" not in first
    second = client.get("/admin/audit?action=report_viewed&page=2").get_data(as_text=True)
    assert "SR-2026-00000" in second
    failed = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "väärä salasana" in failed and f"Käyttäjä {org['handler'].email}" in failed
    bad = client.get("/admin/audit?date_from=eilen")
    assert bad.status_code == 400 and "Tapahtumia" in bad.get_data(as_text=True)


def test_details_are_shown_in_words():
    assert describe({"action": "start_handling", "from": "received", "to": "in_handling"}) == [
        "toimenpide: Aloita käsittely", "tilasta: Vastaanotettu", "tilaan: Käsittelyssä"]
    assert describe({"active": [True, False], "supervisors": [["a@x"], ["a@x", "b@x"]]}) == [
        "käytössä: kyllä → ei", "esihenkilöt: a@x → a@x, b@x"]
    assert describe({"OTHER_CHANNELS": [{"indoor_air": "https://a.example", "data_protection": ""}, {}]}) == [
        "OTHER_CHANNELS: indoor_air: https://a.example, data_protection: – → –"]
