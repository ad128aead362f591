"""Unit contact persons and reminder campaigns: the contact person sees their units' figures and the
public progress of their reports and the network; a campaign mails the chosen units' staff through the
outbox, once a round, and shows its reach and the reports filed after it."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from helpers import add_user, csrf_token, file_via_form, login, release_all
from welfare_fixtures import published  # noqa: F401  (two published half-years)

from app.codes import EventKind, Role
from app.extensions import db
from app.models import Campaign, CampaignRound, OutboxMessage, Report, ReportEvent, utcnow
from app.workflow.campaigns import reminders
from app.workflow.compilations.periods import HELSINKI


@pytest.fixture
def contact(org, password_hash):  # type: ignore[no-untyped-def]
    return add_user("v@t.example", password_hash=password_hash, name="Veera Vastuuhenkilö",
                    roles=[(Role.CONTACT_PERSON, org["unit"])])


def today() -> date:
    return utcnow().astimezone(HELSINKI).date()


def test_the_contact_person_sees_figures_and_public_progress_only(app, client, org, contact):
    file_via_form(client, reporter_name="Raili Raportoija", reporter_email="raili@t.example",
                  description="SALAINEN KUVAUS kohtuuhintaisten asuntojen puutteesta.")
    file_via_form(client, unit="U-VAR")
    report = db.session.scalar(sa.select(Report).where(Report.unit_id == org["unit"].id))
    report.events.append(ReportEvent(kind=EventKind.NOTE, note="Viety johtoryhmään.", is_public=True))
    report.events.append(ReportEvent(kind=EventKind.NOTE, note="SISÄINEN huomio", is_public=False))
    db.session.commit()

    login(client, contact.email)
    assert 'href="/contact-person"' in client.get("/").get_data(as_text=True)
    page = client.get("/contact-person").get_data(as_text=True)
    assert report.number in page and "Viety johtoryhmään." in page
    assert "SISÄINEN" not in page and "SALAINEN" not in page and "Raili" not in page
    assert org["other_unit"].name not in page, "only their own units"
    row = re.search(r"<td>" + re.escape(org["unit"].name) + r"</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row and row.groups() == ("1", "0", "1")
    assert client.get(f"/cases/{report.number}").status_code in (403, 404), "no case pages"


def test_the_network_lists_the_contact_persons_for_its_members_only(app, client, org, contact, password_hash):
    add_user("v2@t.example", password_hash=password_hash, name="Ville Verkosto",
             roles=[(Role.CONTACT_PERSON, org["other_unit"])])
    login(client, contact.email)
    page = client.get("/contact-person/network").get_data(as_text=True)
    assert "Veera Vastuuhenkilö" in page and "Ville Verkosto" in page and org["other_unit"].name in page
    other = app.test_client()
    login(other, org["employee"].email)
    assert other.get("/contact-person/network").status_code == 403
    assert other.get("/contact-person").status_code == 403


def test_a_campaign_mails_the_chosen_units_once_a_round_and_shows_its_reach(app, client, org, contact):
    admin = app.test_client()
    login(admin, org["admin"].email)
    token = csrf_token(admin, "/admin/campaigns")
    saved = admin.post("/admin/campaigns", data={
        "csrf_token": token, "title": "Muistathan sosiaalisen raportoinnin?", "message": "Kerro ilmiöistä.",
        "nodes": [org["unit"].code], "first_on": today().isoformat(), "every_months": "6"})
    assert saved.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))

    assert reminders.send_due(today()) == 1
    db.session.commit()
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "campaign")).all()
    recipients = {m.recipient for m in mail}
    assert recipients == {org["employee"].email, org["supervisor"].email, contact.email}, "the unit's staff only"
    body = mail[0].body_text
    assert "https://sora.test/report/new" in body and "https://sora.test/guidance#three-questions" in body
    assert "Kerro ilmiöistä." in body
    assert reminders.send_due(today()) == 0, "a round goes once"
    db.session.refresh(campaign)
    assert campaign.next_on == reminders.add_months(today(), 6)

    file_via_form(client)
    release_all()  # an anonymous report counts once staff know of it
    page = admin.get("/admin/campaigns").get_data(as_text=True)
    assert re.search(r"<td>3</td><td>1</td><td>0</td>", page), "reach 3, one report after, none before"
    login(client, contact.email)
    assert "Muistathan sosiaalisen raportoinnin?" in client.get("/contact-person").get_data(as_text=True), \
        "the contact person has the campaign material"


def test_a_late_scheduler_sends_one_round_not_a_backlog(app_ctx, org, contact):
    campaign = reminders.save_campaign(reminders.CampaignInput(
        title="Muistutus", message="Viesti", nodes=[org["area"]], first_on=today() - timedelta(days=400),
        every_months=6), org["admin"])
    assert reminders.send_due(today()) == 1
    assert db.session.scalar(sa.select(sa.func.count(CampaignRound.id))) == 1
    assert campaign.next_on > today()
    assert {m.recipient for m in db.session.scalars(sa.select(OutboxMessage))} >= {org["handler"].email}, \
        "a service area's campaign reaches the people of the area and its units"


def test_campaigns_are_the_administrators(app, client, org):
    login(client, org["working_group"].email)
    assert client.get("/admin/campaigns").status_code == 403
    assert reminders.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_guidance_answers_the_three_reasons(client):
    page = client.get("/guidance").get_data(as_text=True)
    assert 'id="three-questions"' in page
    for question in ("En ole kuullut lomakkeesta", "En tiedä, mistä pitäisi raportoida", "En tiedä, miksi raportoida"):
        assert question in page


def test_the_campaign_mail_names_the_latest_results_in_each_recipients_language(org, published):
    """The newest published half-year (2026-H1) in brief: its phenomena and its half-year as each reader writes them."""
    org["employee"].language, org["supervisor"].language = "en", "sv"
    db.session.add(Campaign(title="Muistathan sosiaalisen raportoinnin?", message="Kerro ilmiöistä.",
                            nodes=[org["unit"]], next_on=today()))
    db.session.commit()
    assert reminders.send_due(today()) == 1
    db.session.commit()
    bodies = {m.recipient: m.body_text for m in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "campaign"))}
    english, swedish = bodies[org["employee"].email], bodies[org["supervisor"].email]
    assert "Social problems" in english and "1 Jan – 30 Jun 2026" in english and "Sosiaaliset" not in english
    assert "Sociala problem" in swedish and "1.1.–30.6.2026" in swedish and "Sosiaaliset" not in swedish
