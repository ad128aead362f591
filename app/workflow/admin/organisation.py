"""Keeping the organisation tree: edit a node, retire one, and move a node's open reports elsewhere.

The tree is three levels deep (division > service area > unit); routing and the supervisors'
view rely on that. A node that reports refer to is never deleted, only taken out of use.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import (
    OPEN_STATUSES,
    AuditAction,
    EventKind,
    NodeKind,
    NotificationKind,
    Role,
)
from app.extensions import db
from app.models import (
    HeldFiling,
    Municipality,
    OrgNode,
    Report,
    ReportEvent,
    RoleAssignment,
    campaign_node,
    User,
    utcnow,
)
from app.workflow.cases.operations import active_users, notify_in_app
from app.workflow.cases.routing import responsible_users
from app.workflow.core.audit import apply_changes, record, shown
from app.workflow.core.errors import Refusal
from app.workflow.mail import report_mail

PARENT_KIND = {NodeKind.DIVISION: None, NodeKind.SERVICE_AREA: NodeKind.DIVISION, NodeKind.UNIT: NodeKind.SERVICE_AREA}


def parent_problem(kind: NodeKind, parent_kind: NodeKind | None) -> str | None:
    """Why a node of `kind` cannot sit under a parent of `parent_kind`, or None if it can."""
    wanted = PARENT_KIND[kind]
    if wanted == parent_kind:
        return None
    if wanted is None:
        return _("Toimialalla ei ole ylempää tasoa.")
    return _("%(kind)s kuuluu %(parent)s-tasoon.", kind=kind.label, parent=wanted.label.lower())


@dataclass(frozen=True)
class NodeInput:
    code: str
    name: str
    kind: NodeKind
    parent: OrgNode | None
    municipality: Municipality | None
    handling_node: OrgNode | None
    active: bool = True


def report_count(node: OrgNode) -> int:
    """Reports filed in this unit or handled at this node."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Report)
        .where(sa.or_(Report.unit_id == node.id, Report.handling_node_id == node.id))
    ) or 0


def save_node(node: OrgNode | None, data: NodeInput, actor: User) -> OrgNode:
    """Create a node (node None) or change one; flush. Raises Refusal with the reason."""
    clash = db.session.scalar(sa.select(OrgNode).where(OrgNode.code == data.code))
    if clash is not None and clash is not node:
        raise Refusal(_("Koodi %(code)s on jo käytössä.", code=data.code))
    problem = parent_problem(data.kind, data.parent.kind if data.parent else None)
    if problem:
        raise Refusal(problem)
    if data.kind == NodeKind.UNIT and data.municipality is None:
        raise Refusal(_("Valitse työyksikön kunta."))
    if node is not None and data.handling_node is node:
        raise Refusal(_("Yksikkö ei voi käsitellä omia raporttejaan: valitse ylempi taso tai jätä tyhjäksi."))
    if node is not None and data.kind != node.kind and (node.children or report_count(node)):
        raise Refusal(_("Tasoa ei voi muuttaa, koska yksikön alla on yksiköitä tai raportteja. "
                              "Tee uusi yksikkö ja poista vanha käytöstä."))
    created = node is None
    with db.session.no_autoflush:
        if node is None:
            node = OrgNode()
            db.session.add(node)
        changes = apply_changes(node, {
            "code": data.code, "name": data.name, "kind": data.kind, "parent": data.parent,
            "municipality": data.municipality, "handling_node": data.handling_node, "active": data.active,
        })
    if created:
        changes = {"created": True, **{name: after for name, (_before, after) in changes.items()}}
    if changes:
        record(AuditAction.ORG_CHANGED, actor=actor, target=f"org_node {node.code}", details=changes)
    db.session.flush()
    return node


def retire_node(node: OrgNode, actor: User | None, *, log: bool = True) -> str:
    """Delete a node nothing refers to, or take it out of use; returns 'deleted' or 'deactivated'."""
    return retire_nodes([node], actor, log=log)[node.code]


CHUNK = 500
"""Ids per IN list: well under SQLite's and PostgreSQL's limits on bound parameters."""


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


