"""People and their roles: accounts are created, changed and deactivated, never deleted.

Reports are routed to nodes of the tree, not to persons: a handler handles the reports of the
nodes their handler role is scoped to. So when a handler leaves, `hand_over()` gives their
node-scoped roles to a successor in one step, and the successor sees the open reports at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import OPEN_STATUSES, AuditAction, NotificationKind, Role
from app.extensions import db
from app.models import Municipality, OrgNode, Report, RoleAssignment, User, utcnow
from app.workflow.cases.operations import notify_in_app
from app.workflow.auth import account_links
from app.workflow.core.audit import apply_changes, record
from app.workflow.core.errors import Refusal
from app.workflow.mail import report_mail


class Scope(Enum):
    NONE = "none"
    NODE = "node"
    NODE_OPTIONAL = "node_optional"
    MUNICIPALITY_OPTIONAL = "municipality_optional"


SCOPES = {
    Role.EMPLOYEE: Scope.NODE_OPTIONAL,
    Role.SUPERVISOR: Scope.NODE,
    Role.HANDLER: Scope.NODE,
    Role.SOCIAL_DIRECTOR: Scope.NONE,
    Role.WORKING_GROUP: Scope.NONE,
    Role.REVIEW_BODY: Scope.NONE,
    Role.WELFARE_COORDINATOR: Scope.MUNICIPALITY_OPTIONAL,
    Role.ADMIN: Scope.NONE,
    Role.CONTACT_PERSON: Scope.NODE,
}
"""What each role is scoped to: supervisors and handlers to a node, coordinators to a municipality
(none: the whole county), an employee optionally to their unit, the rest to the whole county."""


def scope_text(assignment: RoleAssignment) -> str:
    if assignment.org_node is not None:
        return assignment.org_node.name
    if assignment.municipality is not None:
        return assignment.municipality.name
    return _("Koko hyvinvointialue")


def _email_taken(email: str, user: User | None) -> bool:
    other = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    return other is not None and other is not user


@dataclass(frozen=True)
class UserInput:
    name: str
    email: str
    password: str | None = None


def save_user(user: User | None, data: UserInput, actor: User) -> User:
    """Create an account (user None) or change one; flush. A password is only ever stored hashed."""
    if _email_taken(data.email, user):
        raise Refusal(_("Sähköpostiosoite %(email)s on jo toisella käyttäjällä.", email=data.email))
    created = user is None
    if user is None:
        user = User(email=data.email, name=data.name, active=True)
        db.session.add(user)
    changes = apply_changes(user, {"name": data.name, "email": data.email})
    if data.password:
        user.set_password(data.password)
        if not created:
            user.end_sessions()  # whoever knew the old password is logged out
        changes["password"] = ["", "***"]  # that it changed, never what it is
    if created:
        changes = {"created": True, "name": data.name, "email": data.email}
    db.session.flush()
    if changes:
        record(AuditAction.USER_CHANGED, actor=actor, target=f"user {user.email}", details=changes)
    if created:
        account_links.invite(user, actor)  # the new person sets their own password from the mail
    return user


def choose_language(user: User, language: str) -> None:
    """The language the person chose in the header is also the one SoRa writes its mail to them in."""
    if user.language != language:
        user.language = language


def _active_admins() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(User.id))).join(RoleAssignment)
        .where(User.active.is_(True), RoleAssignment.role == Role.ADMIN)
    ) or 0


def set_active(user: User, active: bool, actor: User) -> None:
    """Take an account out of use or back; it keeps its roles and history. Never deleted."""
    if user.active == active:
        return
    if not active and user.id == getattr(actor, "id", None):
        raise Refusal(_("Et voi poistaa omaa tunnustasi käytöstä."))
    if not active and user.has_role(Role.ADMIN) and _active_admins() <= 1:
        raise Refusal(_("Tämä on ainoa käytössä oleva pääkäyttäjä. Lisää ensin toinen pääkäyttäjä."))
    user.active = active
    record(AuditAction.USER_CHANGED, actor=actor, target=f"user {user.email}", details={"active": [not active, active]})
    db.session.flush()


def add_role(user: User, role: Role, node: OrgNode | None, municipality: Municipality | None,
             actor: User) -> RoleAssignment:
    scope = SCOPES[role]
    if scope == Scope.NODE and node is None:
        raise Refusal(_("Valitse organisaation yksikkö, jota rooli %(role)s koskee.", role=role.label.lower()))
    if scope in (Scope.NONE, Scope.MUNICIPALITY_OPTIONAL) and node is not None:
        raise Refusal(_("Rooli %(role)s ei koske organisaation yksikköä: jätä yksikkö tyhjäksi.",
                              role=role.label.lower()))
    if scope != Scope.MUNICIPALITY_OPTIONAL and municipality is not None:
        raise Refusal(_("Kunnan voi valita vain hyvinvointikoordinaattorille."))
    if any(a.role == role and a.org_node is node and a.municipality is municipality for a in user.roles):
        raise Refusal(_("Käyttäjällä on jo tämä rooli."))
    assignment = RoleAssignment(role=role, org_node=node, municipality=municipality)
    user.roles.append(assignment)
    record(AuditAction.ROLES_CHANGED, actor=actor, target=f"user {user.email}",
           details={"added": [f"{role.value}: {scope_text(assignment)}"]})
    db.session.flush()
    return assignment


def remove_role(assignment: RoleAssignment, actor: User) -> None:
    user = assignment.user
    if assignment.role == Role.ADMIN and user.active and _active_admins() <= 1 and \
            sum(a.role == Role.ADMIN for a in user.roles) == 1:
        raise Refusal(_("Tämä on ainoa käytössä oleva pääkäyttäjä. Lisää ensin toinen pääkäyttäjä."))
    record(AuditAction.ROLES_CHANGED, actor=actor, target=f"user {user.email}",
           details={"removed": [f"{assignment.role.value}: {scope_text(assignment)}"]})
    user.roles.remove(assignment)
    db.session.flush()


HANDED_OVER_ROLES = (Role.HANDLER, Role.SUPERVISOR)


def hand_over(departed: User, successor: User, actor: User, *, deactivate: bool = True,
              now: datetime | None = None) -> int:
    """Give a departing person's handler and supervisor roles to a successor; returns the open reports moved.

    The successor gets each node-scoped handler and supervisor role the departed held (unless
    they already hold it), the departed loses them, and the successor is notified of every open
    report now in their hands. Optionally the departed's account is taken out of use.
    """
    if departed is successor:
        raise Refusal(_("Valitse toinen henkilö."))
    if not successor.active:
        raise Refusal(_("%(name)s ei ole käytössä oleva käyttäjä.", name=successor.name))
    moving = [a for a in departed.roles if a.role in HANDED_OVER_ROLES and a.org_node is not None]
    if not moving:
        raise Refusal(_("Käyttäjällä %(name)s ei ole käsittelijän tai esihenkilön tehtäviä siirrettäväksi.",
                              name=departed.name))
    now = now or utcnow()
    held = {(a.role, a.org_node_id) for a in successor.roles}
    moved = []
    for assignment in moving:
        if (assignment.role, assignment.org_node_id) not in held:
            successor.roles.append(RoleAssignment(role=assignment.role, org_node=assignment.org_node))
        moved.append(f"{assignment.role.value}: {scope_text(assignment)}")
        departed.roles.remove(assignment)
    handled_at = {a.org_node_id for a in moving if a.role == Role.HANDLER}
    reports = list(db.session.scalars(
        sa.select(Report).where(Report.handling_node_id.in_(handled_at), Report.status.in_(OPEN_STATUSES))
    )) if handled_at else []
    for report in reports:
        notify_in_app([successor], report, NotificationKind.FOR_ACTION, now)
        report_mail.handed_over(report, [successor])
    record(AuditAction.HANDED_OVER, actor=actor, target=f"user {departed.email}", now=now,
           details={"to_user": successor.email, "roles": moved, "open_reports": len(reports)})
    db.session.flush()
    if deactivate:
        set_active(departed, False, actor)
    return len(reports)
