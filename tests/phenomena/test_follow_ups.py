"""What came of a proposal (issue 17, point 5): follow-ups recorded for a group's and a compilation theme's
proposals, shown to staff on the results pages, to the reporter on the tracking page (public ones only,
nothing of other reports), and listed in the next half-year's compilation."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from helpers import csrf_token, login

from app.codes import AuditAction, CompilationAction, FollowUpStatus, Nature, Phenomenon
from app.extensions import db
from app.models import AuditEntry, ProposalFollowUp, Theme
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import follow_ups, groups
from app.workflow.reports.filing import ReportInput, file_report

AUTUMN = datetime(2025, 10, 6, 9, tzinfo=timezone.utc)


def post(client, page: str, url: str, **data):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


@pytest.fixture
def proposal(org):  # type: ignore[no-untyped-def]
    """A group of two autumn reports (one filed with its tracking code kept) with one proposal."""
    from app.workflow.cases.release import release_filing

    filed = file_report(ReportInput(unit=org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                                    description="Ensisuojaa ei ole talvella."), now=AUTUMN)
    report = release_filing(filed.held, AUTUMN)
    other = release_filing(file_report(ReportInput(unit=org["other_unit"], nature=Nature.NEGATIVE,
                                                   phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                                                   description="TOISEN RAPORTIN TEKSTI Varkaudesta."), now=AUTUMN).held,
                           AUTUMN)
    group = groups.create_group(org["working_group"], groups.GroupText("Ensisuojat"), [report.id, other.id])
    made = groups.add_proposal(group, org["working_group"], "Ensisuoja jokaiseen seutukuntaan.")
    db.session.commit()
    return {"proposal": made, "group": group, "number": report.number, "code": filed.tracking_code,
            "other": other}


def test_the_working_group_records_a_follow_up_and_brings_it_up_to_date(app, org, proposal):
    client = app.test_client()
    login(client, org["working_group"].email)
    page = f"/phenomena/groups/proposals/{proposal['proposal'].id}/follow-ups/new"
    assert client.get(page).status_code == 200
    saved = post(client, page, page, forum=org["forum"].code, dated_on="2025-11-20", status="in_progress",
                 response="Työryhmä valmistelee esityksen hallitukselle.", public="y")
    assert saved.status_code == 302, saved.get_data(as_text=True)
    follow_up = db.session.scalar(sa.select(ProposalFollowUp))
    assert follow_up.forum_id == org["forum"].id and follow_up.status == FollowUpStatus.IN_PROGRESS
    assert follow_up.dated_on == date(2025, 11, 20) and follow_up.public
    edit = f"/phenomena/groups/follow-ups/{follow_up.id}"
    post(client, edit, edit, decision_body="Aluehallitus", dated_on="2026-01-15", status="done",
         response="Ensisuoja avataan Iisalmeen.", public="y")
    db.session.expire_all()
    follow_up = db.session.get(ProposalFollowUp, follow_up.id)
    assert follow_up.forum is None and follow_up.recipient == "Aluehallitus" and follow_up.status == FollowUpStatus.DONE
    shown = client.get(f"/phenomena/groups/{proposal['group'].id}").get_data(as_text=True)
    assert "Ensisuoja avataan Iisalmeen." in shown and "Aluehallitus" in shown and "Toteutunut" in shown
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.FOLLOW_UP_RECORDED))
    assert len(list(entries)) == 2


def test_a_follow_up_needs_a_recipient(org, proposal):
    with pytest.raises(Refusal):
        follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
            None, "  ", date(2025, 11, 1), "", FollowUpStatus.OPEN), proposal=proposal["proposal"])


@pytest.mark.parametrize("role", ["employee", "handler", "review_body", "admin"])
def test_only_the_working_group_and_the_director_record_follow_ups(app, org, proposal, role):
    with pytest.raises(Refusal):
        follow_ups.record_follow_up(org[role], follow_ups.FollowUpInput(
            org["forum"], "", date(2025, 11, 1), "", FollowUpStatus.OPEN), proposal=proposal["proposal"])
    client = app.test_client()
    login(client, org[role].email)
    assert client.get(f"/phenomena/groups/proposals/{proposal['proposal'].id}/follow-ups/new").status_code == 403


def test_the_reporter_sees_the_public_follow_up_on_the_tracking_page(app, org, proposal):
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        org["forum"], "", date(2025, 12, 2), "JULKINEN VASTAUS: ensisuoja avataan.", FollowUpStatus.DONE, True),
        proposal=proposal["proposal"])
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        None, "Johtoryhmä", date(2025, 12, 3), "SISÄINEN MUISTIINPANO.", FollowUpStatus.IN_PROGRESS, False),
        proposal=proposal["proposal"])
    db.session.commit()
    client = app.test_client()
    tracked = post(client, "/track", "/track", number=proposal["number"], code=proposal["code"])
    assert tracked.status_code == 302
    page = client.get("/track/status").get_data(as_text=True)
    assert "Mitä raportista seurasi" in page
    assert "Ensisuoja jokaiseen seutukuntaan." in page and "JULKINEN VASTAUS: ensisuoja avataan." in page
    assert org["forum"].name in page and "Toteutunut" in page
    assert "SISÄINEN MUISTIINPANO." not in page and "Johtoryhmä" not in page
    assert proposal["other"].number not in page and "TOISEN RAPORTIN TEKSTI" not in page


def test_a_report_in_no_group_shows_no_follow_ups(app, org):
    filed = file_report(ReportInput(unit=org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                                    description="Yksin."), now=AUTUMN)
    db.session.commit()
    client = app.test_client()
    post(client, "/track", "/track", number=filed.number, code=filed.tracking_code)
    assert "Mitä raportista seurasi" not in client.get("/track/status").get_data(as_text=True)


@pytest.fixture
def published_autumn(org, proposal):  # type: ignore[no-untyped-def]
    """2025-H2 published with a housing theme proposal; the group's proposal and the theme's are followed up."""
    housing = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    compilation = compilations.open_compilation(Period(2025, 2), org["working_group"])
    compilations.save_texts(compilation, org["working_group"], "Yhteenveto.",
                            {housing.code: ("Vuokrat nousevat.", "TEEMAEHDOTUS: kohtuuhintaisia asuntoja lisää.")})
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    theme_text = compilation.theme_texts[0]
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        None, "Aluevaltuusto", date(2026, 2, 10), "TEEMAN PÄÄTÖS: asuntoohjelma hyväksyttiin.", FollowUpStatus.DONE),
        theme_text=theme_text)
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        org["forum"], "", date(2026, 1, 20), "RYHMÄN VASTAUS: selvitys käynnissä.", FollowUpStatus.IN_PROGRESS),
        proposal=proposal["proposal"])
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        None, "Johtoryhmä", date(2026, 1, 21), "EI JULKINEN.", FollowUpStatus.OPEN, False),
        proposal=proposal["proposal"])
    db.session.commit()
    return {"compilation": compilation, "theme_text": theme_text}


def test_follow_ups_are_shown_on_the_results_pages(app, org, published_autumn):
    public = app.test_client().get("/results/2025-H2").get_data(as_text=True)
    assert "TEEMAN PÄÄTÖS: asuntoohjelma hyväksyttiin." in public and "Aluevaltuusto" in public
    assert "RYHMÄN VASTAUS: selvitys käynnissä." in public
    assert "EI JULKINEN." not in public and "Kirjaa seuranta" not in public
    client = app.test_client()
    login(client, org["working_group"].email)
    staff = client.get("/results/2025-H2").get_data(as_text=True)
    assert "EI JULKINEN." in staff and "Kirjaa seuranta" in staff
    assert f"/phenomena/groups/theme-proposals/{published_autumn['theme_text'].id}/follow-ups/new" in staff
    working = client.get("/compilations/2025-H2").get_data(as_text=True)
    assert "TEEMAN PÄÄTÖS: asuntoohjelma hyväksyttiin." in working and "EI JULKINEN." in working


def test_the_next_compilation_lists_the_follow_ups_of_the_previous_one(app, org, published_autumn):
    spring = compilations.open_compilation(Period(2026, 1), org["working_group"],
                                           now=datetime(2026, 7, 1, tzinfo=timezone.utc))
    db.session.commit()
    content = compilations.content_of(Period(2026, 1), spring)
    listed = {item["title"]: item for item in content["previous_follow_ups"]}
    assert set(listed) == {"Asuminen", "Ensisuojat"}
    assert listed["Asuminen"]["proposal"] == "TEEMAEHDOTUS: kohtuuhintaisia asuntoja lisää."
    assert [f["response"] for f in listed["Ensisuojat"]["follow_ups"]] == ["RYHMÄN VASTAUS: selvitys käynnissä.",
                                                                          "EI JULKINEN."]
    client = app.test_client()
    login(client, org["working_group"].email)
    page = client.get("/compilations/2026-H1").get_data(as_text=True)
    assert "Mitä edellisen kauden ehdotuksista seurasi" in page and "TEEMAN PÄÄTÖS" in page

    compilations.perform(CompilationAction.SEND_FOR_REVIEW, spring, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, spring, org["review_body"])
    db.session.commit()
    published = {item["title"]: item for item in spring.snapshot["previous_follow_ups"]}
    assert [f["response"] for f in published["Ensisuojat"]["follow_ups"]] == ["RYHMÄN VASTAUS: selvitys käynnissä."]
    page = app.test_client().get("/results/2026-H1").get_data(as_text=True)
    assert "TEEMAN PÄÄTÖS: asuntoohjelma hyväksyttiin." in page and "EI JULKINEN." not in page


def test_a_follow_up_is_of_what_has_happened_not_a_day_ahead(org, proposal):
    from datetime import timedelta

    from app.workflow.campaigns.contact_persons import helsinki_today

    with pytest.raises(Refusal, match="ei voi olla tulevaisuudessa"):
        follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
            org["forum"], "", helsinki_today() + timedelta(days=1), "Käsitellään ensi vuonna.",
            FollowUpStatus.OPEN), proposal=proposal["proposal"])
    follow_ups.record_follow_up(org["working_group"], follow_ups.FollowUpInput(
        org["forum"], "", helsinki_today(), "Käsiteltiin tänään.", FollowUpStatus.IN_PROGRESS), proposal=proposal["proposal"])
