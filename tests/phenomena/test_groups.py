"""Phenomenon groups (issue 17, point 2): who may create them and attach or detach which reports, the
prefilled new-group form the weak signals link to, the case page's "Lisää ilmiöön", and the groups in the
half-year compilation with their small municipality counts suppressed."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from helpers import add_unit, csrf_token, login

from app.codes import AuditAction, CompilationAction, Nature, Phenomenon
from app.extensions import db
from app.models import AuditEntry, CompilationHighlight, PhenomenonGroup
from app.workflow.compilations import disclosure
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import groups

SPRING = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)


@pytest.fixture
def reports(org, create_report):  # type: ignore[no-untyped-def]
    """One report in each of the org's two units (Kuopio, seen by `handler`; Varkaus, by `other_handler`)."""
    kuopio = create_report(org["unit"], description="Vuokrat ylittävät asumistuen rajat.", now=SPRING)
    varkaus = create_report(org["other_unit"], description="Ensisuojaa ei ole.", now=SPRING)
    db.session.commit()
    return {"kuopio": kuopio, "varkaus": varkaus}


def post(client, page: str, url: str, **data):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_working_group_creates_a_group_across_units_and_a_report_may_be_in_several(org, reports):
    group = groups.create_group(org["working_group"], groups.GroupText("Asunnottomuus", "Kuvaus.", "", ("homelessness",)),
                                [reports["kuopio"].id, reports["varkaus"].number])
    other = groups.create_group(org["working_group"], groups.GroupText("Vuokrat"), [reports["kuopio"].id])
    db.session.commit()
    assert {r.number for r in group.reports} == {reports["kuopio"].number, reports["varkaus"].number}
    assert groups.grouped_report_ids([reports["kuopio"].id, reports["varkaus"].id, 999999]) == {
        reports["kuopio"].id, reports["varkaus"].id}
    assert [g.name for g in groups.groups_of_report(reports["kuopio"])] == ["Asunnottomuus", "Vuokrat"]
    assert other.id != group.id
    assert [p.code for p in group.national_phenomena] == ["homelessness"]
    audited = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.PHENOMENON_GROUP_CHANGED))
    assert len(list(audited)) == 2


def test_a_handler_attaches_only_reports_they_may_see(org, reports):
    group = groups.create_group(org["handler"], groups.GroupText("Ensisuojat"),
                                [reports["kuopio"].id, reports["varkaus"].id])
    assert [r.number for r in group.reports] == [reports["kuopio"].number], "the other unit's report is left out"
    with pytest.raises(Refusal):
        groups.attach_report(group, org["handler"], reports["varkaus"].number)
    with pytest.raises(Refusal):
        groups.detach_report(group, org["other_handler"], reports["kuopio"].id)
    groups.attach_report(group, org["other_handler"], reports["varkaus"].number)
    assert groups.visible_reports(org["handler"], group) == [reports["kuopio"]]
    groups.detach_report(group, org["handler"], reports["kuopio"].id)
    assert [r.number for r in group.reports] == [reports["varkaus"].number]


@pytest.mark.parametrize("role", ["employee", "supervisor", "review_body", "coordinator", "admin"])
def test_others_can_do_nothing_with_groups(app, org, reports, role):
    with pytest.raises(Refusal):
        groups.create_group(org[role], groups.GroupText("Ilmiö"))
    group = groups.create_group(org["working_group"], groups.GroupText("Ilmiö"), [reports["kuopio"].id])
    db.session.commit()
    client = app.test_client()
    login(client, org[role].email)
    assert client.get("/phenomena/groups/").status_code == 403
    assert client.get(f"/phenomena/groups/{group.id}").status_code == 404
    response = post(client, "/", f"/phenomena/groups/{group.id}/reports", report=reports["varkaus"].number)
    assert response.status_code == 404
    assert len(db.session.get(PhenomenonGroup, group.id).reports) == 1


def test_the_pages_create_attach_and_detach(app, org, reports):
    client = app.test_client()
    login(client, org["working_group"].email)
    created = post(client, "/phenomena/groups/new", "/phenomena/groups/new", name="Päihdepalvelujen jonot",
                   description="Jonot ovat pitkät.", observations="Kaikissa kunnissa.", reports=[str(reports["kuopio"].id)])
    assert created.status_code == 302, created.get_data(as_text=True)
    group = db.session.scalar(sa.select(PhenomenonGroup))
    page = client.get(f"/phenomena/groups/{group.id}").get_data(as_text=True)
    assert "Päihdepalvelujen jonot" in page and "Jonot ovat pitkät." in page
    assert f'/cases/{reports["kuopio"].number}' in page and "Kuopio" in page
    attached = post(client, f"/phenomena/groups/{group.id}", f"/phenomena/groups/{group.id}/reports",
                    report=reports["varkaus"].number.lower().replace("-", " "))
    assert attached.status_code == 302
    page = client.get(f"/phenomena/groups/{group.id}").get_data(as_text=True)
    assert reports["varkaus"].number in page and "Varkaus" in page
    post(client, f"/phenomena/groups/{group.id}", f"/phenomena/groups/{group.id}/reports/{reports['varkaus'].id}/remove")
    db.session.expire_all()
    assert [r.number for r in db.session.get(PhenomenonGroup, group.id).reports] == [reports["kuopio"].number]
    # without the CSRF token nothing happens
    refused = client.post(f"/phenomena/groups/{group.id}/reports", data={"report": reports["varkaus"].number})
    assert refused.status_code == 400


