"""Configuration: defaults here, overridden by instance/config.py, then by SORA_* variables."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "fi",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Helsinki",
    "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    "LANGUAGES": ["fi", "en"],
    "REPORT_NUMBER_PREFIX": "SR",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "FILING_RATE_LIMIT": "300 per hour",
    # Tracking: attempts per client past this limit are refused until the window has passed;
    # failures (per client and per report number) within the window make each answer wait longer.
    "TRACKING_ATTEMPT_LIMIT": "10 per 15 minutes",
    "TRACKING_FAILURE_WINDOW": "1000 per hour",
    "TRACKING_FREE_FAILURES": 3,
    "TRACKING_DELAY_STEP_SECONDS": 0.5,
    "TRACKING_DELAY_MAX_SECONDS": 3.0,
    "FIRST_HANDLING_DAYS": 7,
    "FEEDBACK_DAYS": 90,
    "MAX_DESCRIPTION_LENGTH": 10000,
    "MAX_PROPOSAL_LENGTH": 5000,
    "OTHER_CHANNELS": {
        "shortcoming_notification": "https://www.pshyvinvointialue.fi/epakohtailmoitus",
        "patient_safety": "https://www.pshyvinvointialue.fi/potilas-ja-asiakasturvallisuus",
        "occupational_safety": "https://intra.pshyvinvointialue.fi/tyoturvallisuusilmoitus",
        "data_protection": "https://www.pshyvinvointialue.fi/tietosuoja",
        "indoor_air": "https://intra.pshyvinvointialue.fi/sisailmailmoitus",
    },
    "DEMO_PASSWORD": "sora-demo",
    # Council terms are four years, starting on 1 June of this year and every fourth year after it.
    "COUNCIL_TERM_FIRST_YEAR": 2025,
    # The working group is reminded this many days before each compilation deadline.
    "COMPILATION_REMINDER_DAYS": [30, 7],
    # Rendered PDFs of published compilations are kept here (created when needed).
    "COMPILATION_FILES_DIR": "",
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none).
    "PROXY_HOPS": 0,
}

# SORA_<NAME> environment variables override these keys.
ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "TRACKING_KEY": "TRACKING_KEY",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "REPORT_NUMBER_PREFIX": "REPORT_NUMBER_PREFIX",
    "OTHER_CHANNELS": "OTHER_CHANNELS",
    "LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "FILING_RATE_LIMIT": "FILING_RATE_LIMIT",
    "TRACKING_ATTEMPT_LIMIT": "TRACKING_ATTEMPT_LIMIT",
    "PROXY_HOPS": "PROXY_HOPS",
    "FIRST_HANDLING_DAYS": "FIRST_HANDLING_DAYS",
    "FEEDBACK_DAYS": "FEEDBACK_DAYS",
    "COUNCIL_TERM_FIRST_YEAR": "COUNCIL_TERM_FIRST_YEAR",
    "COMPILATION_REMINDER_DAYS": "COMPILATION_REMINDER_DAYS",
    "COMPILATION_FILES_DIR": "COMPILATION_FILES_DIR",
}


# Variables whose values are JSON (booleans, numbers, objects); all others are taken as text.
JSON_KEYS = {"SESSION_COOKIE_SECURE", "OTHER_CHANNELS", "FIRST_HANDLING_DAYS", "FEEDBACK_DAYS", "PROXY_HOPS",
             "COUNCIL_TERM_FIRST_YEAR", "COMPILATION_REMINDER_DAYS"}


def _parse(name: str, value: str) -> object:
    if name not in JSON_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError as error:
        raise ValueError(f"SORA_{name} must be JSON (e.g. true, 7 or an object): {error}") from None


def from_environment(environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, object]:
    return {key: _parse(name, environ[f"SORA_{name}"]) for name, key in ENV_KEYS.items() if f"SORA_{name}" in environ}


def development_secret(instance_path: Path) -> str:
    """A per-checkout secret kept in instance/, so a newcomer needs no set-up and nothing is committed."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
