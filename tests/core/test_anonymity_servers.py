"""Under every server the README names, the reporter's own requests leave no time finer than the day anywhere.

Each server runs the app in its own process, on the test database and with its limits in Redis (database
12): Werkzeug's development server with and without its colour codes, and Gunicorn with the access-log
format the README gives. An employee logs in; then, from the same client, a report is filed anonymously
through the form and through the API, both are tracked, a handler's question is answered through each,
and the reporter's requests are also sent in the forms an attacker might find logged: a percent-encoded
path, a trailing slash, an absolute-form request line, refused filings (400), wrong codes (404) and an
answer with no question open (409). Then the server's whole log, every row of the database and every
Redis key are read: none holds a moment of those requests finer than the day, nor anything that links
them to the login.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, api_report, empty_redis, sora_test_config, valid_report

from app.codes import Role
from app.extensions import db
from app.models import AuditEntry, Report, RoleAssignment, User
from app.workflow.cases.operations import perform
from app.workflow.cases.release import release_held
from app.workflow.cases.transitions import Action
from app.workflow.core.anonymity import day_start

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 12
GUNICORN_ACCESS_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)s'  # the README's format

SERVERS = ["werkzeug-colour", "werkzeug-plain", "gunicorn"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(kind: str, config: dict, log_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "SORA_TEST_CONFIG": json.dumps(config), "TZ": "UTC", "PYTHONUNBUFFERED": "1"}
    if kind == "gunicorn":
        command = [str(Path(sys.executable).with_name("gunicorn")), "--pythonpath", "tests", "--workers", "2",
                   "--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "--error-logfile", "-",
                   "--access-logformat", GUNICORN_ACCESS_FORMAT, "--log-level", "info", "served_app:create()"]
    else:
        command = [sys.executable, "tests/served_app.py", str(port), kind.split("-")[1]]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{kind} did not start: {log_path.read_text()}") from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None, body: dict | None = None) -> tuple[int, str]:
        headers = {"User-Agent": "SoRaTestBrowser/14.1"}
        payload = None
        if data is not None:
            payload = urllib.parse.urlencode(data, doseq=True).encode()
        elif body is not None:
            payload, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=payload, headers=headers)) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.request(path)[1]).group(1)


def raw(base: str, request_line: str, body: bytes = b"") -> int:
    """One request written by hand, e.g. with an absolute-form target; returns the status."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"{request_line}\r\nHost: {host}:{port}\r\nContent-Type: application/x-www-form-urlencoded"
                           f"\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def ask(number: str, handler_id: int, moment: datetime) -> None:
    """The handler's question, asked in this process; the session is closed after, as SQLite has one writer."""
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    perform(Action.ASK_REPORTER, report, db.session.get(User, handler_id), note="Missä kunnassa?", now=moment)
    db.session.commit()
    db.session.close()


def moments_in(text: str) -> list[datetime]:
    """Every time of day to the second that a log line or a row holds, in the forms they write it."""
    found = []
    for match in re.finditer(r"(\d{2})/(\w{3})/(\d{4})[ :](\d{2}):(\d{2}):(\d{2})", text):  # access logs
        found.append(datetime.strptime(" ".join(match.groups()), "%d %b %Y %H %M %S").replace(tzinfo=timezone.utc))
    for match in re.finditer(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})", text):  # ISO, error logs, rows
        found.append(datetime(*map(int, match.groups()), tzinfo=timezone.utc))
    return found


def dump_database() -> list[tuple[str, tuple]]:
    db.session.expire_all()
    return [(table.name, tuple(row)) for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.select(table))]


