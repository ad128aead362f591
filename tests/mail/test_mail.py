"""Mail: queued with the event, delivered by the job through a real SMTP server that goes down and up."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from helpers import confirm_by_link, confirm_reporter, file_via_form, login

from app.extensions import db
from app.models import OutboxMessage, Report, utcnow
from app.workflow.cases.operations import answer_question, perform
from app.workflow.cases.transitions import Action
from app.workflow.mail.outbox import backoff, claim_due, deliver_due

CODE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}")
NAMED = "Nimetty Raportoija"
"""A named report's staff mail leaves at once; an anonymous one's waits for the next full hour."""
DESCRIPTION = "Kohtuuhintaisia vuokra-asuntoja ei ole, ja asiakkaiden vuokrat ylittävät asumistuen rajat."


def outbox(**where) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))


def recipients(kind: str) -> set[str]:
    return {m.recipient for m in outbox(kind=kind)}


def file_named(client, *, confirm: bool = True, **overrides):  # type: ignore[no-untyped-def]
    """A report filed logged out under a name, and (unless `confirm` is false) the address confirmed by its link."""
    response = file_via_form(client, reporter_name="Tiina Tekijä", reporter_email="tiina@koti.example", **overrides)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if confirm:
        with client.application.app_context():
            confirm_by_link(client, "tiina@koti.example")
    return re.search(r"SR-\d{4}-A?\d{5}", page).group(0), CODE.search(page).group(0)  # type: ignore[union-attr]


def test_a_new_report_queues_mail_for_action_for_information_and_to_the_reporter(app, client, org):
    number, code = file_named(client, confirm=False)
    with app.app_context():
        assert recipients("new_report_action") == {"h@t.example"}
        assert recipients("new_report_information") == {"s@t.example", "d@t.example"}
        assert recipients("reporter_confirmation") == {"tiina@koti.example"}
        assert recipients("acknowledgement") == set(), "logged out, the address gets the link before anything else"
        confirm_by_link(client, "tiina@koti.example")
        assert recipients("acknowledgement") == {"tiina@koti.example"}
        for message in outbox():
            assert message.sent_at is None and message.attempts == 0
            assert message.report_id is not None
            for body in (message.subject, message.body_text, message.body_html):
                assert code not in body and code.replace("-", "") not in body, "no tracking code in mail"
                assert DESCRIPTION not in body, "staff read the report in the app, not in mail"
        action = outbox(kind="new_report_action")[0]
        assert action.subject == f"Uusi sosiaalinen raportti käsiteltäväksi: {number}"
        assert f"https://sora.test/cases/{number}" in action.body_text
        assert f'href="https://sora.test/cases/{number}"' in action.body_html
        assert "Aloita käsittely" in action.body_text
        ack = outbox(kind="acknowledgement")[0]
        assert "https://sora.test/track" in ack.body_text and "Seurantakoodia ei lähetetä" in ack.body_text


def test_an_anonymous_report_sends_nothing_to_a_reporter_and_nothing_of_its_text(app, client, org):
    file_via_form(client)
    with app.app_context():
        assert recipients("acknowledgement") == set()
        assert all(DESCRIPTION not in m.body_text + m.body_html for m in outbox())


def test_a_reporter_who_filed_in_english_gets_english_mail_and_the_staff_their_own(app, client, org):
    from helpers import csrf_token

    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "en", "lang-next": "/"})
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    number, _code = file_named(client)
    with app.app_context():
        assert db.session.scalar(sa.select(Report.reporter_language)) == "en"
        ack = outbox(kind="acknowledgement")[0]
        assert ack.subject == f"Your report {number} has been received"
        assert "Thank you for your social report." in ack.body_text and "kiitos" not in ack.body_text
        assert "The tracking code is never sent by e-mail." in ack.body_text
        assert '<html lang="en">' in ack.body_html
        # the staff's mail follows each one's own language (Finnish here), not the sender's browser
        assert outbox(kind="new_report_action")[0].subject.startswith("Uusi sosiaalinen raportti")


def test_a_filing_that_rolls_back_leaves_no_mail(app_ctx, org, create_report):
    create_report(org["unit"], reporter_email="x@koti.example")
    assert outbox()
    db.session.rollback()
    assert outbox() == []


def test_public_steps_reach_a_named_reporter_and_internal_notes_never_do(app_ctx, org, create_report):
    report = confirm_reporter(create_report(org["unit"], reporter_name="Tiina", reporter_email="t@koti.example"))
    handler = org["handler"]
    perform(Action.START_HANDLING, report, handler, note="Otimme raportin käsittelyyn.")
    perform(Action.ADD_NOTE, report, handler, note="Sisäinen: soitetaan yksikön esihenkilölle.", is_public=False)
    perform(Action.ASK_REPORTER, report, handler, note="Koskeeko ilmiö myös nuoria?")
    db.session.commit()
    updates = outbox(kind="reporter_update")
    assert [m.subject for m in updates] == [f"Raporttisi {report.number} on edennyt",
                                            f"Käsittelijä kysyy raportistasi {report.number}"]
    assert "Otimme raportin käsittelyyn." in updates[0].body_text and "Käsittelyssä" in updates[0].body_text
    assert "Koskeeko ilmiö myös nuoria?" in updates[1].body_text
    assert all("Sisäinen" not in m.body_text + m.body_html for m in outbox())

    answer_question(report, "Koskee, erityisesti 18–25-vuotiaita.")
    db.session.commit()
    answered = outbox(kind="answer_received")
    assert [m.recipient for m in answered] == ["h@t.example"]
    assert "18–25" not in answered[0].body_text


def test_public_steps_wait_for_nothing_at_an_unconfirmed_address(app_ctx, org, create_report):
    """Until the reporter follows the link, the address might be anyone's: only the link goes there."""
    report = create_report(org["unit"], reporter_name="Tiina", reporter_email="t@koti.example")
    perform(Action.START_HANDLING, report, org["handler"], note="Otimme raportin käsittelyyn.")
    perform(Action.ASK_REPORTER, report, org["handler"], note="Koskeeko ilmiö myös nuoria?")
    db.session.commit()
    assert [m.kind for m in outbox(recipient="t@koti.example")] == ["reporter_confirmation"]


