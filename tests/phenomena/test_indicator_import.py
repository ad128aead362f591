"""Indicators beside the reports: Sotkanet's JSON and THL's Excel imported for the county's areas, a bad
file refused line by line with nothing imported, and Sotkanet's API fetched by the command."""
from __future__ import annotations

import io

import sqlalchemy as sa
from helpers import csrf_token, login
from sotkanet_files import GOOD, INDICATOR, REGIONS, as_bytes, data, sotkanet_server, workbook

from app.codes import AreaKind, AuditAction
from app.extensions import db
from app.models import AuditEntry, Indicator, IndicatorValue, SotkanetRegion
from app.workflow.phenomena import indicators


def _values() -> dict[tuple[str, str, int], float]:
    return {(v.area_kind.value, v.area_code, v.year): v.value for v in db.session.scalars(sa.select(IndicatorValue))}


def _upload(client, files, **fields):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/phenomena/indicators/")
    payload = {"csrf_token": token, "files": [(io.BytesIO(content), name) for name, content in files], **fields}
    return client.post("/phenomena/indicators/import", data=payload, content_type="multipart/form-data")


def test_sotkanet_files_keep_the_countys_areas_and_pass_over_the_rest(client, org):
    login(client, org["working_group"].email)
    extra = data({(1001, 2023): 3.0}, gender="male")  # only the total is kept
    response = _upload(client, [("regions.json", as_bytes(REGIONS)), ("5641.json", as_bytes(INDICATOR)),
                                ("data.json", as_bytes(data(GOOD) + extra))], phenomenon="economic_situation")
    assert response.status_code == 302, response.get_data(as_text=True)
    indicator = db.session.scalar(sa.select(Indicator))
    assert indicator.source_code == "5641" and indicator.national_phenomenon.code == "economic_situation"
    assert indicator.title_sv.startswith("Personer som fått utkomststöd")
    assert _values() == {("municipality", "297", 2022): 7.1, ("municipality", "297", 2023): 7.4,
                         ("municipality", "915", 2022): 9.8, ("municipality", "915", 2023): 10.2,
                         ("county", "13", 2022): 7.9, ("county", "13", 2023): 8.3,
                         ("country", "FI", 2022): 6.9, ("country", "FI", 2023): 7.0}
    page = client.get("/phenomena/indicators/").get_data(as_text=True)
    assert "Tuotiin 8 arvoa. 2 muiden alueiden tai sukupuolten arvoa ohitettiin." in page
    assert "2022–2023 · 8 arvoa" in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.INDICATORS_CHANGED))
    assert entry.details["values"] == 8 and entry.actor_id == org["working_group"].id
    # The regions are kept: the next data file needs no regions file.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SotkanetRegion)) == len(REGIONS)


def test_a_new_file_replaces_the_years_it_gives_and_keeps_the_others(client, org):
    login(client, org["working_group"].email)
    _upload(client, [("regions.json", as_bytes(REGIONS)), ("5641.json", as_bytes(INDICATOR)),
                     ("data.json", as_bytes(data(GOOD)))], phenomenon="economic_situation")
    response = _upload(client, [("data.json", as_bytes(data({(1001, 2023): 7.6, (1001, 2024): 7.8})))])
    assert response.status_code == 302, response.get_data(as_text=True)
    values = _values()
    assert values[("municipality", "297", 2022)] == 7.1
    assert values[("municipality", "297", 2023)] == 7.6
    assert values[("municipality", "297", 2024)] == 7.8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 1


def test_a_bad_file_is_refused_line_by_line_and_nothing_is_imported(client, org):
    login(client, org["working_group"].email)
    records = data(GOOD)
    records[1]["value"] = "paljon"
    records[3]["year"] = "2023"
    records[5]["region"] = 999_999
    del records[6]["indicator"]
    response = _upload(client, [("regions.json", as_bytes(REGIONS)), ("5641.json", as_bytes(INDICATOR)),
                                ("data.json", as_bytes(records))], phenomenon="economic_situation")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tiedostossa on 4 virhettä. Mitään ei tuotu." in page
    for line, message in ((2, "Arvo ei ole luku."), (4, "Vuosi puuttuu tai ei ole vuosiluku."),
                          (6, "Aluetta 999999 ei tunneta"), (7, "Indikaattorin numero puuttuu")):
        assert f"<td>{line}</td><td>{message}" in page
    assert not _values()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SotkanetRegion)) == 0


