"""Accounts by mail: a new user's invitation and a forgotten password's reset, each a one-time link that
expires, is stored only as a hash, is limited and audited, and never tells whether an address has an account."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, csrf_token, login

from app.codes import AccountLinkPurpose, AuditAction
from app.extensions import db
from app.logging_privacy import redact_addresses
from app.models import AccountLink, AuditEntry, OutboxMessage, User, utcnow

NEW_PASSWORD = "uusi salasana kahdeksan"


def mails_to(address: str, kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address,
                                                                 OutboxMessage.kind == kind)))


def link_path(message: OutboxMessage) -> str:
    url = re.search(r"https://sora\.test(/password/set/[A-Za-z0-9_\-]+)", message.body_text).group(1)
    assert url in message.body_html
    return url


def set_password(client, path: str, password: str = NEW_PASSWORD):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token.group(1), "password": password, "password_again": password})


def test_a_new_user_is_invited_and_sets_their_own_password_once(client, org):
    login(client, org["admin"].email)
    token = csrf_token(client, "/admin/users/new")
    created = client.post("/admin/users/new", data={"csrf_token": token, "name": "Uusi Ihminen",
                                                    "email": "uusi@t.example"}, follow_redirects=True)
    assert "lähti kutsu" in created.get_data(as_text=True)
    [invitation] = mails_to("uusi@t.example", "invitation")
    assert "Aseta salasanasi" in invitation.body_html and "Uusi Ihminen" in invitation.body_text
    path = link_path(invitation)
    secret = path.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(AccountLink))
    assert stored.purpose == AccountLinkPurpose.INVITATION and secret not in stored.secret_hash
    assert stored.expires_at - utcnow() > timedelta(days=6)

    newcomer = client.application.test_client()
    assert set_password(newcomer, path, "lyhyt").status_code == 400
    done = set_password(newcomer, path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    login(newcomer, "uusi@t.example", NEW_PASSWORD)
    again = newcomer.application.test_client().get(path)
    assert again.status_code == 404 and "vanhentunut tai jo käytetty" in again.get_data(as_text=True)

    details = [e.details for e in db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == AuditAction.USER_CHANGED, AuditEntry.target == "user uusi@t.example"))]
    assert {"kutsu lähetetty": True} in details
    assert any(d.get("password") == ["", "***"] for d in details) and not any(NEW_PASSWORD in str(d) for d in details)


def test_a_link_expires_and_a_new_one_replaces_the_old(client, org):
    login(client, org["admin"].email)
    user = org["employee"]
    for _ in range(2):
        client.post(f"/admin/users/{user.id}/invite", data={"csrf_token": csrf_token(client, f"/admin/users/{user.id}")})
    first, second = mails_to(user.email, "invitation")
    visitor = client.application.test_client()
    assert visitor.get(link_path(first)).status_code == 404, "replaced by the second"
    assert visitor.get(link_path(second)).status_code == 200
    for link in db.session.scalars(sa.select(AccountLink)):
        link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert visitor.get(link_path(second)).status_code == 404


def forgot(client, email: str):
    return client.post("/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"), "email": email},
                       follow_redirects=True)


def test_a_reset_answers_the_same_for_any_address_and_mails_only_password_logins(client, org):
    sso_only = org["coordinator"]
    sso_only.password_hash = None
    db.session.commit()
    answers = [forgot(client, address) for address in (org["employee"].email.upper(), "ei.ole@t.example",
                                                         sso_only.email)]
    pages = [re.sub(r'value="[^"]+"', "", a.get_data(as_text=True)) for a in answers]
    assert {a.status_code for a in answers} == {200} and pages[0] == pages[1] == pages[2]
    assert "Jos osoitteella on SoRa-tunnus" in pages[0]
    assert len(mails_to(org["employee"].email, "password_reset")) == 1
    assert not mails_to("ei.ole@t.example", "password_reset") and not mails_to(sso_only.email, "password_reset")

    path = link_path(mails_to(org["employee"].email, "password_reset")[0])
    assert set_password(client.application.test_client(), path).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, org["employee"].id).check_password(NEW_PASSWORD)
    assert not db.session.get(User, org["employee"].id).check_password(PASSWORD)


def test_resets_are_limited_per_address_and_per_account(app, client, org):
    email = org["employee"].email
    for _ in range(3):
        forgot(client, email)
    other = app.test_client()  # another client address would be counted apart; the account's count stands
    forgot(other, email)
    assert len(mails_to(email, "password_reset")) == 3, "past the account's limit nothing more is sent"
    statuses = [client.post("/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"),
                                                     "email": "x@t.example"}).status_code for _ in range(3)]
    assert 429 in statuses, "one address may ask only so often"


def test_the_link_secret_never_reaches_the_request_log():
    line = '127.0.0.1 - - [02/Dec/2026 10:00:00] "GET /password/set/AbC_dEf-123 HTTP/1.1" 200 -'
    assert "AbC_dEf-123" not in redact_addresses(line) and "/password/set/-" in redact_addresses(line)


@pytest.mark.parametrize(("language", "password"), [("sv", "lösenord"), ("en", "password")])
def test_mail_is_written_in_the_language_the_person_chose_while_logged_in(app, client, org, language, password):
    employee = org["employee"]
    login(client, employee.email)
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": language,
                                   "lang-next": "/"})
    db.session.expire_all()
    assert db.session.get(User, employee.id).language == language
    stranger = app.test_client()
    forgot(stranger, employee.email)
    forgot(stranger, org["handler"].email)
    chosen, finnish = mails_to(employee.email, "password_reset")[0], mails_to(org["handler"].email, "password_reset")[0]
    assert chosen.subject != finnish.subject and "salasana" in finnish.subject.lower()
    assert password in chosen.subject.lower() and password in chosen.body_text.lower()
    assert "salasana" not in chosen.body_text.lower()
    assert f'<html lang="{language}">' in chosen.body_html and '<html lang="fi">' in finnish.body_html
    assert link_path(chosen)
