"""Weak signals (004: "heikkoja signaaleja muutoksista"): recent reports from different units or
municipalities that describe the same thing, and that no phenomenon group holds yet.

Clustering is single linkage cut at a fixed similarity: two reports are linked when the cosine of their
TF-IDF vectors (similarity.py, the same weights as the case page's suggestions) is at least
LINK_THRESHOLD, and a cluster is a connected component of those links. It is the standard method that
needs no number of clusters chosen in advance (k-means would) and gives the same clusters whatever the
order of the reports, so the view reads the same for everyone on the same day. Its known weakness,
chaining through a report that resembles two others, is kept small by a threshold well above
similar_reports' MIN_SCORE; the working group reads every cluster before it becomes a group.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Report, User
from app.workflow.core import permissions
from app.workflow.phenomena.groups import grouped_report_ids
from app.workflow.phenomena.similarity import corpus, readable, term_counts

WINDOW_MONTHS = 3
LINK_THRESHOLD = 0.35
"""The cosine at which two reports are taken to describe the same thing (a third or more of their weight
in shared distinctive words); lower, and clusters chain unrelated reports together."""
MAX_REPORTS = 2_000
"""The newest reports of the window that are clustered: a county files a few hundred in three months;
beyond this the pairwise comparison (quadratic) would outgrow a page's time."""
EXCERPT_LENGTH = 200
_CHUNK = 500


@dataclass(frozen=True)
class Signal:
    """A cluster of similar reports, with what they share and where they come from."""

    reports: tuple[Report, ...]
    shared_words: tuple[str, ...]
    units: tuple[str, ...]
    municipalities: tuple[str, ...]

    @property
    def report_ids(self) -> list[int]:
        return [report.id for report in self.reports]

    @property
    def suggested_name(self) -> str:
        """A name for the phenomenon group it may become: its three weightiest shared words."""
        name = ", ".join(self.shared_words[:3])
        return name[:1].upper() + name[1:]


def grouped(report_ids: Iterable[int]) -> set[int]:
    """The reports some phenomenon group holds already: no longer a weak signal, but a phenomenon."""
    return set(grouped_report_ids(list(report_ids)))


def window_start(now: datetime, months: int = WINDOW_MONTHS) -> datetime:
    """The same moment `months` calendar months earlier (the last day of a shorter month)."""
    month = now.month - months
    year = now.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return now.replace(year=year, month=month, day=min(now.day, calendar.monthrange(year, month)[1]))


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The beginning of a text, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


def weak_signals(viewer: User, now: datetime | None = None) -> list[Signal]:
    """Clusters of the last WINDOW_MONTHS' reports that span two units or two municipalities and that
    no group holds, largest first."""
    since = window_start(now or datetime.now(timezone.utc))
    ids = list(db.session.scalars(
        sa.select(Report.id).where(Report.created_at >= since, permissions.visible_reports_filter(viewer))
        .order_by(Report.id.desc()).limit(MAX_REPORTS)))
    taken = grouped(ids)
    counts = term_counts(report_id for report_id in ids if report_id not in taken)
    order = sorted(counts)
    if len(order) < 2:
        return []
    weights = corpus({term for terms in counts.values() for term in terms})
    vectors = [weights.vector(counts[report_id]) for report_id in order]
    components = _components(vectors, LINK_THRESHOLD)
    reports = {report.id: report for report in db.session.scalars(
        sa.select(Report).where(Report.id.in_([order[i] for members in components for i in members]))
        .options(selectinload(Report.unit), selectinload(Report.municipalities)))}
    signals = []
    for members in components:
        chosen = [reports[order[i]] for i in members if permissions.can_view(viewer, reports[order[i]])]
        units = {report.unit_id: report.origin for report in chosen}
        places = {m.id: m.label for report in chosen
                  for m in (*report.municipalities, *([report.unit.municipality] if report.unit.municipality else []))}
        if len(chosen) < 2 or (len(units) < 2 and len(places) < 2):
            continue
        signals.append(Signal(tuple(sorted(chosen, key=lambda report: report.id)),
                              _shared(vectors, members, weights.display),
                              tuple(sorted(set(units.values()))), tuple(sorted(set(places.values())))))
    signals.sort(key=lambda signal: (-len(signal.reports), -signal.reports[-1].id))
    return signals


def _shared(vectors: list[dict[str, float]], members: list[int], display: dict[str, str]) -> tuple[str, ...]:
    """The terms that weigh most in the cluster among those at least half its reports (two or more) hold."""
    needed = max(2, (len(members) + 1) // 2)
    total: dict[str, float] = {}
    held: dict[str, int] = {}
    for i in members:
        for term, weight in vectors[i].items():
            total[term] = total.get(term, 0.0) + weight
            held[term] = held.get(term, 0) + 1
    ranked = sorted((term for term in total if held[term] >= needed), key=lambda term: (-total[term], term))
    return readable(ranked, display)


def _components(vectors: list[dict[str, float]], threshold: float) -> list[list[int]]:
    """Connected components (two or more reports) of the graph linking vectors whose cosine is at least
    `threshold`. Only terms two reports share can link them, so the matrix has those terms' columns."""
    seen: dict[str, int] = {}
    for vector in vectors:
        for term in vector:
            seen[term] = seen.get(term, 0) + 1
    columns = {term: j for j, term in enumerate(sorted(t for t, n in seen.items() if n >= 2))}
    matrix = np.zeros((len(vectors), max(len(columns), 1)), dtype=np.float32)
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            if term in columns:
                matrix[i, columns[term]] = weight
    parent = list(range(len(vectors)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for start in range(0, len(vectors), _CHUNK):
        block = matrix[start:start + _CHUNK] @ matrix.T
        for i, j in zip(*np.nonzero(block >= threshold - 1e-6)):
            a, b = root(start + int(i)), root(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(vectors)):
        groups.setdefault(root(i), []).append(i)
    return [members for members in groups.values() if len(members) >= 2]