def test_data_without_its_regions_or_a_new_indicator_without_a_phenomenon_is_refused(client, org):
    login(client, org["working_group"].email)
    response = _upload(client, [("data.json", as_bytes(data(GOOD)))], phenomenon="economic_situation")
    assert response.status_code == 400
    assert "lataa myös Sotkanetin aluetiedosto" in response.get_data(as_text=True)
    response = _upload(client, [("regions.json", as_bytes(REGIONS)), ("5641.json", as_bytes(INDICATOR)),
                                ("data.json", as_bytes(data(GOOD)))])
    assert response.status_code == 409
    assert "Valitse ilmiö" in response.get_data(as_text=True)
    assert not _values()
    response = _upload(client, [("data.json", b"{not json")])
    assert response.status_code == 400 and "ei ole Sotkanetin JSON-muotoa" in response.get_data(as_text=True)


def test_a_thl_excel_table_wide_or_long_by_code_or_name(client, org):
    login(client, org["working_group"].email)
    wide = workbook([
        {"Indikaattori": "Asunnottomat yksineläjät / 1 000 asukasta", "Alue": "Kuopio", "2022": 1.2, "2023": "1,4"},
        {"Indikaattori": "Asunnottomat yksineläjät / 1 000 asukasta", "Alue": "Pohjois-Savon hyvinvointialue",
         "2022": 0.9, "2023": ".."},
        {"Indikaattori": "Asunnottomat yksineläjät / 1 000 asukasta", "Alue": "Koko maa", "2022": 0.7, "2023": 0.8},
        {"Indikaattori": "Asunnottomat yksineläjät / 1 000 asukasta", "Alue": "Tampere", "2022": 2.0, "2023": 2.1},
    ])
    response = _upload(client, [("thl.xlsx", wide)], phenomenon="homelessness")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _values() == {("municipality", "297", 2022): 1.2, ("municipality", "297", 2023): 1.4,
                         ("county", "13", 2022): 0.9, ("country", "FI", 2022): 0.7, ("country", "FI", 2023): 0.8}
    long = workbook([{"Indikaattori": "Asunnottomat yksineläjät / 1 000 asukasta", "Aluekoodi": "915",
                      "Vuosi": 2023, "Arvo": 1.9}])
    assert _upload(client, [("thl.xlsx", long)]).status_code == 302
    assert _values()[("municipality", "915", 2023)] == 1.9
    assert db.session.scalar(sa.select(Indicator)).source.value == "thl_excel"


def test_a_bad_excel_line_names_its_row(client, org):
    login(client, org["working_group"].email)
    bad = workbook([{"Indikaattori": "Mittari", "Aluekoodi": "297", "Vuosi": 2023, "Arvo": 1.0},
                    {"Indikaattori": "Mittari", "Aluekoodi": "297", "Vuosi": "viime vuonna", "Arvo": 1.0},
                    {"Indikaattori": "Mittari", "Aluekoodi": "915", "Vuosi": 2023, "Arvo": "noin kaksi"},
                    {"Indikaattori": "", "Aluekoodi": "915", "Vuosi": 2023, "Arvo": 2}])
    page = _upload(client, [("thl.xlsx", bad)], phenomenon="homelessness").get_data(as_text=True)
    assert "<td>3</td><td>Vuosi ”viime vuonna” ei ole vuosiluku." in page
    assert "<td>4</td><td>Arvo ”noin kaksi” ei ole luku." in page
    assert "<td>5</td><td>Indikaattori puuttuu." in page
    assert not _values()
    page = _upload(client, [("thl.xlsx", workbook([{"Alue": "Kuopio", "2023": 1}]))]).get_data(as_text=True)
    assert "Sarake ”Indikaattori” puuttuu." in page
    page = _upload(client, [("thl.xlsx", b"PK\x03\x04 not really")]).get_data(as_text=True)
    assert "ei ole Excel-työkirja" in page


