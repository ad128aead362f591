"""Tracking codes: enough randomness, easy to type, stored only as a keyed hash."""
from __future__ import annotations

import math
import re

from app.workflow.reports.tracking import (
    ALPHABET,
    CODE_LENGTH,
    code_matches,
    hash_code,
    new_tracking_code,
    normalize_code,
)


def test_code_has_at_least_80_bits_and_no_look_alikes():
    assert CODE_LENGTH * math.log2(len(set(ALPHABET))) >= 80
    assert not set("01IOLU") & set(ALPHABET)


def test_codes_are_grouped_and_distinct():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", code)
        assert set(code.replace("-", "")) <= set(ALPHABET)


def test_typing_variants_match_and_other_keys_do_not():
    code = new_tracking_code()
    stored = hash_code(code, "key-1")
    assert stored != code and code not in stored
    typed = " " + code.lower().replace("-", " ") + " "
    assert normalize_code(typed) == code.replace("-", "")
    assert code_matches(typed, stored, "key-1")
    assert not code_matches(code, stored, "key-2")
    assert not code_matches(new_tracking_code(), stored, "key-1")
