"""THL's national phenomena coded on each report (issue 17, point 1): the reporter's pick on both forms, the
handler's confirmation and correction on the case page (audited), the administrator's versioned classification,
the data migration that keeps the old derived coding as suggestions, and the counts that read only confirmed coding."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import jsonschema
import pytest
import sqlalchemy as sa
from helpers import add_report, code_confirmed, csrf_token, file_via_form, login, release_all, suggested_by_reporter

from app.codes import AuditAction, CodingSource, CompilationAction, Nature, Phenomenon, PopulationGroup
from app.config import ROOT
from app.extensions import db
from app.models import AuditEntry, NationalPhenomenon, Report, ReportNationalPhenomenon, Theme
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.content import build_content
from app.workflow.compilations.periods import Period
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import coding
from app.workflow.welfare import national_export

SCHEMA = json.loads((ROOT / "docs" / "national-export.schema.json").read_text(encoding="utf-8"))
H1 = Period(2026, 1)


def at(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=timezone.utc)


def phenomenon(code: str) -> NationalPhenomenon:
    return db.session.scalar(sa.select(NationalPhenomenon).where(NationalPhenomenon.code == code))


def coded(report: Report) -> dict[str, tuple[bool, CodingSource]]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(ReportNationalPhenomenon).where(ReportNationalPhenomenon.report_id == report.id))
    return {row.phenomenon.code: (row.confirmed, row.source) for row in rows}


def only_report() -> Report:
    """The one report filed, released first if it was filed anonymously."""
    release_all()
    return db.session.scalars(sa.select(Report)).one()


# ---- the reporter's pick ------------------------------------------------------------------------

def test_the_form_explains_each_phenomenon_and_files_the_pick_as_an_unconfirmed_suggestion(app, client, org):
    page = client.get("/report/new").get_data(as_text=True)
    assert 'value="homelessness"' in page and "THL:n valtakunnalliset ilmiöt" in page
    assert "Asunnon puute, asunnon menettämisen uhka" in page, "each phenomenon has its one-line explanation"
    token = csrf_token(client, "/")
    client.post("/language", data={"lang-csrf_token": token, "lang-language": "sv", "lang-next": "/report/new"})
    swedish = client.get("/report/new").get_data(as_text=True)
    assert "Bostadslöshet" in swedish and "Brist på bostad" in swedish
    response = file_via_form(client, national_phenomena=["homelessness", "economic_situation"])
    assert response.status_code == 200, response.status_code
    assert coded(only_report()) == {"homelessness": (False, CodingSource.REPORTER),
                                    "economic_situation": (False, CodingSource.REPORTER)}


def test_the_pick_is_optional_and_an_unknown_or_retired_code_is_refused(app, client, org):
    assert file_via_form(client).status_code == 200
    assert coded(only_report()) == {}
    refused = file_via_form(client, national_phenomena=["no_such_phenomenon"])
    assert refused.status_code == 400
    coding.retire_phenomenon(phenomenon("mental_health"), org["admin"])
    db.session.commit()
    assert 'value="mental_health"' not in client.get("/report/new").get_data(as_text=True), "retired: not offered"
    assert file_via_form(client, national_phenomena=["mental_health"]).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1, "nothing filed by the refusals"


def test_a_partner_picks_phenomena_too(app, client, org):
    from helpers import valid_report

    admin = app.test_client()
    login(admin, org["admin"].email)
    assert admin.post("/admin/partners", data={"csrf_token": csrf_token(admin, "/admin/partners"), "enabled": "y",
                                               "handling_node": org["area"].code}).status_code == 302
    assert 'value="economic_situation"' in client.get("/partners/report").get_data(as_text=True)
    data = valid_report(partner_type="police", national_phenomena=["substances_and_addictions"])
    del data["unit"], data["profession_group"]
    data["csrf_token"] = csrf_token(client, "/partners/report")
    assert client.post("/partners/report", data=data).status_code == 200
    assert coded(only_report()) == {"substances_and_addictions": (False, CodingSource.REPORTER)}


def test_the_api_takes_the_pick_and_lists_the_classification(app, client, org):
    from helpers import api_report

    created = client.post("/api/v1/reports", json=api_report(national_phenomena=["mental_health"]))
    assert created.status_code == 201, created.get_json()
    assert coded(only_report()) == {"mental_health": (False, CodingSource.REPORTER)}


# ---- the handler's confirmation -----------------------------------------------------------------

def code_on_page(client, report: Report, codes: list[str], version: int | None = None):  # type: ignore[no-untyped-def]
    path = f"/cases/{report.number}"
    data = {"csrf_token": csrf_token(client, path), "national_phenomena": codes,
            "version": str(version if version is not None else report.version)}
    return client.post(f"{path}/national-phenomena", data=data)


def test_the_handler_confirms_and_corrects_the_suggestion_on_the_case_page_and_it_is_audited(app, org):
    report = add_report(org["unit"], national_phenomena=suggested_by_reporter("homelessness", "mental_health"))
    db.session.commit()
    handler = app.test_client()
    login(handler, org["handler"].email)
    page = handler.get(f"/cases/{report.number}").get_data(as_text=True)
    assert "vahvistamaton ehdotus (raportoijan valitsema)" in page, "an unconfirmed suggestion is marked so"
    assert 'id="national-coding"' in page

    response = code_on_page(handler, report, ["homelessness", "economic_situation"])
    assert response.status_code == 302
    assert coded(report) == {"homelessness": (True, CodingSource.REPORTER),
                             "economic_situation": (True, CodingSource.HANDLER)}, "mental health dropped"
    assert [p.code for p in coding.confirmed_phenomena(db.session.get(Report, report.id))] == [
        "homelessness", "economic_situation"]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_CHANGED)
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == org["handler"].id and entry.report_number == report.number
    assert entry.details == {"action": "code_national_phenomena", "national_phenomena": [[], ["economic_situation",
                             "homelessness"]], "suggested": ["homelessness", "mental_health"]}
    page = handler.get(f"/cases/{report.number}").get_data(as_text=True)
    assert "vahvistamaton ehdotus" not in page
    log = app.test_client()
    login(log, org["admin"].email)
    assert "Valtakunnallisten ilmiöiden koodaus" in log.get(f"/admin/audit?report_number={report.number}").get_data(
        as_text=True)

    # correcting a confirmed coding: none applies after all
    db.session.expire_all()
    assert code_on_page(handler, db.session.get(Report, report.id), []).status_code == 302
    assert coded(report) == {}


def test_only_who_may_act_on_the_case_codes_it_and_a_stale_page_is_refused(app, org):
    report = add_report(org["unit"], national_phenomena=suggested_by_reporter("homelessness"))
    db.session.commit()
    supervisor = app.test_client()
    login(supervisor, org["supervisor"].email)
    assert 'id="national-coding"' not in supervisor.get(f"/cases/{report.number}").get_data(as_text=True)
    assert code_on_page(supervisor, report, ["homelessness"]).status_code == 409
    handler = app.test_client()
    login(handler, org["handler"].email)
    assert handler.post(f"/cases/{report.number}/national-phenomena",
                        data={"national_phenomena": ["homelessness"]}).status_code == 400, "no CSRF token"
    stale = report.version
    perform(Action.START_HANDLING, report, org["handler"])
    db.session.commit()
    assert code_on_page(handler, report, ["homelessness"], version=stale).status_code == 409
    assert coded(report) == {"homelessness": (False, CodingSource.REPORTER)}
    assert code_on_page(handler, db.session.get(Report, report.id), ["homelessness"]).status_code == 302
    assert coded(report) == {"homelessness": (True, CodingSource.REPORTER)}


# ---- the classification: added, retired, never renumbered ---------------------------------------

def test_the_administrator_adds_and_retires_phenomena_in_new_versions_and_no_code_is_renumbered(app, client, org):
    before = {p.code: p.id for p in coding.all_phenomena()}
    assert coding.classification_version() == 1
    kept = code_confirmed(add_report(org["unit"], now=at(2)), "homelessness")
    db.session.commit()
    admin = app.test_client()
    login(admin, org["admin"].email)
    path = "/admin/national-phenomena/new"
    response = admin.post(path, data={"csrf_token": csrf_token(admin, path), "code": "loneliness",
                                      "label_fi": "Yksinäisyys", "label_en": "Loneliness", "label_sv": "Ensamhet",
                                      "explanation_fi": "Yksinäisyys ja vähäiset sosiaaliset suhteet."})
    assert response.status_code == 302
    assert coding.classification_version() == 2 and phenomenon("loneliness").added_in_version == 2
    reused = admin.post(path, data={"csrf_token": csrf_token(admin, path), "code": "homelessness",
                                    "label_fi": "Toinen", "explanation_fi": "x"})
    assert reused.status_code == 409, "a code is never reused"

    retire = "/admin/national-phenomena/homelessness/retire"
    unconfirmed = admin.post(retire, data={"csrf_token": csrf_token(admin, "/admin/national-phenomena")},
                             follow_redirects=True)
    assert "Vahvista poisto" in unconfirmed.get_data(as_text=True), "one click does not retire for good"
    db.session.expire_all()
    assert not phenomenon("homelessness").retired
    assert admin.post(retire, data={"csrf_token": csrf_token(admin, "/admin/national-phenomena"),
                                    "confirm": "yes"}).status_code == 302
    db.session.expire_all()
    homelessness = phenomenon("homelessness")
    assert homelessness.retired and homelessness.retired_in_version == 3 and coding.classification_version() == 3
    assert {code: id_ for code, id_ in before.items()} == {p.code: p.id for p in coding.all_phenomena()
                                                           if p.code in before}, "no phenomenon renumbered"
    listing = admin.get("/admin/national-phenomena").get_data(as_text=True)
    assert "Luokituksen versio: 3." in listing and "poistettu versiossa 3" in listing
    actions = db.session.scalars(sa.select(AuditEntry.target).where(
        AuditEntry.action == AuditAction.CLASSIFICATION_CHANGED).order_by(AuditEntry.id)).all()
    assert actions == ["national_phenomenon loneliness", "national_phenomenon homelessness"]

    form = client.get("/report/new").get_data(as_text=True)
    assert 'value="homelessness"' not in form and 'value="loneliness"' in form
    assert coded(kept) == {"homelessness": (True, CodingSource.HANDLER)}, "retired, and kept by its reports"
    rows = {b["key"]: {r["code"]: r["count"] for r in b["rows"]} for b in build_content(H1)["breakdowns"]}
    assert rows["national_phenomena"]["homelessness"] == 1 and rows["national_phenomena"]["loneliness"] == 0
    assert build_content(H1)["national_phenomena_version"] == 3

    # the handler may keep a retired phenomenon where the report has it, never add it to another
    db.session.expire_all()
    report = db.session.get(Report, kept.id)
    assert "homelessness" in [p.code for p in coding.handler_choices(report)]
    coding.confirm_coding(report, [phenomenon("homelessness"), phenomenon("loneliness")], org["handler"])
    other = add_report(org["unit"])
    with pytest.raises(Refusal):
        coding.confirm_coding(other, [phenomenon("homelessness")], org["handler"])


# ---- the data migration -------------------------------------------------------------------------

def test_the_migration_keeps_the_coding_derived_from_themes_as_unconfirmed_suggestions(app, app_ctx, org):
    """On SQLite and (with TEST_DATABASE_URL) PostgreSQL: the old mapping's coding becomes 'suggested' rows."""
    from flask_migrate import downgrade, upgrade

    themes = {t.code: t.id for t in db.session.scalars(sa.select(Theme))}
    phenomena = {p.code: p.id for p in coding.all_phenomena()}
    several = add_report(org["unit"], themes=[db.session.get(Theme, themes[c]) for c in
                                              ("housing", "income", "employment_and_education")])
    unmapped = add_report(org["unit"], themes=[db.session.get(Theme, themes["service_needs"])])
    ids = (several.id, unmapped.id)
    db.session.commit()
    db.session.remove()
    downgrade(revision="c7d2e4f6a810")  # just before the coding
    with db.engine.begin() as connection:
        mapping = sa.table("theme_national_phenomenon", sa.column("theme_id"), sa.column("national_phenomenon_id"))
        connection.execute(mapping.delete())
        connection.execute(mapping.insert(), [
            {"theme_id": themes["housing"], "national_phenomenon_id": phenomena["homelessness"]},
            {"theme_id": themes["income"], "national_phenomenon_id": phenomena["economic_situation"]},
            {"theme_id": themes["employment_and_education"], "national_phenomenon_id": phenomena["economic_situation"]},
        ])
    upgrade()
    db.session.remove()
    several, unmapped = (db.session.get(Report, report_id) for report_id in ids)
    assert coded(several) == {"homelessness": (False, CodingSource.SUGGESTED),
                              "economic_situation": (False, CodingSource.SUGGESTED)}, "one row per phenomenon"
    assert coded(unmapped) == {}
    assert "theme_national_phenomenon" not in sa.inspect(db.session.connection()).get_table_names(), "the mapping is gone"
    assert phenomenon("homelessness").explanation_fi.startswith("Asunnon puute")
    assert coding.classification_version() == 1
    db.session.remove()


