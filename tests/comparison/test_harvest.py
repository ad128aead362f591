"""Harvesting counties' open data from a local web server: good files, an older format converted, broken files
refused with their message, an unreachable county shown as such, the history of a changed file, the
administrator's page and the command line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from harvest_files import as_bytes, as_version_2, county_server
from helpers import csrf_token, login, sora_test_config

from app import create_app, jobs
from app.codes import AuditAction, HarvestProblem
from app.extensions import db
from app.models import AuditEntry, HarvestedExport, HarvestSource, SiteSetting
from app.workflow.admin import site_settings
from app.workflow.comparison import fetching, formats, harvest, installation, synthetic
from app.workflow.core.errors import Refusal

CLOSED = "http://127.0.0.1:9/results/open-data/index.json"
"""The discard port: nothing listens there, so the connection is refused at once."""


@pytest.fixture
def counties() -> Iterator:
    with county_server() as server:
        yield server


def current(county: str, period: str = "2026-H1") -> HarvestedExport | None:
    return db.session.scalar(sa.select(HarvestedExport).where(
        HarvestedExport.county_code == county, HarvestedExport.period == period, HarvestedExport.current))


def rows() -> list[tuple[str, str, bool]]:
    return [tuple(row) for row in db.session.execute(sa.select(HarvestedExport.county_code, HarvestedExport.period,
                                             HarvestedExport.current).order_by(HarvestedExport.id))]


def source_of(url: str) -> HarvestSource:
    return db.session.scalar(sa.select(HarvestSource).where(HarvestSource.index_url == url))


def add(*urls: str) -> None:
    for url in urls:
        harvest.add_source(url, None)
    db.session.commit()


def test_good_older_broken_and_unreachable_counties(app_ctx, counties):
    good = {"2025-H2": counties.good("12", "2025-H2"), "2026-H1": counties.good("12")}
    older = counties.good("14", reports=33)
    broken = counties.good("15")
    broken["reports"] = "paljon"
    urls = [counties.publish("12", good), counties.publish("14", {"2026-H1": as_version_2(older)}),
            counties.publish("15", {"2026-H1": broken}), counties.publish("20", {"2026-H1": b"<html>ei</html>"},
                                                                          area="5"), CLOSED]
    add(*urls)
    results = harvest.run_harvest()
    assert [(r.county_code, r.added, r.problem) for r in results] == [
        ("12", ["2025-H2", "2026-H1"], None), ("14", ["2026-H1"], None),
        ("15", [], HarvestProblem.REFUSED), ("20", [], HarvestProblem.REFUSED),
        (None, [], HarvestProblem.UNREACHABLE)]
    db.session.expire_all()

    # the good county's figures are its files', county by county and half-year by half-year
    assert current("12").document == good["2026-H1"] and current("12", "2025-H2").document == good["2025-H2"]
    assert current("12").format_version == 3 and current("12").collaborative_area_code == "2"
    assert current("12").sha256 and current("12").source == f"{counties.base}/12/2026-H1.json"
    assert source_of(urls[0]).county_code == "12" and source_of(urls[0]).last_error is None

    # the older format is converted: what version 2 did not have is absent, not zero
    converted = current("14")
    assert converted.format_version == 2
    formats.validate_current(converted.document)
    assert converted.document["format_version"] == 3
    assert converted.document["national_phenomena"] == {"version": None, "coding": "derived_from_themes"}
    assert converted.document["counts"]["population_group"] == [] and converted.document["counts"]["forum"] == []
    assert converted.document["processing"]["resolution"] == {"count": None, "median_days": None}
    assert converted.document["reports"] == 33
    assert converted.document["counts"]["theme"] == older["counts"]["theme"]

    # broken files are refused with their reason and nothing of them is stored
    assert current("15") is None and current("20") is None
    refused = source_of(urls[2])
    assert refused.last_problem == HarvestProblem.REFUSED and refused.last_success_at is None
    assert refused.last_error.startswith("2026-H1: Tiedosto ei vastaa muotoversion 3 skeemaa: kohdassa reports")
    assert "ei ole JSON-muotoista" in source_of(urls[3]).last_error

    # the unreachable one says so
    unreachable = source_of(CLOSED)
    assert unreachable.last_problem == HarvestProblem.UNREACHABLE
    assert unreachable.last_error == f"Palvelimeen ei saatu yhteyttä: {CLOSED}."
    assert unreachable.last_attempt_at is not None and unreachable.last_success_at is None


def test_a_repeat_harvest_adds_nothing_and_a_changed_file_keeps_the_old_one_as_history(app_ctx, counties):
    add(counties.publish("12", {"2026-H1": counties.good("12")}), counties.publish("13", {"2026-H1":
                                                                                        counties.good("13")}))
    harvest.run_harvest()
    first = current("12").id
    again = harvest.run_harvest()
    assert [r.unchanged for r in again] == [["2026-H1"], ["2026-H1"]] and all(not r.added for r in again)
    assert len(rows()) == 2

    corrected = counties.good("12", reports=61)
    counties.publish("12", {"2026-H1": corrected})
    assert [r.added for r in harvest.run_harvest()] == [["2026-H1"], []]
    db.session.expire_all()
    assert rows() == [("12", "2026-H1", False), ("13", "2026-H1", True), ("12", "2026-H1", True)]
    assert current("12").id != first and current("12").document["reports"] == 61
    assert db.session.get(HarvestedExport, first).document["reports"] == 60
    assert harvest.current_exports(period="2026-H1")[0].document["reports"] == 61


def test_an_unreachable_county_keeps_its_files_and_the_date_of_its_last_good_one(app, app_ctx, client, org, counties):
    url = counties.publish("12", {"2026-H1": counties.good("12")})
    add(url)
    harvest.run_harvest()
    good_at = source_of(url).last_success_at
    for failure in (503, 404):
        counties.files["/12/index.json"] = failure
        assert harvest.run_harvest()[0].problem == HarvestProblem.UNREACHABLE
    counties.files["/12/2026-H1.json"] = 500
    db.session.expire_all()
    source = source_of(url)
    assert source.last_problem == HarvestProblem.UNREACHABLE and source.last_success_at == good_at
    assert source.last_error == f"Palvelin vastasi 404 osoitteessa {url}."
    assert current("12") is not None  # its data stays
    login(client, "a@t.example")
    page = client.get("/admin/harvest/").get_data(as_text=True)
    assert "Ei tavoitettu" in page and f"Palvelin vastasi 404 osoitteessa {url}." in page
    assert good_at.isoformat() in page
    assert "12 Etelä-Savon hyvinvointialue (synteettinen esimerkki)" in page


def test_an_other_version_a_wrong_county_and_a_redirect_elsewhere_are_refused(app_ctx, counties):
    newer, oldest = counties.good("12"), counties.good("14")
    newer["format_version"], oldest["format_version"] = 4, 1
    wrong = counties.good("19")  # listed by county 15's index
    urls = [counties.publish("12", {"2026-H1": newer}), counties.publish("14", {"2026-H1": oldest}),
            counties.publish("15", {"2026-H1": wrong})]
    counties.files["/16/index.json"] = b""  # empty: not an index
    add(*urls, f"{counties.base}/16/index.json")
    harvest.run_harvest()
    db.session.expire_all()
    assert rows() == []
    assert source_of(urls[0]).last_error == ("2026-H1: Vientitiedoston muotoversiota 4 ei tueta: tuetut versiot "
                                             "ovat 2, 3.")
    assert "muotoversiota 1 ei tueta" in source_of(urls[1]).last_error
    assert "Tiedosto on alueen 19 kaudelta 2026-H1, mutta hakemisto lupasi alueen 15" in source_of(urls[2]).last_error
    assert "ei ole JSON-muotoista" in source_of(f"{counties.base}/16/index.json").last_error


def test_fetching_follows_no_redirect_outside_http_and_stops_at_the_size_limit(app_ctx, monkeypatch):
    import requests

    class Answer:
        def __init__(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
            self.status_code, self.headers, self.body = status, headers, body
            self.is_redirect = status in (301, 302, 307, 308)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def iter_content(self, size):
            yield from (self.body[i:i + size] for i in range(0, len(self.body), size))

    answers = iter([Answer(302, {"Location": "file:///etc/passwd"})])
    monkeypatch.setattr(requests.Session, "get", lambda self, url, **options: next(answers))
    with pytest.raises(fetching.Unreachable, match="file:///etc/passwd ei ole http- tai https-osoite"):
        fetching.fetch("https://alue.example/index.json")
    answers = iter([Answer(200, {}, b"x" * 3_000_000)] * 1)
    with pytest.raises(fetching.Unreachable, match="liian suuri"):
        fetching.fetch("https://alue.example/index.json", max_bytes=1_000_000)
    seen = {}

    def record(self, url, **options):
        seen.update(options)
        return Answer(200, {}, b"{}")

    monkeypatch.setattr(requests.Session, "get", record)
    fetching.fetch("https://alue.example/index.json")
    assert seen["allow_redirects"] is False and seen["timeout"] == fetching.TIMEOUT
    with pytest.raises(Refusal):
        harvest.add_source("ftp://alue.example/index.json", None)


@pytest.mark.parametrize("who", [None, "e@t.example", "w@t.example", "c@t.example", "d@t.example"])
def test_only_the_administrator_manages_the_sources(client, org, who):
    if who:
        login(client, who)
    token = csrf_token(client, "/")  # the language switch's, on every page
    for method, path in [("get", "/admin/harvest/"), ("post", "/admin/harvest/sources"), ("post", "/admin/harvest/now"),
                         ("post", "/admin/harvest/upload"), ("post", "/admin/harvest/sources/1/delete")]:
        response = getattr(client, method)(path, data={"index_url": "https://x.example/index.json",
                                                       "csrf_token": token})
        assert response.status_code == (403 if who else 302), (who, path)
    assert db.session.scalar(sa.select(sa.func.count(HarvestSource.id))) == 0


def test_the_administrator_adds_a_source_queues_a_harvest_and_removes_it(app, client, org, counties):
    url = counties.publish("12", {"2026-H1": counties.good("12")})
    login(client, "a@t.example")
    token = csrf_token(client, "/admin/harvest/")
    assert client.post("/admin/harvest/sources", data={"index_url": url}).status_code == 400  # no CSRF token
    response = client.post("/admin/harvest/sources", data={"csrf_token": token, "index_url": url})
    assert response.status_code == 302
    again = client.post("/admin/harvest/sources", data={"csrf_token": token, "index_url": url})
    assert again.status_code == 409 and "jo lähteiden luettelossa" in again.get_data(as_text=True)
    assert client.post("/admin/harvest/now", data={"csrf_token": token}).status_code == 302
    assert counties.asked == []  # the request fetched nothing: the scheduler will
    with app.app_context():
        assert source_of(url).harvest_requested_at is not None
        assert jobs.run("harvest_requested") == 1
        assert jobs.run("harvest_requested") == 0  # done: nothing is queued any more
        source = source_of(url)
        assert source.harvest_requested_at is None and source.county_code == "12"
        source_id = source.id
    assert "Kunnossa" in client.get("/admin/harvest/").get_data(as_text=True)
    assert client.post(f"/admin/harvest/sources/{source_id}/delete", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HarvestSource.id))) == 0
        assert current("12") is not None  # its published data stays
        logged = [e.details for e in db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.action == AuditAction.HARVEST_CHANGED).order_by(AuditEntry.id))]
    assert logged == [{"added": url}, {"harvest_requested": 1}, {"removed": url}]


def test_an_uploaded_file_is_checked_as_a_harvested_one(app, client, org):
    login(client, "a@t.example")
    token = csrf_token(client, "/admin/harvest/")
    older = as_version_2(synthetic.example_export("21", "2026-H1"))
    broken = synthetic.example_export("21", "2026-H1")
    del broken["counts"]

    def send(data: bytes, name: str = "lappi.json"):
        import io

        return client.post("/admin/harvest/upload", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    refused = send(as_bytes(broken))
    assert refused.status_code == 400
    assert "Tiedosto ei vastaa muotoversion 3 skeemaa: kohdassa / &#39;counts&#39; is a required property" in \
        refused.get_data(as_text=True)
    assert send(b"\xff\xfe").status_code == 400
    assert send(as_bytes(older)).status_code == 302
    assert send(as_bytes(older)).status_code == 302  # the same file again: nothing added
    with app.app_context():
        assert [(r.county_code, r.format_version, r.source, r.collaborative_area_code)
                for r in db.session.scalars(sa.select(HarvestedExport))] == [("21", 2, "upload: lappi.json", "5")]
    page = client.get("/admin/harvest/").get_data(as_text=True)
    assert "21 Lapin hyvinvointialue (synteettinen esimerkki)" in page and "(muunnettu)" in page


def test_the_harvest_command_adds_sources_and_harvests(app, app_ctx, counties):
    url = counties.publish("12", {"2026-H1": counties.good("12")})
    result = app.test_cli_runner().invoke(args=["harvest", "--add", url, "--add", CLOSED])
    assert result.exit_code == 0, result.output
    assert f"12 {url}: uusia 1 (2026-H1), ennallaan 0" in result.output
    assert f"? {CLOSED}: uusia 0, ennallaan 0; Ei tavoitettu: Palvelimeen ei saatu yhteyttä" in result.output
    again = app.test_cli_runner().invoke(args=["harvest"])
    assert f"12 {url}: uusia 0, ennallaan 1" in again.output


def test_the_synthetic_demo_counties_are_labelled_and_seeded_once(app, app_ctx):
    bases = [synthetic.example_export("13", "2026-H1")]
    added = synthetic.seed_comparison_demo(bases)
    db.session.commit()
    assert added == 14  # seven counties, the half-year and the one before it
    assert synthetic.seed_comparison_demo(bases) == 0
    stored = list(db.session.scalars(sa.select(HarvestedExport)))
    assert all(r.synthetic and "(synteettinen esimerkki)" in r.county_name for r in stored)
    assert {r.collaborative_area_code for r in stored} == {"2", "5"}
    own = current("13")
    assert own.document["reports"] == bases[0]["reports"]  # the demo county itself, only labelled
    lapland = current("21")
    assert {m["code"] for m in lapland.document["municipalities"]} >= {"698"}  # Rovaniemi
    for row in stored:
        formats.validate_current(row.document)
    result = app.test_cli_runner().invoke(args=["seed-comparison-demo"])
    assert result.exit_code == 1 and "Julkaistua koostetta ei ole" in result.output


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    fresh = create_app(sora_test_config(f"sqlite:///{tmp_path / 'comparison.db'}"))
    with fresh.app_context():
        upgrade()
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def test_setup_county_comparison_makes_a_national_or_collaborative_area_installation(empty_app, app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["setup-county", "--comparison", "2", "--admin", "vertailu@t.example"],
                           input="Veera Vertailija\nsalasana-123456\nsalasana-123456\n")
    assert result.exit_code == 0, result.output
    assert "Vertailu: 2 Itä-Suomen yhteistyöalue, 4 hyvinvointialuetta" in result.output
    with empty_app.app_context():
        assert site_settings.installation_kind() == "comparison" and site_settings.comparison_scope() == "2"
        assert installation.current_scope().county_codes == ("12", "13", "14", "15")
        assert site_settings.county().name_fi == "Itä-Suomen yhteistyöalue"
        assert db.session.get(SiteSetting, "COUNTY_CODE") is None
    assert runner.invoke(args=["setup-county", "--comparison", "FI"]).exit_code == 1  # another scope
    refused = runner.invoke(args=["setup-county", "13"])
    assert refused.exit_code == 1 and "vertailuun" in refused.output
    client = empty_app.test_client()
    assert client.get("/setup").status_code == 404
    login(client, "vertailu@t.example", "salasana-123456")
    assert client.get("/admin/harvest/").status_code == 200
    with app.app_context():  # the county's own installation refuses to become a comparison
        with pytest.raises(Refusal, match="alue 13"):
            installation.setup_comparison("FI")
    assert installation.find_scope("fi").code == "FI"
    assert len(installation.find_scope("FI").county_codes) == 22
    with pytest.raises(Refusal):
        installation.find_scope("9")


def test_a_county_harvests_its_own_open_data_from_its_own_server(app, org):
    """The fetches hold no transaction: the serving requests (same database, SQLite too) are never kept waiting.
    Before, the index request waited for the harvest's write lock until the fetch timed out."""
    from helpers import add_report, serve

    from app.codes import CompilationAction
    from app.workflow.compilations import operations as compilations
    from app.workflow.compilations.periods import Period

    add_report(org["unit"], now=datetime(2026, 2, 1, 10, tzinfo=timezone.utc))
    compilation = compilations.open_compilation(Period(2026, 1), org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()
    with serve(app) as base:
        harvest.add_source(f"{base}/results/open-data/index.json", None)
        db.session.commit()
        db.session.remove()
        [result] = harvest.run_harvest()
    assert result.problems == [] and result.added == ["2026-H1"], result
    stored = db.session.scalar(sa.select(HarvestedExport).where(HarvestedExport.current))
    assert (stored.county_code, stored.period, stored.format_version) == ("13", "2026-H1", 3)


def test_the_views_show_the_harvested_files_figures(app_ctx, counties):
    """From the local server to the situation at a glance: Finland's and the area's counts are the files' sums,
    the converted older file counted too, the refused one not."""
    from app.workflow.comparison import views

    files = {"12": counties.good("12"), "14": counties.good("14", reports=33), "15": counties.good("15")}
    files["15"]["reports"] = "paljon"
    add(counties.publish("12", {"2026-H1": files["12"]}), counties.publish("14", {"2026-H1": as_version_2(files["14"])}),
        counties.publish("15", {"2026-H1": files["15"]}))
    harvest.run_harvest()
    db.session.expire_all()

    def homelessness(document):  # type: ignore[no-untyped-def]
        return next(r["count"] for r in document["counts"]["national_phenomenon"] if r["code"] == "homelessness")

    situation = views.situation()
    row = next(line for line in situation.lines if line.code == "homelessness")
    expected = homelessness(files["12"]) + homelessness(current("14").document)
    assert row.latest.exact and row.latest.value == expected
    with_files = [c.county.code for c in situation.coverage if any(v is not None for v in c.periods.values())]
    assert with_files == ["12", "14"]  # the refused file of 15 counts nowhere
