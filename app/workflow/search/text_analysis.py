"""Finnish text to the terms it is searched (and compared) by: words, lower-cased, stemmed.

One analysis for every database and every use: the search index of both PostgreSQL and SQLite holds the
terms made here, and a query is analysed the same way, so the same words find the same reports on both.
The next features that compare reports' texts (similar reports, TF-IDF) read the same terms.

The stemmer is Snowball's Finnish one (the algorithm PostgreSQL's `finnish` configuration also uses). It
knows no consonant gradation, so it leaves a word's basic form apart from its other cases: "asunnottomuus"
from "asunnottomuud|esta", "kotihoito" from "kotihoido|n". Three rules on the end of the stem join them:
a last vowel goes, the -us/-ys nouns' s and d become t (terveys, terveyden), and so does a d after a vowel, and a doubled
kk, pp or tt is single (katto, katon). They join a few unrelated words too, which a search box can bear.
"""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
LAST_VOWEL = re.compile(r"(?<=[^aeiouyäö])[aeiouyäö]$")
GRADATION = ((re.compile(r"([uy])[sd]$"), r"\1t"), (re.compile(r"([aeiouyäö])d$"), r"\1t"),
             (re.compile(r"(kk|pp|tt)$"), lambda m: m.group(1)[0]))
SHORTEST = 5
"""Stems this short are left as Snowball makes them: cutting more would join too many words."""

_stemmer = snowballstemmer.stemmer("finnish")


def words(text: str | None) -> list[str]:
    """The words of the text in lower case, without punctuation (hyphenated compounds split in parts)."""
    return WORD.findall((text or "").casefold())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem a word is indexed and searched by."""
    stemmed = _stemmer.stemWord(word)
    if len(stemmed) <= SHORTEST:
        return stemmed
    stemmed = LAST_VOWEL.sub("", stemmed)
    for pattern, replacement in GRADATION:
        stemmed = pattern.sub(replacement, stemmed)  # type: ignore[arg-type]
    return stemmed


def terms(text: str | None) -> list[str]:
    """The stems of every word of the text, in order (repeats kept: counting them is the caller's choice)."""
    return [stem(word) for word in words(text)]
