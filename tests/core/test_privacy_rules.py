"""Personal identity codes are recognised by their check character, not by their shape alone, however disguised."""
from __future__ import annotations

import re

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
        "1131052-308T",  # part of a longer number
        "131052-3081",
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


HETU = "131052-308T"
FULL_WIDTH = str.maketrans("0123456789T", "０１２３４５６７８９Ｔ")


@pytest.mark.parametrize("text", [
    "131052 -308T", "131052- 308T", "131052 - 308T",  # spaces around the century sign
    "131052\u00a0-\u00a0308T", "131052\u202f-308T",  # no-break spaces
    "131052-\u200b308T", "1310\u200b52-308T",  # zero-width space
    "131052\u200d-308T", "131052-30\u200c8T",  # zero-width joiner and non-joiner
    "131052-30\u00ad8T",  # soft hyphen
    "131052\u2060-308T",  # word joiner
    HETU.translate(FULL_WIDTH), "１３１０５２－３０８Ｔ",  # full-width digits and dash
    "131052-308\u0422",  # Cyrillic Т as the check letter
    "hetu131052-308T", "131052-308Tkuuluu", "X131052-308T", "131052-308TT",  # glued to letters
    "131052-\n308T", "131052\r\n-308T",  # split by a line break
    "13.10.52-308T", "13.10.52 - 308T", "131052.308T",  # dots
    "131052308T", "Asiakas 131052308T kävi.",  # no century sign
    "131052&#45;308T", "&#49;&#51;&#49;&#48;&#53;&#50;&#45;&#51;&#48;&#56;&#84;", "131052&#x2d;308T",
    "131052&minus;308T", "131052&amp;#45;308T",  # HTML entities
    "131052%2D308T", "%31%33%31%30%35%32%2D%33%30%38%54",  # URL-encoded
    "131052%252D308T",  # URL-encoded twice
    "131052 308T", "131052/308T", "131052_308T",  # a space, slash or underscore for the century sign
    "13 10 52-308T", "13-10-52-308T", "13/10/52-308T",  # separators in the date
    "131052<b>-</b>308T", "<span>131052</span>-308T",  # markup typed into the text
    "1\ufe0f31052-308T", "131052-30\U000e00208T",  # a variation selector, a tag character
])
def test_every_disguise_of_a_code_is_refused(text):
    assert contains_identity_code(f"Asiakkaan tunnus {text} näkyi paperissa.")
    assert contains_identity_code(text)