def test_the_command_fetches_from_sotkanets_api(app, org):
    with sotkanet_server() as (url, asked):
        result = app.test_cli_runner().invoke(args=["import-indicators", "--sotkanet", "5641", "--years", "2022-2023",
                                                    "--phenomenon", "economic_situation", "--url", url])
    assert result.exit_code == 0, result.output
    assert "Tuotiin 8 arvoa" in result.output
    assert any(path.startswith("/rest/1.1/json?indicator=5641&years=2022&years=2023&genders=total")
               for path in asked), asked
    db.session.remove()
    assert _values()[("county", "13", 2023)] == 8.3


def test_the_command_refuses_a_bad_file_and_an_unreachable_sotkanet(app, org, tmp_path):
    bad = tmp_path / "data.json"
    records = data({(1001, 2023): 1.0})
    records[0]["value"] = "x"
    bad.write_bytes(as_bytes(records))
    result = app.test_cli_runner().invoke(args=["import-indicators", str(bad), "--phenomenon", "mental_health"])
    assert result.exit_code == 1
    assert "rivi 1:" in result.output and "mitään ei tuotu" in result.output
    result = app.test_cli_runner().invoke(args=["import-indicators", "--sotkanet", "5641", "--phenomenon",
                                                "mental_health", "--url", "http://127.0.0.1:9/rest/1.1"])
    assert result.exit_code == 1 and "Sotkanetiin ei saatu yhteyttä" in result.output
    db.session.remove()
    assert not _values()


def test_only_the_working_group_and_the_administrator_import(client, org):
    for role in ("employee", "handler", "coordinator", "social_director"):
        client.get("/logout")
        login(client, org[role].email)
        assert client.get("/phenomena/indicators/").status_code == 403, role
    client.get("/logout")
    login(client, org["admin"].email)
    assert client.get("/phenomena/indicators/").status_code == 200


def test_reading_needs_no_database_writes(app_ctx, org):
    parsed = indicators.read_sotkanet([as_bytes(REGIONS), as_bytes(data(GOOD))])
    assert parsed.ok and len(parsed.rows) == 8 and parsed.passed_over == 1
    assert {row.area.kind for row in parsed.rows} == {AreaKind.MUNICIPALITY, AreaKind.COUNTY, AreaKind.COUNTRY}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SotkanetRegion)) == 0


def test_many_records_of_unknown_regions_are_one_message_and_each_problem_names_its_file(client, org):
    login(client, org["working_group"].email)
    page = _upload(client, [("5641.json", as_bytes(INDICATOR)), ("data.json", as_bytes(data(GOOD)))],
                   phenomenon="economic_situation").get_data(as_text=True)
    assert "Tiedostossa on 1 virhe. Mitään ei tuotu." in page
    assert "5 aluetta ei tunneta (1001, 1002, 1003, 2013, 3000): lataa myös Sotkanetin aluetiedosto" in page
    assert "<td>data.json</td><td>1</td>" in page
    assert not _values()


def test_an_excel_area_that_is_no_finnish_area_is_refused_not_passed_over(client, org):
    login(client, org["working_group"].email)
    typo = workbook([{"Indikaattori": "Mittari", "Alue": "Kuopio", "2023": 1.0},
                     {"Indikaattori": "Mittari", "Alue": "Kuopo", "2023": 1.0},
                     {"Indikaattori": "Mittari", "Alue": "Helsingfors", "2023": 2.0}])
    page = _upload(client, [("thl.xlsx", typo)], phenomenon="homelessness").get_data(as_text=True)
    assert "<td>3</td><td>Aluetta ”Kuopo” ei tunneta" in page
    assert "Helsingfors" not in page  # Helsinki is a real municipality elsewhere: passed over, no error
    assert not _values()
