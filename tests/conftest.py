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
from app.models import OrgNode, Report, User
from app.reference import load_reference_data

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
        self._saved: dict[str, tuple[Any, dict[str, Any], Any]] = {}
        with app.app_context():
            engine = db.engine
            self.postgresql = engine.dialect.name == "postgresql"
            self.tables = list(db.metadata.sorted_tables)
            with engine.begin() as connection:  # whatever the migrations seeded goes, as before every test
                for table in reversed(self.tables):
                    connection.execute(table.delete())
            load_reference_data()
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

    def replay(self, name: str, build: Callable[[], Any]) -> Any:
        """What `build` writes, built in the first test that asks for it and inserted again in later ones.

        For a fixture that costs seconds (publishing compilations renders their content) and writes the
        same rows every time. The rows `build` added or changed are kept with the keys of the rows that
        were there before it; a later test whose database holds exactly those keys gets the rows put
        back and `build`'s result with its model objects read again. Any other state builds afresh.
        """
        with db.engine.connect() as connection:
            before = self._keys(connection)
        saved = self._saved.get(name)
        if saved is not None and saved[0] == before:
            _, rows, handles = saved
            with db.engine.begin() as connection:
                for table in self.tables:
                    added, _ = rows.get(table.name, ([], []))
                    if added:
                        connection.execute(table.insert(), added)
                        self._after_inserting(connection, table)
                for table in self.tables:
                    for row in rows.get(table.name, ([], []))[1]:
                        connection.execute(table.update().where(
                            *(c == row[c.name] for c in table.primary_key.columns)).values(**row))
            db.session.expire_all()
            return _read_again(handles)
        db.session.commit()
        with db.engine.connect() as connection:
            then = {t.name: {self._key(t, r): r for r in self._rows(connection, t)} for t in self.tables}
        result = build()
        db.session.commit()
        with db.engine.connect() as connection:
            rows = {}
            for table in self.tables:
                now = {self._key(table, r): r for r in self._rows(connection, table)}
                old = then[table.name]
                added = [dict(r._mapping) for k, r in now.items() if k not in old]
                changed = [dict(r._mapping) for k, r in now.items() if k in old and old[k] != r]
                if set(old) - set(now):
                    return result  # build deleted rows: not replayable, so build every time
                if added or changed:
                    rows[table.name] = (added, changed)
        handles = _handles(result)
        if handles is not None:
            self._saved[name] = (before, rows, handles)
        return result

    def _keys(self, connection: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
        return {t.name: [tuple(r) for r in connection.execute(sa.select(*t.primary_key.columns)
                                                               .order_by(*t.primary_key.columns))]
                for t in self.tables}

    def _after_inserting(self, connection: sa.Connection, table: sa.Table) -> None:
        """Rows inserted with their keys: PostgreSQL's sequence must go past them."""
        if self.postgresql and [c.name for c in table.primary_key.columns] == ["id"]:
            name = self._quote(table.name)
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")

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
            # Rows put back keep their ids; a table a migration test rebuilt has a new sequence behind them.
            self._after_inserting(connection, table)


def _handles(value: Any) -> Any:
    """`value` with each model object replaced by its class and primary key; None if something else can't be kept."""
    if isinstance(value, db.Model):
        identity = sa.inspect(value).identity
        return None if identity is None else ("model", type(value), identity)
    if isinstance(value, dict):
        kept = {k: _handles(v) for k, v in value.items()}
        return None if None in kept.values() else ("dict", kept)
    if isinstance(value, (list, tuple)):
        kept_items = [_handles(v) for v in value]
        return None if None in kept_items else (type(value).__name__, kept_items)
    if isinstance(value, (str, int, float, bool, type(None))):
        return ("value", value)
    return None


def _read_again(handle: Any) -> Any:
    kind, *rest = handle
    if kind == "model":
        return db.session.get(rest[0], rest[1])
    if kind == "dict":
        return {k: _read_again(v) for k, v in rest[0].items()}
    if kind in ("list", "tuple"):
        items = [_read_again(v) for v in rest[0]]
        return items if kind == "list" else tuple(items)
    return rest[0]


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
