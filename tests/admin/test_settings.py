"""Settings the administrator edits: they override the configuration and reach filing, jobs and pages."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from helpers import csrf_token, login

from app.codes import AuditAction
from app.extensions import db
from app.models import AuditEntry
from app.workflow.mail import digests

UTC = timezone.utc


def settings_form(client, **changes):  # type: ignore[no-untyped-def]
    data = {"first_handling_days": "7", "feedback_days": "90", "stalled_days": "30", "question_wait_days": "14",
            "reminder_percents": "60, 80", "disclosure_threshold": "5",
            "digest_rhythm": "monthly", "shortcoming_notification": "https://www.example.fi/epakohta",
            "patient_safety": "", "occupational_safety": "", "data_protection": "", "indoor_air": "",
            "guidance_note_fi": "", "guidance_note_en": ""}
    data.update(changes)
    data["csrf_token"] = csrf_token(client, "/admin/settings")
    return client.post("/admin/settings", data=data)


def test_the_administrator_changes_deadlines_links_and_guidance(app, client, org, create_report):
    login(client, org["admin"].email)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="60, 80"' in page and 'value="7"' in page
    response = settings_form(client, first_handling_days="5", feedback_days="60", reminder_percents="50",
                             digest_rhythm="weekly", guidance_note_fi="Kysy neuvoa Sannalta, p. 044 123.\nKiitos!")
    assert response.status_code == 302
    assert "Asetukset tallennettu." in client.get("/admin/settings").get_data(as_text=True)

    report = create_report(org["unit"], reporter_name="Eeva Työntekijä", now=datetime(2026, 11, 2, 10, tzinfo=UTC))
    assert report.first_handling_due_at == datetime(2026, 11, 7, 10, tzinfo=UTC)
    assert report.feedback_due_at == datetime(2027, 1, 1, 10, tzinfo=UTC)
    db.session.commit()
    assert digests.send_deadline_notices(datetime(2026, 11, 4, 23, tzinfo=UTC)) == 1  # 50 % of five days

    form = client.get("/report/new").get_data(as_text=True)
    assert "Kysy neuvoa Sannalta, p. 044 123." in form and "https://www.example.fi/epakohta" in form
    assert "Potilas- ja asiakasturvallisuusilmoitus" not in form, "an empty link is hidden"
    guidance = client.get("/guidance").get_data(as_text=True)
    assert "Kysy neuvoa Sannalta" in guidance

    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.SETTINGS_CHANGED)).one()
    assert entry.actor_id == org["admin"].id
    assert entry.details["FIRST_HANDLING_DAYS"] == [7, 5] and entry.details["DIGEST_RHYTHM"] == ["monthly", "weekly"]
    log = client.get("/admin/audit")
    assert log.status_code == 200, "the links are logged as a mapping, and the log page shows it"
    assert "shortcoming_notification: https://www.example.fi/epakohta" in log.get_data(as_text=True)

    token = csrf_token(client, "/admin/settings")
    assert client.post("/admin/settings/restore", data={"csrf_token": token}).status_code == 302
    assert 'value="60, 80"' in client.get("/admin/settings").get_data(as_text=True)
    assert "Kysy neuvoa Sannalta" not in client.get("/report/new").get_data(as_text=True)


def test_bad_settings_are_refused_with_every_value_kept(app, client, org):
    login(client, org["admin"].email)
    response = settings_form(client, first_handling_days="0", feedback_days="5", reminder_percents="60, sata",
                             patient_safety="javascript:alert(1)", guidance_note_fi="Oma ohje")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Anna luku väliltä 1–60." in page and "Anna luku väliltä 7–365." in page
    assert "Kirjoita 1–5 prosenttilukua" in page and "alkaa http:// tai https://" in page
    assert "Oma ohje" in page and 'value="60, sata"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == AuditAction.SETTINGS_CHANGED)) == 0


def test_html_in_the_guidance_note_is_shown_as_text(app, client, org):
    login(client, org["admin"].email)
    settings_form(client, guidance_note_fi='<script>alert("x")</script>')
    page = client.get("/guidance").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_only_the_administrator_edits_settings(app, client, org):
    login(client, org["social_director"].email)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings/restore").status_code in (400, 403)


def test_the_administrator_sets_the_disclosure_threshold_that_published_figures_use(app, client, org):
    from app.workflow.compilations import disclosure

    login(client, org["admin"].email)
    assert settings_form(client, disclosure_threshold="2").status_code == 400, "below 3 is refused"
    assert settings_form(client, disclosure_threshold="8").status_code == 302
    assert 'name="disclosure_threshold"' in client.get("/admin/settings").get_data(as_text=True)
    assert disclosure.threshold() == 8 and disclosure.label(disclosure.threshold()) == "<8"