def test_html_in_a_note_is_escaped_in_the_html_part(app_ctx, org, create_report):
    report = confirm_reporter(create_report(org["unit"], reporter_email="t@koti.example"))
    perform(Action.START_HANDLING, report, org["handler"], note='<script>alert("x")</script>')
    db.session.commit()
    update = outbox(kind="reporter_update")[0]
    assert "<script>" not in update.body_html and "&lt;script&gt;" in update.body_html


def test_mail_waits_while_the_server_is_down_and_goes_out_once_when_it_is_back(app, client, org, smtp_server):
    smtp_server.stop()
    number, _ = file_named(client)  # filing works with the mail server down
    login(client, "h@t.example")
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/cases/{number}/start_handling",
                           data={"csrf_token": token, "version": version, "note": "Aloitettu."})
    assert response.status_code == 302  # and so does handling

    with app.app_context():
        queued = len(outbox())
        assert queued == 6  # action, 2 for information, the link, acknowledgement, the status change
        now = utcnow()
        result = deliver_due(now)
        assert (result.sent, result.failed) == (0, queued)
        for message in outbox():
            assert message.attempts == 1 and message.sent_at is None
            assert "Connection" in (message.last_error or "") or "refused" in (message.last_error or "").lower()
            assert message.next_attempt_at == now + timedelta(minutes=1)
        assert deliver_due(now + timedelta(seconds=30)).sent == 0, "not before the backoff has passed"
        assert smtp_server.messages == []

        smtp_server.start()
        result = deliver_due(now + timedelta(minutes=1))
        assert (result.sent, result.failed) == (queued, 0)
        assert deliver_due(now + timedelta(hours=2)).sent == 0, "sent once"
    assert len(smtp_server.messages) == queued
    ack = smtp_server.to("tiina@koti.example")
    assert [m["Subject"] for m in ack] == [f"Vahvista sähköpostiosoitteesi raporttiin {number}",
                                           f"Raporttisi {number} on vastaanotettu", f"Raporttisi {number} on edennyt"]
    assert "kiitos sosiaalisesta raportistasi" in smtp_server.text(ack[1])
    assert "<p>" in smtp_server.html(ack[1])
    assert ack[1]["From"] == app.config["MAIL_DEFAULT_SENDER"]


