"""Counting attempts at a secret, a tracking code or a password, where every worker sees them.

Counts live in the rate limiter's storage (memory in development, Redis in production), in
fixed windows that start at the first attempt. An attempt is counted before the secret is
checked, atomically, so parallel attempts cannot slip past a limit; refused attempts do not
lengthen the window. Keys are keyed hashes (`app.extensions.keyed_hash`), never an address
or a name.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask_babel import gettext as _
from limits import parse
from limits.strategies import RateLimiter

from app.extensions import limiter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    """Seconds until the window has passed (for Retry-After), when refused."""


def counter() -> RateLimiter | None:
    """The limiter's counts, or None when an app switches limits off (RATELIMIT_ENABLED, set only in code)."""
    return limiter.limiter if limiter.enabled else None


def admit(limit: str, *keys: str) -> Verdict:
    """Count this attempt against the limit of `keys` and say whether it may go ahead."""
    counts, item = counter(), parse(limit)
    if counts is None or counts.hit(item, *keys):
        return Verdict(True)
    reset_at, _remaining = counts.get_window_stats(item, *keys)
    return Verdict(False, max(1, int(reset_at - time.time()) + 1))


def _hold_key(keys: tuple[str, ...]) -> str:
    return "/".join(("LIMITER", "hold", *keys))


def hold(seconds: float, *keys: str) -> None:
    """Refuse every attempt of `keys` for the next `seconds` (rounded up to whole seconds): a wait that
    holds no worker, as the answer is given at once and the client is told when to come back."""
    if (counts := counter()) is None or seconds <= 0:
        return
    key = _hold_key(keys)
    counts.storage.clear(key)
    counts.storage.incr(key, math.ceil(seconds))


def held(*keys: str) -> Verdict:
    """Whether `keys` are on hold (see hold()), with the seconds left."""
    if (counts := counter()) is None:
        return Verdict(True)
    key = _hold_key(keys)
    if counts.storage.get(key) <= 0:
        return Verdict(True)
    return Verdict(False, max(1, math.ceil(counts.storage.get_expiry(key) - time.time())))


def refund(limit: str, *keys: str) -> None:
    """Take back one attempt counted by admit(), leaving every other attempt in the count."""
    item = parse(limit)
    if (counts := counter()) is None:
        return
    _reset, remaining = counts.get_window_stats(item, *keys)
    if remaining < item.amount:  # a window that ended meanwhile has nothing to take back
        counts.hit(item, *keys, cost=-1)


def refusal_message(verdict: Verdict) -> str:
    """The same words for every refusal: they say when to try again, nothing about the secret."""
    if verdict.retry_after < 60:
        return _("Liian monta yritystä. Yritä uudelleen %(seconds)d sekunnin kuluttua.", seconds=verdict.retry_after)
    return _("Liian monta yritystä. Yritä uudelleen %(minutes)d minuutin kuluttua.",
             minutes=-(-verdict.retry_after // 60))
