"""Helpers shared by the tests: configuration, the `org` people and units, serving the app, CSRF
tokens, login, a valid report, a filed report and tagged PDFs."""
from __future__ import annotations

import io
import multiprocessing
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, NoReturn

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app.codes import EscalationLevel, Nature, NodeKind, Phenomenon, ReportStatus, Role
from app.extensions import db
from app.models import Forum, Municipality, OrgNode, OutboxMessage, Report, RoleAssignment, User, utcnow

PASSWORD = "correct horse battery staple"

# The people of the `org` fixture, and those of them who may see a report of its unit U-KUO.
ROLES = ["employee", "supervisor", "handler", "social_director", "working_group", "review_body",
         "coordinator", "admin", "other_supervisor", "other_handler"]
VIEWERS = {"supervisor", "handler", "social_director", "working_group"}


def worker_processes() -> Any:
    """Processes that stand for separate web workers: forked from a server that has imported the app once,
    so each costs milliseconds rather than a fresh interpreter's import of Flask, SQLAlchemy and pandas."""
    import pkgutil

    import app.views

    context = multiprocessing.get_context("forkserver")
    views = [module.name for module in pkgutil.iter_modules(app.views.__path__, "app.views.")]
    context.set_forkserver_preload(["app", "app.cli", "app.models", *views, "helpers"])
    return context


def sora_test_config(database_url: str, smtp_port: int = 9) -> dict[str, Any]:
    """Mail goes to an SMTP server on smtp_port that the mail tests start and stop (see smtp_server)."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "TRACKING_KEY": "test-tracking-key",
        "RATELIMIT_STORAGE_URI": "memory://",
        "TRACKING_DELAY_STEP_SECONDS": 0.0,
        "FILING_RATE_LIMIT": "1000 per minute",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_TIMEOUT_SECONDS": 5,
        "BASE_URL": "https://sora.test",
        "COMPILATION_FILES_DIR": tempfile.mkdtemp(prefix="sora-compilations-"),
        "DASHBOARD_CACHE_SECONDS": 0,  # every test counts its own reports
    }


def add_unit(code: str = "U-KUO", *, name: str | None = None, municipality: str = "Kuopio",
             division: str = "Perhe- ja sosiaalipalvelut", area: str = "Aikuissosiaalityö") -> OrgNode:
    """A committed unit under its division and service area, made as needed, in the current app's database."""
    place = db.session.scalar(sa.select(Municipality).where(Municipality.name == municipality))

    def node(node_code: str, node_name: str, kind: NodeKind, parent: OrgNode | None) -> OrgNode:
        existing = db.session.scalar(sa.select(OrgNode).where(OrgNode.code == node_code))
        if existing is not None:
            return existing
        created = OrgNode(code=node_code, name=node_name, kind=kind, parent=parent,
                          municipality=place if kind == NodeKind.UNIT else None)
        db.session.add(created)
        return created

    division_node = node("D-" + division[:20], division, NodeKind.DIVISION, None)
    area_node = node("A-" + area[:20], area, NodeKind.SERVICE_AREA, division_node)
    unit = node(code, name or f"{area}, {municipality}", NodeKind.UNIT, area_node)
    db.session.commit()
    return unit


def add_user(email: str = "tyontekija@test.example", *, password_hash: str, name: str = "Testi Työntekijä",
             roles: list[tuple[Role, OrgNode | None]] | None = None) -> User:
    """A committed user whose password is PASSWORD (password_hash is its hash, computed once per session)."""
    user = User(email=email, name=name, password_hash=password_hash)
    user.roles = [RoleAssignment(role=role, org_node=node) for role, node in (roles or [(Role.EMPLOYEE, None)])]
    db.session.add(user)
    db.session.commit()
    return user


