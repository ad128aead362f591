"""Test fixtures: one app per session on a migrated database, emptied after every test.

Runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; every test that
touches the database runs on both in CI.
"""
from __future__ import annotations

import contextvars
import functools
import os
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from helpers import PASSWORD, add_org, add_unit, add_user, sora_test_config
from mailserver import SmtpServer

from app import create_app
from app.extensions import db, limiter
from app.models import OrgNode, User
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
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'sora-test.db'}"


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


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with only the reference data and an empty rate-limit store."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        load_reference_data()
        db.session.commit()
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
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
    """One real hash of PASSWORD, computed once: hashing is slow by design."""
    user = User(email="", name="")
    user.set_password(PASSWORD)
    return user.password_hash or ""


@pytest.fixture
def create_user(app_ctx: Flask, password_hash: str) -> Callable[..., User]:
    """create_user(email, name=..., roles=[(Role, node_or_None)]) -> a committed user with PASSWORD."""
    return functools.partial(add_user, password_hash=password_hash)


@pytest.fixture
def org(app_ctx: Flask, password_hash: str) -> dict[str, Any]:
    """Two units under two service areas of one division, and a person in every role."""
    return add_org(password_hash)
