"""What a unit's contact person (rakenteellisen sosiaalityön vastuuhenkilö) sees: their units' figures,
the public progress of their units' reports, and the network of the other contact persons.

Public progress is what the reporter's tracking page shows the reporter: the status, the level and
the notes marked public, never the reporter, the text or an internal note. Times to the day only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.codes import OPEN_STATUSES, NodeKind, Role
from app.extensions import db
from app.models import OrgNode, Report, RoleAssignment, User
from app.workflow.compilations.periods import HELSINKI, Period, period_of
from app.workflow.core.permissions import contact_nodes


@dataclass(frozen=True)
class UnitFigures:
    unit: OrgNode
    this_period: int
    previous_period: int
    open: int


@dataclass(frozen=True)
class Member:
    name: str
    email: str
    nodes: list[str]


def units_of(user: User) -> list[OrgNode]:
    """The units the contact person is named for, and those below a service area or division they are named for."""
    mine = contact_nodes(user)
    if not mine:
        return []
    units = db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT)).all()
    return sorted((u for u in units if u.id in mine or any(a.id in mine for a in u.ancestors())), key=lambda u: u.name)


def figures(user: User, today: date) -> tuple[Period, list[UnitFigures]]:
    """Per unit: reports filed this half-year and the previous one, and how many are open now."""
    period = period_of(today)
    previous = period.previous()
    units = units_of(user)
    ids = [u.id for u in units]

    def counts(where: sa.ColumnElement[bool]) -> dict[int, int]:
        rows = db.session.execute(sa.select(Report.unit_id, sa.func.count()).where(Report.unit_id.in_(ids), where)
                                  .group_by(Report.unit_id)).all()
        return {unit_id: count for unit_id, count in rows}

    def within(p: Period) -> sa.ColumnElement[bool]:
        start, end = p.bounds()
        return sa.and_(Report.created_at >= start, Report.created_at < end)

    now, before, open_ = counts(within(period)), counts(within(previous)), counts(Report.status.in_(OPEN_STATUSES))
    return period, [UnitFigures(u, now.get(u.id, 0), before.get(u.id, 0), open_.get(u.id, 0)) for u in units]


def progress(user: User, limit: int = 50) -> list[Report]:
    """The newest reports of the contact person's units, for their public progress only (see the template)."""
    ids = [u.id for u in units_of(user)]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Report).where(Report.unit_id.in_(ids))
                                   .options(selectinload(Report.events), selectinload(Report.unit))
                                   .order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)))


def network() -> list[Member]:
    """Every active contact person with the nodes they are named for, by name."""
    people = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.roles.any(RoleAssignment.role == Role.CONTACT_PERSON))
        .options(selectinload(User.roles).selectinload(RoleAssignment.org_node)).order_by(User.name)).all()
    return [Member(p.name, p.email, sorted(a.org_node.name for a in p.roles
                                           if a.role == Role.CONTACT_PERSON and a.org_node is not None))
            for p in people]


def helsinki_today() -> date:
    from app.models import utcnow

    return utcnow().astimezone(HELSINKI).date()