def _finnish_sentences(count: int) -> list[str]:
    """Realistic report text with every kind of number a social worker writes: dates, times, phone
    numbers, sums, report and case numbers, postal codes, business ids, bank accounts, ages, percentages."""
    import random

    rng = random.Random(20260044)

    def day() -> str:
        d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2027)
        return rng.choice([f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.", f"{y}-{m:02d}-{d:02d}",
                           f"{d:02d}.{m:02d}.{y % 100:02d}", f"{d}.–{d + 1}.{m}.{y}"])

    def phone() -> str:
        a, b, c = rng.choice(["040", "041", "044", "045", "046", "050", "017", "09"]), rng.randint(100, 999), \
            rng.randint(1000, 9999)
        return rng.choice([f"{a} {b} {c}", f"{a}-{b}{c}", f"{a}{b}{c}", f"+358 {a[1:]} {b} {c}", f"+358{a[1:]}{b}{c}",
                           f"({a}) {b} {c}"])

    def money() -> str:
        euros, cents = rng.randint(1, 250_000), rng.randint(0, 99)
        grouped = f"{euros:,}".replace(",", rng.choice([" ", "\u00a0", "."]))
        return rng.choice([f"{grouped} €", f"{grouped},{cents:02d} €", f"{euros} euroa", f"{grouped} e/kk",
                           f"{euros}–{euros + 500} euroa"])

    def number() -> str:
        year = rng.randint(2024, 2027)
        return rng.choice([f"SR-{year}-{rng.randint(1, 99999):05d}", f"SR-{year}-{rng.randint(1, 999)}",
                           f"dnro {rng.randint(100, 9999)}/{year}", f"KUO/{rng.randint(1000, 99999)}/{year}",
                           f"Y-tunnus {rng.randint(1000000, 9999999)}-{rng.randint(0, 9)}",
                           f"FI{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} "
                           f"{rng.randint(1000, 9999)} {rng.randint(10, 99)}",
                           f"asiakasnumero {rng.randint(100000, 99999999)}", f"lasku {rng.randint(10**9, 10**10 - 1)}"])

    def place() -> str:
        return rng.choice([f"{rng.randint(70100, 79999)} Kuopio", f"Puijonkatu {rng.randint(1, 80)} B {rng.randint(1, 60)}",
                           f"PL {rng.randint(1, 999)}, {rng.randint(70100, 70999)} KUOPIO",
                           f"Savonkatu {rng.randint(1, 40)} A, {rng.randint(78200, 78900)} Varkaus",
                           f"huone {rng.randint(100, 450)}", f"{rng.randint(1, 9)}. kerros"])

    def when() -> str:
        h = rng.randint(7, 20)
        return rng.choice([f"klo {h}.{rng.choice(['00', '15', '30', '45'])}", f"klo {h}–{h + 2}",
                           f"{h}:{rng.randint(0, 59):02d}", f"viikolla {rng.randint(1, 52)}",
                           f"vuosina {rng.randint(2015, 2022)}–{rng.randint(2023, 2027)}",
                           f"{rng.randint(1, 12)}/{rng.randint(2020, 2027)}"])

    def amount() -> str:
        n = rng.randint(2, 950)
        return rng.choice([f"{n} asiakasta", f"{n} %", f"{rng.randint(1, 99)},{rng.randint(0, 9)} %",
                           f"{rng.randint(18, 95)}-vuotiaat", f"yli {rng.randint(60, 85)}-vuotiaista",
                           f"{n} kpl", f"{n}/{n + rng.randint(1, 100)}", f"{rng.randint(1, 40)} h/vko",
                           f"{rng.randint(2, 300)} km"])

    templates = [
        "Asiakkaiden vuokrat nousivat {day} alkaen, keskimäärin {money}.",
        "Soita minulle numeroon {phone}, jos tarvitsette lisätietoja raportista {number}.",
        "Toimeentulotuen päätöksiä odotti {day} yhteensä {amount}; käsittelyaika oli {amount}.",
        "Raportti {number} liittyy samaan ilmiöön kuin {number}, jotka tehtiin {day}.",
        "Asumisneuvonnan vastaanotto osoitteessa {place} on auki {when}, puhelin {phone}.",
        "Sähkölaskut olivat {when} jopa {money}, ja moni {amount} joutui valitsemaan ruoan ja laskujen välillä.",
        "Kela maksoi {day} takautuvasti {money}, mutta {amount} jäi yhä ilman päätöstä.",
        "Kotihoidon käyntejä oli {when} {amount}, ja asiakkaan luona vietetty aika lyheni {amount}.",
        "Yhteistyökumppanin {number} kanssa sovittiin tapaamisesta {day} {when} osoitteessa {place}.",
        "Ehdotan, että {day} mennessä selvitetään, miksi {amount} odottaa vuokrarästien sovittelua ({money}).",
        "Nuorten ohjaamoon tuli {when} {amount}; yhteystiedot {phone} ja {place}.",
        "Laskutusvirheen summa oli {money}, viite {number}, eräpäivä {day}.",
        "Palvelutarpeen arviointeja tehtiin {when} {amount} ja jonossa on {amount}.",
        "Ikäihmisten asumisyksikön paikkamäärä laski {day} {amount}; lisätietoja {phone}.",
        "Omaishoidon tuki on {money}, ja hoitajia on {amount} ({when}).",
    ]
    fillers = {"day": day, "phone": phone, "money": money, "number": number, "place": place, "when": when,
               "amount": amount}
    sentences = []
    while len(sentences) < count:
        template = rng.choice(templates)
        sentences.append(re.sub(r"\{(\w+)\}", lambda m: fillers[m.group(1)](), template))
    return sentences


def test_no_ordinary_finnish_text_is_refused():
    sentences = _finnish_sentences(3000)
    assert len(set(sentences)) > 2900
    refused = [sentence for sentence in sentences if contains_identity_code(sentence)]
    assert refused == []
