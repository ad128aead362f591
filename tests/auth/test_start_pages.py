"""After login everyone starts where their work is, and the header says who is logged in with which roles."""
from __future__ import annotations

import pytest
from helpers import PASSWORD, csrf_token

START = {
    "employee": "/report/new",
    "supervisor": "/cases/",
    "handler": "/cases/",
    "social_director": "/cases/dashboard",
    "working_group": "/compilations/",
    "review_body": "/compilations/",
    "coordinator": "/welfare/",
    "admin": "/admin/",
}


def log_in(client, email: str, next_url: str | None = None):
    token = csrf_token(client, "/login")
    path = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(path, data={"csrf_token": token, "email": email, "password": PASSWORD})


@pytest.mark.parametrize("role", sorted(START))
def test_each_role_starts_where_its_work_is(client, org, role):
    answer = log_in(client, org[role].email)
    assert answer.status_code == 302 and answer.headers["Location"] == START[role]
    page = client.get(answer.headers["Location"], follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"<strong>{org[role].name}</strong>" in html and "Kirjautuneena" in html


def test_an_explicit_next_wins_and_another_host_never(client, org):
    assert log_in(client, org["handler"].email, "/guidance").headers["Location"] == "/guidance"
    other = client.application.test_client()
    assert log_in(other, org["handler"].email, "//evil.example/").headers["Location"] == "/"


def test_the_header_names_every_role_once(client, org):
    from app.codes import Role
    from app.extensions import db
    from app.models import RoleAssignment

    user = org["handler"]
    db.session.add(RoleAssignment(user=user, role=Role.EMPLOYEE, org_node=org["unit"]))
    db.session.commit()
    log_in(client, user.email)
    html = client.get("/cases/").get_data(as_text=True)
    assert '<span class="roles-of-user">(Työntekijä, Käsittelijä)</span>' in html


def test_a_supervisor_sees_that_a_case_is_read_only_and_no_new_answer_to_act_on(client, org, create_report):
    from app.extensions import db

    report = create_report(org["unit"])
    report.unread_answer = True
    db.session.commit()
    log_in(client, org["supervisor"].email)
    inbox = client.get("/cases/").get_data(as_text=True)
    assert report.number in inbox and "Uusi vastaus" not in inbox
    case = client.get(f"/cases/{report.number}").get_data(as_text=True)
    assert 'id="read-only"' in case and "et voi käsitellä" in case and "Toimenpiteet" not in case
    dashboard = client.get("/cases/dashboard")
    assert dashboard.status_code == 302 and dashboard.headers["Location"] == "/cases/"
    assert "Yksiköidesi raportit" in client.get("/cases/").get_data(as_text=True)

    handler = client.application.test_client()
    log_in(handler, org["handler"].email)
    assert "Uusi vastaus" in handler.get("/cases/").get_data(as_text=True)
    assert 'id="read-only"' not in handler.get(f"/cases/{report.number}").get_data(as_text=True)


def test_an_employee_starts_at_the_form_with_a_way_to_their_reports(client, org):
    answer = log_in(client, org["employee"].email)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="report-form"' in page and 'href="/my-reports"' in page
