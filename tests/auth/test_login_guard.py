"""Password guessing at one account is refused past a limit, from however many addresses it comes."""
from __future__ import annotations

import re
import threading
import time
import types
from collections.abc import Iterator

import limits.storage.memory
import pytest
import sqlalchemy as sa
from flask import Flask
from helpers import PASSWORD, csrf_token, empty_redis, sora_test_config, worker_processes

from app import create_app
from app.codes import AuditAction
from app.extensions import db, limiter
from app.models import AuditEntry

WRONG = "Sähköposti tai salasana on väärin."
REFUSED = "Liian monta yritystä. Yritä uudelleen 15 minuutin kuluttua."
PROXY = "10.0.0.1"


@pytest.fixture
def proxied(app: Flask, database_url: str) -> Iterator[Flask]:
    """The app behind one trusted reverse proxy (PROXY_HOPS=1): clients are told apart by X-Forwarded-For."""
    served = create_app({**sora_test_config(database_url), "PROXY_HOPS": 1})
    served.test_client_class = app.test_client_class
    yield served
    with served.app_context():
        db.session.remove()
        db.engine.dispose()


def attempt(app: Flask, email: str, password: str, address: str):  # type: ignore[no-untyped-def]
    """One login from its own browser at `address`, through the proxy when the app trusts one."""
    client = app.test_client()
    headers = {}
    if app.config["PROXY_HOPS"]:
        client.environ_base["REMOTE_ADDR"] = PROXY
        headers["X-Forwarded-For"] = f"203.0.113.200, {address}"  # only the last hop is trusted
    else:
        client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password}, headers=headers)


def failed_logins() -> list[tuple[str | None, str]]:
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.LOGIN_FAILED)
                                 .order_by(AuditEntry.id))
    return [(entry.target, entry.details["reason"]) for entry in entries]


def test_guessing_one_account_from_many_addresses_is_refused_past_the_limit(proxied, create_user):
    user = create_user("maija.meikalainen@test.example")
    typed = ["maija.meikalainen@test.example", " Maija.Meikalainen@Test.Example ", "MAIJA.MEIKALAINEN@TEST.EXAMPLE"]
    statuses = [attempt(proxied, typed[index % 3], f"arvaus {index}", f"198.51.100.{index + 1}").status_code
                for index in range(10)]
    assert statuses == [401] * 10, "ten failures (the default limit), each from its own address"

    refused = attempt(proxied, user.email, PASSWORD, "198.51.100.77")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429, "past the limit even the right password waits for the window"
    assert REFUSED in page and WRONG not in page
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.LOGIN))

    assert failed_logins() == [(f"user {user.email}", "wrong_password")] * 10 + [(f"user {user.email}", "throttled")]
    stored = " ".join(db.session.scalars(sa.select(sa.cast(AuditEntry.details, sa.String))))
    assert "arvaus" not in stored and PASSWORD not in stored
    keys = " ".join(limiter.limiter.storage.storage)
    assert "login/account" in keys and "maija" not in keys.lower() and "198.51.100" not in keys