@pytest.mark.parametrize("kind", SERVERS)
def test_no_trace_finer_than_the_day_under_each_server(kind, app, database_url, org, tmp_path):
    config = {**sora_test_config(database_url), "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{REDIS_DB}",
              "TRACKING_ATTEMPT_LIMIT": "100 per 15 minutes"}
    db.session.commit()
    employee_id, email, handler_id = org["employee"].id, org["employee"].email, org["handler"].id
    db.session.close()  # SQLite has one writer: this process holds no transaction while the server works
    log_path = tmp_path / f"{kind}.log"
    with empty_redis(REDIS_DB) as store, served(kind, config, log_path) as base:
        browser = Browser(base)
        status, _page = browser.request("/login", data={"csrf_token": browser.token("/login"), "email": email,
                                                         "password": PASSWORD})
        assert status == 200 and "Kirjaudu ulos" in browser.request("/")[1], "logged in"
        time.sleep(1.1)
        began = datetime.now(timezone.utc)
        started = began.replace(microsecond=0)  # logs write whole seconds

        # Filing, by the form (logged in) and by the API, and what an attacker might see of it.
        token = browser.token("/report/new")
        status, receipt = browser.request("/report/new", data={**valid_report(), "csrf_token": token})
        assert status == 200 and "Kiitos raportistasi" in receipt
        form_number = re.search(r'id="report-number">([^<]+)<', receipt).group(1)
        form_code = re.search(r'id="tracking-code">([^<]+)<', receipt).group(1)
        status, answer = browser.request("/api/v1/reports", body=api_report())
        assert status == 201
        api_number, api_code = json.loads(answer)["number"], json.loads(answer)["tracking_code"]
        assert browser.request("/report/%6Eew", data={"csrf_token": browser.token("/report/new")})[0] == 400
        assert browser.request("/api/v1/reports/", body={})[0] == 404
        assert browser.request("/api/v1/reports", body={"nature": "x"})[0] == 400
        assert raw(base, f"POST {base}/report/new HTTP/1.1", b"description=x") == 400
        assert raw(base, "POST /track/ HTTP/1.1", b"number=x") in (308, 404)

        # Tracking and answering; the handler's question comes after the day's release.
        token = browser.token("/track")
        status, page = browser.request("/track", data={"csrf_token": token, "number": form_number, "code": form_code})
        assert status == 200 and form_number in page
        assert browser.request("/api/v1/reports/track", body={"number": api_number, "code": api_code})[0] == 200
        assert browser.request("/track", data={"csrf_token": token, "number": form_number, "code": "X"})[0] == 404
        assert browser.request("/api/v1/reports/answer", body={"number": api_number, "code": api_code,
                                                               "text": "Ei kysymystä."})[0] == 409
        released = day_start(datetime.now(timezone.utc)) + timedelta(days=1, minutes=5)
        release_held(released)
        db.session.commit()
        db.session.close()
        ask(form_number, handler_id, released + timedelta(hours=9))
        ask(api_number, handler_id, released + timedelta(hours=9))
        status, page = browser.request("/track/answer", data={"csrf_token": browser.token("/track"),
                                                              "number": form_number, "code": form_code,
                                                              "answer": "Kuopiossa."})
        assert status == 200 and "Vastauksesi on tallennettu" in page
        assert browser.request("/api/v1/reports/answer", body={"number": api_number, "code": api_code,
                                                               "text": "Varkaudessa."})[0] == 200
        finished = datetime.now(timezone.utc)
        time.sleep(1.1)
        assert browser.request("/guidance")[0] == 200, "a request of no reporter's, logged as usual"
        time.sleep(0.5)
        keys = {key: (store.ttl(key), store.type(key), store.dump(key)) for key in store.keys()}
        checked_at = time.time()
    log = log_path.read_text(errors="replace")

    # The log: it logged the login and the guidance page, and nothing of the reporter at all.
    assert "/guidance" in log and "/login" in log, log
    for forbidden in ("/report", "/track", "/api/v1/reports", "%6E", "Kuopiossa", form_number, api_number):
        assert forbidden not in log, f"{kind} logged {forbidden}:\n{log}"
    window = [moment for moment in moments_in(log) if started <= moment <= finished]
    assert not window, f"{kind} logged a line during the reporter's requests: {window}\n{log}"
    assert "127.0.0.1 -" not in log and "SoRaTestBrowser" not in log

    # The database: no moment of those requests, and nothing that links the reports to the login.
    for table, row in dump_database():
        for value in row:
            if isinstance(value, datetime):
                moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
                assert not (began <= moment <= finished + timedelta(seconds=1)), \
                    f"{table} holds {moment}: {row}"
    for number in (form_number, api_number):
        report = db.session.scalar(sa.select(Report).where(Report.number == number))
        assert report.author_id is None and report.is_anonymous
        assert report.created_at == day_start(started)
        assert all(event.actor_id in (None, handler_id) for event in report.events)
        assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.report_number == number)
                                      .where(AuditEntry.actor_id == employee_id)).all()
    assert db.session.scalar(sa.select(RoleAssignment).where(RoleAssignment.user_id == employee_id,
                                                             RoleAssignment.role == Role.EMPLOYEE))

    # Redis: every key of the reporter's limits lives to the end of the day; the login's keys share nothing.
    login_keys = [key for key in keys if b"auth.login" in key]
    assert not [key for key in keys if b"login/account" in key], "a successful login leaves no per-account key"
    hashes = {part for key in login_keys for part in key.split(b"/") if len(part) == 32}
    for key, (ttl, _type, value) in keys.items():
        assert b"127.0.0.1" not in key and email.encode() not in key
        assert form_number.encode() not in key and api_number.encode() not in key
        if key in login_keys:
            continue
        assert not hashes & set(re.split(rb"[/:]", key)), f"{key} shares a hash with the login's key"
        end = datetime.fromtimestamp(checked_at + ttl, timezone.utc)
        midnight = datetime.combine(end.date() + timedelta(days=1 if end.hour else 0), datetime.min.time(),
                                    timezone.utc)
        assert abs((end - midnight).total_seconds()) <= 3, f"{key} expires at {end}, not at the day's end"
