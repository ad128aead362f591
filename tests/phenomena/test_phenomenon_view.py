"""The phenomenon view: a national phenomenon's confirmed reports per half-year and municipality, the working
group's findings and the indicators, side by side; small counts hidden for those who do not see every report."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from helpers import csrf_token, login
from sotkanet_files import GOOD, INDICATOR, REGIONS, as_bytes, data

from app.codes import CodingSource
from app.extensions import db
from app.models import Municipality, NationalPhenomenon, ReportNationalPhenomenon, utcnow
from app.workflow.compilations.periods import period_of
from app.workflow.phenomena import groups


def _phenomenon(code: str) -> NationalPhenomenon:
    return db.session.scalar(sa.select(NationalPhenomenon).where(NationalPhenomenon.code == code))


def _municipality(name: str) -> Municipality:
    return db.session.scalar(sa.select(Municipality).where(Municipality.name == name))


def _coded(create_report, unit, place: str, *, confirmed: bool = True, code: str = "homelessness",
           **fields):  # type: ignore[no-untyped-def]
    report = create_report(unit, municipalities=[_municipality(place)], **fields)
    report.national_phenomenon_codings.append(ReportNationalPhenomenon(
        phenomenon=_phenomenon(code), confirmed=confirmed,
        source=CodingSource.HANDLER if confirmed else CodingSource.REPORTER))
    db.session.flush()
    return report


def _row(page: str, name: str) -> list[str]:
    """The cells of the reports table's row of one area."""
    table = page[page.index('id="reports"'):page.index('id="findings"')]
    match = re.search(r"<tr[^>]*><th scope=\"row\">" + re.escape(name) + r"</th>(.*?)</tr>", table, re.S)
    assert match, name
    return re.findall(r'<td class="number">([^<]*)</td>', match.group(1))


def _import_indicator(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/phenomena/indicators/")
    files = [(io.BytesIO(as_bytes(content)), name) for name, content in (
        ("regions.json", REGIONS), ("5641.json", INDICATOR), ("data.json", data(GOOD)))]
    response = client.post("/phenomena/indicators/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "files": files, "phenomenon": "homelessness"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_working_group_sees_confirmed_reports_findings_and_indicators_side_by_side(client, org, create_report):
    for _ in range(6):
        _coded(create_report, org["unit"], "Kuopio")
    _coded(create_report, org["other_unit"], "Varkaus")
    _coded(create_report, org["other_unit"], "Varkaus", confirmed=False)  # only the reporter's pick
    _coded(create_report, org["unit"], "Kuopio", code="mental_health")
    group = groups.create_group(org["working_group"], groups.GroupText(
        "Nuorten asunnottomuus", "Nuoret jäävät ilman asuntoa.", "Jonot tukiasumiseen pitenevät.",
        ("homelessness",)))
    groups.add_proposal(group, org["working_group"], "Lisää tukiasuntoja nuorille.")
    db.session.commit()
    login(client, org["working_group"].email)
    _import_indicator(client)

    page = client.get("/phenomena/national/homelessness").get_data(as_text=True)
    now = period_of(utcnow()).code
    assert f'<th scope="col" class="number">{now}</th>' in page
    assert _row(page, "Kuopio")[-1] == "6"
    assert _row(page, "Varkaus")[-1] == "1"
    assert _row(page, "Pohjois-Savon hyvinvointialue")[-1] == "7"
    assert "Nuorten asunnottomuus" in page and "Jonot tukiasumiseen pitenevät." in page
    assert "Lisää tukiasuntoja nuorille." in page
    assert "Toimeentulotukea saaneet henkilöt vuoden aikana" in page
    assert "2023: 8,3, nousua 0,4 edellisestä vuodesta" in page  # the county's latest against the year before
    assert page.count("<svg") >= 2

    kuopio = client.get("/phenomena/national/homelessness?area=297").get_data(as_text=True)
    assert "2023: 7,4, nousua 0,3 edellisestä vuodesta" in kuopio
    indicators = kuopio[kuopio.index('id="indicators"'):]
    assert indicators.index("Kuopio") < indicators.index("Pohjois-Savon hyvinvointialue") < indicators.index("Koko maa")

    overview = client.get("/phenomena/national/").get_data(as_text=True)
    assert 'href="/phenomena/national/homelessness"' in overview


def test_others_see_small_counts_hidden_as_a_publication_would(client, org, create_report):
    for _ in range(6):
        _coded(create_report, org["unit"], "Kuopio")
    _coded(create_report, org["other_unit"], "Varkaus")
    _coded(create_report, org["other_unit"], "Siilinjärvi")
    db.session.commit()
    login(client, org["coordinator"].email)
    page = client.get("/phenomena/national/homelessness").get_data(as_text=True)
    assert "Pienet määrät on peitetty" in page
    assert _row(page, "Varkaus")[-1] == "&lt;5" and _row(page, "Siilinjärvi")[-1] == "&lt;5"
    assert _row(page, "Pohjois-Savon hyvinvointialue")[-1] == "8"
    assert _row(page, "Kuopio")[-1] == ".."  # a complement, so the two small ones cannot be worked out


def test_only_those_who_follow_the_knowledge_open_it(client, org):
    for role in ("employee", "handler", "supervisor"):
        client.get("/logout")
        login(client, org[role].email)
        assert client.get("/phenomena/national/homelessness").status_code == 403, role
    client.get("/logout")
    login(client, org["review_body"].email)
    assert client.get("/phenomena/national/homelessness").status_code == 200
    assert client.get("/phenomena/national/no_such_phenomenon").status_code == 404
    assert client.get("/phenomena/national/homelessness?area=999").status_code == 404


def test_the_county_sees_itself_beside_its_collaborative_area_and_finland(client, org):
    """Back to the county (issue 19, point 4): the harvested open files of other counties beside its own."""
    from comparison_fixtures import harvest

    harvest()
    login(client, org["working_group"].email)
    page = client.get("/phenomena/national/homelessness").get_data(as_text=True)
    section = page[page.index('id="comparison"'):page.index('id="findings"')]
    rows = {name: cells for name, cells in re.findall(
        r'<th scope="row">([^<]+)</th>((?:<td class="number">[^<]*</td>)+)', section)}
    values = {name: re.findall(r'<td class="number">([^<]*)</td>', cells) for name, cells in rows.items()}
    # The county's own row is what it published (nothing yet), never a harvested copy of itself (10 and 14).
    assert values["Pohjois-Savon hyvinvointialue"] == ["–", "–"]
    assert values["Koko Suomi"] == ["27", "28"]  # Kainuu had no file of 2026-H1: left out, not zero
    assert ["4", "6"] in values.values()  # Itä-Suomi: Etelä-Savo alone
    assert "Mukana on synteettistä esimerkkiaineistoa." in section
    assert "/comparison/phenomenon/homelessness?level=area&amp;code=2" in section


def test_without_other_counties_there_is_no_comparison(client, org):
    login(client, org["working_group"].email)
    assert 'id="comparison"' not in client.get("/phenomena/national/homelessness").get_data(as_text=True)
