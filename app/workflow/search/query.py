"""What the inbox's one search box means: a report number in any spacing or case, or words of the text.

The condition is added to the inbox's other filters, so a search finds exactly among the reports the
user may see (permissions.visible_reports_filter), counted and paged like any other filter.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Report, ReportSearch
from app.workflow.reports.numbering import ANONYMOUS_SERIES, NAMED_SERIES, format_number, parse_number
from app.workflow.search.text_analysis import terms

NUMBER_TEXT = re.compile(r"[A-Za-z0-9\s\-_./]+")
PART = re.compile(r"[A-Za-z]+|\d+")


def report_number(query: str, prefix: str) -> str | None:
    """The report number the query names in any spacing or case ("sr 2026 00044", "SR-2026-44",
    "2026/44"), or None when it names none (then it is words)."""
    if not NUMBER_TEXT.fullmatch(query or ""):
        return None
    if parsed := parse_number(query, prefix):  # "sr202600044", "SR-2026-A17": as /track takes it
        return format_number(prefix, *parsed)
    parts = PART.findall(query)
    series = NAMED_SERIES
    if len(parts) >= 3 and parts[-2].upper() == ANONYMOUS_SERIES and parts[-3].isdigit():  # "2026 a 17"
        series, parts = ANONYMOUS_SERIES, parts[:-2] + parts[-1:]
    letters = "".join(p for p in parts if p.isalpha()).upper()
    digits = [p for p in parts if p.isdigit()]
    if letters not in ("", prefix.replace("-", "").upper()) or any(p.isalpha() for p in parts[-2:]):
        return None
    if len(digits) != 2 or len(digits[0]) != 4 or len(digits[1]) > 6:
        return None
    return format_number(prefix, int(digits[0]), int(digits[1]), series)


def search_condition(query: str, prefix: str) -> sa.ColumnElement[bool] | None:
    """The reports the query finds: the named number, or every report holding all the query's terms.
    None when the query says nothing (no words), so the filter is left out."""
    number = report_number(query, prefix)
    if number is not None:
        return Report.number == number
    wanted = sorted(set(terms(query)))
    if not wanted:
        return None
    return Report.id.in_(matching_ids(wanted, db.session.get_bind().dialect.name))


def matching_ids(wanted: list[str], dialect: str) -> sa.Select:
    """Ids of the reports whose index holds every term. Terms are runs of letters and digits
    (text_analysis.WORD), so none can break either query syntax."""
    if dialect == "postgresql":
        simple = sa.literal_column("'simple'::regconfig")
        return sa.select(ReportSearch.report_id).where(
            sa.func.to_tsvector(simple, ReportSearch.terms).bool_op("@@")(
                sa.func.to_tsquery(simple, " & ".join(wanted))))
    return sa.select(sa.literal_column("rowid")).select_from(sa.table("report_search_fts")).where(
        sa.literal_column("report_search_fts").op("MATCH")(" ".join(f'"{term}"' for term in wanted)))
