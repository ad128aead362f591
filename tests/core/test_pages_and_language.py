"""Front page, guidance, language switch and error pages."""
from __future__ import annotations

import pytest
from helpers import csrf_token


def switch_to(client, language: str) -> None:
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang-csrf_token": token, "lang-language": language,
                                               "lang-next": "/report/new"})
    assert response.status_code == 302 and response.headers["Location"] == "/report/new"


def test_guidance_answers_the_three_reasons_and_lists_the_channels(client):
    html = client.get("/guidance").get_data(as_text=True)
    for section in ("what-is", "what-to-report", "why", "what-happens", "anonymity", "follow", "other-channels"):
        assert f'id="{section}"' in html
    assert '<h2 id="what-to-report">Mistä voin raportoida?</h2>' in html
    assert "ensisuoj" in html.lower() and "48 §" in html
    for url in client.application.config["OTHER_CHANNELS"].values():
        assert f'href="{url}"' in html


def test_channel_links_come_from_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OTHER_CHANNELS", {"shortcoming_notification": "https://example.org/48"})
    html = client.get("/guidance").get_data(as_text=True)
    assert 'href="https://example.org/48"' in html and "Työturvallisuusilmoitus" not in html


def test_finnish_by_default_and_english_on_request(client, unit):
    assert 'lang="fi"' in client.get("/").get_data(as_text=True)
    switch_to(client, "en")
    html = client.get("/report/new").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Social reporting form" in html and "Work unit" in html and "Housing" in html
    guidance = client.get("/guidance").get_data(as_text=True)
    assert '<h2 id="what-to-report">What can I report?</h2>' in guidance
    switch_to(client, "fi")
    assert "Sosiaalisen raportoinnin lomake" in client.get("/report/new").get_data(as_text=True)


def test_validation_messages_follow_the_language(client, unit):
    switch_to(client, "en")
    response = client.post("/report/new", data={"csrf_token": csrf_token(client, "/report/new")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select your work unit." in html
    assert "Valitse työyksikkösi" not in html


def test_language_switch_refuses_outside_redirects(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang-csrf_token": token, "lang-language": "en",
                                               "lang-next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_not_found_page_is_finnish(client):
    response = client.get("/ei-ole")
    assert response.status_code == 404 and "Sivua ei löytynyt." in response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_each_catalogue_is_complete(language):
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / f"translations/{language}/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [message.id for message in catalog if message.id and not message.string]
    assert untranslated == []
    assert len(catalog) > 150
