"""Personal identity codes are recognised by their check character, not by their shape alone."""
from __future__ import annotations

import pytest

from app.workflow.core.privacy import CHECK_CHARACTERS, contains_identity_code


def identity_code(birth: str, sign: str, individual: str) -> str:
    return f"{birth}{sign}{individual}{CHECK_CHARACTERS[int(birth + individual) % 31]}"


@pytest.mark.parametrize(
    "text",
    [
        "131052-308T",  # the example code of the Digital and Population Data Services Agency
        "Asiakas (131052-308T) kertoi",
        "tunnus 131052-308t pienillä kirjaimilla",
        identity_code("010101", "A", "123"),
        identity_code("311299", "-", "002"),
        identity_code("150603", "B", "456"),  # century signs added in 2023
        identity_code("150675", "Y", "789"),
        identity_code("010199", "+", "900"),
        "Rivinvaihdon jälkeen\n" + identity_code("290200", "A", "555") + ".",
    ],
)
def test_valid_identity_codes_are_found(text):
    assert contains_identity_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "131052-308U",  # wrong check character
        "311399-002X",  # no 13th month
        "300299A123N",  # 30 February
        "puh. 040-1234567",
        "SR-2026-00042",
        "Vuonna 2025 raportteja tuli 131052 kappaletta.",
        "131052-308TT",  # part of a longer token
        "X131052-308T",
        "Lomakkeella 12.10.2026 kello 10-12",
    ],
)
def test_other_text_passes(text):
    assert not contains_identity_code(text)


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2212", "\u2010"])
def test_hyphen_look_alikes_do_not_hide_a_code(dash):
    assert contains_identity_code(f"Asiakas 131052{dash}308T")


def test_future_birth_dates_are_not_identity_codes():
    assert not contains_identity_code(identity_code("010199", "A", "123"))  # born 2099


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        # Worked by hand: 010101123 mod 31 = 21 -> N; 010594902 mod 31 = 1 -> 1; 131052308 mod 31 = 25 -> T.
        ("010101-123N", True),
        ("010594Y9021", True),
        ("131052-308T", True),
        ("010101-123M", False),
        ("010594Y9022", False),
    ],
)
def test_fixed_examples_checked_by_hand(code, valid):
    assert contains_identity_code(f"Teksti {code} tekstiä") is valid
