"""Tracking codes: shown once to the reporter, stored only as a keyed hash."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

# No 0/O, 1/I/L or U look-alikes: 30 symbols, so 20 of them carry 98 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 20
GROUP = 5
_NOT_IN_CODE = re.compile(r"[\s\-–]+")


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalize_code(code: str) -> str:
    """Accept what people type or paste: any case, spaces or dashes between groups."""
    return _NOT_IN_CODE.sub("", code or "").upper()


def hash_code(code: str, key: str) -> str:
    return hmac.new(key.encode(), normalize_code(code).encode(), hashlib.sha256).hexdigest()


def code_matches(code: str, stored_hash: str, key: str) -> bool:
    return hmac.compare_digest(hash_code(code, key), stored_hash)