def test_backoff_doubles_up_to_the_limit():
    assert [backoff(n, 60).total_seconds() / 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_delivery_gives_up_after_the_configured_time_and_the_administrator_sees_why(app, client, org, smtp_server, create_report):
    smtp_server.stop()
    create_report(org["unit"], reporter_name=NAMED)
    db.session.commit()
    start = utcnow()
    assert deliver_due(start).failed == 3
    late = start + timedelta(hours=app.config["OUTBOX_GIVE_UP_HOURS"], minutes=1)
    assert deliver_due(late).given_up == 3
    assert {m.state for m in outbox()} == {"failed"}
    assert deliver_due(late + timedelta(days=1)).sent == 0

    login(client, "a@t.example")
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "Keskeytetty" in page and "h@t.example" in page and "ConnectionRefusedError" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post("/admin/mail/retry", data={"csrf_token": token})
    assert response.status_code == 302
    assert "3 viestiä lähetetään uudelleen" in client.get("/admin/mail/").get_data(as_text=True)

    smtp_server.start()
    assert deliver_due().sent == 3
    assert len(smtp_server.messages) == 3


def test_only_the_administrator_sees_the_mail_page(app, client, org):
    login(client, "d@t.example")
    assert client.get("/admin/mail/").status_code == 403
    assert client.post("/admin/mail/retry").status_code in (400, 403)


def test_two_delivery_runs_never_claim_the_same_message(app_ctx, org, create_report):
    for _ in range(3):
        create_report(org["unit"], reporter_name=NAMED)
    db.session.commit()
    now = utcnow()
    first, second = claim_due(now, limit=4), claim_due(now, limit=100)
    assert first and second and first != second
    claimed = {token: {m.id for m in outbox(claim_token=token)} for token in (first, second)}
    assert len(claimed[first]) == 4 and len(claimed[second]) == 5 and not claimed[first] & claimed[second]
    assert claim_due(now, limit=100) is None
    assert claim_due(now + timedelta(minutes=11), limit=100) is not None, "a crashed run's lease runs out"


def test_without_a_mail_server_development_mail_is_written_to_instance(app, app_ctx, org, monkeypatch, tmp_path, create_report):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    create_report(org["unit"], reporter_name=NAMED)
    db.session.commit()
    assert deliver_due().sent == 3
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3 and not list((tmp_path / "mail").glob("*.tmp"))
    assert b"Subject: =?utf-8?" in files[0].read_bytes() or b"Subject: Uusi" in files[0].read_bytes()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1


def test_a_refused_address_is_given_up_at_once_and_the_error_hides_it(app, app_ctx, org, smtp_server, create_report):
    report = create_report(org["unit"], reporter_email="refused.person@koti.example")
    db.session.commit()
    result = deliver_due()
    assert (result.sent, result.given_up) == (3, 1)
    refused = outbox(kind="reporter_confirmation")[0]  # logged out, the link is the first mail to the address
    assert refused.state == "failed" and refused.attempts == 1
    assert "550" in refused.last_error and "refused.person" not in refused.last_error
    assert "<osoite>" in refused.last_error
    assert report.number


def test_the_administrator_does_not_see_to_whom_a_reporter_mail_went(app, client, org, smtp_server):
    smtp_server.stop()
    file_named(client)
    deliver_due()
    login(client, "a@t.example")
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "tiina@koti.example" not in page and "on vastaanotettu" not in page and "Vahvista sähköposti" not in page
    assert "Raportoija (osoite piilotettu)" in page and "h@t.example" in page


def test_a_retried_message_gets_a_new_retry_period(app, app_ctx, org, smtp_server, create_report):
    smtp_server.stop()
    create_report(org["unit"])
    db.session.commit()
    start = utcnow()
    give_up = timedelta(hours=app.config["OUTBOX_GIVE_UP_HOURS"], minutes=1)
    deliver_due(start)
    assert deliver_due(start + give_up).given_up == 3
    from app.workflow.mail.outbox import retry_unsent

    assert retry_unsent(org["admin"], now=start + give_up) == 3
    db.session.commit()
    result = deliver_due(start + give_up + timedelta(seconds=1))
    assert (result.failed, result.given_up) == (3, 0), "retried, not given up again at once"


def test_no_transaction_is_open_while_the_mail_server_answers(app, app_ctx, org, smtp_server, monkeypatch, create_report):
    from app.workflow.mail import outbox as outbox_module

    create_report(org["unit"], reporter_name=NAMED)
    db.session.commit()
    seen: list[bool] = []
    original = outbox_module._SmtpTransport.send

    def send(self, message):  # type: ignore[no-untyped-def]
        seen.append(db.session().in_transaction())
        return original(self, message)

    monkeypatch.setattr(outbox_module._SmtpTransport, "send", send)
    assert deliver_due().sent == 3
    assert seen == [False, False, False]


def test_sent_mail_is_deleted_after_the_keeping_time_and_with_its_report(app, app_ctx, org, smtp_server, create_report):
    from app.workflow.mail.outbox import purge_sent

    report = confirm_reporter(create_report(org["unit"], reporter_email="t@koti.example"))
    db.session.commit()
    deliver_due()
    assert purge_sent(utcnow() + timedelta(days=29)) == 0
    assert purge_sent(utcnow() + timedelta(days=31)) == 5  # 3 to staff, the link, the acknowledgement
    db.session.commit()
    perform(Action.START_HANDLING, report, org["handler"], note="Aloitettu.")
    db.session.commit()
    assert len(outbox()) == 1
    db.session.delete(report)
    db.session.commit()
    assert outbox() == [], "a deleted report takes its mail with it"


def test_staff_mail_of_a_report_gives_only_the_day_it_came(app_ctx, org, create_report):
    """In a small unit the minute of filing could point to its author."""
    from datetime import datetime, timezone

    received = datetime(2026, 11, 3, 12, 47, tzinfo=timezone.utc)
    create_report(org["unit"], now=received)
    create_report(org["unit"], reporter_name="Nimetty", now=received)
    db.session.commit()
    anonymous, named = [m for m in outbox(kind="new_report_information") if m.recipient == "s@t.example"]
    assert "Saapunut: 3.11.2026\n" in anonymous.body_text and "14.47" not in anonymous.body_text + anonymous.body_html
    assert "Saapunut: 3.11.2026\n" in named.body_text and "14.47" not in named.body_text + named.body_html, \
        "every arrival is a day: a named neighbour's minute would bracket an anonymous report's"


def test_a_logged_in_named_reporter_is_sent_to_their_own_list_with_the_real_number(app, client, org):
    login(client, "e@t.example")
    response = file_via_form(client, under_my_name="y")
    assert response.status_code == 200
    number = re.search(r"SR-\d{4}-A?\d{5}", response.get_data(as_text=True)).group(0)  # type: ignore[union-attr]
    with app.app_context():
        assert recipients("acknowledgement") == {"e@t.example"} and recipients("reporter_confirmation") == set()
        ack = outbox(kind="acknowledgement")[0]
        assert ack.subject == f"Raporttisi {number} on vastaanotettu"
        assert f"https://sora.test/my-reports/{number}" in ack.body_text
        assert f'href="https://sora.test/my-reports/{number}"' in ack.body_html
        assert f"<strong>{number}</strong>" in ack.body_html
        for message in outbox():
            assert "pending-" not in message.subject + message.body_text + message.body_html
