"""Finding a report by its number and tracking code, the reporter's only key to it."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Report
from app.workflow.reports.filing import tracking_key
from app.workflow.reports.numbering import parse_number
from app.workflow.reports.tracking import code_matches, hash_code


def find_by_tracking_code(number: str, code: str) -> Report | None:
    """The report if number and code match; None for any mismatch, after the same hashing work."""
    parsed = parse_number(number, current_app.config["REPORT_NUMBER_PREFIX"])
    report = None
    if parsed is not None:
        year, sequence = parsed
        report = db.session.scalar(sa.select(Report).where(Report.year == year, Report.sequence == sequence))
    if report is None:
        hash_code(code, tracking_key())
        return None
    return report if code_matches(code, report.tracking_hash, tracking_key()) else None
