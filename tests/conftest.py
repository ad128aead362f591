"""Test fixtures: one app per session on a migrated database with the reference data, undone after every test.

Runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; every test that
touches the database runs on both in CI.
"""
from __future__ import annotations

import atexit
import contextvars
import functools
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from helpers import PASSWORD, add_org, add_report, add_unit, add_user, sora_test_config
from mailserver import SmtpServer
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db, limiter
from app.models import AuditEntry, OrgNode, Report, User
from app.workflow.admin.county import setup_county

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres_only need PostgreSQL itself (its connections, its locks); SQLite runs skip them."""
    if (TEST_DATABASE_URL or "").startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


class SoraClient(FlaskClient):
    """Runs every request as a browser would meet the server: in a fresh app context.

    Without this a test's own app context is reused by the request, sharing `g` (and with it
    the CSRF token and the logged-in user) between requests. The test's session is committed
    first so the request sees what the test set up and SQLite's write lock is free.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{sqlite_folder(tmp_path_factory) / 'sora-test.db'}"


def sqlite_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the SQLite test database lives: in memory-backed /dev/shm where there is one.

    The database is still a file that every connection, thread and subprocess opens in WAL mode as
    before; only the fsync of each commit, which the tests never look at, costs nothing there.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="sora-test-db-", dir=shm))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder
    return tmp_path_factory.mktemp("db")


def reset_schema(app: Flask) -> None:
    """Drop everything and build the schema through the Alembic migrations."""
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            else:
                db.metadata.drop_all(connection)
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()


@pytest.fixture(scope="session")
def smtp_port() -> int:
    """A free local port for the test SMTP server; nothing listens there until a test starts one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[SmtpServer]:
    """A real SMTP server in the test process; stop() and start() it to take mail down and back."""
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app(database_url: str, smtp_port: int) -> Iterator[Flask]:
    app = create_app(sora_test_config(database_url, smtp_port))
    app.test_client_class = SoraClient
    reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class DatabaseState:
    """The reference data, loaded once per session, and the cheap undoing of each test.

    After a test the database itself is examined, not what this process's session saw: requests,
    threads, a second app behind a proxy and subprocesses all write to it too. Tables other than the
    reference tables are emptied when they hold rows (PostgreSQL: one TRUNCATE ... RESTART IDENTITY
    CASCADE; SQLite: DELETE, and sqlite_sequence reset where it exists). Each reference table is read
    whole and compared with the rows it had after the load; a table a test changed is put back row by
    row (extra rows deleted, changed rows updated, missing rows inserted with their old keys).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        with app.app_context():
            engine = db.engine
            self.postgresql = engine.dialect.name == "postgresql"
            self.tables = list(db.metadata.sorted_tables)
            with engine.begin() as connection:  # whatever the migrations seeded goes, as before every test
                for table in reversed(self.tables):
                    connection.execute(table.delete())
            setup_county("13")  # the tests' county: Pohjois-Savo, as in the demo
            db.session.execute(sa.delete(AuditEntry))  # the setup's own entry is no reference data
            db.session.commit()
            db.session.remove()
            with engine.connect() as connection:
                self.reference = [t for t in self.tables if connection.execute(sa.select(t).limit(1)).first()]
                self.snapshot = {t.name: self._rows(connection, t) for t in self.reference}
                self.sqlite_sequence = not self.postgresql and connection.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first() is not None
        names = {t.name for t in self.reference}
        # Reference rows refer to nothing but reference rows, so emptying the others never reaches them.
        for table in self.reference:
            assert {fk.column.table.name for fk in table.foreign_keys} <= names, table.name
        self.others = [t for t in self.tables if t.name not in names]
        quote = engine.dialect.identifier_preparer.quote
        self._written = sa.text(" UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {quote(t.name)})" for t in self.others))
        self._quote = quote

    @staticmethod
    def _key(table: sa.Table, row: sa.Row[Any]) -> tuple[Any, ...]:
        return tuple(row._mapping[c.name] for c in table.primary_key.columns)

    @staticmethod
    def _rows(connection: sa.Connection, table: sa.Table) -> list[sa.Row[Any]]:
        return list(connection.execute(sa.select(table).order_by(*table.primary_key.columns)))

    def undo(self) -> None:
        """Back to the reference data alone, whoever wrote what."""
        with db.engine.begin() as connection:
            if self.postgresql:
                connection.exec_driver_sql("SET LOCAL lock_timeout = '20s'")  # fail, never hang, on a stray lock
            written = set(connection.execute(self._written).scalars())
            if written:
                if self.postgresql:
                    names = ", ".join(self._quote(t.name) for t in self.others if t.name in written)
                    connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                else:
                    for table in reversed(self.others):
                        if table.name in written:
                            connection.execute(table.delete())
                    if self.sqlite_sequence:
                        connection.execute(sa.text("DELETE FROM sqlite_sequence WHERE name IN :names")
                                           .bindparams(sa.bindparam("names", expanding=True)),
                                           {"names": sorted(written)})
            changed = {}
            for table in self.reference:
                rows = self._rows(connection, table)
                if rows != self.snapshot[table.name]:
                    changed[table] = rows
            if changed:
                self._restore(connection, changed)

    def _restore(self, connection: sa.Connection, changed: dict[sa.Table, list[sa.Row[Any]]]) -> None:
        plans = []
        for table in self.reference:
            if table not in changed:
                continue
            now = {self._key(table, r): r for r in changed[table]}
            then = {self._key(table, r): r for r in self.snapshot[table.name]}
            plans.append((table, [k for k in now if k not in then],
                          [then[k] for k in then if k in now and now[k] != then[k]],
                          [then[k] for k in then if k not in now]))
        for table, extra, _, _ in reversed(plans):
            for key in extra:
                connection.execute(table.delete().where(*(c == v for c, v in zip(table.primary_key.columns, key))))
        for table, _, edited, missing in plans:
            for row in edited:
                key = self._key(table, row)
                connection.execute(table.update().where(*(c == v for c, v in zip(table.primary_key.columns, key)))
                                   .values(**row._mapping))
            if missing:
                connection.execute(table.insert(), [dict(r._mapping) for r in missing])
            if self.postgresql and [c.name for c in table.primary_key.columns] == ["id"]:
                # Rows put back keep their ids; a table a migration test rebuilt has a new sequence behind them.
                name = self._quote(table.name)
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")