def test_a_handlers_group_page_shows_only_the_reports_they_may_see(app, org, reports):
    group = groups.create_group(org["working_group"], groups.GroupText("Ilmiö"),
                                [reports["kuopio"].id, reports["varkaus"].id])
    db.session.commit()
    client = app.test_client()
    login(client, org["handler"].email)
    page = client.get(f"/phenomena/groups/{group.id}").get_data(as_text=True)
    assert reports["kuopio"].number in page and reports["varkaus"].number not in page
    assert "Varkaus" not in page


def test_the_new_group_form_is_prefilled_with_the_reports_the_viewer_may_see_and_the_name(app, org, reports):
    """The weak signals' contract: GET groups.new?report=<id>&report=<id>&name=... ; saving attaches them."""
    client = app.test_client()
    login(client, org["handler"].email)
    query = urlencode([("report", reports["kuopio"].id), ("report", reports["varkaus"].id), ("name", "Heikko signaali")])
    with app.test_request_context():
        from flask import url_for
        assert url_for("groups.new", report=[reports["kuopio"].id, reports["varkaus"].id], name="Heikko signaali") \
            == f"/phenomena/groups/new?{query}"
    page = client.get(f"/phenomena/groups/new?{query}").get_data(as_text=True)
    assert 'value="Heikko signaali"' in page
    assert reports["kuopio"].number in page and reports["varkaus"].number not in page
    assert f'name="reports" value="{reports["kuopio"].id}" id="report-{reports["kuopio"].id}" checked' in page
    # a crafted POST with a report the handler may not see attaches only the visible one
    saved = post(client, f"/phenomena/groups/new?{query}", "/phenomena/groups/new", name="Heikko signaali",
                 reports=[str(reports["kuopio"].id), str(reports["varkaus"].id)])
    assert saved.status_code == 302
    group = db.session.scalar(sa.select(PhenomenonGroup))
    assert group.name == "Heikko signaali" and [r.id for r in group.reports] == [reports["kuopio"].id]


def test_from_the_case_page_a_report_is_added_to_a_group(app, org, reports):
    group = groups.create_group(org["working_group"], groups.GroupText("Toimeentulo"))
    db.session.commit()
    client = app.test_client()
    login(client, org["working_group"].email)
    case = f"/cases/{reports['kuopio'].number}"
    page = client.get(case).get_data(as_text=True)
    assert "Lisää ilmiöön" in page and "Toimeentulo" in page
    assert f"/phenomena/groups/new?report={reports['kuopio'].id}" in page
    added = post(client, case, f"/phenomena/groups/from-case/{reports['kuopio'].number}", group=str(group.id))
    assert added.status_code == 302
    page = client.get(case).get_data(as_text=True)
    assert f'/phenomena/groups/{group.id}"' in page
    db.session.expire_all()
    assert [r.id for r in db.session.get(PhenomenonGroup, group.id).reports] == [reports["kuopio"].id]


def test_group_texts_refuse_an_identity_code(app, org):
    client = app.test_client()
    login(client, org["working_group"].email)
    response = post(client, "/phenomena/groups/new", "/phenomena/groups/new", name="Ilmiö",
                    description="Asiakas 131052-308T kertoi.")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhenomenonGroup)) == 0


@pytest.fixture
def grouped_period(org):  # type: ignore[no-untyped-def]
    """2026-H1: a group with six reports from Kuopio and two from Pielavesi, one chosen as an excerpt."""
    from helpers import add_report

    pielavesi = add_unit("U-PIE", municipality="Pielavesi", area="Kotihoito")
    filed = [add_report(org["unit"], description=f"Kuopio {i}.", now=SPRING) for i in range(6)]
    filed += [add_report(pielavesi, description=f"Pielavesi {i}.", now=SPRING) for i in range(2)]
    filed.append(add_report(org["unit"], description="Ei ryhmässä.", now=SPRING))
    group = groups.create_group(org["working_group"], groups.GroupText(
        "Ensisuojan puute", "RYHMÄKUVAUS ensisuojista.", "RYHMÄHAVAINNOT talvesta."), [r.id for r in filed[:8]])
    groups.add_proposal(group, org["working_group"], "RYHMÄEHDOTUS: ensisuoja jokaiseen seutukuntaan.")
    compilation = compilations.open_compilation(Period(2026, 1), org["working_group"], now=datetime(2026, 7, 2, tzinfo=timezone.utc))
    compilations.highlight_report(compilation, org["working_group"], filed[0].number, "OTE ensisuojasta.")
    db.session.commit()
    return {"group": group, "compilation": compilation, "reports": filed}


