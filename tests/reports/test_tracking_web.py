"""Tracking by number and code: the right pair shows the status, anything else one neutral message."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import csrf_token, file_via_form, release_all

from app.codes import EventKind
from app.extensions import db
from app.models import Report, ReportEvent

NEUTRAL = "Raporttia ei löytynyt näillä tiedoilla."


def filed(client) -> tuple[str, str]:
    html = file_via_form(client).get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)
    return number, code


def track(client, number: str, code: str):
    """The look-up answers with a redirect to the tracking page, which is followed as a browser would."""
    return client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code},
                       follow_redirects=True)


def test_right_number_and_code_show_status_and_public_notes_only(client, unit):
    number, code = filed(client)
    release_all()
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
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 30)
    monkeypatch.setitem(app.config, "TRACKING_DELAY_MAX_SECONDS", 90)

    statuses = [track(client, number, "WRONG-CODE-00000").status_code for _ in range(4)]
    assert statuses == [404] * 4, "the first three failures are free; the fourth is answered, then a hold begins"
    held = track(client, number, code)
    assert held.status_code == 429, "on hold, even the right code is refused unchecked, at once"
    assert "Yritä uudelleen 30 sekunnin kuluttua." in held.get_data(as_text=True)
    assert 29 <= int(held.headers["Retry-After"]) <= 30
    api = client.post("/api/v1/reports/track", json={"number": number, "code": code})
    assert api.status_code == 429 and api.get_json()["retry_after"] == int(api.headers["Retry-After"])


def test_a_hold_ends_and_grows_with_each_failure(app, client, unit, monkeypatch):
    import time

    number, code = filed(client)
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 1)
    for _ in range(4):
        assert track(client, number, "WRONG-CODE-00000").status_code == 404
    assert track(client, number, code).status_code == 429
    time.sleep(1.1)
    assert track(client, number, "WRONG-CODE-00000").status_code == 404, "the hold is over"
    refused = track(client, number, code)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 2, "the fifth failure holds 2 s"


def test_past_the_attempt_limit_even_the_right_code_waits_for_the_window(app, client, unit, monkeypatch):
    number, code = filed(client)
    monkeypatch.setitem(app.config, "TRACKING_ATTEMPT_LIMIT", "5 per 15 minutes")
    statuses = [track(client, number, "WRONG-CODE-00000").status_code for _ in range(5)]
    assert statuses == [404] * 5
    refused = track(client, number, code)
    assert refused.status_code == 429, "past the limit even the right code waits for the window"
    # until the window on the clock's grid ends (guard.count_quietly): Redis keeps no attempt's second
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60 + 1
    said = re.search(r"Yritä uudelleen (\d+) (minuutin|sekunnin) kuluttua", refused.get_data(as_text=True))
    if said.group(2) == "minuutin":
        assert int(said.group(1)) == -(-retry_after // 60)
    else:  # the last minute of the window
        assert retry_after < 60 and int(said.group(1)) == retry_after


def test_guessing_one_number_from_many_clients_is_slowed_but_never_locks_out_the_reporter(app, unit, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 30)
    writer = app.test_client()
    number, code = filed(writer)
    year = number.split("-")[1]
    variants = (number, number.lower(), f" SR-{year}-a1 ", number)  # one report, however it is typed
    guessers = []
    for index, typed in enumerate(variants):
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"198.51.100.{index + 1}"
        assert track(guesser, typed, "AAAAA-AAAAA-AAAAA-AAAAA").status_code == 404
        guessers.append(guesser)
    assert [track(g, number, code).status_code for g in guessers] == [200, 200, 200, 429], \
        "the fourth failure against one number puts its sender on hold, whoever sends it"
    reporter = app.test_client()
    reporter.environ_base["REMOTE_ADDR"] = "198.51.100.99"
    assert track(reporter, number, code).status_code == 200, "the right code from a fresh client works at once"


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
    # The reporter's windows lie on the clock's grid (guard.count_quietly): a day's does not end while the workers start.
    config.update({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "TRACKING_ATTEMPT_LIMIT": "2 per day"})
    context = worker_processes()
    with empty_redis(15) as store:
        statuses = []
        for _ in range(3):
            results = context.Queue()
            worker = context.Process(target=_attempt_in_worker, args=(config, results))
            worker.start()
            statuses.append(results.get(timeout=60))
            worker.join(timeout=30)
        assert statuses == [404, 404, 429], store.keys()
        keys = b" ".join(store.keys())
        assert b"tracking-attempts" in keys and b"192.0.2.55" not in keys


def test_a_hold_keeps_no_moment_in_the_limiter_store(app, client, unit, monkeypatch):
    """The hold's key lives to the end of the day and its value is not the hold's end in the clear."""
    import time
    from datetime import datetime, timedelta, timezone

    from app.workflow.auth import guard

    number, code = filed(client)
    monkeypatch.setitem(app.config, "TRACKING_DELAY_STEP_SECONDS", 30)
    for _ in range(4):
        track(client, number, "WRONG-CODE-00000")
    assert track(client, number, code).status_code == 429
    with app.app_context():
        storage = guard.counter().storage
        holds = [key for key in storage.storage if key.startswith("sora/hold/")]
        assert len(holds) == 1
        midnight = datetime.combine(datetime.now(timezone.utc).date() + timedelta(days=1), datetime.min.time(),
                                    timezone.utc).timestamp()
        assert abs(storage.get_expiry(holds[0]) - midnight) <= 2, "it expires with the day, not with the hold"
        value = storage.get(holds[0])
        for scale in (1, 1000):
            assert abs(value - time.time() * scale) > 86_400 * scale, "the hold's end is not stored in the clear"
