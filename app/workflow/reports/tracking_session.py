"""Keeping a tracking look-up open across requests without the code in a URL, a log or the cookie.

After the reporter gives number and code, the tracking page is answered by a redirect (a reload
then sends nothing again) to a page that finds the report from the session. The session cookie is
signed but readable, so it holds no tracking code: only the number, an expiry time and a keyed
hash over the report's stored code hash, which opens the report until it expires and can be
neither turned back into the code nor made without the server's key.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, session

from app.models import Report
from app.workflow.reports.lookup import by_number, tracked

SESSION_KEY = "tracking"
KEEP_SECONDS = 30 * 60
"""A page left open on a shared computer closes itself after half an hour without a visit."""


def _proof(number: str, tracking_hash: str, until: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{number}:{tracking_hash}:{until}".encode(), hashlib.sha256).hexdigest()


def remember(report: Report) -> None:
    """Open the report for this browser for a while; a new look-up replaces the one before.

    Kept by number, which a held filing keeps when the day's release makes it a report."""
    until = int(time.time()) + KEEP_SECONDS
    session[SESSION_KEY] = {"number": report.number, "until": until,
                            "proof": _proof(report.number, report.tracking_hash, until)}


def recalled() -> Report | None:
    """The report this browser opened, while it is open; each visit keeps it open for another while."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or not isinstance(kept.get("until"), int) or kept["until"] < time.time():
        forget()
        return None
    found = by_number(str(kept.get("number", "")))
    if found is None or not hmac.compare_digest(str(kept.get("proof", "")),
                                                _proof(found.number, found.tracking_hash, kept["until"])):
        forget()
        return None
    report = tracked(found)
    remember(report)
    return report


def forget() -> None:
    session.pop(SESSION_KEY, None)
