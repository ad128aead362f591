"""A named report's name is the reporter's own: the account's when logged in, else confirmed by a one-time link."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from helpers import api_report, csrf_token, file_via_form, login

from app.extensions import db
from app.models import OutboxMessage, Report, utcnow
from app.workflow.reports.confirmation import token_hash


def mail_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)))


def case_page(app, org, report: Report) -> str:  # type: ignore[no-untyped-def]
    handler = app.test_client()
    login(handler, org["social_director"].email)
    return handler.get(f"/cases/{report.number}").get_data(as_text=True)


def test_logged_in_the_form_files_under_the_accounts_own_name_shown_not_typed(app, org):
    client = app.test_client()
    login(client, org["employee"].email)
    page = client.get("/report/new").get_data(as_text=True)
    assert 'name="reporter_name"' not in page and 'name="reporter_email"' not in page
    assert org["employee"].name in page and org["employee"].email in page and 'name="under_my_name"' in page

    assert file_via_form(client, under_my_name="y").status_code == 200
    report = db.session.scalar(sa.select(Report))
    assert (report.reporter_name, report.reporter_email) == (org["employee"].name, org["employee"].email)
    assert report.reporter_confirmed and report.author_id == org["employee"].id
    assert [m.kind for m in mail_to(org["employee"].email)] == ["acknowledgement"]
    assert "vahvistettu" in case_page(app, org, report)


def test_logged_in_an_employee_cannot_file_under_another_persons_name(app, org):
    client = app.test_client()
    login(client, org["employee"].email)
    director = org["social_director"]
    for typed in ({"reporter_name": director.name, "reporter_email": director.email},
                  {"reporter_name": director.name}, {"reporter_email": director.email},
                  {"reporter_name": director.name, "reporter_email": director.email, "under_my_name": ""}):
        response = file_via_form(client, **typed)
        assert response.status_code == 400, typed
        assert "vain omalla nimelläsi tai nimettömänä" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0
    assert [m for m in mail_to(director.email) if m.to_reporter] == []


def test_through_the_api_another_persons_name_stays_unconfirmed_and_gets_only_the_link(app, org):
    """The API takes no login, so a logged-in employee's browser gets no further than anyone's."""
    client = app.test_client()
    login(client, org["employee"].email)
    director = org["social_director"]
    created = client.post("/api/v1/reports", json=api_report(reporter_name=director.name,
                                                             reporter_email=director.email))
    assert created.status_code == 201
    report = db.session.scalar(sa.select(Report))
    assert not report.reporter_confirmed and report.author_id is None
    assert [m.kind for m in mail_to(director.email) if m.to_reporter] == ["reporter_confirmation"], \
        "as the reporter, the address gets only the link (as the director, the notice of a new report)"
    page = case_page(app, org, report)
    assert 'id="reporter-unconfirmed"' in page and "vahvistamaton" in page


def test_the_link_confirms_once_and_only_its_hash_is_stored(app, org):
    client = app.test_client()
    file_via_form(client, reporter_name="Tiina Tekijä", reporter_email="tiina@koti.example")
    report = db.session.scalar(sa.select(Report))
    assert not report.reporter_confirmed and report.confirmation_hash
    [link] = mail_to("tiina@koti.example")
    token = re.search(r"/report/confirm/([\w-]+)", link.body_text).group(1)
    assert report.confirmation_hash == token_hash(token) and token not in report.confirmation_hash
    assert 'id="reporter-unconfirmed"' in case_page(app, org, report)

    assert client.get(f"/report/confirm/{token}").status_code == 200  # a GET (a mail scanner) changes nothing
    db.session.expire_all()
    assert not db.session.get(Report, report.id).reporter_confirmed
    confirmed = client.post(f"/report/confirm/{token}",
                            data={"csrf_token": csrf_token(client, f"/report/confirm/{token}")})
    assert confirmed.status_code == 200 and report.number in confirmed.get_data(as_text=True)
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.reporter_confirmed and report.confirmation_hash is None
    assert sorted(m.kind for m in mail_to("tiina@koti.example")) == ["acknowledgement", "reporter_confirmation"]
    assert 'id="reporter-unconfirmed"' not in case_page(app, org, report)
    assert client.get(f"/report/confirm/{token}").status_code == 404, "the link works once"


def test_an_expired_link_does_not_confirm(app, org):
    client = app.test_client()
    file_via_form(client, reporter_name="Tiina Tekijä", reporter_email="tiina@koti.example")
    report = db.session.scalar(sa.select(Report))
    [link] = mail_to("tiina@koti.example")
    token = re.search(r"/report/confirm/([\w-]+)", link.body_text).group(1)
    report.confirmation_expires_on = utcnow().date() - timedelta(days=2)
    db.session.commit()
    assert client.get(f"/report/confirm/{token}").status_code == 404
    assert client.get("/report/confirm/wrong").status_code == 404


def test_the_anonymous_form_invites_no_autofill(client, unit):
    page = client.get("/report/new").get_data(as_text=True)
    assert re.search(r'<form[^>]*class="report-form"[^>]*autocomplete="off"', page)
    for name in ("reporter_name", "reporter_email"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'autocomplete="off"' in field and 'autocomplete="name"' not in field and 'autocomplete="email"' not in field
