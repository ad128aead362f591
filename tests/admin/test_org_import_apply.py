"""Applying an organisation file that leaves nodes out: each is deleted or taken out of use by the same
rules as one at a time (retire_node), in bulk, with what refers to a deleted node cleaned up."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from helpers import add_report, add_unit, add_user

from app.codes import Role
from app.extensions import db
from app.models import AuditEntry, Campaign, OrgNode, RoleAssignment, User, campaign_node
from app.workflow.admin import org_csv


def _import_without(codes: set[str], actor: User) -> dict[str, str]:
    states = [s for s in org_csv.load_states() if s.code not in codes]
    result = org_csv.check_file(org_csv.to_csv(states).encode("utf-8"))
    assert result.ok, result.problems
    org_csv.apply_plan(result, actor)
    db.session.commit()
    return {change.code: change.kind for change in result.changes}


def test_units_left_out_are_deleted_or_kept_with_their_history(app_ctx, password_hash):
    kept = add_unit("U-KUO")
    used = add_unit("U-USED", division="Poistuva toimiala", area="Poistuva alue")
    empty = add_unit("U-EMPTY", division="Poistuva toimiala", area="Poistuva alue")
    staffed = add_unit("U-STAFF", division="Poistuva toimiala", area="Tyhjä alue")
    area, lonely_area, division = used.parent, staffed.parent, used.parent.parent
    add_report(used)
    supervisor = add_user("s@t.example", password_hash=password_hash, roles=[(Role.SUPERVISOR, staffed)])
    admin = add_user("a@t.example", password_hash=password_hash, roles=[(Role.ADMIN, None)])
    campaign = Campaign(title="Muistutus", message="Muista raportoida.", next_on=date(2027, 1, 1), nodes=[empty, kept])
    db.session.add(campaign)
    db.session.commit()
    ids = {node.code: node.id for node in (used, empty, staffed, area, lonely_area, division)}

    changes = _import_without(set(ids), admin)
    assert changes == {"U-EMPTY": "delete", "U-STAFF": "delete", "U-USED": "deactivate",
                       area.code: "deactivate", lonely_area.code: "delete", division.code: "deactivate"}
    db.session.expire_all()
    remaining = {node.code: node.active for node in db.session.scalars(sa.select(OrgNode))}
    assert remaining["U-USED"] is False and remaining[area.code] is False and remaining[division.code] is False
    assert "U-EMPTY" not in remaining and "U-STAFF" not in remaining and lonely_area.code not in remaining
    assert db.session.scalars(sa.select(campaign_node.c.org_node_id)).all() == [kept.id]
    assert db.session.scalar(sa.select(RoleAssignment).where(RoleAssignment.user_id == supervisor.id)) is None
    logged = {entry.target: entry.details for entry in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.target.like("org_node %")))}
    assert logged["org_node U-EMPTY"] == {"deleted": True}
    assert logged["org_node U-USED"] == {"deactivated": True}
    assert logged[f"org_node {lonely_area.code}"] == {"deleted": True}


def test_a_node_already_out_of_use_is_not_logged_again(app_ctx, password_hash):
    used = add_unit("U-USED", division="Poistuva toimiala", area="Poistuva alue")
    add_report(used)
    admin = add_user("a@t.example", password_hash=password_hash, roles=[(Role.ADMIN, None)])
    _import_without({"U-USED"}, admin)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    states = org_csv.load_states()
    result = org_csv.check_file(org_csv.to_csv([s for s in states if s.code != "U-USED"]).encode("utf-8"))
    assert not [c for c in result.changes if c.code == "U-USED"]
    org_csv.apply_plan(result, admin)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before + 1  # the import itself
