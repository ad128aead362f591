"""Filing through the web form: receipt, validation, nothing lost and nothing half-saved."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import file_via_form, release_all

from app.codes import ReportStatus
from app.extensions import db
from app.models import HeldFiling, Report


def report_count() -> int:
    """Reports filed, held or not (the form files anonymously unless a name is given)."""
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Report, HeldFiling))


def test_form_page_is_finnish_and_links_the_other_channels(client, unit):
    page = client.get("/report/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sosiaalisen raportoinnin lomake" in html
    assert "Tämä ei ole epäkohtailmoitus" in html
    for url in client.application.config["OTHER_CHANNELS"].values():
        assert f'href="{url}"' in html
    assert "Aikuissosiaalityö, Kuopio" in html
    assert '<optgroup label="Perhe- ja sosiaalipalvelut">' in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_filing_shows_number_and_code_once(client, unit):
    receipt = file_via_form(client)
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert receipt.headers["Cache-Control"] == "no-store"
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    assert re.fullmatch(r"SR-\d{4}-A00001", number), "an anonymous report, of the anonymous series"
    assert re.fullmatch(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){3}", code)
    assert "Tee uusi raportti" in html

    release_all()
    report = db.session.scalar(sa.select(Report))
    assert report.number == number
    assert report.status == ReportStatus.RECEIVED
    assert code not in repr(report.__dict__)
    assert report.tracking_hash != code and len(report.tracking_hash) == 64
    assert [t.code for t in report.themes] == ["income", "housing"] or {t.code for t in report.themes} == {"housing", "income"}
    assert [m.name for m in report.municipalities] == ["Kuopio"]
    assert report.significance == 3 and report.available_to_help is True and report.made_by_team is False

    again = client.get("/report/receipt")
    assert again.status_code == 302, "the code is shown only once"
    assert "lang-language" not in html, "no language switch that would lose the receipt"


def test_sending_the_same_form_twice_files_once(client, unit):
    from helpers import valid_report

    page = client.get("/report/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = valid_report(csrf_token=token, submission_key=key)
    first = client.post("/report/new", data=data)
    second = client.post("/report/new", data=data)
    assert "Kiitos raportistasi" in first.get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', first.get_data(as_text=True)).group(1)
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "Raportti on jo lähetetty" in html and number in html
    assert 'id="tracking-code"' not in html
    assert report_count() == 1
    fresh = client.get("/report/new").get_data(as_text=True)
    assert key not in fresh, "a new form has a new key"


def test_new_report_button_gives_an_empty_form(client, unit):
    file_via_form(client, description="Ensimmäinen raportti: jonot päihdepalveluihin ovat kuukausien mittaiset.")
    html = client.get("/report/new").get_data(as_text=True)
    assert "Ensimmäinen raportti" not in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"unit": ""}, "unit", "Valitse työyksikkösi"),
        ({"nature": ""}, "nature", "Valitse ilmiön luonne"),
        ({"phenomenon": ""}, "phenomenon", "Valitse raportoitava ilmiö"),
        ({"description": "   "}, "description", "Kuvaa ilmiö omin sanoin"),
        ({"unit": "NO-SUCH-UNIT"}, "unit", "Tuntematon valinta"),
        ({"phenomenon": "aliens"}, "phenomenon", "Tuntematon valinta"),
        ({"themes": ["housing", "made_up"]}, "themes", "Tuntematon valinta"),
        ({"municipalities": ["915", "000"]}, "municipalities", "Tuntematon valinta"),
        ({"description": "x" * 10001}, "description", "enintään 10000 merkkiä"),
        ({"reporter_email": "ei-osoite"}, "reporter_email", "Tarkista sähköpostiosoite"),
        ({"description": "Asiakas 131052-308T kertoi tilanteestaan."}, "description", "henkilötunnus"),
        ({"proposed_actions": "Katso 010101A123N ja sovi tapaaminen."}, "proposed_actions", "henkilötunnus"),
    ],
)
def test_bad_input_keeps_values_and_saves_nothing(client, unit, overrides, field, message):
    entered = "Tämä teksti on kirjoitettu huolella ja sen pitää säilyä lomakkeella."
    data = {"proposed_actions": entered} if field != "proposed_actions" else {"reporter_name": "Säilyvä Nimi"}
    data.update(overrides)
    response = file_via_form(client, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Raporttia ei lähetetty" in html
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html, re.IGNORECASE) or (
        message.lower() in html.lower() and f'id="{field}-error"' in html
    ), html[:3000]
    kept = entered if field != "proposed_actions" else "Säilyvä Nimi"
    assert kept in html
    assert report_count() == 0


def test_identity_code_message_is_clear_finnish(client, unit):
    html = file_via_form(client, description="Henkilötunnus 131052-308T mainittu.").get_data(as_text=True)
    assert "Tekstissä on henkilötunnus. Raportissa kuvataan ilmiötä, ei asiakasta" in html
    assert "131052-308T" in html, "the text is given back so the writer can fix it"


def test_positive_nature_changes_the_proposal_question(client, unit):
    html = file_via_form(client, nature="positive", unit="").get_data(as_text=True)
    assert 'id="proposed_actions-label"' in html
    label = re.search(r'id="proposed_actions-label"[^>]*>([^<]+)<', html).group(1)
    assert label.strip() == "Miten ilmiötä voisi levittää tai laajentaa?"


def test_whole_county_and_chosen_municipalities(client, unit):
    file_via_form(client, whole_county="y")
    file_via_form(client, municipalities=["915", "140"])
    release_all()
    first, second = db.session.scalars(sa.select(Report).order_by(Report.sequence)).all()
    assert first.whole_county and first.municipalities == []
    assert sorted(m.name for m in second.municipalities) == ["Iisalmi", "Varkaus"]


def test_expired_session_refuses_the_post_but_keeps_the_report(client, unit):
    from helpers import valid_report

    typed = "Tämä pitkä kuvaus kirjoitettiin ennen kuin istunto vanheni."
    response = client.post("/report/new", data=valid_report(description=typed, csrf_token="stale"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Istuntosi oli vanhentunut, joten raporttia ei vielä lähetetty." in html
    assert typed in html and '<option selected value="U-KUO">' in html
    assert report_count() == 0

    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert fresh != "stale"
    again = client.post("/report/new", data=valid_report(description=typed, csrf_token=fresh))
    assert again.status_code == 200 and report_count() == 1


def test_other_forms_without_csrf_token_are_refused(client):
    response = client.post("/track", data={"number": "SR-2026-00001", "code": "X"})
    assert response.status_code == 400
    assert "Istuntosi on vanhentunut" in response.get_data(as_text=True)


def test_inactive_unit_cannot_be_chosen(client, unit):
    unit.active = False
    db.session.commit()
    response = file_via_form(client)
    assert response.status_code == 400
    assert report_count() == 0


def test_inactive_theme_cannot_be_chosen_nor_is_offered(client, unit):
    from app.models import Theme

    theme = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    theme.active = False
    db.session.commit()
    response = file_via_form(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="themes-error"' in html
    assert 'value="housing"' not in html and 'value="income"' in html
    assert report_count() == 0
    assert file_via_form(client, themes=["income"]).status_code == 200
