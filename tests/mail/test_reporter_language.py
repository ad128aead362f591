"""A named reporter without an account reads their mail in the language of the page they filed in;
an anonymous report keeps no language at all."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import confirm_by_link, confirm_reporter, csrf_token, file_via_form, release_all

from app.extensions import db
from app.models import HeldFiling, OutboxMessage, Report
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action


def in_language(client, language: str) -> None:  # type: ignore[no-untyped-def]
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": language,
                                   "lang-next": "/"})


def mail(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def test_a_named_reporter_who_filed_in_swedish_gets_swedish_mail(app, client, org):
    in_language(client, "sv")
    filed = file_via_form(client, reporter_name="Stina Svensson", reporter_email="stina@hem.example")
    assert filed.status_code == 200
    number = re.search(r"SR-\d{4}-A?\d{5}", filed.get_data(as_text=True)).group(0)
    with app.app_context():
        report = db.session.scalar(sa.select(Report).where(Report.number == number))
        assert report.reporter_language == "sv"
        link = mail("reporter_confirmation")[0]
        assert link.subject.startswith("Bekräfta") and "/report/confirm/" in link.body_text
        confirm_by_link(client, "stina@hem.example")
        ack = mail("acknowledgement")[0]
        assert ack.subject == f"Din rapport {number} har tagits emot"
        assert "Tack för din sociala rapport" in ack.body_text


def test_the_case_steps_reach_a_swedish_reporter_in_swedish(app_ctx, org, create_report):
    report = confirm_reporter(create_report(org["unit"], reporter_name="Stina", reporter_email="stina@hem.example",
                                            language="sv"))
    perform(Action.START_HANDLING, report, org["handler"], note="Vi har tagit rapporten till behandling.")
    db.session.commit()
    update = mail("reporter_update")[0]
    assert update.subject == f"Din rapport {report.number} har framskridit"
    assert "Vi har tagit rapporten till behandling." in update.body_text
    # the staff's mail stays in each handler's own language, whatever the reporter's
    assert all(m.subject.startswith("Uusi sosiaalinen raportti") for m in mail("new_report_action"))


def test_the_case_steps_reach_an_english_reporter_in_english(app_ctx, org, create_report):
    report = confirm_reporter(create_report(org["unit"], reporter_name="Emma", reporter_email="emma@home.example",
                                            language="en"))
    perform(Action.START_HANDLING, report, org["handler"], note="We have started handling the report.")
    db.session.commit()
    update = mail("reporter_update")[0]
    assert update.subject == f"Your report {report.number} has progressed"
    assert "We have started handling the report." in update.body_text and "Status now:" in update.body_text
    assert all(m.subject.startswith("Uusi sosiaalinen raportti") for m in mail("new_report_action"))


def test_a_reporter_who_filed_in_finnish_gets_finnish_mail(app, client, org):
    file_via_form(client, reporter_name="Tiina Tekijä", reporter_email="tiina@koti.example")
    with app.app_context():
        assert db.session.scalar(sa.select(Report.reporter_language)) == "fi"
        assert mail("reporter_confirmation")[0].subject.startswith("Vahvista sähköpostiosoitteesi")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_an_anonymous_report_stores_no_language(app, client, org, language):
    in_language(client, language)
    assert file_via_form(client).status_code == 200
    with app.app_context():
        assert "language" not in str(db.session.scalar(sa.select(HeldFiling.content)))
        release_all()
        report = db.session.scalar(sa.select(Report))
        assert report.is_anonymous and report.reporter_language is None


def test_the_database_refuses_a_language_on_an_anonymous_report(app_ctx, org, create_report):
    report = create_report(org["unit"])
    report.reporter_language = "sv"
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
