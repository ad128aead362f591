"""Configuration: defaults here, overridden by instance/config.py, then by SORA_* variables."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # PostgreSQL: a request gives up connecting after this many seconds and gets the 503 page, never hangs.
    "DATABASE_CONNECT_TIMEOUT_SECONDS": 10,
    # The dashboard's counts read every report; each process reuses them for this many seconds (0: never).
    "DASHBOARD_CACHE_SECONDS": 60,
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
    "LANGUAGES": ["fi", "sv", "en"],
    "REPORT_NUMBER_PREFIX": "SR",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    # Login: LOGIN_RATE_LIMIT counts every attempt from one address; LOGIN_ACCOUNT_LIMIT counts password attempts
    # at one login name (an existing account or not) from any address, and past it refuses even the right password
    # until the window has passed. A successful login gives back its own attempt (see app/workflow/auth/login_guard.py).
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_ACCOUNT_LIMIT": "10 per 15 minutes",
    "FILING_RATE_LIMIT": "300 per hour",
    # The partners' form is open to anyone on the internet: fewer filings per address (spam).
    "PARTNER_FILING_RATE_LIMIT": "10 per hour",
    # The partners' channel (a site setting): off until the county switches it on and names the node
    # (its code) whose handlers take partners' reports; residents may report only if allowed.
    "PARTNER_CHANNEL": False,
    "PARTNER_HANDLING_NODE": "",
    "PARTNER_RESIDENTS": False,
    # Tracking: attempts per client past this limit are refused until the window has passed;
    # failures (per client and per report number) within the window put the client on hold for longer each time
    # (TRACKING_DELAY_STEP_SECONDS more per failure past the free ones, at most TRACKING_DELAY_MAX_SECONDS).
    "TRACKING_ATTEMPT_LIMIT": "10 per 15 minutes",
    # Accounts: how long an invitation and a password-reset link work; how often a reset may be asked
    # from one client address, and for one e-mail address (past that nothing more is sent in the window).
    "INVITATION_DAYS": 7,
    "PASSWORD_RESET_MINUTES": 60,
    "PASSWORD_RESET_RATE_LIMIT": "5 per 15 minutes",
    "PASSWORD_RESET_ACCOUNT_LIMIT": "3 per hour",
    "TRACKING_FAILURE_WINDOW": "1000 per hour",
    "TRACKING_FREE_FAILURES": 3,
    "TRACKING_DELAY_STEP_SECONDS": 0.5,
    "TRACKING_DELAY_MAX_SECONDS": 3.0,
    # Statistics API: wrong or missing tokens per client; past the limit every request is refused until the window ends.
    "API_TOKEN_FAILURE_LIMIT": "20 per 15 minutes",
    "FIRST_HANDLING_DAYS": 7,
    "FEEDBACK_DAYS": 90,
    # An open report with no step for this many days is stalled; a question unanswered for QUESTION_WAIT_DAYS
    # lets the handler go on without the answer, and the report counts as stalled until they do.
    "STALLED_DAYS": 30,
    "QUESTION_WAIT_DAYS": 14,
    # Handlers are warned at these percentages of each deadline's time; overdue goes to the social director.
    "REMINDER_PERCENTS": [60, 80],
    # How often each handler gets a digest of their pending reports: daily, weekly, monthly or off.
    "DIGEST_RHYTHM": "monthly",
    # Links in e-mail point here.
    "BASE_URL": "http://127.0.0.1:5000",
    # An organisation file with more changes than this is applied by the scheduler, outside the request.
    "ORG_IMPORT_INLINE_CHANGES": 200,
    # A named reporter's confirmation link works until the end of this many days after filing.
    "REPORTER_CONFIRMATION_DAYS": 7,
    # Mail: with no MAIL_SERVER, messages are written as .eml files into instance/mail/ (development).
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "SoRa <sora@localhost>",  # set SORA_MAIL_DEFAULT_SENDER to the county's address
    "MAIL_TIMEOUT_SECONDS": 20,
    "MAIL_SUPPRESS_SEND": False,
    # Failed deliveries are retried with doubling waits up to this, and given up after OUTBOX_GIVE_UP_HOURS.
    "OUTBOX_MAX_BACKOFF_MINUTES": 60,
    "OUTBOX_GIVE_UP_HOURS": 168,
    # Sent mail is deleted after this many days (the retention job).
    "OUTBOX_KEEP_SENT_DAYS": 30,
    # Closed reports included in a published compilation are deleted this many years after closing.
    "RETENTION_YEARS": 5,
    # The county's own guidance shown on the guidance page and above the form (plain text; empty: none).
    "GUIDANCE_NOTE_FI": "",
    "GUIDANCE_NOTE_EN": "",
    # Published figures show a municipality's or unit's count below this as "<5" (app.workflow.compilations.disclosure).
    "DISCLOSURE_THRESHOLD": 5,
    "MAX_DESCRIPTION_LENGTH": 10000,
    "MAX_PROPOSAL_LENGTH": 5000,
    # The county's own channels for the other notifications (its pages; set on the settings page).
    "OTHER_CHANNELS": {},
    "DEMO_PASSWORD": "sora-demo",
    # Council terms are four years, starting on 1 June of this year and every fourth year after it.
    "COUNCIL_TERM_FIRST_YEAR": 2025,
    # The working group is reminded this many days before each compilation deadline.
    "COMPILATION_REMINDER_DAYS": [30, 7],
    # Rendered PDFs of published compilations are kept here (created when needed).
    "COMPILATION_FILES_DIR": "",
    # The county: set up with `flask --app app setup-county <code or name>` (stored as site settings);
    # these are only the fallbacks before that. COUNTY_CODE is Statistics Finland's county code.
    "COUNTY_CODE": "",
    "COUNTY_NAME": "",
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none).
    "PROXY_HOPS": 0,
    # Single sign-on (OpenID Connect) is on when OIDC_ISSUER is set; see the README.
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_SCOPES": "openid email profile",
    "OIDC_BUTTON_LABEL": "",
    "OIDC_REQUIRE_VERIFIED_EMAIL": True,
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
    "LOGIN_ACCOUNT_LIMIT": "LOGIN_ACCOUNT_LIMIT",
    "FILING_RATE_LIMIT": "FILING_RATE_LIMIT",
    "PARTNER_FILING_RATE_LIMIT": "PARTNER_FILING_RATE_LIMIT",
    "TRACKING_ATTEMPT_LIMIT": "TRACKING_ATTEMPT_LIMIT",
    "INVITATION_DAYS": "INVITATION_DAYS",
    "PASSWORD_RESET_MINUTES": "PASSWORD_RESET_MINUTES",
    "PASSWORD_RESET_RATE_LIMIT": "PASSWORD_RESET_RATE_LIMIT",
    "PASSWORD_RESET_ACCOUNT_LIMIT": "PASSWORD_RESET_ACCOUNT_LIMIT",
    "API_TOKEN_FAILURE_LIMIT": "API_TOKEN_FAILURE_LIMIT",
    "ORG_IMPORT_INLINE_CHANGES": "ORG_IMPORT_INLINE_CHANGES",
    "REPORTER_CONFIRMATION_DAYS": "REPORTER_CONFIRMATION_DAYS",
    "PROXY_HOPS": "PROXY_HOPS",
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "DATABASE_CONNECT_TIMEOUT_SECONDS",
    "DASHBOARD_CACHE_SECONDS": "DASHBOARD_CACHE_SECONDS",
    "FIRST_HANDLING_DAYS": "FIRST_HANDLING_DAYS",
    "FEEDBACK_DAYS": "FEEDBACK_DAYS",
    "STALLED_DAYS": "STALLED_DAYS",
    "QUESTION_WAIT_DAYS": "QUESTION_WAIT_DAYS",
    "REMINDER_PERCENTS": "REMINDER_PERCENTS",
    "DIGEST_RHYTHM": "DIGEST_RHYTHM",
    "BASE_URL": "BASE_URL",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USE_SSL": "MAIL_USE_SSL",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
    "OUTBOX_MAX_BACKOFF_MINUTES": "OUTBOX_MAX_BACKOFF_MINUTES",
    "OUTBOX_GIVE_UP_HOURS": "OUTBOX_GIVE_UP_HOURS",
    "OUTBOX_KEEP_SENT_DAYS": "OUTBOX_KEEP_SENT_DAYS",
    "RETENTION_YEARS": "RETENTION_YEARS",
    "DISCLOSURE_THRESHOLD": "DISCLOSURE_THRESHOLD",
    "COUNCIL_TERM_FIRST_YEAR": "COUNCIL_TERM_FIRST_YEAR",
    "COMPILATION_REMINDER_DAYS": "COMPILATION_REMINDER_DAYS",
    "COMPILATION_FILES_DIR": "COMPILATION_FILES_DIR",
    "OIDC_ISSUER": "OIDC_ISSUER",
    "OIDC_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES": "OIDC_SCOPES",
    "OIDC_BUTTON_LABEL": "OIDC_BUTTON_LABEL",
    "OIDC_REQUIRE_VERIFIED_EMAIL": "OIDC_REQUIRE_VERIFIED_EMAIL",
    "COUNTY_CODE": "COUNTY_CODE",
    "COUNTY_NAME": "COUNTY_NAME",
}


# Variables whose values are JSON (booleans, numbers, objects); all others are taken as text.
JSON_KEYS = {"SESSION_COOKIE_SECURE", "OTHER_CHANNELS", "INVITATION_DAYS", "PASSWORD_RESET_MINUTES", "FIRST_HANDLING_DAYS",
             "FEEDBACK_DAYS", "STALLED_DAYS", "QUESTION_WAIT_DAYS", "PROXY_HOPS", "ORG_IMPORT_INLINE_CHANGES",
             "REPORTER_CONFIRMATION_DAYS",
             "DATABASE_CONNECT_TIMEOUT_SECONDS", "DASHBOARD_CACHE_SECONDS",
             "REMINDER_PERCENTS", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "OUTBOX_MAX_BACKOFF_MINUTES",
             "OUTBOX_GIVE_UP_HOURS", "OUTBOX_KEEP_SENT_DAYS", "RETENTION_YEARS", "COUNCIL_TERM_FIRST_YEAR",
             "COMPILATION_REMINDER_DAYS", "OIDC_REQUIRE_VERIFIED_EMAIL"}


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
