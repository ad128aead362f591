"""Slows down and then refuses repeated tracking attempts.

Every attempt from a client is counted before the lookup, atomically, so parallel guesses
cannot slip past the limit. Failures, per client and per report number, put the failing
client on hold for longer with each one: until the hold ends its attempts are refused at once
with "try again in N s" (and Retry-After), unchecked. No request waits, so guessers hold no
worker and other pages stay fast. The per-number count lengthens only the guessers' holds and
never refuses the right code from anyone else, so nobody can lock a reporter out of their own report. Slowing is enough there,
as a tracking code is far too long to guess at any pace; passwords are not (`app.workflow.auth.login_guard`).
Counting and keys are the machinery shared in `app.workflow.auth.guard`.
"""
from __future__ import annotations

from flask import current_app

from app.extensions import client_key
from app.workflow.auth import guard
from app.workflow.reports.numbering import format_number, parse_number

NAMESPACE = "tracking"


def _canonical(number: str) -> str:
    """One key per report however the number is typed (case, spaces, leading zeros)."""
    prefix = current_app.config["REPORT_NUMBER_PREFIX"]
    parsed = parse_number(number, prefix)
    return format_number(prefix, *parsed) if parsed else (number or "").strip().upper()[:40]


def admit() -> guard.Verdict:
    """Count this client's attempt and say whether it may go ahead (not while the client is on hold)."""
    if not (on_hold := guard.held(NAMESPACE, client_key(NAMESPACE))).allowed:
        return on_hold
    return guard.admit_quietly(current_app.config["TRACKING_ATTEMPT_LIMIT"], "tracking-attempts",
                               client_key(NAMESPACE))


def record_failure(number: str) -> None:
    """Count a failed attempt and, past the free ones, put the client on hold longer with each failure.

    The counts are kept quietly (guard.count_quietly: no moment finer than the day); only a hold, which
    takes more failures than a reporter mistyping makes, lives for its own length.
    """
    window = current_app.config["TRACKING_FAILURE_WINDOW"]
    failures = max(guard.count_quietly(window, "tracking-failures", client_key(NAMESPACE))[0],
                   guard.count_quietly(window, "tracking-number", _canonical(number))[0])
    config = current_app.config
    excess = failures - config["TRACKING_FREE_FAILURES"]
    if excess > 0:
        guard.hold(min(excess * config["TRACKING_DELAY_STEP_SECONDS"], config["TRACKING_DELAY_MAX_SECONDS"]),
                   NAMESPACE, client_key(NAMESPACE))
