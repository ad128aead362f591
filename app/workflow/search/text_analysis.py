"""Finnish text to the terms it is searched (and compared) by: words, lower-cased, in their basic form.

One analysis for every database and every use: the search index of both PostgreSQL and SQLite holds the
terms made here, and a query is analysed the same way, so the same words find the same reports on both.
The next features that compare reports' texts (similar reports, TF-IDF) read the same terms.

A word's term is its basic form by Voikko's Finnish morphology (pyvoikko, pure Python): it knows
consonant gradation and the stems Snowball cannot join, so "ilmoituksen" is "ilmoitus", "lapsen" is
"lapsi", "asiakkaiden" "asiakas", "väkivallasta" "väkivalta". A compound also gives the basic forms of its
parts ("lastensuojeluilmoituksen": lastensuojeluilmoitus, lapsi, suojelu, ilmoitus), so "ilmoitus" finds
it. Where a word has several readings, the nouns' are taken (`_readings`), the same in the index and in
the query. A word Voikko does not know (a name, a typo, a new coinage) falls back to
Snowball's Finnish stemmer (the algorithm of PostgreSQL's `finnish` configuration) with three rules on
the end of the stem: a last vowel goes, the -us/-ys nouns' s and d become t (terveys, terveyden), and so
does a d after a vowel, and a doubled kk, pp or tt is single (katto, katon).

pyvoikko is GPLv3 (Voikko's own licence): a distribution of SoRa carries that licence's terms.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyvoikko
import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
LAST_VOWEL = re.compile(r"(?<=[^aeiouyäö])[aeiouyäö]$")
GRADATION = ((re.compile(r"([uy])[sd]$"), r"\1t"), (re.compile(r"([aeiouyäö])d$"), r"\1t"),
             (re.compile(r"(kk|pp|tt)$"), lambda m: m.group(1)[0]))
LONGEST = 64
"""Longer "words" (a pasted hash, a key held down) are not analysed by Voikko: no Finnish word is that long,
and its transducer recurses once per character."""
SHORTEST = 5
"""Stems this short are left as Snowball makes them: cutting more would join too many words."""

_stemmer = snowballstemmer.stemmer("finnish")


def words(text: str | None) -> list[str]:
    """The words of the text in lower case, without punctuation (hyphenated compounds split in parts)."""
    return WORD.findall((text or "").casefold())


@lru_cache(maxsize=200_000)
def _readings(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Voikko's readings of a word worth indexing, as (basic form, compound parts' basic forms); none if it
    does not know the word.

    Where a word has several readings, the nouns' are taken (reports are searched by what they are about:
    "tuen" is "tuki", not "tukea"), all of them when there are several: "nuorille" may be "nuora" or "nuori"
    and "vanhempien" "vanhempi" or "vanha", and only the context tells, so both are terms and "nuorten"
    (only "nuori") still meets "nuorille". A noun reading that only repeats the word ("alueilta") is dropped
    beside a real one ("alue"). Without a noun reading, the first basic form in alphabetical order."""
    if len(word) > LONGEST:
        return ()
    try:
        readings = [reading for reading in pyvoikko.analyse(word) if reading.BASEFORM]
    except RecursionError:  # the pure-Python transducer recurses per character; no text may break filing
        readings = []
    nouns = [r for r in readings if (r.CLASS or "").startswith("nimisana")]
    if len(nouns) > 1:
        nouns = [r for r in nouns if r.BASEFORM.casefold() != word] or nouns
    chosen = sorted(nouns, key=lambda r: r.BASEFORM.casefold()) if nouns else \
        sorted(readings, key=lambda r: r.BASEFORM.casefold())[:1]
    return tuple(dict.fromkeys((r.BASEFORM, tuple(p.BASEFORM for p in r.COMPOUND_PARTS or [] if p.BASEFORM))
                               for r in chosen))


@lru_cache(maxsize=200_000)
def _analysed(word: str) -> tuple[tuple[str, ...], bool]:
    """The word's terms, and whether they are Voikko's basic forms (False: Snowball's stem)."""
    found = [_plain(base) for base, parts in _readings(word) for base in (base, *parts)]
    terms_found = tuple(dict.fromkeys(term for term in found if term))
    return (terms_found, True) if terms_found else ((stem(word),), False)


def known(word: str) -> bool:
    """Whether Voikko knows the word: its terms are basic forms, not Snowball's stem."""
    return _analysed(word)[1]


def word_terms(word: str) -> tuple[str, ...]:
    """The terms one word is indexed and searched by: its basic forms, and a compound's parts'."""
    return _analysed(word)[0]


def _plain(base: str) -> str:
    """A basic form as a term: lower case, and only if it is one word (terms must not break query syntax)."""
    base = base.casefold()
    return base if WORD.fullmatch(base) else ""


def stem(word: str) -> str:
    """Snowball's stem with the gradation rules: the term of a word Voikko does not know."""
    stemmed = _stemmer.stemWord(word)
    if len(stemmed) <= SHORTEST:
        return stemmed
    stemmed = LAST_VOWEL.sub("", stemmed)
    for pattern, replacement in GRADATION:
        stemmed = pattern.sub(replacement, stemmed)  # type: ignore[arg-type]
    return stemmed


def terms(text: str | None) -> list[str]:
    """The terms of every word of the text, in order (repeats kept: counting them is the caller's choice)."""
    return [term for word in words(text) for term in word_terms(word)]
