"""Reports whose text is like that of a case or a group of reports, with the words they share.

TF-IDF with cosine similarity, the standard measure of how alike two texts are, over the terms of the
inbox search (search/text_analysis.py: Voikko's basic forms, Snowball where Voikko does not know a word),
so "asunnottomuudesta" meets "asunnottomuus" and "päihdepalveluihin" "päihdepalvelut". A term weighs
(1 + ln count) · idf, idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf), each report's
vector has length one, and a group of reports is the sum of its reports' vectors.

The counts are kept by term_index.py as reports are filed; the idf comes from them when asked, so no
rebuild is ever due. A query reads no more than the case's most distinctive terms' postings: the
MAX_QUERY_TERMS terms that weigh most in the case, leaving out those too common to tell reports apart;
the MAX_CANDIDATES reports sharing the most of that weight are scored in full, and only those the
viewer may see (permissions.can_view) are candidates at all.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Report, ReportTerm, SimilarityTerm, User
from app.workflow.core import permissions

MAX_QUERY_TERMS = 20
"""The case's terms whose postings are read; the rest still count in the score of each candidate."""
MAX_CANDIDATES = 200
"""Candidates scored in full; the best of them by the query terms' weight."""
COMMON_SHARE = 0.1
COMMON_FLOOR = 100
"""A term in more than COMMON_SHARE of the reports (and more than COMMON_FLOOR) picks no candidates: it
is in too many to tell them apart, and reading its postings would cost the most."""
MIN_SCORE = 0.1
"""Below this cosine two reports share only a word or two that many others do: no reason to suggest."""
SHARED_WORDS = 6


@dataclass(frozen=True)
class SimilarReport:
    report: Report
    score: float
    """Cosine similarity, 0–1."""
    shared_words: tuple[str, ...]
    """The shared terms that weigh most, as readable words (a basic form, or a word of the text)."""


@dataclass(frozen=True)
class Corpus:
    """The frequencies a set of vectors is weighed by: N, and each term's df and readable form."""

    documents: int
    frequency: dict[str, int]
    display: dict[str, str]

    def idf(self, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.frequency.get(term, 0))) + 1

    def vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        """A report's TF-IDF vector of length one."""
        weights = {term: (1 + math.log(count)) * self.idf(term) for term, count in counts.items()}
        length = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / length for term, w in weights.items()}


def among(column: sa.ColumnElement[Any], values: list[Any]) -> sa.ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as `= ANY(array)`, one parameter, which plans in a fraction of
    the time of a thousand."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def term_counts(report_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each report's terms and their counts, as term_index.py keeps them."""
    ids = sorted(set(report_ids))
    found: dict[int, dict[str, int]] = {}
    for start in range(0, len(ids), 5_000):
        for report_id, term, occurrences in db.session.execute(
                sa.select(ReportTerm.report_id, ReportTerm.term, ReportTerm.occurrences)
                .where(among(ReportTerm.report_id, ids[start:start + 5_000]))):
            found.setdefault(report_id, {})[term] = occurrences
    return found


def analysed_reports() -> int:
    """N of the idf: every report, counted from the primary key's index alone (a few ms at 100,000)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0


def corpus(terms: Iterable[str], documents: int | None = None) -> Corpus:
    wanted = sorted(set(terms))
    frequency: dict[str, int] = {}
    display: dict[str, str] = {}
    for start in range(0, len(wanted), 5_000):
        for term, count, shown in db.session.execute(
                sa.select(SimilarityTerm.term, SimilarityTerm.document_count, SimilarityTerm.display)
                .where(among(SimilarityTerm.term, wanted[start:start + 5_000]))):
            frequency[term], display[term] = count, shown
    return Corpus(analysed_reports() if documents is None else documents, frequency, display)


def readable(terms: Iterable[str], display: Mapping[str, str], limit: int = SHARED_WORDS) -> tuple[str, ...]:
    """The terms as words, in the given order, leaving out a compound's part beside the compound itself
    ("päihde" and "palvelu" beside "päihdepalvelu") and a word shown already."""
    shown: list[str] = []
    ordered = [display.get(term, term) for term in terms]
    for word in ordered:
        if word in shown or any(word != other and word in other for other in ordered):
            continue
        shown.append(word)
        if len(shown) == limit:
            break
    return tuple(shown)


def similar_reports(report_ids: list[int], viewer: User, limit: int = 10) -> list[SimilarReport]:
    """The reports most like these (one case, or a group's reports taken together), best first.

    Only reports the viewer may see, never those asked about; each with its cosine and shared words.
    """
    asked = set(report_ids)
    counts = term_counts(asked)
    if not counts:
        return []
    weights = corpus({term for terms in counts.values() for term in terms})
    centre: Counter[str] = Counter()
    for terms in counts.values():
        centre.update(weights.vector(terms))
    own = Counter(term for terms in counts.values() for term in terms)
    common = max(COMMON_FLOOR, COMMON_SHARE * weights.documents)
    query = sorted((term for term in centre
                    if weights.frequency.get(term, 0) > own[term] and weights.frequency[term] <= common),
                   key=lambda term: (-centre[term], term))[:MAX_QUERY_TERMS]
    if not query:
        return []
    candidates = _candidates({term: centre[term] * weights.idf(term) for term in query}, asked, viewer)
    found = term_counts(candidates)
    weights = corpus({*centre, *(term for terms in found.values() for term in terms)}, weights.documents)
    length = math.sqrt(sum(w * w for w in centre.values())) or 1.0
    scored = []
    for report_id, terms in found.items():
        vector = weights.vector(terms)
        shared = sorted((term for term in vector if term in centre),
                        key=lambda term: (-centre[term] * vector[term], term))
        score = sum(centre[term] * vector[term] for term in shared) / length
        if score >= MIN_SCORE:
            scored.append((score, report_id, shared))
    scored.sort(key=lambda item: (-item[0], item[1]))
    reports = _reports([report_id for _, report_id, _ in scored[:limit * 2]])
    results = [SimilarReport(reports[report_id], round(score, 3), readable(shared, weights.display))
               for score, report_id, shared in scored[:limit * 2]
               if report_id in reports and permissions.can_view(viewer, reports[report_id])]
    return results[:limit]


def _candidates(query: dict[str, float], asked: set[int], viewer: User) -> list[int]:
    """The reports sharing the most of the query terms' weight, read through the index on term."""
    weight = sa.case(*((ReportTerm.term == term, value) for term, value in query.items()), else_=0.0)
    statement = (sa.select(ReportTerm.report_id)
                 .where(among(ReportTerm.term, sorted(query)), ReportTerm.report_id.not_in(sorted(asked)))
                 .group_by(ReportTerm.report_id)
                 .order_by(sa.func.sum(weight).desc(), ReportTerm.report_id)
                 .limit(MAX_CANDIDATES))
    if not permissions.sees_all(viewer):  # those who see all need no join
        statement = statement.join(Report, Report.id == ReportTerm.report_id).where(
            permissions.visible_reports_filter(viewer))
    return list(db.session.scalars(statement))


def _reports(report_ids: list[int]) -> dict[int, Report]:
    if not report_ids:
        return {}
    return {report.id: report for report in db.session.scalars(
        sa.select(Report).where(Report.id.in_(report_ids))
        .options(selectinload(Report.unit), selectinload(Report.municipalities)))}