def add_org(password_hash: str) -> dict[str, Any]:
    """Two units under two service areas of one division, and a person in every role (see ROLES)."""
    unit = add_unit("U-KUO", area="Aikuissosiaalityö")
    other_unit = add_unit("U-VAR", municipality="Varkaus", area="Vammaispalvelut")
    area, other_area = unit.parent, other_unit.parent

    def person(email: str, name: str, role: Role, node: OrgNode | None) -> User:
        return add_user(email, password_hash=password_hash, name=name, roles=[(role, node)])

    people = {
        "employee": person("e@t.example", "Eeva Työntekijä", Role.EMPLOYEE, unit),
        "supervisor": person("s@t.example", "Sami Esihenkilö", Role.SUPERVISOR, unit),
        "handler": person("h@t.example", "Hanna Käsittelijä", Role.HANDLER, area),
        "social_director": person("d@t.example", "Sanna Johtaja", Role.SOCIAL_DIRECTOR, None),
        "working_group": person("w@t.example", "Ville Työryhmä", Role.WORKING_GROUP, None),
        "review_body": person("r@t.example", "Riikka Jaosto", Role.REVIEW_BODY, None),
        "coordinator": person("c@t.example", "Kirsi Koordinaattori", Role.WELFARE_COORDINATOR, None),
        "admin": person("a@t.example", "Aki Pääkäyttäjä", Role.ADMIN, None),
        "other_supervisor": person("s2@t.example", "Toinen Esihenkilö", Role.SUPERVISOR, other_unit),
        "other_handler": person("h2@t.example", "Toinen Käsittelijä", Role.HANDLER, other_area),
    }
    forum = Forum(code="RSTR", name="Rakenteellisen sosiaalityön työryhmä", level=EscalationLevel.COUNTY)
    db.session.add(forum)
    db.session.commit()
    return {"unit": unit, "other_unit": other_unit, "area": area, "forum": forum, **people}


def add_report(unit: OrgNode | None = None, *, now: datetime | None = None, author: User | None = None,
               released: bool = True, **fields: Any) -> Report:
    """A report filed through the real operation (file_report); flushed, not committed, as file_report leaves it.

    By default an anonymous report of nature OTHER and phenomenon CLIENT_WORK, described "Kuvaus.", in
    `unit` or else the unit U-KUO (made if missing); any ReportInput field can be given by keyword.
    An anonymous report is released to staff at once, as the day's release would (`released=False`: the
    held filing is returned instead).
    """
    from app.workflow.cases.release import release_filing
    from app.workflow.reports.filing import ReportInput, file_report

    values: dict[str, Any] = {"nature": Nature.OTHER, "phenomenon": Phenomenon.CLIENT_WORK, "description": "Kuvaus."}
    values.update(fields)
    filed = file_report(ReportInput(unit=unit or add_unit(), **values), author=author, now=now)
    if filed.report is not None:
        return filed.report
    if not released:
        return filed.held  # type: ignore[return-value]
    return release_filing(filed.held, now or filed.held.day)  # type: ignore[arg-type,union-attr]


def code_confirmed(report: Report, *codes: str) -> Report:
    """Test data: the report coded with these national phenomena as a handler confirmed them; flushed."""
    import sqlalchemy as sa

    from app.codes import CodingSource
    from app.models import NationalPhenomenon, ReportNationalPhenomenon

    phenomena = db.session.scalars(sa.select(NationalPhenomenon).where(NationalPhenomenon.code.in_(codes))).all()
    assert len(phenomena) == len(codes), codes
    report.national_phenomenon_codings[:] = [
        ReportNationalPhenomenon(phenomenon=p, source=CodingSource.HANDLER, confirmed=True) for p in phenomena]
    db.session.flush()
    return report


def suggested_by_reporter(*codes: str) -> list[Any]:
    """The national phenomena of the codes, for a report's `national_phenomena` (the reporter's unconfirmed pick)."""
    import sqlalchemy as sa

    from app.models import NationalPhenomenon

    return list(db.session.scalars(sa.select(NationalPhenomenon).where(NationalPhenomenon.code.in_(codes))))


def release_all(now: datetime | None = None) -> None:
    """What the day's release job does, for everything held up to now (or `now`); commits, as the job does."""
    from app.workflow.cases.release import release_held

    moment = now or datetime.now(timezone.utc)
    release_held(moment, until=moment + timedelta(days=1))
    db.session.commit()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        pass


