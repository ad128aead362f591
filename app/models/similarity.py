"""The text analysis that similar reports and weak signals are found by, kept in step with the reports.

Per report the count of each of its terms (search/text_analysis.terms of its description and proposal),
and per term the number of reports holding it and a readable form of it. Written in the flush that
files or changes a report (phenomena/term_index.py), so nothing is rebuilt as the archive grows; the
inverse document frequency is computed from these counts when a query is made.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

TERM_LENGTH = 128


class ReportTerm(db.Model):
    """One term of one report and how often it occurs there; (term, report_id) finds a term's reports."""

    __tablename__ = "report_term"
    __table_args__ = (sa.Index("ix_report_term_term_report_id", "term", "report_id"),)

    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    term: Mapped[str] = mapped_column(sa.String(TERM_LENGTH), primary_key=True)
    occurrences: Mapped[int]


class SimilarityTerm(db.Model):
    """A term's document frequency and the word it is shown as (its basic form, or a word it came from)."""

    __tablename__ = "similarity_term"

    term: Mapped[str] = mapped_column(sa.String(TERM_LENGTH), primary_key=True)
    document_count: Mapped[int] = mapped_column(default=0)
    display: Mapped[str] = mapped_column(sa.String(TERM_LENGTH))
