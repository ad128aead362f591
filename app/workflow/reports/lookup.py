"""Finding a report by its number and tracking code, the reporter's only key to it."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import HeldFiling, Report
from app.workflow.reports.filing import as_report, tracking_key
from app.workflow.reports.numbering import ANONYMOUS_SERIES, format_number, parse_number
from app.workflow.reports.tracking import code_matches, hash_code


def find_by_tracking_code(number: str, code: str) -> Report | None:
    """The report if number and code match; None for any mismatch, after the same hashing work.

    A filing held for the day's release is found too, as the report it will be (`filing.as_report`)."""
    found = by_number(number)
    if found is None:
        hash_code(code, tracking_key())
        return None
    return tracked(found) if code_matches(code, found.tracking_hash, tracking_key()) else None


def by_number(number: str) -> Report | HeldFiling | None:
    """The report or the held filing of a number typed in any spacing or case."""
    prefix = current_app.config["REPORT_NUMBER_PREFIX"]
    parsed = parse_number(number, prefix)
    if parsed is None:
        return None
    report = db.session.scalar(sa.select(Report).where(
        Report.year == parsed.year, Report.series == parsed.series, Report.sequence == parsed.sequence))
    if report is None and parsed.series == ANONYMOUS_SERIES:
        report = db.session.scalar(sa.select(HeldFiling).where(HeldFiling.number == format_number(prefix, *parsed)))
    return report


def tracked(found: Report | HeldFiling) -> Report:
    return found if isinstance(found, Report) else as_report(found)