# ---- what is counted ----------------------------------------------------------------------------

def publish(org) -> None:  # type: ignore[no-untyped-def]
    compilation = compilations.open_compilation(H1, org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()


def test_the_national_export_carries_the_confirmed_coding_its_version_and_the_new_dimensions(app_ctx, org):
    for month in range(1, 7):  # six confirmed as homelessness, handled: figures above the threshold
        report = code_confirmed(add_report(org["unit"], now=at(month), nature=Nature.NEGATIVE,
                                           phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                                           population_group=PopulationGroup.YOUNG_PEOPLE, significance=3),
                                "homelessness")
        perform(Action.START_HANDLING, report, org["handler"], now=at(month, 3))
        perform(Action.ADD_NOTE, report, org["handler"], note="Asia on viety esihenkilöille.", is_public=True,
                now=at(month, 8))
    for month in (2, 4):  # the reporter's pick alone counts for nothing
        add_report(org["unit"], now=at(month), national_phenomena=suggested_by_reporter("mental_health"))
    db.session.commit()
    publish(org)
    export = national_export.build_export(H1, "13", "Pohjois-Savon hyvinvointialue")
    jsonschema.validate(export, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert export["format_version"] == 3
    assert export["national_phenomena"] == {"version": 1, "coding": "confirmed"}
    counts = {dimension: {r["code"]: r["count"] for r in rows} for dimension, rows in export["counts"].items()}
    assert counts["national_phenomenon"]["homelessness"] == 6 and counts["national_phenomenon"]["mental_health"] == 0
    assert counts["national_phenomenon"]["none"] == 2
    assert counts["population_group"]["young_people"] == 6 and counts["population_group"]["none"] == 2
    assert counts["profession_group"]["none"] == 8
    assert counts["significance"]["3"] == 6 and counts["escalation_level"]["unit"] == 8
    assert counts["forum"] == {"none": 8}
    assert export["processing"]["first_handling"] == {"count": 6, "median_days": 2.0}
    assert export["processing"]["feedback"] == {"count": 6, "median_days": 7.0}, "the public note was feedback"
    assert export["processing"]["resolution"] == {"count": 0, "median_days": None}
    rows = national_export.csv_rows(export)
    assert (3, "13", "2026-H1", "", "classification", "national_phenomena_version",
            "Valtakunnallisten ilmiöiden luokituksen versio", 1) in rows
    assert (3, "13", "2026-H1", "", "processing_median_days", "first_handling", "Saapumisesta ensikäsittelyyn",
            2.0) in rows


def test_a_median_of_few_reports_is_hidden_and_an_old_snapshot_says_how_it_was_coded(app_ctx, org):
    report = add_report(org["unit"], now=at(2))
    perform(Action.START_HANDLING, report, org["handler"], now=at(2, 5))
    db.session.commit()
    publish(org)
    export = national_export.build_export(H1, "13", "Pohjois-Savon hyvinvointialue")
    assert export["processing"]["first_handling"] == {"count": 1, "median_days": None, "suppressed": True}
    from app.models import Compilation

    snapshot = dict(db.session.scalar(sa.select(Compilation.snapshot)))
    del snapshot["national_phenomena_version"], snapshot["processing"]["feedback"]
    old = national_export.export_of_snapshot(H1, snapshot, "13", "Pohjois-Savon hyvinvointialue")
    jsonschema.validate(old, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert old["national_phenomena"] == {"version": None, "coding": "derived_from_themes"}
    assert old["processing"]["feedback"] == {"count": None, "median_days": None}


def test_the_dashboard_counts_confirmed_phenomena_and_the_reports_awaiting_a_handler(app, org):
    code_confirmed(add_report(org["unit"]), "mental_health")
    code_confirmed(add_report(org["unit"]), "mental_health", "homelessness")
    add_report(org["unit"], national_phenomena=suggested_by_reporter("homelessness"))
    db.session.commit()
    director = app.test_client()
    login(director, org["social_director"].email)
    page = director.get("/cases/dashboard").get_data(as_text=True)
    section = page[page.index('id="national-phenomena"'):]
    assert "Vahvistusta odottaa 1 raporttia." in section
    assert "<th scope=\"row\">Mielenterveys</th><td>2</td>" in section
    assert "<th scope=\"row\">Asunnottomuus</th><td>1</td>" in section


def test_a_new_code_is_one_every_export_and_address_can_carry_and_a_name_is_not_given_twice(app_ctx, org):
    """The export's schema and other counties' harvesters read the code: small ASCII letters, digits, _."""
    for code in ("Yksinäisyys!", "lasten köyhyys", "child-poverty", "9lives", "loneliness/2"):
        with pytest.raises(Refusal, match="vain pieniä kirjaimia"):
            coding.add_phenomenon(coding.PhenomenonInput(code, "Uusi ilmiö", "", "", "Selitys.", "", ""),
                                  org["admin"])
    with pytest.raises(Refusal, match="on jo ilmiö nimeltä"):
        coding.add_phenomenon(coding.PhenomenonInput("homeless_again", "asunnottomuus", "", "", "Selitys.", "", ""),
                              org["admin"])
    added = coding.add_phenomenon(coding.PhenomenonInput("child_poverty", "Lasten köyhyys", "", "", "Selitys.", "", ""),
                                  org["admin"])
    assert added.code == "child_poverty"
