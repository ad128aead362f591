"""The reporter's own pages: a number typed any way, a tracking page that survives a reload without the
code in a URL, and the language button on the pages that answer a POST."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import csrf_token, file_via_form, valid_report, release_all

from app.extensions import db
from app.models import Report
from app.workflow.reports import tracking_session


def filed(client) -> tuple[str, str]:
    html = file_via_form(client).get_data(as_text=True)
    return (re.search(r'id="report-number">([^<]+)<', html).group(1),
            re.search(r'id="tracking-code">([^<]+)<', html).group(1))


@pytest.mark.parametrize("spelling", ["sr {year} {seq}", "SR{year}{seq}", "Sr–{year}–{seq}", " sr-{year}-{short} ",
                                      "SR {year}-{seq}"])
def test_a_number_is_found_in_any_spacing_case_or_dash(client, unit, spelling):
    number, code = filed(client)
    _, year, seq = number.split("-")
    typed = spelling.format(year=year, seq=seq, short=f"{seq[0]}{int(seq[1:])}")  # SR-2026-A1
    response = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": typed, "code": code})
    assert response.status_code == 302 and response.headers["Location"] == "/track/status"


def test_the_tracking_page_is_a_redirect_a_reload_and_a_bookmark_without_the_code_anywhere(client, unit, caplog):
    number, code = filed(client)
    answer = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code})
    assert answer.status_code == 302 and code not in answer.headers["Location"] and number not in answer.headers["Location"]
    first = client.get("/track/status")
    again = client.get("/track/status")  # a reload sends nothing again and shows the same page
    assert first.status_code == again.status_code == 200
    assert number in again.get_data(as_text=True) and code not in again.get_data(as_text=True)
    cookie = client.get_cookie("session").value
    assert code.replace("-", "") not in cookie.replace("-", "") and code not in cookie
    import base64
    import zlib
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()
    assert code not in text and code.replace("-", "") not in text, "the cookie holds no tracking code"
    assert not [r for r in caplog.records if code in r.getMessage()]

    closed = client.post("/track/close", data={"csrf_token": csrf_token(client, "/track")}, follow_redirects=True)
    assert "Seurantasivu on suljettu" in closed.get_data(as_text=True)
    assert client.get("/track/status").headers["Location"] == "/track"


def test_the_tracking_page_closes_itself_after_half_an_hour(client, unit, monkeypatch):
    number, code = filed(client)
    client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code})
    import time
    later = time.time() + tracking_session.KEEP_SECONDS + 5
    monkeypatch.setattr(tracking_session.time, "time", lambda: later)
    page = client.get("/track/status", follow_redirects=True).get_data(as_text=True)
    assert "Seurantasivu suljettiin" in page and "Anna raportin numero" in page


def test_a_changed_report_code_closes_an_open_tracking_page(client, unit):
    number, code = filed(client)
    client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code})
    release_all()
    assert client.get("/track/status").status_code == 200, "the page stays open across the release"
    report = db.session.scalar(sa.select(Report))
    report.tracking_hash = "0" * 64
    db.session.commit()
    assert client.get("/track/status").status_code == 302


def test_the_language_button_stays_on_the_forms_error_page_and_keeps_what_was_typed(client, unit):
    token = csrf_token(client, "/report/new")
    body = valid_report(description="", proposed_actions="Enemmän vuokra-asuntoja")
    error_page = client.post("/report/new", data={**body, "csrf_token": token})
    html = error_page.get_data(as_text=True)
    assert error_page.status_code == 400 and 'name="switch_language" value="en"' in html and 'form="report-form"' in html
    switched = client.post("/report/new", data={**body, "csrf_token": token, "switch_language": "en"})
    english = switched.get_data(as_text=True)
    assert switched.status_code == 200 and 'lang="en"' in english and "Enemmän vuokra-asuntoja" in english
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0, "switching files nothing"


def test_the_receipt_can_be_read_in_english_and_keeps_number_and_code(client, unit):
    number, code = filed(client)
    token = csrf_token(client, "/track")
    english = client.post("/report/receipt", data={"csrf_token": token, "number": number, "tracking_code": code,
                                                   "switch_language": "en"}).get_data(as_text=True)
    assert "Thank you" in english and number in english and code in english
    wrong = client.post("/report/receipt", data={"csrf_token": token, "number": number,
                                                 "tracking_code": "AAAAA-AAAAA-AAAAA-AAAAA", "switch_language": "en"})
    assert wrong.status_code == 404 and code not in wrong.get_data(as_text=True)


def test_the_tracking_page_has_the_language_button(client, unit):
    number, code = filed(client)
    page = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code},
                       follow_redirects=True).get_data(as_text=True)
    assert 'lang="en">English</button>' in page and 'lang="sv">svenska</button>' in page
