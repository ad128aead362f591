"""The handler's inbox: the reports a user may see, filtered, newest first, with counts per status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from app.extensions import db
from app.models import Municipality, OrgNode, Report, Theme, User, report_municipality, report_theme, utcnow
from app.workflow.deadlines import due_soon_condition, next_due_column, overdue_condition
from app.workflow.permissions import visible_reports_filter
from app.workflow.statuses import ReportStatus


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    phenomenon: str = ""
    nature: str = ""
    theme: str = ""
    municipality: str = ""
    unit: str = ""
    level: str = ""
    unread: bool = False
    overdue: bool = False
    due_soon: bool = False
    sort: str = ""
    now: datetime | None = None


SORTS = ("", "oldest", "deadline")
DUE_SOON = timedelta(days=7)


def _filtered(user: User, filters: InboxFilters, *, with_status: bool = True) -> sa.Select:
    query = sa.select(Report).where(visible_reports_filter(user))
    if filters.overdue:
        query = query.where(overdue_condition(filters.now or utcnow()))
    if filters.due_soon:
        query = query.where(due_soon_condition(filters.now or utcnow(), DUE_SOON))
    if with_status and filters.status:
        query = query.where(Report.status == filters.status)
    if filters.phenomenon:
        query = query.where(Report.phenomenon == filters.phenomenon)
    if filters.nature:
        query = query.where(Report.nature == filters.nature)
    if filters.level:
        query = query.where(Report.escalation_level == filters.level)
    if filters.unread:
        query = query.where(Report.unread_answer.is_(True))
    if filters.unit:
        query = query.where(Report.unit_id == sa.select(OrgNode.id).where(OrgNode.code == filters.unit).scalar_subquery())
    if filters.theme:
        query = query.where(Report.id.in_(
            sa.select(report_theme.c.report_id).join(Theme).where(Theme.code == filters.theme)))
    if filters.municipality:
        query = query.where(sa.or_(
            Report.whole_county.is_(True),
            Report.id.in_(sa.select(report_municipality.c.report_id).join(Municipality)
                          .where(Municipality.code == filters.municipality)),
        ))
    return query


def inbox_query(user: User, filters: InboxFilters) -> sa.Select:
    """Newest first by default; oldest first; or the nearest deadline first, closed reports last."""
    query = _filtered(user, filters)
    if filters.sort == "oldest":
        return query.order_by(Report.created_at, Report.id)
    if filters.sort == "deadline":
        due = next_due_column()
        return query.order_by(due.is_(None), due, Report.id)
    return query.order_by(Report.created_at.desc(), Report.id.desc())


def inbox_page(user: User, filters: InboxFilters, page: int, per_page: int) -> tuple[Pagination, dict[ReportStatus, int]]:
    """One page of the inbox and the counts per status, with a single counting query: the page's total
    is the count of the chosen status, or of all of them (counting grows with the reports; paging does not)."""
    counts = status_counts(user, filters)
    total = sum(n for status, n in counts.items() if status.value == filters.status or not filters.status)
    result = db.paginate(inbox_query(user, filters), page=page, per_page=per_page, error_out=False, count=False)
    result.total = total
    return result, counts


def status_counts(user: User, filters: InboxFilters) -> dict[ReportStatus, int]:
    """Counts per status under every filter except the status itself, for the inbox tabs."""
    subquery = _filtered(user, filters, with_status=False).subquery()
    rows = sa.select(subquery.c.status, sa.func.count()).group_by(subquery.c.status)
    counts = {ReportStatus(status): count for status, count in db.session.execute(rows)}
    return {status: counts.get(status, 0) for status in ReportStatus}
