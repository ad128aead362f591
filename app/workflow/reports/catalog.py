"""What the report form offers: the active units, themes and municipalities, and code lookups."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.codes import NodeKind
from app.extensions import db
from app.models import Forum, Municipality, OrgNode, Theme


def active_units() -> list[OrgNode]:
    """Units sorted by division and name, each with its municipality, service area and division: one query."""
    units = db.session.scalars(
        sa.select(OrgNode)
        .where(OrgNode.kind == NodeKind.UNIT, OrgNode.active.is_(True))
        .options(joinedload(OrgNode.municipality), joinedload(OrgNode.parent).joinedload(OrgNode.parent))
    ).all()
    return sorted(units, key=lambda unit: ((unit.division.name if unit.division else ""), unit.name))


def active_unit(code: str) -> OrgNode | None:
    """The active unit of the code, with what active_units() loads with it."""
    return db.session.scalar(
        sa.select(OrgNode)
        .where(OrgNode.code == code, OrgNode.kind == NodeKind.UNIT, OrgNode.active.is_(True))
        .options(joinedload(OrgNode.municipality), joinedload(OrgNode.parent).joinedload(OrgNode.parent))
    )


def active_themes_by_codes(codes: list[str]) -> list[Theme] | None:
    """The active themes of the codes in their order, or None if a code is not one."""
    themes = list(db.session.scalars(
        sa.select(Theme).where(Theme.code.in_(codes), Theme.active.is_(True)).order_by(Theme.position)))
    return themes if len(themes) == len(set(codes)) else None


def municipalities_by_codes(codes: list[str]) -> list[Municipality] | None:
    """The current municipalities of the codes by name, or None if a code is not one (or is retired)."""
    found = list(db.session.scalars(
        sa.select(Municipality).where(Municipality.code.in_(codes), Municipality.retired.is_(False))
        .order_by(Municipality.name)))
    return found if len(found) == len(set(codes)) else None


def active_themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).where(Theme.active.is_(True)).order_by(Theme.position)))


def municipalities(*, include_retired: bool = False) -> list[Municipality]:
    """The county's municipalities; the retired ones (merged away) only where old reports are looked at."""
    query = sa.select(Municipality).order_by(Municipality.name)
    if not include_retired:
        query = query.where(Municipality.retired.is_(False))
    return list(db.session.scalars(query))


def active_forums() -> list[Forum]:
    return list(db.session.scalars(sa.select(Forum).where(Forum.active.is_(True)).order_by(Forum.level, Forum.name)))


def forum_by_code(code: str) -> Forum | None:
    return db.session.scalar(sa.select(Forum).where(Forum.code == code, Forum.active.is_(True))) if code else None


def all_nodes() -> list[OrgNode]:
    """Every node, active or not, in tree order: each division followed by its areas and their units."""
    nodes = db.session.scalars(sa.select(OrgNode).options(selectinload(OrgNode.municipality))).all()

    def path(node: OrgNode) -> tuple[str, ...]:
        return tuple(n.name.lower() for n in reversed([node, *node.ancestors()]))

    return sorted(nodes, key=path)


def municipality_by_code(code: str) -> Municipality | None:
    return db.session.scalar(sa.select(Municipality).where(Municipality.code == code)) if code else None


def node_by_code(code: str) -> OrgNode | None:
    """Any node, active or not (the administrator's choices); the report form offers active_units()."""
    return db.session.scalar(sa.select(OrgNode).where(OrgNode.code == code)) if code else None
