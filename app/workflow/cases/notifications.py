"""A user's in-app notifications: filtered by kind and by read, paged, and marked read a page or all at once."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from app.codes import NotificationKind
from app.extensions import db
from app.models import Notification, Report, User, utcnow
from app.workflow.core.permissions import visible_reports_filter


def _query(user: User, kind: NotificationKind | None, unread_only: bool) -> sa.Select:
    """Only notifications of reports the user may still see (a hand-over may have moved one away)."""
    query = sa.select(Notification).where(
        Notification.user_id == user.id,
        Notification.report_id.in_(sa.select(Report.id).where(visible_reports_filter(user))))
    if kind is not None:
        query = query.where(Notification.kind == kind)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query


def notifications_page(user: User, kind: NotificationKind | None, unread_only: bool, page: int,
                       per_page: int) -> Pagination:
    query = _query(user, kind, unread_only).options(joinedload(Notification.report).joinedload(Report.unit))
    return db.paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()),
                       page=page, per_page=per_page, error_out=False)


def mark_read(user: User, *, ids: list[int] | None = None, kind: NotificationKind | None = None,
              now: datetime | None = None) -> int:
    """Mark the user's unread notifications read: the given ones, or every one (of the kind); how many."""
    matching = _query(user, kind, True).with_only_columns(Notification.id)
    if ids is not None:
        matching = matching.where(Notification.id.in_(ids))
    result = db.session.execute(
        sa.update(Notification).where(Notification.id.in_(matching.scalar_subquery()))
        .values(read_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0
