"""Helpers shared by the tests: configuration, CSRF tokens, login, a valid report and tagged PDFs."""
from __future__ import annotations

import io
import re
import tempfile
from typing import Any

from flask.testing import FlaskClient
from pypdf import PdfReader

PASSWORD = "correct horse battery staple"

# The people of the `org` fixture, and those of them who may see a report of its unit U-KUO.
ROLES = ["employee", "supervisor", "handler", "social_director", "working_group", "review_body",
         "coordinator", "admin", "other_supervisor", "other_handler"]
VIEWERS = {"supervisor", "handler", "social_director", "working_group"}


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
