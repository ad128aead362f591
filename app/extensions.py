"""Flask extensions, created unbound here and initialised in create_app()."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from typing import Any

from flask import current_app, has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Connection, Engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()


def keyed_hash(text: str, purpose: str) -> str:
    """A limiter key that does not give away what it counts (an address, a login name), nor link it to other limits.

    The key of the hash is derived from the app's secret, the limit's purpose and the day (UTC), so the
    same address has unrelated keys under the login limit and the filing limit, and today's keys are
    unrelated to yesterday's. Someone who reads only Redis can link nothing; the secret never goes there.
    """
    day = datetime.now(timezone.utc).date().isoformat()
    secret = hmac.new(current_app.config["SECRET_KEY"].encode(), f"limiter:{purpose}:{day}".encode(),
                      hashlib.sha256).digest()
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:32]


def client_key(purpose: str | None = None) -> str:
    """Rate-limit key: a keyed hash of the client address for one limit (by default the route's), never the address."""
    return keyed_hash(request.remote_addr or "unknown", purpose or request.endpoint or "-")


limiter = Limiter(key_func=client_key)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("language") if has_request_context() else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def configure_sqlite(engine: Engine) -> None:
    """SQLite: wait for locks, enforce foreign keys, and take the write lock at BEGIN.

    pysqlite starts transactions lazily and upgrades read locks to write locks mid-transaction,
    which fails at once under concurrent filings; BEGIN IMMEDIATE serialises writers instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
