"""Compilation and annual-clock pages: who sees what, the working group's journey, downloads, the feed."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import icalendar
import pytest
import sqlalchemy as sa
from helpers import ROLES, csrf_token, login
from pypdf import PdfReader

from app import jobs
from app.codes import CompilationAction, CompilationStatus, Nature, Phenomenon
from app.extensions import db
from app.models import ClockEvent, Compilation, Report
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period

PERIOD = Period(2025, 2)
WORKERS = {"working_group", "review_body", "social_director"}
READERS = set(ROLES)
"""A published compilation is public: every employee finds it under Koosteet."""


@pytest.fixture
def compiled(org, create_report):  # type: ignore[no-untyped-def]
    """A published 2025-H2 with one report, and an open draft of 2026-H1."""
    report = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                           description="Asunnottomuus on kasvanut.", now=datetime(2025, 9, 1, tzinfo=timezone.utc))
    published = compilations.open_compilation(PERIOD, org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, published, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, published, org["review_body"])
    compilations.open_compilation(Period(2026, 1), org["working_group"])
    db.session.commit()
    return {"report": report}


def form_post(client, page: str, url: str, **data):  # type: ignore[no-untyped-def]
    html = client.get(page).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html)
    fields = {"csrf_token": csrf_token(client, page), "version": version.group(1) if version else ""}
    fields.update(data)
    return client.post(url, data=fields)


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(app, org, compiled, role):
    client = app.test_client()
    login(client, org[role].email)
    listing = client.get("/compilations/")
    assert listing.status_code == (200 if role in READERS else 403), role
    page = listing.get_data(as_text=True)
    if role in READERS:
        assert "2025-H2" in page
        assert ("2026-H1" in page) is (role in WORKERS), role
    published = client.get("/compilations/2025-H2")
    if role in WORKERS:
        assert published.status_code == 200, role
    else:  # others read it where the public does
        assert published.status_code == 302 and published.headers["Location"].endswith("/results/2025-H2"), role
    assert client.get("/compilations/2025-H2/reports").status_code == (200 if role == "working_group" else 403), role
    assert client.get("/compilations/2026-H1").status_code == (200 if role in WORKERS else 404), role
    assert client.get("/compilations/2026-H1/kooste.csv").status_code == (200 if role in WORKERS else 404), role
    assert client.get("/compilations/2027-H9").status_code == 404
    menu = client.get("/").get_data(as_text=True)
    assert ('href="/compilations/"' in menu) is (role in READERS), role
    assert client.get("/calendar/").status_code == 200
    assert client.get("/calendar/events").status_code == (200 if role == "admin" else 403), role


def test_working_group_journey_through_the_pages(app, org, compiled, create_report):
    create_report(org["unit"], nature=Nature.POSITIVE, description="Yhteisvastaanotto toimii hyvin.",
                  now=datetime(2026, 3, 1, tzinfo=timezone.utc))
    db.session.commit()
    number = db.session.scalar(sa.select(Report.number).where(Report.nature == Nature.POSITIVE))
    group = app.test_client()
    login(group, org["working_group"].email)
    page = "/compilations/2026-H1"

    refused = form_post(group, page, f"{page}/texts", summary="Asiakkaan hetu 131052-308T näkyy.",
                        findings_housing="Havainto säilyy.")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "henkilötunnus" in html and "Havainto säilyy." in html
    saved = form_post(group, page, f"{page}/texts", summary="Myönteistä kehitystä.", findings_housing="Vuokrat nousevat.",
                      proposals_housing="Kohtuuhintaista asumista.")
    assert saved.status_code == 302
    assert form_post(group, page, f"{page}/highlights", number=number).status_code == 302
    compilation = compilations.find(Period(2026, 1))
    highlight = compilation.highlights[0]
    assert form_post(group, page, f"{page}/highlights/{highlight.id}", excerpt="Lyhennetty ote.",
                     context="municipality").status_code == 302
    named = group.get(page).get_data(as_text=True)
    small = [m["name"] for m in compilations.content_of(Period(2026, 1))["small_municipalities"]
             if m["code"] in {m.code for m in highlight.report.municipalities}]
    assert small and f"jonka luvut peitetään julkaisussa ({', '.join(small)})" in named, \
        "a municipality whose counts are hidden is flagged beside the excerpt that would name it"
    assert form_post(group, page, f"{page}/highlights/{highlight.id}", excerpt="Lyhennetty ote.",
                     context="division").status_code == 302
    db.session.expire_all()
    assert compilations.find(Period(2026, 1)).highlights[0].excerpt == "Lyhennetty ote."
    assert db.session.scalar(sa.select(Report.description).where(Report.number == number)) == "Yhteisvastaanotto toimii hyvin."
    assert form_post(group, page, f"{page}/approve").status_code == 409  # not in review, not theirs
    assert form_post(group, page, f"{page}/send_for_review").status_code == 302

    body = app.test_client()
    login(body, org["review_body"].email)
    returned = form_post(body, page, f"{page}/return", note="")
    assert returned.status_code == 409 and "kommentit" in returned.get_data(as_text=True)
    unconfirmed = form_post(body, page, f"{page}/approve", note="Hyväksytty.")
    assert unconfirmed.status_code == 409 and "Vahvista julkaisu" in unconfirmed.get_data(as_text=True)
    assert "Sähköposti julkaisusta lähtee: " + org["coordinator"].name in unconfirmed.get_data(as_text=True)
    assert form_post(body, page, f"{page}/approve", note="Hyväksytty.", confirmed="y").status_code == 302
    db.session.expire_all()
    published = compilations.find(Period(2026, 1))
    assert published.status == CompilationStatus.PUBLISHED and published.snapshot["summary"] == "Myönteistä kehitystä."

    coordinator = app.test_client()
    login(coordinator, org["coordinator"].email)
    shown = coordinator.get(page, follow_redirects=True).get_data(as_text=True)
    assert "Lyhennetty ote." in shown and "Vuokrat nousevat." in shown and 'action="/compilations/2026-H1/texts"' not in shown
    waiting = coordinator.get(f"{page}/kooste.pdf?municipality=297", follow_redirects=True)
    assert waiting.status_code == 202 and waiting.headers["Refresh"] == "2"  # queued, not rendered in the request
    assert jobs.render_files() >= 1  # the scheduler's job
    pdf = coordinator.get(f"{page}/kooste.pdf?municipality=297", follow_redirects=True)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Kuopio" in text and "LUONNOS" not in text
    again = coordinator.get(f"{page}/kooste.pdf?municipality=297", follow_redirects=True)
    assert again.data == pdf.data  # the published file is kept and served as it was
    assert jobs.render_files() == 0
    assert coordinator.get(f"{page}/kooste.pdf?municipality=999", follow_redirects=True).status_code == 404
    assert coordinator.get(f"{page}/kooste.exe").status_code == 404


def test_open_a_period_from_the_list(app, org):
    client = app.test_client()
    login(client, org["working_group"].email)
    html = client.get("/compilations/").get_data(as_text=True)
    period = re.search(r'<option value="(\d{4}-H[12])"', html).group(1)
    response = client.post("/compilations/open", data={"csrf_token": csrf_token(client, "/compilations/"),
                                                       "period": period})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/compilations/{period}")
    assert db.session.scalar(sa.select(Compilation.status).where(Compilation.period == period)) == CompilationStatus.DRAFT
    assert client.post("/compilations/open", data={"csrf_token": csrf_token(client, "/compilations/"),
                                                   "period": "2031-H1"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Compilation.id))) == 1


def test_calendar_year_view_and_feed(app, org, compiled):
    client = app.test_client()
    login(client, org["employee"].email)
    page = client.get("/calendar/?year=2029").get_data(as_text=True)
    assert "Laajan hyvinvointikertomuksen valmistelu" in page and "2025–2029" in page
    assert "Kooste 1.7.–31.12.2028 hyväksyttävä" in page
    feed = app.test_client().get("/calendar/hyte.ics?municipality=297")  # no login: calendars subscribe
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(feed.data)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert any("Talousarvion ja hyvinvointisuunnitelman valmistelu" == s for s in summaries)
    assert any(s.startswith("Puolivuotiskooste 1.1.–30.6.") for s in summaries)
    uids = [str(e.get("uid")) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert app.test_client().get("/calendar/hyte.ics?municipality=000").status_code == 404


def test_admin_moves_an_event_and_the_deadline_follows(app, org):
    admin = app.test_client()
    login(admin, org["admin"].email)
    event = db.session.scalar(sa.select(ClockEvent).where(ClockEvent.code == "budget_and_plan"))
    data = {"name": "Talousarvion valmistelu", "description": "", "recurrence": "yearly", "day": "15",
            "month": "10", "compilation_lead_days": "5"}
    assert form_post(admin, "/calendar/events", f"/calendar/events/{event.id}", **data).status_code == 302
    db.session.expire_all()
    assert compilations.draft_content(Period(2026, 1))["deadline"] == "2026-10-10"
    bad = form_post(admin, "/calendar/events", "/calendar/events", **{**data, "day": "31", "month": "2"})
    assert bad.status_code == 400 and "Päivämäärää ei ole olemassa" in bad.get_data(as_text=True)
    own = form_post(admin, "/calendar/events?municipality=297", "/calendar/events?municipality=297",
                    **{**data, "name": "Kuopion talousarvio", "code": "budget_and_plan", "day": "1", "month": "11"})
    assert own.status_code == 302
    kuopio = admin.get("/calendar/?year=2026&municipality=297").get_data(as_text=True)
    assert "Kuopion talousarvio" in kuopio and "Talousarvion valmistelu" not in kuopio
    assert "Talousarvion valmistelu" in admin.get("/calendar/?year=2026").get_data(as_text=True)
    worker = app.test_client()
    login(worker, org["working_group"].email)
    assert form_post(worker, "/calendar/", f"/calendar/events/{event.id}", **data).status_code == 403
