"""The organisation: municipalities and the tree of divisions, service areas and work units."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import get_locale

from app.codes import EscalationLevel, NodeKind
from app.extensions import db
from app.models.types import code_enum


class Municipality(db.Model):
    """A municipality of the county, as Statistics Finland's classification names it (see county setup)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(3), unique=True)
    """Statistics Finland's official municipality number, e.g. 205 for Kajaani."""
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    """The Finnish name."""
    name_sv: Mapped[str | None] = mapped_column(sa.String(100))
    """The Swedish name (the Finnish one where the classification has no other)."""
    retired: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    """Gone from a newer classification (merged): old reports keep it, new ones cannot choose it."""

    def name_in(self, language: str) -> str:
        return (self.name_sv or self.name) if language == "sv" else self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: Swedish pages show Swedish names (Kuopio, Jyväskylä; Vasa)."""
        locale = get_locale()
        return self.name_in(locale.language if locale is not None else "fi")

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


class OrgNode(db.Model):
    __tablename__ = "org_node"
    __table_args__ = (
        sa.CheckConstraint("kind <> 'unit' OR municipality_id IS NOT NULL", name="unit_has_municipality"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[NodeKind] = mapped_column(code_enum(NodeKind, "node_kind"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_node.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    active: Mapped[bool] = mapped_column(default=True)
    handling_node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_node.id"))
    """Whose handlers take this node's reports; empty means the parent node (the next level up)."""

    parent: Mapped[OrgNode | None] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    handling_node: Mapped[OrgNode | None] = relationship(remote_side=[id], foreign_keys=[handling_node_id])
    children: Mapped[list[OrgNode]] = relationship(back_populates="parent", foreign_keys=[parent_id])
    municipality: Mapped[Municipality | None] = relationship()

    @property
    def division(self) -> OrgNode | None:
        node: OrgNode | None = self
        while node is not None and node.kind != NodeKind.DIVISION:
            node = node.parent
        return node

    def ancestors(self) -> list[OrgNode]:
        """Parent first, root last."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def __repr__(self) -> str:
        return f"<OrgNode {self.code}>"


class Forum(db.Model):
    """A named body a report can be taken forward to; its level is the escalation level reached."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[EscalationLevel] = mapped_column(code_enum(EscalationLevel, "forum_level"))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    active: Mapped[bool] = mapped_column(default=True)

    municipality: Mapped[Municipality | None] = relationship()
