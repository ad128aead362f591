"""Client privacy: a report describes a phenomenon, never a client."""
from __future__ import annotations

import re
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Century signs: + 1800s; - and Y X W V U 1900s; A B C D E F 2000s (the 2023 reform).
CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
             "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Ya-fu-y])(\d{3})([0-9A-Za-z])(?![0-9A-Za-z])")


def _is_identity_code(match: re.Match[str]) -> bool:
    day, month, year2, sign, individual, check = match.groups()
    century = CENTURIES.get(sign.upper())
    if century is None:
        return False
    try:
        born = date(century + int(year2), int(month), int(day))
    except ValueError:
        return False
    if born > date.today():
        return False
    if not 2 <= int(individual) <= 999:
        return False
    expected = CHECK_CHARACTERS[int(day + month + year2 + individual) % 31]
    return check.upper() == expected


# Hyphen look-alikes that word processors and phones put in place of "-".
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})


def contains_identity_code(text: str | None) -> bool:
    """True if the text holds a Finnish personal identity code with a valid check character."""
    return any(_is_identity_code(match) for match in _CANDIDATE.finditer((text or "").translate(_DASHES)))
