"""The case page as a handler uses it: errors at the field, forums by level, labels that say what the box is
for, a confirmation that says what was done, and one audit entry per opening (not one more per action)."""
from __future__ import annotations

import re

import sqlalchemy as sa
from helpers import csrf_token, login

from app.codes import AuditAction, EscalationLevel, ReportStatus
from app.extensions import db
from app.models import AuditEntry, Forum, Report
from app.workflow.core.audit import describe


def handler_with_case(client, org, create_report, status=ReportStatus.IN_HANDLING):
    from helpers import place

    report = create_report(org["unit"])
    place(report, status)
    db.session.add(Forum(code="unit-meeting", name="Yksikön kehittämiskokous", level=EscalationLevel.UNIT))
    db.session.commit()
    login(client, org["handler"].email)
    return report


def act(client, report, action, **data):
    token = csrf_token(client, f"/cases/{report.number}")
    version = db.session.scalar(sa.select(Report.version).where(Report.id == report.id))
    return client.post(f"/cases/{report.number}/{action}", data={"csrf_token": token, "version": str(version), **data})


def test_taking_forward_without_a_forum_marks_the_field_and_keeps_the_note(client, org, create_report):
    report = handler_with_case(client, org, create_report)
    answer = act(client, report, "take_forward", note="Tämä kuuluu työryhmälle.")
    html = answer.get_data(as_text=True)
    assert answer.status_code in (400, 409)  # refused by the operation, nothing saved
    form = html[html.index('id="action-take_forward"'):]
    form = form[:form.index("</form>")]
    assert 'aria-invalid="true"' in form and "Valitse foorumi" in form and "Tämä kuuluu työryhmälle." in form
    assert 'href="#forum-take_forward"' in html


def test_forums_are_grouped_by_level_and_each_box_says_what_it_is_for(client, org, create_report):
    report = handler_with_case(client, org, create_report)
    html = client.get(f"/cases/{report.number}").get_data(as_text=True)
    assert '<optgroup label="Työyksikkö">' in html and '<optgroup label="Hyvinvointialue">' in html
    assert html.index('<optgroup label="Työyksikkö">') < html.index('<optgroup label="Hyvinvointialue">')
    assert 'for="note-ask_reporter">Kysymys raportoijalle' in html and 'for="note-close">Syy sulkemiseen' in html


def test_the_confirmation_says_what_was_done(client, org, create_report):
    report = handler_with_case(client, org, create_report)
    done = act(client, report, "ask_reporter", note="Kuinka pitkä jono on?")
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Kysymys on lähetetty raportoijalle." in page and "Tallennettu:" not in page


def test_an_action_writes_no_extra_opening_to_the_audit_log(client, org, create_report):
    report = handler_with_case(client, org, create_report)

    def openings() -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == AuditAction.REPORT_VIEWED, AuditEntry.report_number == report.number))

    client.get(f"/cases/{report.number}")
    before = openings()
    for note in ("Ensimmäinen.", "Toinen."):
        done = act(client, report, "add_note", note=note)
        client.get(done.headers["Location"])
    assert openings() == before + 2, "csrf_token() opens the page once per action; the page after it opens nothing"
    client.get(f"/cases/{report.number}")
    assert openings() == before + 3


def test_the_audit_log_shows_names_not_codes(app_ctx, org):
    forum = db.session.scalar(sa.select(Forum).where(Forum.code == "customer-experience"))
    if forum is None:
        forum = Forum(code="customer-experience", name="Asiakaskokemusjaosto", level=EscalationLevel.COUNTY)
        db.session.add(forum)
        db.session.flush()
    assert describe({"forum": "customer-experience"}) == [f"foorumi: {forum.name}"]
    assert describe({"added": ["supervisor: Kotihoito, Kaavi"]}) == ["lisätty: Esihenkilö: Kotihoito, Kaavi"]
    assert describe({"created": True, "name": "Uusi"}) == ["luotiin uutena", "nimi: Uusi"]
    assert describe({"created": 4}) == ["uusia: 4"]
    assert not re.search(r"\bsupervisor\b", " ".join(describe({"roles": ["supervisor: X"]})))
