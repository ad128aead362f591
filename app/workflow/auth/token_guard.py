"""Limits wrong API tokens: a client that keeps sending wrong ones is refused before any token is checked.

Only failures count, per client (a keyed hash of the address, `app.extensions.client_key`), so a client
with a valid token is never slowed; past the limit even a valid token waits for the window to end, as
a token's guesser must not learn which guess was right by its answer.
"""
from __future__ import annotations

import time

from flask import current_app
from limits import parse

from app.extensions import client_key
from app.workflow.auth import guard

NAMESPACE = "api_token"


def admit() -> guard.Verdict:
    """Whether this client may present a token now (it has not failed too often)."""
    if (counts := guard.counter()) is None:
        return guard.Verdict(True)
    item = parse(current_app.config["API_TOKEN_FAILURE_LIMIT"])
    if counts.test(item, NAMESPACE, "failures", client_key()):
        return guard.Verdict(True)
    reset_at, _remaining = counts.get_window_stats(item, NAMESPACE, "failures", client_key())
    return guard.Verdict(False, max(1, int(reset_at - time.time()) + 1))


def record_failure() -> None:
    if (counts := guard.counter()) is not None:
        counts.hit(parse(current_app.config["API_TOKEN_FAILURE_LIMIT"]), NAMESPACE, "failures", client_key())
