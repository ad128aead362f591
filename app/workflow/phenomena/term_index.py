"""The term counts similar reports are found by, written in the same flush as the report (never rebuilt).

Beside the search index (search/index.py), with the same text analysis: every flush that files a report,
changes its description or proposal or deletes one rewrites that report's rows of
`report_term` and moves the document frequencies of `similarity_term` by the difference. A flush costs
the report's own terms, whatever the size of the archive. Only the report's own text goes in: the
timeline's notes are the handlers' (and the reporter's answers), not the phenomenon described.

A held anonymous filing is no report until its release (cases/release.py), so it is neither suggested,
counted nor seen in any term's frequency before.

Terms are written in sorted order, so two filings that share terms take the frequency rows' locks in
the same order and never deadlock.
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Report, ReportTerm, SimilarityTerm
from app.models.similarity import TERM_LENGTH
from app.workflow.search.text_analysis import known, word_terms, words

ANALYSED_COLUMNS = ("description", "proposed_actions")
_PENDING = "sora_similarity_pending"
_GONE = "sora_similarity_gone"


# Snowball's Finnish stop words (https://snowballstem.org/algorithms/finnish/stop.txt, BSD licence): the
# pronouns, conjunctions and forms of "olla" every text shares. Similarity counts them as nothing: in a small
# archive they are rare enough to look distinctive ("jolla, koskea" named a weak signal in the demo).
STOP_WORDS = """
olla olen olet on olemme olette ovat ole oli olisi olisit olisin olisimme olisitte olisivat olit olin olimme
olitte olivat ollut olleet en et ei emme ette eivät minä minun minut minua minussa minusta minuun minulla
minulta minulle sinä sinun sinut sinua sinussa sinusta sinuun sinulla sinulta sinulle hän hänen hänet häntä
hänessä hänestä häneen hänellä häneltä hänelle me meidän meidät meitä meissä meistä meihin meillä meiltä
meille te teidän teidät teitä teissä teistä teihin teillä teiltä teille he heidän heidät heitä heissä heistä
heihin heillä heiltä heille tämä tämän tätä tässä tästä tähän tällä tältä tälle tänä täksi tuo tuon tuota
tuossa tuosta tuohon tuolla tuolta tuolle tuona tuoksi se sen sitä siinä siitä siihen sillä siltä sille siksi
nämä näiden näitä näissä näistä näihin näillä näiltä näille näinä näiksi nuo noiden noita noissa noista
noihin noilla noilta noille noina noiksi ne niiden niitä niissä niistä niihin niillä niiltä niille niinä
niiksi kuka kenen kenet ketä kenessä kenestä keneen kenellä keneltä kenelle kenenä keneksi ketkä keiden
keitä keissä keistä keihin keillä keiltä keille keinä keiksi mikä minkä mitä missä mistä mihin millä miltä
mille miksi mitkä joka jonka jota jossa josta johon jolla jolta jolle jona joksi jotka joiden joita joissa
joista joihin joilla joilta joille joina joiksi että ja jos koska kuin mutta niin sekä tai vaan vai vaikka
kanssa mukaan noin poikki yli kun nyt itse
""".split()


@functools.cache
def stop_terms() -> frozenset[str]:
    """The stop words' basic forms as the text analysis makes them ("jolla" is "joka"), only those that are stop
    words themselves: "joiksi" may also read as "joki" and "keitä" as "keittää", which a report may well mean."""
    return frozenset(term for word in STOP_WORDS for term in word_terms(word)) & frozenset(STOP_WORDS)


@dataclass(frozen=True)
class Analysis:
    """A report's terms with their counts, and the word each term is shown as."""

    counts: dict[str, int]
    display: dict[str, str]


def analyse(*texts: str | None) -> Analysis:
    """The texts' terms as the search index makes them. A basic form Voikko gave is shown as itself; a
    Snowball stem (a word Voikko does not know) as the first word it came from, so it reads as a word."""
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    for text in texts:
        for word in words(text):
            found = word_terms(word)
            from_voikko = known(word)
            for term in found:
                if len(term) > TERM_LENGTH or term in stop_terms():
                    continue
                counts[term] += 1
                display.setdefault(term, term if from_voikko else word[:TERM_LENGTH])
    return Analysis(dict(counts), display)


def _table(connection: sa.Connection):  # type: ignore[no-untyped-def]
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert


