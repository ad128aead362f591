"""Counting attempts at a secret, a tracking code or a password, where every worker sees them.

Counts live in the rate limiter's storage (memory in development, Redis in production), in
fixed windows that start at the first attempt. An attempt is counted before the secret is
checked, atomically, so parallel attempts cannot slip past a limit; refused attempts do not
lengthen the window. Keys are keyed hashes (`app.extensions.keyed_hash`), never an address
or a name, with a key of their own per limit and per day.

The reporter's own requests (filing, tracking, answering) are counted `quietly`: in windows on
the clock's grid, under a key that hashes the window in with the client, stored until the end of
the day (UTC). A key's time to live, then, tells only the day, where a window that starts at the
first attempt would keep that attempt's second in Redis.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from limits import parse
from limits.strategies import RateLimiter

from app.extensions import keyed_hash, limiter


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


def _hold_key(keys: tuple[str, ...]) -> tuple[str, int]:
    """The hold's key and the pad its value is hidden under, both keyed by the day's limiter secret."""
    joined = "|".join(keys)
    return f"sora/hold/{keyed_hash(joined, 'hold')}", int(keyed_hash(joined, "hold-pad")[:12], 16)


def hold(seconds: float, *keys: str) -> None:
    """Refuse every attempt of `keys` for the next `seconds`: a wait that holds no worker, as the answer is
    given at once and the client is told when to come back.

    Redis learns no moment from it: the key lives to the end of the day (UTC), and its value, the hold's
    end in milliseconds, is hidden under a pad only the app can derive.
    """
    if (counts := counter()) is None or seconds <= 0:
        return
    key, pad = _hold_key(keys)
    now = time.time()
    counts.storage.clear(key)
    counts.storage.incr(key, _until_end_of_day(now), amount=int((now + seconds) * 1000) ^ pad)


def held(*keys: str) -> Verdict:
    """Whether `keys` are on hold (see hold()), with the seconds left."""
    if (counts := counter()) is None:
        return Verdict(True)
    key, pad = _hold_key(keys)
    stored = counts.storage.get(key)
    if stored <= 0:
        return Verdict(True)
    left = ((stored ^ pad) - time.time() * 1000) / 1000
    return Verdict(True) if left <= 0 else Verdict(False, max(1, math.ceil(left)))


def refund(limit: str, *keys: str) -> None:
    """Take back one attempt counted by admit(), leaving every other attempt in the count.

    A count that is back to nothing is deleted: it has no purpose left, and its time to live would
    tell when the attempt was made.
    """
    item = parse(limit)
    if (counts := counter()) is None:
        return
    _reset, remaining = counts.get_window_stats(item, *keys)
    if remaining < item.amount:  # a window that ended meanwhile has nothing to take back
        counts.hit(item, *keys, cost=-1)
    if counts.get_window_stats(item, *keys)[1] >= item.amount:
        counts.clear(item, *keys)


def _until_end_of_day(now: float) -> int:
    moment = datetime.fromtimestamp(now, timezone.utc)
    midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), timezone.utc)
    return max(1, int(midnight.timestamp() - now) + 1)


def count_quietly(limit: str, purpose: str, client: str, cost: int = 1) -> tuple[int, int]:
    """Count an attempt of the reporter's in the clock-grid window of `limit`: (count, seconds to the window's end).

    The key hides the client and the window behind a keyed hash of this purpose and day, and lives
    until the end of the day, so Redis holds no moment finer than the day.
    """
    item = parse(limit)
    window = item.get_expiry()
    now = time.time()
    slot = int(now // window)
    if (counts := counter()) is None:
        return 0, 0
    key = f"sora/{purpose}/{keyed_hash(f'{client}|{slot}', purpose)}"
    storage = counts.storage
    count = storage.incr(key, _until_end_of_day(now), amount=cost) if cost else storage.get(key)
    return count, max(1, int((slot + 1) * window - now) + 1)


def admit_quietly(limit: str, purpose: str, client: str) -> Verdict:
    """admit() for the reporter's own requests: counted as count_quietly() counts."""
    count, retry_after = count_quietly(limit, purpose, client)
    if count <= parse(limit).amount:
        return Verdict(True)
    return Verdict(False, retry_after)


def refusal_message(verdict: Verdict) -> str:
    """The same words for every refusal: they say when to try again, nothing about the secret."""
    if verdict.retry_after < 60:
        return _("Liian monta yritystä. Yritä uudelleen %(seconds)d sekunnin kuluttua.", seconds=verdict.retry_after)
    return _("Liian monta yritystä. Yritä uudelleen %(minutes)d minuutin kuluttua.",
             minutes=-(-verdict.retry_after // 60))


def admit_filing(purpose: str = "filing", setting: str = "FILING_RATE_LIMIT") -> Verdict:
    """The per-address limit of a filing form (the staff form's FILING_RATE_LIMIT by default), counted quietly:
    a filing's second stays out of Redis."""
    from flask import current_app

    from app.extensions import client_key

    return admit_quietly(current_app.config[setting], purpose, client_key(purpose))
