"""Selected open cases handed over in bulk to another node's handlers (when a team is swamped or one is away)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.codes import OPEN_STATUSES, AuditAction, NotificationKind, Role
from app.extensions import db
from app.models import OrgNode, Report, RoleAssignment, User, utcnow
from app.workflow.cases.operations import active_users, notify_in_app
from app.workflow.cases.routing import responsible_users
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.core.permissions import can_hand_over_cases
from app.workflow.mail import report_mail


def handler_nodes() -> list[OrgNode]:
    """The nodes that have active handlers, by name: where a case can be handed."""
    return list(db.session.scalars(
        sa.select(OrgNode).where(OrgNode.id.in_(
            sa.select(RoleAssignment.org_node_id).join(User)
            .where(RoleAssignment.role == Role.HANDLER, User.active.is_(True)))).order_by(OrgNode.name)))


def hand_over_cases(actor: User, numbers: list[str], node_code: str, now: datetime | None = None) -> list[Report]:
    """Give the open reports to the node's handlers: each is moved, its new handlers are told, one audit entry."""
    if not can_hand_over_cases(actor):
        raise Refusal(_("Raporttien siirto toisille käsittelijöille kuuluu sosiaalijohtajalle."))
    node = next((n for n in handler_nodes() if n.code == node_code), None)
    if node is None:
        raise Refusal(_("Valitse, kenelle raportit siirretään."))
    if not numbers:
        raise Refusal(_("Valitse siirrettävät raportit."))
    reports = list(db.session.scalars(
        sa.select(Report).where(Report.number.in_(numbers), Report.status.in_(OPEN_STATUSES))
        .options(joinedload(Report.handling_node)).order_by(Report.id)))
    moving = [r for r in reports if r.handling_node_id != node.id]
    if not moving:
        raise Refusal(_("Valituista raporteista yksikään ei ole avoin eikä jo näiden käsittelijöiden."))
    now = now or utcnow()
    successors = responsible_users(node, active_users())
    for report in moving:
        report.handling_node = node
        notify_in_app(successors, report, NotificationKind.FOR_ACTION, now)
        report_mail.handed_over(report, successors)
    record(AuditAction.HANDED_OVER, actor=actor, target=f"org_node {node.code}", now=now,
           details={"reports": [r.number for r in moving]})
    db.session.flush()
    return moving