def write(connection: sa.Connection, documents: dict[int, Analysis]) -> None:
    """Store these reports' analyses: their term rows replaced, the frequencies moved by the difference."""
    if not documents:
        return
    ids = sorted(documents)
    old: dict[int, dict[str, int]] = {report_id: {} for report_id in ids}
    for report_id, term, occurrences in connection.execute(
            sa.select(ReportTerm.report_id, ReportTerm.term, ReportTerm.occurrences)
            .where(ReportTerm.report_id.in_(ids))):
        old[report_id][term] = occurrences
    delta: Counter[str] = Counter()
    display: dict[str, str] = {}
    removed: list[dict[str, object]] = []
    upserts: list[dict[str, object]] = []
    for report_id in ids:
        new, before = documents[report_id].counts, old[report_id]
        for term in before.keys() - new.keys():
            delta[term] -= 1
            removed.append({"report_id": report_id, "term": term})
        for term, occurrences in new.items():
            if term not in before:
                delta[term] += 1
                display.setdefault(term, documents[report_id].display[term])
            if before.get(term) != occurrences:
                upserts.append({"report_id": report_id, "term": term, "occurrences": occurrences})
    insert = _table(connection)
    if removed:
        connection.execute(sa.delete(ReportTerm).where(ReportTerm.report_id == sa.bindparam("b_report_id"),
                                                       ReportTerm.term == sa.bindparam("b_term")),
                           [{"b_report_id": row["report_id"], "b_term": row["term"]} for row in removed])
    if upserts:
        statement = insert(ReportTerm)
        connection.execute(statement.on_conflict_do_update(
            index_elements=["report_id", "term"], set_={"occurrences": statement.excluded.occurrences}),
            sorted(upserts, key=lambda row: (row["report_id"], row["term"])))  # type: ignore[arg-type, return-value]
    _move_frequencies(connection, delta, display)


def _move_frequencies(connection: sa.Connection, delta: Counter[str], display: dict[str, str]) -> None:
    """One upsert in term order for every change, up or down, so the row locks are always taken in the
    same order (a term that loses a report has its row already; its display stays as it was)."""
    rows = [{"term": term, "document_count": change, "display": display.get(term, term)}
            for term, change in sorted(delta.items()) if change]
    if rows:
        statement = _table(connection)(SimilarityTerm)
        connection.execute(statement.on_conflict_do_update(
            index_elements=["term"],
            set_={"document_count": SimilarityTerm.document_count + statement.excluded.document_count}), rows)


@event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context: object, instances: object) -> None:
    pending: set[Report] = session.info.setdefault(_PENDING, set())
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Report) and (instance in session.new or any(
                sa.inspect(instance).attrs[name].history.has_changes() for name in ANALYSED_COLUMNS)):
            pending.add(instance)
    gone = [instance.id for instance in session.deleted if isinstance(instance, Report) and instance.id]
    if gone:  # the rows go with the report (ON DELETE CASCADE); its terms' frequencies must go down first
        connection = session.connection()
        write(connection, {report_id: Analysis({}, {}) for report_id in gone})
        session.info.setdefault(_GONE, set()).update(gone)


@event.listens_for(Session, "after_flush")
def _write(session: Session, flush_context: object) -> None:
    pending: set[Report] = session.info.pop(_PENDING, set())
    gone: set[int] = session.info.pop(_GONE, set())
    documents = {report.id: analyse(report.description, report.proposed_actions)
                 for report in pending
                 if report.id is not None and report not in session.deleted and report.id not in gone}
    write(session.connection(), documents)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_GONE, None)


def backfill(connection: sa.Connection, report_ids: Iterable[int] | None = None, batch: int = 2_000) -> int:
    """Analyse the given reports (all when None) from what the database holds: for the migration that
    creates the tables and for bulk loads that bypass the ORM. A report analysed before is replaced."""
    report = sa.table("report", sa.column("id"), sa.column("description"),
                      sa.column("proposed_actions"))
    ids = list(report_ids) if report_ids is not None else list(
        connection.execute(sa.select(report.c.id).order_by(report.c.id)).scalars())
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        write(connection, {row.id: analyse(row.description, row.proposed_actions)
                           for row in connection.execute(sa.select(report).where(report.c.id.in_(chunk)))})
    return len(ids)
