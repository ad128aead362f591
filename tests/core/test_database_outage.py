"""The database goes away under a load of filings and comes back: requests fail cleanly meanwhile,
no acknowledged report is lost, and the running app recovers by itself.

The app is served by Werkzeug in a thread while filing clients post to the JSON API from threads.
Two ways the database goes away:

- through a TCP proxy of this process (tests/tcpproxy.py) between the app and the test database,
  which the test cuts and restores: a refused or stalled network, with the real server untouched;
- a PostgreSQL server of the test's own (tests/pgserver.py), which the test really stops and starts:
  a fast shutdown that ends every session, an immediate one that PostgreSQL recovers from as from a
  crash, and a restart while nobody asks. The machine's shared server is never stopped: that would
  disturb everyone else.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from helpers import PASSWORD, add_org, serve, sora_test_config, unavailable
from pgserver import PrivatePostgres, server_bindir
from sqlalchemy.engine import make_url
from tcpproxy import TcpProxy

from app import create_app
from app.extensions import db
from app.models import HeldFiling, Report, ReportNumberCounter
from app.workflow.reports.numbering import ANONYMOUS_SERIES, NAMED_SERIES
from app.workflow.admin.county import setup_county

pytestmark = pytest.mark.postgres_only

CONNECT_TIMEOUT = 2
"""Seconds the app waits for a new database connection (psycopg's least); a stalled network costs no more."""
SLOWEST = CONNECT_TIMEOUT + 4
"""No answer may take longer than this, outage or not."""
MESSAGE = "Tietokantaan ei juuri nyt saada yhteyttä"
LEAKS = ("Traceback", "psycopg", "sqlalchemy", "OperationalError", "SELECT", "INSERT", "127.0.0.1", "postgres")
CLIENTS = 3
DOWN_SECONDS = 2.0
"""How long the private server stays stopped."""


@dataclass
class Attempt:
    description: str
    started: float
    ended: float
    status: int | None = None
    body: Any = None
    retry_after: str | None = None
    failure: str | None = None


@dataclass
class Outage:
    proxy: TcpProxy
    app: Flask
    base_url: str


def served_app(database_url: str) -> Flask:
    """An app as production runs it: errors become pages, and a connection attempt gives up soon.

    The filing limit is lifted: the clients of one address retry at once after every 503, hundreds of
    times a second, and a 429 would hide the answer under test.
    """
    config = sora_test_config(database_url)
    config.update(PROPAGATE_EXCEPTIONS=False, DATABASE_CONNECT_TIMEOUT_SECONDS=CONNECT_TIMEOUT,
                  FILING_RATE_LIMIT="100000 per minute")
    return create_app(config)


def release(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def outage(app: Flask, org) -> Iterator[Outage]:  # type: ignore[no-untyped-def]
    """A second app on the test database, connected through the proxy and served on a local port."""
    db.session.remove()
    target = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    proxy = TcpProxy((target.host or "127.0.0.1", target.port or 5432))
    proxy.start()
    served = served_app(target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    try:
        with serve(served, "sora-outage-server") as base_url:
            yield Outage(proxy, served, base_url)
    finally:
        release(served)
        proxy.stop()


class Filers:
    """Clients filing anonymous reports through the API in a loop, each report with its own text."""

    def __init__(self, base_url: str, label: str) -> None:
        self.base_url = base_url
        self.label = label
        self.attempts: list[Attempt] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._file, args=(n,), daemon=True) for n in range(CLIENTS)]

    def __enter__(self) -> Filers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _file(self, client: int) -> None:
        with requests.Session() as http:
            sequence = 0
            while not self._stop.is_set():
                sequence += 1
                attempt = Attempt(f"Kuormitus {self.label} {client}-{sequence}: vuokrat ylittävät asumistuen rajat.",
                                  time.monotonic(), 0.0)
                try:
                    response = http.post(f"{self.base_url}/api/v1/reports", timeout=(5, 30), json={
                        "unit": "U-KUO", "nature": "negative", "phenomenon": "social_problems",
                        "description": attempt.description})
                    attempt.status = response.status_code
                    attempt.retry_after = response.headers.get("Retry-After")
                    attempt.body = response.json() if response.headers.get("Content-Type") == "application/json" \
                        else response.text
                except requests.RequestException as error:
                    attempt.failure = repr(error)
                attempt.ended = time.monotonic()
                with self._lock:
                    self.attempts.append(attempt)

    def filed_since(self, moment: float) -> int:
        with self._lock:
            return sum(1 for a in self.attempts if a.started >= moment and a.status == 201)

    def wait_for_filings(self, since: float, count: int = 3, limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while self.filed_since(since) < count:
            assert time.monotonic() < deadline, f"fewer than {count} filings in {limit} s: {self.attempts[-3:]}"
            time.sleep(0.1)


def logged_in(base_url: str, email: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base_url}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = http.post(f"{base_url}/login", data={"csrf_token": token, "email": email, "password": PASSWORD},
                         allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return http


def assert_clean_failure(status: int | None, text: str, what: str) -> None:
    assert status == 503, f"{what}: {status} {text[:300]}"
    assert MESSAGE in text, f"{what}: no Finnish explanation: {text[:300]}"
    for leak in LEAKS:
        assert leak not in text, f"{what}: the answer shows {leak!r}"


def assert_pages_fail_cleanly(base_url: str, handler: requests.Session) -> None:
    """A logged-in handler's inbox and the public report form, while the database is away."""
    for http, path in ((handler, "/cases/"), (requests.Session(), "/report/new")):
        started = time.monotonic()
        page = http.get(f"{base_url}{path}", timeout=30)
        assert time.monotonic() - started < SLOWEST, path
        assert_clean_failure(page.status_code, page.text, path)
        assert '<html lang="fi">' in page.text and "Palvelu ei ole hetkeen käytettävissä" in page.text, path
        assert page.headers["Retry-After"] == "30"


def assert_outage_handled(attempts: list[Attempt], down: tuple[float, float], back: float) -> None:
    """Every request answered in time, with 201 or 503; all made within `down` refused cleanly, all made
    after `back` filed."""
    assert not [a for a in attempts if a.failure], "every request was answered"
    slowest = max(a.ended - a.started for a in attempts)
    assert slowest < SLOWEST, f"an answer took {slowest:.1f} s"
    assert {a.status for a in attempts} <= {201, 503}, sorted({a.status for a in attempts})
    refused = [a for a in attempts if a.started > down[0] and a.ended < down[1]]
    assert refused, "some filings were tried while the database was away"
    for attempt in refused:
        assert_clean_failure(attempt.status, str(attempt.body), attempt.description)
        assert attempt.body["error"] == "Service Unavailable" and attempt.retry_after == "30"
    after = [a for a in attempts if a.started > back]
    assert after and all(a.status == 201 for a in after), "the app recovered without a restart"


def acknowledged(attempts: list[Attempt]) -> dict[str, str]:
    """Number → text of every report the app answered 201 for."""
    return {a.body["number"]: a.description for a in attempts if a.status == 201}


def filed_texts() -> list[str]:
    """The text of every report and held anonymous filing in the database."""
    return [*db.session.scalars(sa.select(Report.description)),
            *(held.content["description"] for held in db.session.scalars(sa.select(HeldFiling)))]


def assert_stored(attempts: list[Attempt]) -> None:
    """In the current app's database: every acknowledged report, as it was sent."""
    receipts = acknowledged(attempts)
    db.session.remove()
    stored = dict(db.session.execute(sa.select(Report.number, Report.description)
                                     .where(Report.number.in_(list(receipts)))).all())
    stored |= {held.number: held.content["description"] for held in db.session.scalars(
        sa.select(HeldFiling).where(HeldFiling.number.in_(list(receipts))))}  # anonymous: held for the release
    assert stored == receipts, "every acknowledged report is stored as it was sent"


def assert_logged_without_reports(caplog: pytest.LogCaptureFixture) -> None:
    logged = "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in caplog.records)
    assert "Kuormitus" not in logged and "database unavailable" in logged


@pytest.mark.parametrize("stall", [False, True], ids=["refused", "stalled"])
def test_filings_survive_the_database_going_away_and_coming_back(app, outage, caplog, stall):
    proxy, base_url = outage.proxy, outage.base_url
    handler = logged_in(base_url, "h@t.example")
    with Filers(base_url, "stalled" if stall else "refused") as filers:
        filers.wait_for_filings(since=0.0)
        cut = time.monotonic()
        proxy.cut(stall=stall)
        time.sleep(0.3)
        assert_pages_fail_cleanly(base_url, handler)
        time.sleep(max(0.0, CONNECT_TIMEOUT * 1.5 - (time.monotonic() - cut)))
        restored = time.monotonic()
        proxy.restore()
        filers.wait_for_filings(since=restored + 0.1, count=2 * CLIENTS)
    assert handler.get(f"{base_url}/cases/", timeout=10).status_code == 200, "the session outlived the outage"

    assert_outage_handled(filers.attempts, down=(cut + 0.1, restored), back=restored + 0.1)
    assert_stored(filers.attempts)
    assert_logged_without_reports(caplog)


def test_a_connection_dropped_after_the_answer_is_ready_does_not_spoil_it(outage):
    """The request's closing rollback meets a dead connection: no error, and the next request works."""
    with outage.app.test_request_context("/"):
        assert db.session.execute(sa.select(sa.literal(1))).scalar() == 1  # a transaction is open
        outage.proxy.cut()
    outage.proxy.restore()
    with outage.app.test_request_context("/"):
        assert db.session.execute(sa.select(sa.literal(2))).scalar() == 2


@dataclass
class Restartable:
    server: PrivatePostgres
    app: Flask
    base_url: str


@pytest.fixture(scope="module")
def restartable(password_hash: str) -> Iterator[Restartable]:
    """The app served on a PostgreSQL server of its own, migrated and with the `org` people and units."""
    bindir = server_bindir()
    if bindir is None:
        unavailable("PostgreSQL's server programs (initdb, pg_ctl) are not installed: apt-get install postgresql",
                    "SORA_REQUIRE_POSTGRESQL_SERVER")
    with PrivatePostgres(bindir) as server:
        served = served_app(server.url)
        try:
            with served.app_context():
                upgrade()
                setup_county("13")  # the tests' county: Pohjois-Savo, as in the demo
                db.session.commit()
                add_org(password_hash)
            with serve(served, "sora-restart-server") as base_url:
                yield Restartable(server, served, base_url)
        finally:
            release(served)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_filings_survive_a_real_postgresql_restart(restartable, caplog, mode):
    """fast: PostgreSQL ends every session and shuts down cleanly; immediate: it dies at once and, started
    again, recovers as from a crash. Either way the running app serves again when the server is back."""
    server, base_url = restartable.server, restartable.base_url
    handler = logged_in(base_url, "h@t.example")
    with Filers(base_url, mode) as filers:
        filers.wait_for_filings(since=0.0)
        stopping = time.monotonic()
        server.stop(mode)
        stopped = time.monotonic()
        assert_pages_fail_cleanly(base_url, handler)
        time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - stopped)))
        starting = time.monotonic()
        server.start()
        started = time.monotonic()
        filers.wait_for_filings(since=started, count=2 * CLIENTS)
    assert handler.get(f"{base_url}/cases/", timeout=10).status_code == 200, "the session outlived the restart"

    attempts = filers.attempts
    assert_outage_handled(attempts, down=(stopped, starting), back=started)
    with restartable.app.app_context():
        assert_stored(attempts)
        for model, series in ((Report, NAMED_SERIES), (HeldFiling, ANONYMOUS_SERIES)):
            sequences = sorted(db.session.scalars(sa.select(model.sequence)))
            assert sequences == list(range(1, len(sequences) + 1)), f"numbers of the series {series!r} stay gap-free"
            counted = db.session.scalar(sa.select(ReportNumberCounter.last_value).where(ReportNumberCounter.series == series))
            assert (counted or 0) == len(sequences)
        stored = {description for description in filed_texts()
                  if description.startswith(f"Kuormitus {mode} ")}
    assert_logged_without_reports(caplog)

    # A commit PostgreSQL made but could not confirm before it stopped is kept, though the app answered 503.
    unconfirmed = [a for a in attempts if a.description in stored and a.status != 201]
    assert len(unconfirmed) <= CLIENTS and all(a.started < stopped and a.ended > stopping for a in unconfirmed)

    failed = [a for a in attempts if a.status == 503]
    first_filed = min(a.ended for a in attempts if a.started >= starting and a.status == 201)
    print(f"\n{mode}: {len(attempts)} filings, {len(failed)} answered 503 over "
          f"{max(a.ended for a in failed) - min(a.started for a in failed):.2f} s, the slowest answer in "
          f"{max(a.ended - a.started for a in attempts):.2f} s; "
          f"pg_ctl stop {stopped - stopping:.2f} s, start {started - starting:.2f} s; "
          f"first filing {first_filed - starting:.2f} s after the start began; {len(unconfirmed)} kept without a 201")


def test_the_first_request_after_a_quiet_restart_is_served(restartable):
    """Nobody asked while PostgreSQL restarted, so no request found the pooled connections dead: the next
    one must not be the one to fail on them."""
    handler = logged_in(restartable.base_url, "h@t.example")
    assert handler.get(f"{restartable.base_url}/cases/", timeout=10).status_code == 200  # connections in the pool
    restartable.server.restart()
    assert handler.get(f"{restartable.base_url}/cases/", timeout=10).status_code == 200