def retire_nodes(nodes: Sequence[OrgNode], actor: User | None, *, log: bool = True) -> dict[str, str]:
    """Delete the nodes nothing refers to and take the others out of use; flush. Returns each code's outcome.

    A node with reports or with nodes below it is deactivated, so history and open cases stay. Given
    deepest first, a parent all of whose children go is deleted too. Roles scoped to a deleted node go
    with it, and it leaves the campaigns that named it. The work is a few statements per CHUNK nodes,
    so an import that deletes thousands of units holds SQLite's write lock for seconds, not a minute.
    """
    db.session.flush()
    ids = [node.id for node in nodes]
    referred: set[int] = set()
    children: dict[int, int] = {}
    for chunk in _chunks(ids):
        for column in (Report.unit_id, Report.handling_node_id, HeldFiling.unit_id):  # a held filing is a report to come
            referred.update(db.session.scalars(sa.select(column).where(column.in_(chunk)).distinct()))
        children.update(db.session.execute(sa.select(OrgNode.parent_id, sa.func.count()).where(
            OrgNode.parent_id.in_(chunk)).group_by(OrgNode.parent_id)).all())
    outcomes: dict[str, str] = {}
    deleted: list[OrgNode] = []
    for node in nodes:
        if children.get(node.id) or node.id in referred:
            outcomes[node.code] = "deactivated"
            if not node.active:
                continue  # already out of use: nothing changes, nothing to log
            node.active = False
        else:
            outcomes[node.code] = "deleted"
            deleted.append(node)
            if node.parent_id in children:
                children[node.parent_id] -= 1
        if log:
            record(AuditAction.ORG_CHANGED, actor=actor, target=f"org_node {node.code}",
                   details={outcomes[node.code]: True})
    db.session.flush()
    gone = [node.id for node in deleted]
    parents = {node.parent for node in deleted if node.parent is not None}
    for chunk in _chunks(gone):
        for assignment in db.session.scalars(sa.select(RoleAssignment).where(RoleAssignment.org_node_id.in_(chunk))):
            assignment.user.roles.remove(assignment)
            db.session.delete(assignment)
        db.session.flush()
        db.session.execute(sa.delete(campaign_node).where(campaign_node.c.org_node_id.in_(chunk)))
        db.session.execute(sa.update(OrgNode).where(OrgNode.handling_node_id.in_(chunk))
                           .values(handling_node_id=None), execution_options={"synchronize_session": "fetch"})
        db.session.execute(sa.delete(OrgNode).where(OrgNode.id.in_(chunk)),
                           execution_options={"synchronize_session": "fetch"})
    for parent in parents:
        if parent.id not in gone:
            db.session.expire(parent, ["children"])
    return outcomes


def open_reports_at(node: OrgNode) -> list[Report]:
    """The open reports handled at the node (a held anonymous filing is routed when it is released)."""
    return list(db.session.scalars(
        sa.select(Report).where(Report.handling_node_id == node.id, Report.status.in_(OPEN_STATUSES))
        .order_by(Report.created_at)
    ))


def move_open_reports(from_node: OrgNode, to_node: OrgNode, actor: User, now: datetime | None = None) -> int:
    """Give the open reports handled at one node to another node's handlers; returns how many moved.

    Each report gets an internal timeline note and the new handlers an in-app notification.
    """
    if from_node is to_node:
        raise Refusal(_("Valitse toinen yksikkö."))
    now = now or utcnow()
    reports = open_reports_at(from_node)
    handlers = responsible_users(to_node, active_users())
    for report in reports:
        report.handling_node = to_node
        report.updated_at = now
        report.events.append(ReportEvent(
            kind=EventKind.NOTE, created_at=now, actor=actor, escalation_level=report.escalation_level,
            note=_("Käsittelyvastuu siirretty: %(old)s → %(new)s.", old=from_node.name, new=to_node.name),
        ))
        record(AuditAction.REPORT_CHANGED, actor=actor, report=report, now=now,
               details={"handling_node": [shown(from_node), shown(to_node)]})
        notify_in_app(handlers, report, NotificationKind.FOR_ACTION, now)
        report_mail.handed_over(report, handlers)
    db.session.flush()
    return len(reports)


def holders(node: OrgNode, role: Role) -> list[User]:
    return sorted((a.user for a in db.session.scalars(
        sa.select(RoleAssignment).where(RoleAssignment.org_node_id == node.id, RoleAssignment.role == role))),
        key=lambda user: user.name)
