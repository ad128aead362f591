"""Tracking by number and code: the right pair shows the status, anything else one neutral message."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import csrf_token, file_via_form

from app.codes import EventKind
from app.extensions import db
from app.models import Report, ReportEvent
from app.workflow.auth import tracking_guard

NEUTRAL = "Raporttia ei löytynyt näillä tiedoilla."


def filed(client) -> tuple[str, str]:
    html = file_via_form(client).get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    return number, code


def track(client, number: str, code: str):
    return client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code})


def test_right_number_and_code_show_status_and_public_notes_only(client, unit):
    number, code = filed(client)
    report = db.session.scalar(sa.select(Report))
    report.events.append(ReportEvent(kind=EventKind.NOTE, note="Käsitellään johtoryhmässä toukokuussa.", is_public=True))
    report.events.append(ReportEvent(kind=EventKind.NOTE, note="SISÄINEN: soitin yksikön esihenkilölle", is_public=False))
    db.session.commit()

    response = track(client, number.lower(), code.lower().replace("-", " "))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert number in html and "Vastaanotettu" in html and "Työyksikkö" in html
    assert "Käsitellään johtoryhmässä toukokuussa." in html
    assert "SISÄINEN" not in html
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("mistake", ["wrong_code", "unknown_number", "malformed_number", "other_reports_code"])
def test_every_mismatch_gives_the_same_neutral_answer(client, unit, mistake):
    number, code = filed(client)
    other_number, other_code = filed(client)
    attempts = {
        "wrong_code": (number, "AAAAA-BBBBB-CCCCC-DDDDD"),
        "unknown_number": ("SR-2026-99999", code),
        "malformed_number": ("<script>", code),
        "other_reports_code": (number, other_code),
    }
    response = track(client, *attempts[mistake])
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert NEUTRAL in html
    assert "Vastaanotettu" not in html


def test_repeated_failures_are_slowed_down_and_then_refused(app, client, unit, monkeypatch):
    number, code = filed(client)
    waits: list[float] = []
    monkeypatch.setattr(tracking_guard.time, "sleep", waits.append)
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 0.5)
    monkeypatch.setitem(app.config, "TRACKING_ATTEMPT_LIMIT", "5 per 15 minutes")

    statuses = [track(client, number, "WRONG-CODE-00000").status_code for _ in range(5)]
    assert statuses == [404] * 5
    assert waits == [0.5, 1.0], "the first three failures are free, then each waits longer"

    refused = track(client, number, code)
    assert refused.status_code == 429, "past the limit even the right code waits for the window"
    assert "Liian monta yritystä. Yritä uudelleen 15 minuutin kuluttua." in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 14 * 60


def test_guessing_one_number_from_many_clients_is_slowed_but_never_locks_out_the_reporter(app, unit, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(tracking_guard.time, "sleep", waits.append)
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 0.5)
    writer = app.test_client()
    number, code = filed(writer)
    year = number.split("-")[1]
    variants = (number, number.lower(), f" SR-{year}-1 ", number)  # one report, however it is typed
    for index, typed in enumerate(variants):
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"198.51.100.{index + 1}"
        assert track(guesser, typed, "AAAAA-AAAAA-AAAAA-AAAAA").status_code == 404
    assert waits == [0.5], "the fourth failure against one number waits, whoever sends it"
    reporter = app.test_client()
    reporter.environ_base["REMOTE_ADDR"] = "198.51.100.99"
    assert track(reporter, number, code).status_code == 200, "the right code always works"


def test_parallel_guesses_cannot_pass_the_limit(app, unit, monkeypatch):
    """Attempts are counted before the lookup, so concurrent guesses from one client stay within it."""
    import threading

    monkeypatch.setitem(app.config, "TRACKING_ATTEMPT_LIMIT", "5 per 15 minutes")
    number, _ = filed(app.test_client())
    statuses: list[int] = []

    def guess() -> None:
        client = app.test_client()
        statuses.append(client.post("/api/v1/reports/track", json={"number": number, "code": "X"}).status_code)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [404] * 5 + [429] * 7


def test_empty_tracking_form_asks_for_both_fields(client):
    response = client.post("/track", data={"csrf_token": csrf_token(client, "/track")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kirjoita raportin numero." in html and "Kirjoita seurantakoodi." in html


def _attempt_in_worker(config: dict, results) -> None:  # type: ignore[no-untyped-def]
    from app import create_app

    client = create_app(config).test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.55"
    results.put(track(client, "SR-2026-00001", "AAAAA-AAAAA-AAAAA-AAAAA").status_code)


def test_limits_are_shared_between_worker_processes_through_redis(database_url, app, unit):
    """Each attempt runs in its own process, as under several web workers; Redis keeps the count."""
    from helpers import empty_redis, sora_test_config, worker_processes

    config = sora_test_config(database_url)
    config.update({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "TRACKING_ATTEMPT_LIMIT": "2 per minute"})
    context = worker_processes()
    with empty_redis(15) as store:
        statuses = []
        for _ in range(3):
            results = context.Queue()
            worker = context.Process(target=_attempt_in_worker, args=(config, results))
            worker.start()
            statuses.append(results.get(timeout=60))
            worker.join(timeout=30)
        assert statuses == [404, 404, 429]
        keys = b" ".join(store.keys())
        assert b"tracking/attempts" in keys and b"192.0.2.55" not in keys