def test_parallel_attempts_cannot_pass_the_limit(app, create_user, monkeypatch):
    """Attempts are counted before the password is checked, so concurrent guesses stay within the limit."""
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes")
    email = create_user().email
    clients = []
    for index in range(12):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{index + 1}"
        clients.append((client, csrf_token(client, "/login")))
    statuses: list[int] = []

    def guess(client, token) -> None:  # type: ignore[no-untyped-def]
        data = {"csrf_token": token, "email": email, "password": "arvaus"}
        statuses.append(client.post("/login", data=data).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 7


def _neutral(page: str) -> str:
    """The page without what differs by itself: the CSRF token and the name typed back into the form."""
    page = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", page)
    return page.replace("tuntematon@test.example", "NAME").replace("maija@test.example", "NAME")


def test_an_unknown_account_is_counted_and_answered_the_same(app, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per 15 minutes")
    create_user("maija@test.example")
    answers = {}
    for email in ("maija@test.example", "tuntematon@test.example"):
        responses = [attempt(app, email, "arvaus", f"198.51.100.{index}") for index in range(4)]
        answers[email] = [(response.status_code, "Retry-After" in response.headers,
                           _neutral(response.get_data(as_text=True))) for response in responses]
    assert [status for status, _, _ in answers["maija@test.example"]] == [401, 401, 401, 429]
    assert answers["maija@test.example"] == answers["tuntematon@test.example"]
    assert failed_logins() == [("user maija@test.example", "wrong_password")] * 3 \
        + [("user maija@test.example", "throttled")] + [(None, "unknown_account")] * 3 + [(None, "throttled")]


def test_after_the_window_has_passed_the_right_password_works(app, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per 15 minutes")
    user = create_user()
    for index in range(3):
        assert attempt(app, user.email, "arvaus", f"198.51.100.{index}").status_code == 401
    assert attempt(app, user.email, PASSWORD, "198.51.100.9").status_code == 429

    later = types.SimpleNamespace(time=lambda: time.time() + 15 * 60 + 1)
    monkeypatch.setattr(limits.storage.memory, "time", later)  # the limiter's clock only
    assert attempt(app, user.email, PASSWORD, "198.51.100.9").status_code == 302


def test_other_accounts_are_unaffected(app, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per 15 minutes")
    guessed, other = create_user("arvattu@test.example"), create_user("toinen@test.example")
    for _ in range(4):
        attempt(app, guessed.email, "arvaus", "198.51.100.1")
    assert attempt(app, guessed.email, PASSWORD, "198.51.100.1").status_code == 429
    assert attempt(app, other.email, PASSWORD, "198.51.100.1").status_code == 302, "same address, another account"


def test_a_successful_login_takes_back_only_its_own_attempt(app, create_user, monkeypatch):
    """Logging in is never what locks an account, and it does not wipe out the failures before it."""
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per 15 minutes")
    user = create_user()
    assert [attempt(app, user.email, PASSWORD, "198.51.100.1").status_code for _ in range(5)] == [302] * 5
    assert attempt(app, user.email, "arvaus", "198.51.100.2").status_code == 401
    assert attempt(app, user.email, "arvaus", "198.51.100.2").status_code == 401
    assert attempt(app, user.email, PASSWORD, "198.51.100.1").status_code == 302
    assert attempt(app, user.email, "arvaus", "198.51.100.2").status_code == 401
    assert attempt(app, user.email, PASSWORD, "198.51.100.1").status_code == 429, "three failures stand"


def test_the_per_address_limit_still_holds_behind_the_proxy(proxied, create_user, monkeypatch):
    """One address trying many accounts is stopped by the address limit; another address is not."""
    monkeypatch.setitem(proxied.config, "LOGIN_RATE_LIMIT", "3 per minute")
    user = create_user()
    sprayed = [attempt(proxied, f"henkilo{index}@test.example", "kesä2026", "198.51.100.1").status_code
               for index in range(4)]
    assert sprayed == [401, 401, 401, 429]
    assert attempt(proxied, user.email, PASSWORD, "198.51.100.2").status_code == 302


def _attempt_in_worker(config: dict, address: str, password: str, results) -> None:  # type: ignore[no-untyped-def]
    app = create_app(config)
    results.put(attempt(app, "jaettu@test.example", password, address).status_code)


def test_the_account_limit_is_shared_between_worker_processes_through_redis(database_url, create_user):
    """Each attempt runs in its own process from its own address, as under several web workers."""
    create_user("jaettu@test.example")
    config = sora_test_config(database_url)
    config.update({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14", "LOGIN_ACCOUNT_LIMIT": "2 per minute"})
    context = worker_processes()
    with empty_redis(14) as store:
        statuses = []
        for index, password in enumerate(["arvaus", PASSWORD, "arvaus", PASSWORD]):
            results = context.Queue()
            worker = context.Process(target=_attempt_in_worker, args=(config, f"192.0.2.{index + 1}", password, results))
            worker.start()
            statuses.append(results.get(timeout=60))
            worker.join(timeout=30)
        assert statuses == [401, 302, 401, 429], "the login gives its attempt back in Redis too; two failures lock"
        keys = b" ".join(store.keys())
        assert b"login/account" in keys and b"jaettu" not in keys and b"192.0.2." not in keys


def test_an_app_with_limits_switched_off_counts_nothing_and_still_answers(app, database_url, create_user):
    """RATELIMIT_ENABLED=False (the inbox benchmark's choice) leaves the guards nothing to count with."""
    create_user("maija.meikalainen@test.example")
    unlimited = create_app({**sora_test_config(database_url), "RATELIMIT_ENABLED": False})
    try:
        wrong = [attempt(unlimited, "maija.meikalainen@test.example", f"arvaus {index}", "198.51.100.1").status_code
                 for index in range(12)]
        assert wrong == [401] * 12
        assert attempt(unlimited, "maija.meikalainen@test.example", PASSWORD, "198.51.100.1").status_code == 302
        client = unlimited.test_client()
        token = csrf_token(client, "/track")
        tracked = client.post("/track", data={"csrf_token": token, "number": "SR-2026-00001", "code": "ABCDE-FGHIJ"})
        assert tracked.status_code in (200, 404) and "Raporttia ei löytynyt" in tracked.get_data(as_text=True)
    finally:
        with unlimited.app_context():
            db.session.remove()
            db.engine.dispose()
        limiter.init_app(app)
    assert limiter.enabled


def test_a_password_typed_into_the_name_field_is_not_kept_even_hashed(app, create_user, monkeypatch):
    """Names without "@" belong to no account; only the per-address limit counts them."""
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "2 per minute")
    statuses = [attempt(app, "salainen-salasana", "x", f"198.51.100.{index + 1}").status_code for index in range(4)]
    assert statuses == [401] * 4
    storage = limiter.storage
    kept = " ".join(str(key) for key in getattr(storage, "storage", {}))
    assert "login/account" not in kept


def test_a_login_after_its_window_ended_gives_nothing_back_to_the_next(app, create_user, monkeypatch):
    """A refund that arrives when the window has already passed would start the next one at -1."""
    from app.workflow.auth import login_guard

    create_user("maija.meikalainen@test.example")
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "2 per minute")
    with app.test_request_context():
        login_guard.succeeded("maija.meikalainen@test.example")
    statuses = [attempt(app, "maija.meikalainen@test.example", f"arvaus {index}", f"198.51.100.{index + 1}").status_code
                for index in range(3)]
    assert statuses == [401, 401, 429]
