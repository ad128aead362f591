"""Client privacy: a report describes a phenomenon, never a client."""
from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Century signs: + 1800s; - and Y X W V U 1900s; A B C D E F 2000s (the 2023 reform).
CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
             "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
_DIGITS6 = r"(\d{2})[ ./_-]?(\d{2})[ ./_-]?(\d{2})"
_CANDIDATE = re.compile(r"(?<!\d)" + _DIGITS6 + r"[ \t\r\n]{0,3}([-+A-FU-Y./_]?)[ \t\r\n]{0,3}(\d{3})([0-9A-Y])(?!\d)",
                        re.IGNORECASE)
"""A code as written, or with spaces or a line break around the century sign, a dot, slash or underscore for it, or
only a space; dots, dashes, slashes or spaces in the date; letters glued before or after it: only digits may not
touch it, as a code is never part of a longer number."""
_WITHOUT_SIGN = re.compile(r"(?<!\d)" + _DIGITS6 + r"()(\d{3})([0-9A-Y])(?!\d)", re.IGNORECASE)
"""A code whose century sign was left out. A digit check character is taken only when the number does not
begin with 0, as every Finnish phone number does (0401234567 would otherwise be a code one time in 31)."""


def _is_identity_code(match: re.Match[str]) -> bool:
    day, month, year2, sign, individual, check = match.groups()
    if not sign and check.isdigit() and day.startswith("0"):
        return False
    guessed = 1900 + 100 * (int(year2) <= date.today().year % 100)  # no sign, or a stand-in for it
    century = CENTURIES.get(sign.upper()) if sign not in ("", ".", "/", "_") else guessed
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
# Characters that show nothing (zero-width space, joiners, word joiner, soft hyphen, byte-order mark...):
# dropped, so they cannot split a code that the eye reads whole.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
                                    "\u00ad\ufeff\u180e\u034f"), None)
# Cyrillic and Greek letters drawn like the Latin ones a check character or century sign may be.
_LOOK_ALIKES = str.maketrans(
    "АВСЕНКМОРТХУавсеікмортхуΑΒΕΗΚΜΝΟΡΤΥΧ",
    "ABCEHKMOPTXYaBceikMopTxyABEHKMNOPTYX",
)
_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
_TAG = re.compile(r"<[^<>]{0,200}>")
"""Markup typed into the text (131052<b>-</b>308T reads as a code on any page that renders it)."""


def _shows_nothing(character: str) -> bool:
    """Format characters (joiners, marks, tags) and variation selectors: nothing the eye sees."""
    code = ord(character)
    return unicodedata.category(character) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def folded(text: str) -> str:
    """The text as the eye reads it: entities and URL-encoding decoded, compatibility forms (full-width
    digits, no-break spaces) made plain by NFKC, invisible characters dropped, look-alikes made Latin."""
    for _round in range(3):  # &amp;#49; and %252D decode in two rounds
        text = html.unescape(text)
        if _ENCODED.search(text):
            text = urllib.parse.unquote(text)
    text = _TAG.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_LOOK_ALIKES)
    text = "".join(character for character in text if not _shows_nothing(character))
    return text.translate(_DASHES)


def contains_identity_code(text: str | None) -> bool:
    """True if the text holds a Finnish personal identity code with a valid check character,
    however it is disguised (see `folded`)."""
    if not text:
        return False
    plain = folded(text)
    return any(_is_identity_code(match) for pattern in (_CANDIDATE, _WITHOUT_SIGN) for match in pattern.finditer(plain))