@pytest.fixture(scope="session")
def database_state(app: Flask) -> DatabaseState:
    return DatabaseState(app)


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with only the reference data and an empty rate-limit store."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    state: DatabaseState = request.getfixturevalue("database_state")
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()
        state.undo()
        limiter.reset()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def create_unit(app_ctx: Flask) -> Callable[..., OrgNode]:
    """create_unit(code, municipality="Kuopio", division="Perhe- ja sosiaalipalvelut", area=...) -> unit."""
    return add_unit


@pytest.fixture
def unit(create_unit: Callable[..., OrgNode]) -> OrgNode:
    return create_unit()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real scrypt hash of PASSWORD for the test people, with a small work factor.

    Every login checks it, and at the production cost (User.set_password: scrypt N=32768) a check
    takes a fifth of a second. check_password_hash reads the cost from the hash itself, so logins go
    through the same code; the production cost is tested on User.set_password (test_security).
    """
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


@pytest.fixture
def create_user(app_ctx: Flask, password_hash: str) -> Callable[..., User]:
    """create_user(email, name=..., roles=[(Role, node_or_None)]) -> a committed user with PASSWORD."""
    return functools.partial(add_user, password_hash=password_hash)


@pytest.fixture
def create_report(app_ctx: Flask) -> Callable[..., Report]:
    """create_report(unit=None, *, now=None, author=None, **ReportInput fields) -> a report filed by file_report.

    Defaults: nature OTHER, phenomenon CLIENT_WORK, description "Kuvaus.", anonymous, in U-KUO; flushed, not
    committed (see helpers.add_report).
    """
    return add_report


@pytest.fixture
def org(app_ctx: Flask, password_hash: str) -> dict[str, Any]:
    """Two units under two service areas of one division, and a person in every role."""
    return add_org(password_hash)