@contextmanager
def serve(app: Flask, name: str = "sora-test-server") -> Iterator[str]:
    """The app served by Werkzeug in a background thread; yields its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


_CSRF = re.compile(r'name="(?:lang-)?csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def valid_report(unit_code: str = "U-KUO", **overrides: Any) -> dict[str, Any]:
    """Form data of a complete, valid report."""
    data: dict[str, Any] = {
        "unit": unit_code,
        "profession_group": "social_welfare",
        "nature": "negative",
        "phenomenon": "social_problems",
        "themes": ["housing", "income"],
        "population_group": "working_age",
        "significance": "3",
        "description": "Kohtuuhintaisia vuokra-asuntoja ei ole, ja asiakkaiden vuokrat ylittävät asumistuen rajat.",
        "proposed_actions": "Kunnan asuntopoliittiseen ohjelmaan lisää kohtuuhintaista vuokra-asumista.",
        "available_to_help": "yes",
        "made_by_team": "no",
        "with_client": "no",
        "reporter_name": "",
        "reporter_email": "",
    }
    data.update(overrides)
    return data


def file_via_form(client: FlaskClient, **overrides: Any):  # type: ignore[no-untyped-def]
    data = valid_report(**overrides)
    data["csrf_token"] = csrf_token(client, "/report/new")
    return client.post("/report/new", data=data)


def confirmation_token(address: str) -> str:
    """The token of the one-time link last mailed to a logged-out named reporter at `address`."""
    message = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "reporter_confirmation", OutboxMessage.recipient == address)
        .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"no confirmation link was mailed to {address}"
    return re.search(r"/report/confirm/([\w-]+)", message.body_text).group(1)  # type: ignore[union-attr]


def confirm_by_link(client: FlaskClient, address: str):  # type: ignore[no-untyped-def]
    """Follow the confirmation link mailed to `address` and press its button, as the reporter would."""
    path = f"/report/confirm/{confirmation_token(address)}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 200, response.status_code
    return response


def confirm_reporter(report: Report) -> Report:
    """A logged-out named report confirmed through its mailed link (the operation, not the page); flushed."""
    from app.workflow.reports import confirmation
    from app.workflow.reports.filing import HELSINKI

    confirmed = confirmation.confirm(confirmation_token(report.reporter_email or ""), utcnow().astimezone(HELSINKI).date())
    assert confirmed is report
    return report


def assert_accessible_pdf(data: bytes, title: str) -> None:
    """A tagged PDF (PDF/UA-1): marked content, a structure tree, Finnish as its language and its title shown."""
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "fi"
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot" and tree["/K"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata is not None and (reader.metadata.title or "").startswith(title)
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()


def unavailable(reason: str, required_by: str) -> NoReturn:
    """A service a test needs is missing: a newcomer's run skips the test and says why; a run that sets
    `required_by` (`.ci/run` does) fails instead, so nothing goes untested there unnoticed."""
    if os.environ.get(required_by):
        pytest.fail(f"{required_by} is set but {reason}")
    pytest.skip(reason)


@contextmanager
def empty_redis(number: int) -> Iterator[Any]:
    """Redis database `number` on 127.0.0.1, emptied before and after, for counts shared by processes.

    Redis runs on every machine of this project's kind; where none answers, see `unavailable`.
    """
    import redis

    store = redis.Redis(host="127.0.0.1", port=6379, db=number, socket_connect_timeout=2)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        unavailable("no Redis answers on 127.0.0.1:6379 (redis-server)", "SORA_REQUIRE_REDIS")
    store.flushdb()
    try:
        yield store
    finally:
        store.flushdb()
        store.close()


def api_report(**overrides):  # type: ignore[no-untyped-def]
    body = valid_report(**overrides)
    body.update({"available_to_help": True, "made_by_team": False, "with_client": False, "significance": 3})
    body.update({k: v for k, v in overrides.items() if k in ("available_to_help", "significance")})
    return body


def place(report: Report, status: ReportStatus) -> None:
    """Test set-up: put a report in a status with the columns the workflow gives that status, as the
    report's CHECK constraints require (a forwarded report has its forum, a closed one its closing time...)."""
    with db.session.no_autoflush:
        if status == ReportStatus.FORWARDED and report.forum is None:
            report.forum = db.session.scalar(sa.select(Forum).order_by(Forum.id).limit(1)) or Forum(
                code="test-forum", name="Testifoorumi", level=EscalationLevel.COUNTY)
            report.escalation_level = report.forum.level
        report.status = status
        report.resume_status = ReportStatus.IN_HANDLING if status == ReportStatus.WAITING_FOR_REPORTER else None
        report.closed_at = report.created_at if status in (ReportStatus.RESOLVED, ReportStatus.CLOSED) else None
