"""Slows down and then refuses repeated wrong tracking attempts, per client and per report number.

Counts only failures, in the rate limiter's storage (memory in development, Redis in
production); clients are keyed by a keyed hash of their address, never the address itself.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from limits import parse

from app.extensions import client_key, limiter
from app.workflow.numbering import format_number, parse_number

NAMESPACE = "tracking-failures"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def _items() -> list[tuple[object, str]]:
    config = current_app.config
    return [
        (parse(config["TRACKING_FAILURE_LIMIT"]), "client"),
        (parse(config["TRACKING_NUMBER_FAILURE_LIMIT"]), "number"),
    ]


def _canonical(number: str) -> str:
    """One key per report however the number is typed (case, spaces, leading zeros)."""
    prefix = current_app.config["REPORT_NUMBER_PREFIX"]
    parsed = parse_number(number, prefix)
    return format_number(prefix, *parsed) if parsed else (number or "").strip().upper()[:40]


def _identifiers(kind: str, number: str) -> tuple[str, ...]:
    return (NAMESPACE, kind, client_key() if kind == "client" else _canonical(number))


def check(number: str) -> Verdict:
    """Whether another attempt may be made now."""
    for item, kind in _items():
        if not limiter.limiter.test(item, *_identifiers(kind, number)):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *_identifiers(kind, number))
            return Verdict(False, max(1, int(reset_at - time.time())))
    return Verdict(True)


def record_failure(number: str) -> None:
    """Count a failed attempt and hold the response back longer with each failure past the free ones."""
    failures = 0
    for item, kind in _items():
        limiter.limiter.hit(item, *_identifiers(kind, number))
        _reset, remaining = limiter.limiter.get_window_stats(item, *_identifiers(kind, number))
        failures = max(failures, item.amount - remaining)
    config = current_app.config
    excess = failures - config["TRACKING_FREE_FAILURES"]
    if excess > 0:
        time.sleep(min(excess * config["TRACKING_DELAY_STEP_SECONDS"], config["TRACKING_DELAY_MAX_SECONDS"]))
