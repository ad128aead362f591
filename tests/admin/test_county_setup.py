"""Any county from the shipped classifications: setup on an empty installation, a merger, the county's identity."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from helpers import PASSWORD, csrf_token, file_via_form, login, sora_test_config

from app import create_app
from app.extensions import db
from app.models import AuditEntry, Forum, Municipality, SiteSetting
from app.workflow.admin import site_settings
from app.workflow.admin.county import MUNICIPALITIES_FILE, find_county, setup_county
from app.workflow.core.errors import Refusal

POHJOIS_SAVO = re.compile(r"pohjois-savo|pohjois savo|kuopio", re.IGNORECASE)


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """A second installation on a fresh, migrated SQLite file: no county, no users."""
    fresh = create_app(sora_test_config(f"sqlite:///{tmp_path / 'empty.db'}"))
    with fresh.app_context():
        upgrade()
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def everything_stored() -> str:
    """Every text the county setup stored, to look for traces of another county."""
    rows = [*db.session.execute(sa.select(Municipality.code, Municipality.name, Municipality.name_sv)),
            *db.session.execute(sa.select(Forum.name)), *db.session.execute(sa.select(SiteSetting.key, SiteSetting.value))]
    return repr(rows)


@pytest.mark.parametrize(("argument", "code", "count", "sample", "sample_sv"), [
    ("20", "20", 8, ("205", "Kajaani"), "Kajana"),
    ("Kainuu", "20", 8, ("777", "Suomussalmi"), "Suomussalmi"),
    ("90", "90", 1, ("091", "Helsinki"), "Helsingfors"),
    ("17", "17", 14, ("905", "Vaasa"), "Vasa"),
])
def test_setup_county_on_an_empty_database(empty_app, argument, code, count, sample, sample_sv):
    result = empty_app.test_cli_runner().invoke(args=["setup-county", argument])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        municipalities = {m.code: m for m in db.session.scalars(sa.select(Municipality))}
        assert len(municipalities) == count and not any(m.retired for m in municipalities.values())
        number, name = sample
        assert municipalities[number].name == name
        assert municipalities[number].name_sv == sample_sv and municipalities[number].name_in("sv") == sample_sv
        county = site_settings.county()
        assert county.code == code and county.name_fi and county.name_sv
        assert county.collaborative_area_name.endswith("yhteistyöalue")
        assert len(db.session.scalars(sa.select(Forum).where(Forum.code.like("hyte-%"))).all()) == count
        assert not POHJOIS_SAVO.search(everything_stored())
    client = empty_app.test_client()
    for path in ("/", "/guidance", "/report/new", "/track"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert not POHJOIS_SAVO.search(page), path
    assert county.name_fi in client.get("/guidance").get_data(as_text=True)


def test_pohjanmaa_keeps_its_swedish_names_and_name(empty_app):
    assert empty_app.test_cli_runner().invoke(args=["setup-county", "Pohjanmaa"]).exit_code == 0
    with empty_app.app_context():
        swedish = {name: sv for name, sv in db.session.execute(sa.select(Municipality.name, Municipality.name_sv))}
        assert swedish["Mustasaari"] == "Korsholm" and swedish["Uusikaarlepyy"] == "Nykarleby"
        assert site_settings.county().name_in("sv") == "Österbottens välfärdsområde"
        assert site_settings.county().name_in("en") == "Ostrobothnia wellbeing services county"


def test_county_is_found_by_code_or_name_and_ambiguity_is_refused(app_ctx):
    assert find_county("9").code == "09" and find_county("Helsinki").code == "90"
    assert find_county("Pohjanmaan hyvinvointialue").code == "17" and find_county("Kajanaland").code == "20"
    with pytest.raises(Refusal, match="usean alueen"):
        find_county("Pohjois")
    with pytest.raises(Refusal, match="ei löydy"):
        find_county("Atlantis")


def test_another_county_is_refused_once_one_is_set_up(app, app_ctx):
    result = app.test_cli_runner().invoke(args=["setup-county", "20"])
    assert result.exit_code == 1 and "alue 13" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Municipality.id))) == 19


def test_first_run_page_sets_up_the_county_and_its_administrator(empty_app):
    client = empty_app.test_client()
    first = client.get("/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    assert "20 Kainuun hyvinvointialue" in page and "90 Helsingin kaupunki" in page
    token = csrf_token(client, "/setup")
    short = client.post("/setup", data={"csrf_token": token, "county": "20", "name": "Pää Käyttäjä",
                                        "email": "paa@kainuu.example", "password": "short"})
    assert short.status_code == 400 and "vähintään 12" in short.get_data(as_text=True)
    done = client.post("/setup", data={"csrf_token": token, "county": "20", "name": "Pää Käyttäjä",
                                       "email": "paa@kainuu.example", "password": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert client.get("/setup").status_code == 404, "once set up, nobody can take it over"
    login(client, "paa@kainuu.example")
    assert client.get("/admin/county").status_code == 200
    with empty_app.app_context():
        assert db.session.scalar(sa.select(Municipality.name).where(Municipality.code == "205")) == "Kajaani"
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.target == "county")) == 1


def _classification_without(tmp_path: Path, code: str, renamed: tuple[str, str] | None = None) -> Path:
    """The shipped classification as a newer one would be after `code` merged away (and maybe a rename)."""
    with MUNICIPALITIES_FILE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["code"] != code]
    if renamed:
        for row in rows:
            if row["code"] == renamed[0]:
                row["name_fi"] = renamed[1]
    path = tmp_path / "municipalities_2027.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_newer_classification_retires_a_merged_municipality_and_old_reports_keep_it(app, client, org, tmp_path):
    old = file_via_form(client, municipalities=["925"])
    assert old.status_code in (200, 302), old.get_data(as_text=True)[:500]
    newer = _classification_without(tmp_path, "925", renamed=("762", "Sonkajärvi-Vieremä"))
    result = app.test_cli_runner().invoke(args=["setup-county", "13", "--municipalities", str(newer)])
    assert result.exit_code == 0 and "lakkautettuja 1: 925" in result.output, result.output
    with app.app_context():
        vierema = db.session.scalar(sa.select(Municipality).where(Municipality.code == "925"))
        assert vierema.retired and vierema.name == "Vieremä"
        assert db.session.scalar(sa.select(Municipality.name).where(Municipality.code == "762")) == "Sonkajärvi-Vieremä"
    form = client.get("/report/new").get_data(as_text=True)
    assert 'value="925"' not in form and "Sonkajärvi-Vieremä" in form
    refused = file_via_form(client, municipalities=["925"])
    assert refused.status_code == 400
    login(client, "h@t.example")
    assert 'value="925"' in client.get("/cases/").get_data(as_text=True), "the inbox still filters by it"


def test_county_names_logo_and_colours_show_in_header_mail_and_pdf(app, client, org):
    login(client, "a@t.example")
    token = csrf_token(client, "/admin/county")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    saved = client.post("/admin/county", data={
        "csrf_token": token, "name_fi": "Testin hyvinvointialue", "name_sv": "Testens välfärdsområde",
        "name_en": "Test wellbeing services county", "colour": "#AA3300", "colour_dark": "#551100",
        "logo": (io.BytesIO(svg), "logo.svg")}, content_type="multipart/form-data")
    assert saved.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Testin hyvinvointialue" in page and 'class="county-logo"' in page and "/county.css" in page
    assert client.get("/county.css").get_data(as_text=True) == ":root { --brand: #aa3300; --brand-dark: #551100; }\n"
    logo = client.get("/county-logo")
    assert logo.mimetype == "image/svg+xml" and logo.data == svg and "sandbox" in logo.headers["Content-Security-Policy"]
    with app.app_context():
        from flask import render_template

        assert "Testin hyvinvointialue" in render_template("mail/_layout.html", subject="x")
    bad = client.post("/admin/county", data={"csrf_token": token, "name_fi": "X", "colour": "red;}body{x:y",
                                             "logo": (io.BytesIO(b"<script>alert(1)</script>"), "logo.png")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "#00558c" in bad.get_data(as_text=True)
    not_image = client.post("/admin/county", data={"csrf_token": token, "name_fi": "X",
                                                   "logo": (io.BytesIO(b"<script>alert(1)</script>"), "logo.png")},
                            content_type="multipart/form-data")
    assert not_image.status_code == 409 and "PNG" in not_image.get_data(as_text=True)
    assert "Testin hyvinvointialue" in client.get("/").get_data(as_text=True), "the refused change was not saved"
