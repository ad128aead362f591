"""CSRF on every state-changing route, found from the URL map so a new route cannot slip past; session fixation."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from helpers import api_report, confirmation_token, csrf_token, file_via_form, login, release_all
from werkzeug.routing import Rule

from app.codes import Role
from app.extensions import db
from app.models import AuditEntry, Report
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REFUSALS = ("Istuntosi on vanhentunut", "Istuntosi oli vanhentunut")


def state_changing_routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) that may change state, except the JSON API, which takes no cookies."""
    return [(rule, method) for rule in app.url_map.iter_rules() for method in sorted(rule.methods & STATE_CHANGING)
            if not rule.rule.startswith("/api/")]


def snapshot() -> dict[str, object]:
    """Row counts of every table and every report's status and version: what a refused request must leave as is."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        counts = {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in db.metadata.sorted_tables}
        reports = connection.execute(sa.text("SELECT number, status, version FROM report ORDER BY number")).all()
    return {"counts": counts, "reports": [tuple(row) for row in reports]}


def refused_for_csrf(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 400 and any(text in response.get_data(as_text=True) for text in REFUSALS)


def test_every_state_changing_route_refuses_a_request_without_a_valid_token(app, org, create_user):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    routes = state_changing_routes(app)
    endpoints = {rule.endpoint for rule, _ in routes}
    assert {"reports.new", "reports.track", "reports.answer", "reports.my_report_answer", "cases.act", "auth.login",
            "auth.logout", "main.language", "mail.retry_failed"} <= endpoints

    everyone = create_user("kaikki@t.example", name="Kaikki Roolit",
                           roles=[(Role.EMPLOYEE, org["unit"]), (Role.SOCIAL_DIRECTOR, None), (Role.ADMIN, None)])
    author = app.test_client()
    login(author, everyone.email)
    html = file_via_form(author, under_my_name="y").get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    perform(Action.ASK_REPORTER, report, everyone, note="Kysymys?")
    db.session.commit()
    file_via_form(app.test_client(), reporter_name="Tiina Tekijä", reporter_email="tiina@koti.example")
    employee_role = next(a for a in everyone.roles if a.role == Role.EMPLOYEE)
    values = {"number": number, "action": Action.ADD_NOTE.value, "code": "U-KUO", "user_id": everyone.id,
              "assignment_id": employee_role.id, "event_id": 1, "highlight_id": 1, "token_id": 1, "campaign_id": 1, "group_id": 1, "proposal_id": 1,
              "report_id": report.id, "theme_text_id": 1, "follow_up_id": 1, "indicator_id": 1, "source_id": 1,
              "secret": "unknown-link-secret", "token": confirmation_token("tiina@koti.example")}
    form = {"email": everyone.email, "password": "correct horse battery staple", "number": number, "code": code,
            "answer": "Vastaus.", "note": "Merkintä.", "version": str(report.version), "lang-language": "en",
            "lang-next": "/", "description": "Kuvaus.", "unit": "U-KUO", "nature": "negative",
            "phenomenon": "social_problems"}
    stranger = app.test_client()
    foreign_token = csrf_token(stranger, "/")

    problems = []
    for rule, method in routes:
        unknown = set(rule.arguments) - set(values)
        assert not unknown, f"{rule.rule}: give a sample value for {unknown} in this test"
        url = rule.build(values, append_unknown=False)[1]
        client = app.test_client()
        login(client, everyone.email)
        before = snapshot()
        for token in (None, foreign_token):
            data = dict(form, **({"csrf_token": token, "lang-csrf_token": token} if token else {}))
            response = client.open(url, method=method, data=data)
            if not refused_for_csrf(response):
                problems.append(f"{method} {url} with token {token and 'of another session'}: {response.status_code}")
        if snapshot() != before:
            problems.append(f"{method} {url}: a refused request changed the database")
        if client.get("/my-reports").status_code != 200:
            problems.append(f"{method} {url}: a refused request ended the session")
        own = csrf_token(client, "/")
        accepted = client.open(url, method=method, data=dict(form, csrf_token=own, **{"lang-csrf_token": own}))
        if refused_for_csrf(accepted):
            problems.append(f"{method} {url}: refused even with the session's own token")
    assert not problems, "\n".join(problems)


def test_a_session_cookie_known_before_login_is_worthless_after_it(app, create_user):
    """Session fixation: a cookie planted or read before login neither logs anyone in nor keeps its CSRF token."""
    user = create_user()
    victim = app.test_client()
    token_before = csrf_token(victim, "/login")
    planted = victim.get_cookie("session").value

    login(victim, user.email)
    assert victim.get_cookie("session").value != planted
    assert victim.get("/my-reports").status_code == 200
    assert csrf_token(victim, "/") != token_before

    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/my-reports").status_code == 302
    assert "Kirjaudu ulos" not in attacker.get("/").get_data(as_text=True)


def test_a_copied_session_cookie_is_worthless_after_logout(app, create_user):
    user = create_user()
    browser = app.test_client()
    login(browser, user.email)
    copied = browser.get_cookie("session").value
    token = csrf_token(browser, "/")
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/my-reports").status_code == 302, "the copy of a logged-out session opens nothing"
    login(browser, user.email)
    assert browser.get("/my-reports").status_code == 200, "logging in again works"


def test_a_new_password_ends_the_users_other_sessions(app, org, create_user):
    from app.workflow.admin.people import UserInput, save_user

    user = create_user("vaihtaja@t.example")
    elsewhere = app.test_client()
    login(elsewhere, user.email)
    assert elsewhere.get("/my-reports").status_code == 200
    save_user(user, UserInput(email=user.email, name=user.name, password="uusi salasana 2026"), org["admin"])
    db.session.commit()
    assert elsewhere.get("/my-reports").status_code == 302


def test_the_json_api_ignores_the_session_cookie_and_allows_no_other_origin(app, org):
    """Why the API may go without CSRF tokens: a logged-in browser's cookie gives it nothing to act with.

    Even with an employee's session cookie a filing through the API is linked to nobody (not to the
    author, not in the log, not under their own reports), and the session opens no export. Without
    CORS headers a page elsewhere can neither send JSON past the browser's preflight nor read an answer.
    """
    employee = org["employee"]
    browser = app.test_client()
    login(browser, employee.email)
    assert browser.get("/my-reports").status_code == 200, "the session is a logged-in one"
    elsewhere = {"Origin": "https://elsewhere.example"}

    filed = browser.post("/api/v1/reports", json=api_report(), headers=elsewhere)
    named = browser.post("/api/v1/reports", json=api_report(reporter_name="Eeva Työntekijä"), headers=elsewhere)
    assert filed.status_code == named.status_code == 201
    number, named_number = filed.get_json()["number"], named.get_json()["number"]
    release_all()
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    assert report.is_anonymous and report.reporter_name is None and report.reporter_email is None
    signed = db.session.scalar(sa.select(Report).where(Report.number == named_number))
    assert signed.reporter_name == "Eeva Työntekijä", "a name typed into the body is the only identity kept"
    own_reports = browser.get("/my-reports").get_data(as_text=True)
    for filing in (report, signed):
        assert filing.author_id is None and all(event.actor_id is None for event in filing.events)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.report_number == filing.number, AuditEntry.actor_id == employee.id)) == 0
        assert filing.number not in own_reports

    statistics = browser.get("/api/v1/statistics?period=2026-H1", headers=elsewhere)
    assert statistics.status_code == 401, "only an API token opens the export, never a session"

    preflight = browser.options("/api/v1/reports", headers={**elsewhere, "Access-Control-Request-Method": "POST",
                                                              "Access-Control-Request-Headers": "Content-Type"})
    answers = [filed, named, statistics, preflight, browser.get("/api/v1/choices", headers=elsewhere),
               browser.post("/api/v1/reports/track", json={"number": number, "code": filed.get_json()["tracking_code"]},
                            headers=elsewhere)]
    for answer in answers:
        assert answer.status_code < 500
        assert not [name for name in answer.headers.keys() if name.lower().startswith("access-control-")], \
            f"{answer.request.method} {answer.request.path}: {dict(answer.headers)}"
        assert "Set-Cookie" not in answer.headers, "the API neither renews nor changes the session"
