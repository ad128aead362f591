"""The handler's pages: who sees what, the actions end to end, and the reporter's answers."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import ROLES, VIEWERS, csrf_token, file_via_form, login, release_all

from app.codes import ReportStatus
from app.extensions import db
from app.models import Report

INBOX_USERS = {"supervisor", "handler", "social_director", "working_group", "other_supervisor", "other_handler"}


def filed_report(client, **overrides) -> tuple[Report, str]:  # type: ignore[no-untyped-def]
    """Filed through the form and released to staff, as the day's release would."""
    html = file_via_form(client, **overrides).get_data(as_text=True)
    release_all()
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    return db.session.scalar(sa.select(Report).where(Report.number == number)), code


def act(client, report: Report, action: str, **data):  # type: ignore[no-untyped-def]
    page = client.get(f"/cases/{report.number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    fields = {"csrf_token": csrf_token(client, f"/cases/{report.number}"), "version": version.group(1) if version else ""}
    fields.update(data)
    return client.post(f"/cases/{report.number}/{action}", data=fields)


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(app, org, role):
    reporter = app.test_client()
    report, _ = filed_report(reporter, reporter_name="Raili Raportoija", reporter_email="raili@t.example")
    client = app.test_client()
    login(client, org[role].email)

    inbox = client.get("/cases/")
    assert inbox.status_code == (200 if role in INBOX_USERS else 403)
    listed = report.number in inbox.get_data(as_text=True)
    assert listed is (role in VIEWERS), role

    case = client.get(f"/cases/{report.number}")
    assert case.status_code == (200 if role in VIEWERS else 404), role
    page = case.get_data(as_text=True)
    assert ("Raili Raportoija" in page) is (role in {"handler", "social_director"}), role
    assert client.get("/cases/SR-2026-99999").status_code == 404

    response = act(client, report, "start_handling")
    db.session.expire_all()
    if role in {"handler", "social_director"}:
        assert response.status_code == 302 and db.session.get(Report, report.id).status == ReportStatus.IN_HANDLING
    else:
        assert response.status_code in (404, 409), role
        assert db.session.get(Report, report.id).status == ReportStatus.RECEIVED


def test_anonymous_visitor_is_sent_to_login(client, org):
    assert "/login" in client.get("/cases/").headers["Location"]


def test_handler_journey_and_the_reporter_answers(app, org):
    reporter = app.test_client()
    report, code = filed_report(reporter)
    handler = app.test_client()
    login(handler, org["handler"].email)

    assert act(handler, report, "start_handling").status_code == 302
    assert act(handler, report, "add_note", note="Sisäinen: selvitän jonotilanteen.").status_code == 302
    assert act(handler, report, "add_note", note="Asia on selvityksessä.", is_public="y").status_code == 302
    assert act(handler, report, "ask_reporter", note="Onko jono pidentynyt tänä vuonna?").status_code == 302

    tracked = reporter.post("/track", data={"csrf_token": csrf_token(reporter, "/track"), "number": report.number,
                                            "code": code}, follow_redirects=True).get_data(as_text=True)
    assert "Onko jono pidentynyt tänä vuonna?" in tracked and "Asia on selvityksessä." in tracked
    assert "Sisäinen: selvitän" not in tracked
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', tracked).group(1)
    answered = reporter.post("/track/answer", data={"csrf_token": token, "number": report.number, "code": code,
                                                    "answer": "Kyllä, noin kuukaudella."}, follow_redirects=True)
    sent = answered.get_data(as_text=True)
    assert answered.status_code == 200 and "Vastauksesi on tallennettu" in sent and "Kyllä, noin kuukaudella." in sent
    assert 'name="answer"' not in sent, "the answer waits for the release: no second one"
    assert report.number not in handler.get("/cases/?unread=y").get_data(as_text=True), "held until the release"
    assert "Kyllä, noin kuukaudella." not in handler.get(f"/cases/{report.number}").get_data(as_text=True)
    release_all()

    inbox = handler.get("/cases/?unread=y").get_data(as_text=True)
    assert report.number in inbox and "Uusi vastaus" in inbox
    case = handler.get(f"/cases/{report.number}").get_data(as_text=True)
    assert "Kyllä, noin kuukaudella." in case
    assert report.number not in handler.get("/cases/?unread=y").get_data(as_text=True), "read once opened"

    assert act(handler, report, "take_forward", forum=org["forum"].code, note="Työryhmän kokoukseen.").status_code == 302
    assert act(handler, report, "resolve", note="Jonoa purettiin lisäresurssilla.").status_code == 302
    db.session.expire_all()
    final = db.session.get(Report, report.id)
    assert (final.status, final.escalation_level.value, final.forum.code) == (ReportStatus.RESOLVED, "county", "RSTR")

    status = reporter.post("/api/v1/reports/track", json={"number": report.number, "code": code}).get_json()
    assert status["status"]["code"] == "resolved" and status["forum"] == "Rakenteellisen sosiaalityön työryhmä"
    notes = [event["note"] for event in status["timeline"]]
    assert "Jonoa purettiin lisäresurssilla." in notes and "Sisäinen: selvitän jonotilanteen." not in notes


def test_stale_page_gets_a_clear_message_and_keeps_the_note(app, org):
    report, _ = filed_report(app.test_client())
    first, second = app.test_client(), app.test_client()
    login(first, org["handler"].email)
    login(second, org["social_director"].email)
    stale = re.search(r'name="version" value="(\d+)"', second.get(f"/cases/{report.number}").get_data(as_text=True))
    assert act(first, report, "close", note="Ei toimenpiteitä.").status_code == 302
    token = csrf_token(second, f"/cases/{report.number}")
    response = second.post(f"/cases/{report.number}/add_note",
                           data={"csrf_token": token, "version": stale.group(1), "note": "Tärkeä huomio, ei saa hukkua."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Joku muu ehti muuttaa raporttia sillä välin." in page
    db.session.expire_all()
    assert db.session.get(Report, report.id).status == ReportStatus.CLOSED
    assert len(db.session.get(Report, report.id).events) == 2


def test_required_note_is_asked_for_and_forum_needed(app, org):
    report, _ = filed_report(app.test_client())
    handler = app.test_client()
    login(handler, org["handler"].email)
    act(handler, report, "start_handling")
    response = act(handler, report, "resolve", note="")
    assert response.status_code == 409 and "Kirjoita merkintä" in response.get_data(as_text=True)
    response = act(handler, report, "take_forward", note="Eteenpäin")
    assert response.status_code == 409 and "Valitse foorumi" in response.get_data(as_text=True)
    assert "Eteenpäin" in response.get_data(as_text=True), "the typed note is kept"


def test_inbox_filters_and_counts(app, org):
    reporter = app.test_client()
    housing, _ = filed_report(reporter, themes=["housing"], phenomenon="social_problems")
    other, _ = filed_report(reporter, themes=["income"], phenomenon="own_resources", unit="U-VAR")
    director = app.test_client()
    login(director, org["social_director"].email)
    act(director, other, "start_handling")
    page = director.get("/cases/?theme=housing").get_data(as_text=True)
    assert housing.number in page and other.number not in page
    page = director.get("/cases/?status=in_handling").get_data(as_text=True)
    assert other.number in page and housing.number not in page
    assert "Vastaanotettu (1)" in page and "Käsittelyssä (1)" in page
    page = director.get("/cases/?municipality=915").get_data(as_text=True)
    assert other.number in page and housing.number not in page
    page = director.get("/cases/?phenomenon=nonsense").get_data(as_text=True)
    assert housing.number in page, "an unknown filter value is ignored, not an error"


def test_answer_api_validates_and_needs_an_open_question(app, org):
    reporter = app.test_client()
    created = reporter.post("/api/v1/reports", json={"unit": "U-KUO", "nature": "other", "phenomenon": "client_work",
                                                     "description": "Asiakkaat eivät löydä sähköisiä palveluja."})
    body = created.get_json()
    release_all()
    refused = reporter.post("/api/v1/reports/answer", json={"number": body["number"], "code": body["tracking_code"],
                                                           "text": "Vastaus"})
    assert refused.status_code == 409
    handler = app.test_client()
    login(handler, org["handler"].email)
    report = db.session.scalar(sa.select(Report).where(Report.number == body["number"]))
    act(handler, report, "ask_reporter", note="Mistä palveluista on kyse?")
    bad = reporter.post("/api/v1/reports/answer", json={"number": body["number"], "code": body["tracking_code"],
                                                       "text": "Tunnus 131052-308T"})
    assert bad.status_code == 400 and "henkilötunnus" in bad.get_json()["fields"]["text"][0]
    wrong = reporter.post("/api/v1/reports/answer", json={"number": body["number"], "code": "AAAAA-AAAAA-AAAAA-AAAAA",
                                                         "text": "Vastaus"})
    assert wrong.status_code == 404
    ok = reporter.post("/api/v1/reports/answer", json={"number": body["number"], "code": body["tracking_code"],
                                                      "text": "Ajanvarauksesta."})
    sent = ok.get_json()
    assert ok.status_code == 200 and sent["answer_sent"]["text"] == "Ajanvarauksesta.", "held for the release"
    again = reporter.post("/api/v1/reports/answer", json={"number": body["number"], "code": body["tracking_code"],
                                                         "text": "Vielä."})
    assert again.status_code == 409, "one answer waits for the release"
    release_all()
    tracked = reporter.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": body["tracking_code"]})
    assert tracked.get_json()["open_question"] is None and tracked.get_json()["answer_sent"] is None


def test_notifications_page_for_information_and_action(app, org):
    report, _ = filed_report(app.test_client())
    supervisor, handler = app.test_client(), app.test_client()
    login(supervisor, org["supervisor"].email)
    login(handler, org["handler"].email)
    assert '<span class="count">1' in supervisor.get("/").get_data(as_text=True)
    page = supervisor.get("/cases/notifications").get_data(as_text=True)
    assert "Uusi raportti tiedoksi" in page and report.number in page
    assert '<span class="count">' not in supervisor.get("/").get_data(as_text=True), "read once listed"
    assert "Uusi raportti käsiteltäväksi" in handler.get("/cases/notifications").get_data(as_text=True)
    other = app.test_client()
    login(other, org["other_handler"].email)
    assert report.number not in other.get("/cases/notifications").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_is_for_the_social_director_and_working_group(app, org, role):
    reporter = app.test_client()
    filed_report(reporter, themes=["housing"])
    filed_report(reporter, themes=["housing", "income"], phenomenon="own_resources")
    client = app.test_client()
    login(client, org[role].email)
    response = client.get("/cases/dashboard")
    if role in {"supervisor", "other_supervisor", "handler", "other_handler"}:
        # the county's dashboard is not theirs: they are shown their own reports, with a word why
        assert response.status_code == 302 and response.headers["Location"] == "/cases/"
        return
    if role not in {"social_director", "working_group"}:
        assert response.status_code == 403
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Raportteja yhteensä 2." in page
    assert re.search(r"Asuminen</a></th><td>2</td>", page) and re.search(r"Toimeentulo</a></th><td>1</td>", page)
    assert re.search(r"Sosiaaliset ongelmat</a></th><td>1</td>", page)
    assert page.count("SR-") >= 2, "the oldest open reports are listed"


def test_overdue_filter_and_badge(app, org, create_report):
    from datetime import timedelta

    from app.codes import Nature, Phenomenon
    from app.models import utcnow

    late = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES,
                         description="Vanha raportti.", now=utcnow() - timedelta(days=10))
    fresh, _ = filed_report(app.test_client())
    db.session.commit()
    handler = app.test_client()
    login(handler, org["handler"].email)
    page = handler.get("/cases/?overdue=y").get_data(as_text=True)
    assert late.number in page and fresh.number not in page and "Myöhässä" in page


def test_named_author_answers_from_my_reports(app, org):
    author = app.test_client()
    login(author, org["employee"].email)
    report, _ = filed_report(author, under_my_name="y")
    handler = app.test_client()
    login(handler, org["handler"].email)
    act(handler, report, "ask_reporter", note="Mitä tarkoitat palvelulla?")
    page = author.get(f"/my-reports/{report.number}").get_data(as_text=True)
    assert "Mitä tarkoitat palvelulla?" in page
    token = csrf_token(author, f"/my-reports/{report.number}")
    response = author.post(f"/my-reports/{report.number}/answer", data={"csrf_token": token, "answer": "Kotihoitoa."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Report, report.id).unread_answer
    stranger = app.test_client()
    login(stranger, org["supervisor"].email)
    assert stranger.post(f"/my-reports/{report.number}/answer",
                         data={"csrf_token": csrf_token(stranger, "/"), "answer": "x"}).status_code == 404


def test_a_refused_note_says_why_and_is_kept(app, org):
    report, _ = filed_report(app.test_client())
    handler = app.test_client()
    login(handler, org["handler"].email)
    response = act(handler, report, "add_note", note="Asiakas 131052-308T soitti.")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Tekstissä on henkilötunnus." in page
    assert "Asiakas 131052-308T soitti." in page
    db.session.expire_all()
    assert len(db.session.get(Report, report.id).events) == 1


def test_deadlines_show_sort_and_filter_in_the_inbox_case_page_and_tracking(app, org, create_report):
    from datetime import timedelta

    from app.codes import Nature, Phenomenon
    from app.models import utcnow
    from app.workflow.cases.deadlines import HELSINKI

    now = utcnow()
    named = "Nimetty Raportoija"  # due to the minute; an anonymous report's deadlines run to the end of a day
    old = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES,
                        description="Vanha raportti.", reporter_name=named, now=now - timedelta(days=10))
    soon = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.OWN_RESOURCES,
                         description="Viime viikon raportti.", reporter_name=named, now=now - timedelta(days=4))
    fresh, code = filed_report(app.test_client(), reporter_name=named)
    db.session.commit()
    handler = app.test_client()
    login(handler, org["handler"].email)

    page = handler.get("/cases/?sort=deadline").get_data(as_text=True)
    assert page.index(old.number) < page.index(soon.number) < page.index(fresh.number)
    assert "Määräaika ▲<" in page, "the deadline column is the one sorted by"
    page = handler.get("/cases/").get_data(as_text=True)
    assert page.index(fresh.number) < page.index(soon.number) < page.index(old.number), "newest first by default"
    page = handler.get("/cases/?due_soon=y").get_data(as_text=True)
    assert soon.number in page and fresh.number in page and old.number not in page

    case = handler.get(f"/cases/{old.number}").get_data(as_text=True)
    due = old.first_handling_due_at.astimezone(HELSINKI)
    assert "Määräaika: käsittely alkaa" in case and f"{due.day}.{due.month}.{due.year}" in case
    assert "Myöhässä" in case

    reporter = app.test_client()
    tracking = reporter.post("/track", data={"csrf_token": csrf_token(reporter, "/track"), "number": fresh.number,
                                             "code": code}, follow_redirects=True).get_data(as_text=True)
    first = fresh.first_handling_due_at.astimezone(HELSINKI)
    assert "Käsittely alkaa viimeistään" in tracking and f"{first.day}.{first.month}.{first.year}" in tracking
    assert "Palaute viimeistään" in tracking


@pytest.mark.parametrize("role", sorted(VIEWERS))
def test_a_logged_in_authors_name_is_only_for_those_who_may_see_the_reporter(app, org, role):
    author = app.test_client()
    login(author, org["employee"].email)
    report, _ = filed_report(author, under_my_name="y")
    viewer = app.test_client()
    login(viewer, org[role].email)
    page = viewer.get(f"/cases/{report.number}").get_data(as_text=True)
    assert ("Eeva Työntekijä" in page) is (role in {"handler", "social_director"}), role
    assert "Raportti vastaanotettu" in page and "Raportoija" in page


def test_inbox_pages_and_tabs_count_the_same_reports(app, org, create_report):
    """The page count comes from the tabs' counts (one counting query): they must agree under any filter."""
    from app.codes import Nature
    from app.workflow.cases.operations import perform
    from app.workflow.cases.transitions import Action

    reports = [create_report(org["unit"], nature=Nature.NEGATIVE, description=f"Raportti {n}.") for n in range(27)]
    for report in reports[:3]:
        perform(Action.START_HANDLING, report, org["handler"])
    db.session.commit()
    client = app.test_client()
    login(client, org["handler"].email)

    def numbers(html: str) -> list[str]:
        return re.findall(r'href="/cases/(SR-[^"]+)"', html)

    first = client.get("/cases/").get_data(as_text=True)
    assert "Kaikki (27)" in first and "Käsittelyssä (3)" in first and "Sivu 1 / 2" in first
    second = client.get("/cases/?page=2").get_data(as_text=True)
    assert "Sivu 2 / 2" in second and len(numbers(first)) == 25 and len(numbers(second)) == 2
    assert set(numbers(first) + numbers(second)) == {r.number for r in reports}
    handled = client.get("/cases/?status=in_handling").get_data(as_text=True)
    assert "Sivu 1 / 1" in handled and set(numbers(handled)) == {r.number for r in reports[:3]}
    assert "Kaikki (27)" in handled, "the tabs count every status under the other filters"
    empty = client.get("/cases/?status=resolved").get_data(as_text=True)
    assert "Ei raportteja näillä rajauksilla." in empty


def test_a_page_another_site_sends_the_handler_to_marks_nothing_read(app, org):
    """A GET that clears unread marks would be a cross-site door: a link elsewhere shows the page, no more."""
    reporter = app.test_client()
    report, code = filed_report(reporter)
    handler = app.test_client()
    login(handler, org["handler"].email)
    act(handler, report, "ask_reporter", note="Missä kunnassa?")
    answered = reporter.post("/api/v1/reports/answer", json={"number": report.number, "code": code, "text": "Kuopiossa."})
    assert answered.status_code == 200
    release_all()
    elsewhere = {"Sec-Fetch-Site": "cross-site"}

    assert handler.get(f"/cases/{report.number}", headers=elsewhere).status_code == 200
    assert handler.get("/cases/notifications", headers=elsewhere).status_code == 200
    db.session.expire_all()
    assert db.session.get(Report, report.id).unread_answer
    assert '<span class="count">' in handler.get("/", headers={"Sec-Fetch-Site": "same-origin"}).get_data(as_text=True)

    handler.get(f"/cases/{report.number}", headers={"Sec-Fetch-Site": "same-origin"})
    handler.get("/cases/notifications", headers={"Sec-Fetch-Site": "none"})
    db.session.expire_all()
    assert not db.session.get(Report, report.id).unread_answer
    assert '<span class="count">' not in handler.get("/").get_data(as_text=True)