def test_the_draft_compilation_shows_the_groups_text_and_suppresses_small_municipality_counts(app, org, grouped_period):
    content = compilations.content_of(Period(2026, 1), grouped_period["compilation"])
    (shown,) = content["groups"]
    assert shown["name"] == "Ensisuojan puute" and shown["total"] == 8
    rows = {r["label"]: r for r in shown["municipalities"]}
    assert rows["Kuopio"]["count"] == 6 and rows["Pielavesi"]["count"] == 2
    assert "count" in rows["Pielavesi"]["suppressed"], "a count of 2 singles out Pielavesi"
    assert "count" in rows["Kuopio"]["suppressed"], "and its complement is hidden, so the total does not give it away"
    assert [h["excerpt"] for h in shown["highlights"]] == ["OTE ensisuojasta."]

    client = app.test_client()
    login(client, org["working_group"].email)
    page = client.get("/compilations/2026-H1").get_data(as_text=True)
    for text in ("Ensisuojan puute", "RYHMÄKUVAUS ensisuojista.", "RYHMÄHAVAINNOT talvesta.",
                 "RYHMÄEHDOTUS: ensisuoja jokaiseen seutukuntaan.", "OTE ensisuojasta."):
        assert text in page
    assert "2 → &lt;5" in page

    published = disclosure.publishable(content)
    (public,) = published["groups"]
    assert {r["label"]: r["count"] for r in public["municipalities"]} == {"Kuopio": "..", "Pielavesi": "<5"}
    assert "report_numbers" not in public and all("number" not in h for h in public["highlights"])


def test_a_small_group_hides_its_total_too(org, grouped_period):
    content = disclosure.protect({"groups": [{"name": "x", "total": 3, "municipalities": [
        {"code": "297", "label": "Kuopio", "count": 3}]}]}, 5)
    assert content["groups"][0]["suppressed"] == ["total"]
    published = disclosure.publishable({"groups": [{"name": "x", "total": 3, "proposals": [], "highlights": [],
                                                    "municipalities": [{"code": "297", "label": "Kuopio", "count": 3}]}]}, 5)
    assert published["groups"][0]["total"] == "<5" and published["groups"][0]["municipalities"][0]["count"] == "<5"


def test_the_published_snapshot_holds_the_groups(app, org, grouped_period):
    compilation = grouped_period["compilation"]
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()
    (group,) = compilation.snapshot["groups"]
    assert group["name"] == "Ensisuojan puute" and group["description"] == "RYHMÄKUVAUS ensisuojista."
    assert "report_numbers" not in group
    page = app.test_client().get("/results/2026-H1").get_data(as_text=True)
    assert "RYHMÄEHDOTUS: ensisuoja jokaiseen seutukuntaan." in page and "OTE ensisuojasta." in page
    for report in grouped_period["reports"]:
        assert report.number not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompilationHighlight)) == 1


def test_a_group_without_reports_in_the_period_stays_out(org, create_report):
    autumn = create_report(org["unit"], now=datetime(2025, 10, 1, tzinfo=timezone.utc), nature=Nature.NEGATIVE,
                           phenomenon=Phenomenon.SOCIAL_PROBLEMS)
    groups.create_group(org["working_group"], groups.GroupText("Syksyn ilmiö"), [autumn.id])
    db.session.commit()
    assert compilations.draft_content(Period(2026, 1))["groups"] == []
    assert [g["name"] for g in compilations.draft_content(Period(2025, 2))["groups"]] == ["Syksyn ilmiö"]


def test_the_group_page_suggests_similar_reports_to_attach(client, org, create_report):
    from test_similarity import HOME_CARE, HOMELESS_AGAIN, HOMELESS_YOUNG, SCHOOL_BUS

    from app.extensions import db
    from app.workflow.phenomena import groups as group_rules

    create_report(org["unit"], description=HOME_CARE)
    create_report(org["other_unit"], description=SCHOOL_BUS)
    member = create_report(org["unit"], description=HOMELESS_YOUNG)
    other = create_report(org["other_unit"], description=HOMELESS_AGAIN)
    group = group_rules.create_group(org["working_group"], group_rules.GroupText("Nuorten asunnottomuus"), [member.id])
    db.session.commit()
    login(client, "w@t.example")
    page = client.get(f"/phenomena/groups/{group.id}").get_data(as_text=True)
    similar = page[page.index('id="similar"'):]
    assert other.number in similar and "asunnottomuus" in similar.lower()
    assert member.number not in similar
