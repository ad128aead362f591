"""Who hears of a report and who handles it: pure rules over the organisation tree and roles."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from app.codes import Role
from app.models import OrgNode, User


class Route(NamedTuple):
    handling_node: OrgNode | None
    informed: list[User]
    """Told for information: the unit's supervisors and the social directors, unless responsible."""
    responsible: list[User]


def route(unit: OrgNode, users: Iterable[User], *, partner: bool = False) -> Route:
    """Where a new report of the unit goes, chosen from `users`. A partner's report is filed at the node
    the settings name, whose own handlers take it first."""
    users = list(users)
    handlers_at = {node_id: holders for node_id, holders in role_holders(users, Role.HANDLER).items() if node_id}
    node = handling_node(unit, handlers_at, including_itself=partner)
    responsible = responsible_users(node, users)
    informed = [u for u in informed_users(unit, users) if u not in responsible]
    return Route(node, informed, responsible)


def handling_node(unit: OrgNode, handlers_at: dict[int, list[User]], *, including_itself: bool = False) -> OrgNode | None:
    """The node whose handlers take the unit's reports: the next level up, unless configured.

    Starts from the unit's configured handling node (or its parent) and climbs the tree until a
    node has active handlers; None means nobody below the social director is responsible.
    """
    candidates = [unit, *unit.ancestors()] if including_itself else handling_candidates(unit)
    return next((node for node in candidates if handlers_at.get(node.id)), None)


def handling_candidates(unit: OrgNode) -> list[OrgNode]:
    """The nodes whose handlers may take the unit's reports, nearest first: the configured one or the parent, then up."""
    chain, node = [], unit.handling_node or unit.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def role_holders(users: Iterable[User], role: Role) -> dict[int | None, list[User]]:
    """Active users holding `role`, by the node the role is scoped to (None: the whole county)."""
    by_node: dict[int | None, list[User]] = {}
    for user in users:
        if not user.active:
            continue
        for assignment in user.roles:
            if assignment.role == role:
                by_node.setdefault(assignment.org_node_id, []).append(user)
    return by_node


def informed_users(unit: OrgNode, users: Iterable[User]) -> list[User]:
    """The unit's supervisors and every social director: told of each new report for information."""
    users = list(users)
    supervisors = role_holders(users, Role.SUPERVISOR).get(unit.id, [])
    return _unique(supervisors + social_directors(users))


def social_directors(users: Iterable[User]) -> list[User]:
    return _unique([u for holders in role_holders(users, Role.SOCIAL_DIRECTOR).values() for u in holders])


def responsible_users(node: OrgNode | None, users: Iterable[User]) -> list[User]:
    """The handlers of the handling node, or the social directors when no node has handlers."""
    users = list(users)
    if node is not None:
        handlers = role_holders(users, Role.HANDLER).get(node.id, [])
        if handlers:
            return handlers
    return social_directors(users)


def responsibility(users: Iterable[User]) -> Callable[[OrgNode | None], list[User]]:
    """responsible_users() for many reports: the role maps are built once, not once per report."""
    users = list(users)
    handlers = role_holders(users, Role.HANDLER)
    directors = social_directors(users)
    return lambda node: (handlers.get(node.id) if node is not None else None) or directors


def _unique(users: list[User]) -> list[User]:
    first: dict[int, User] = {}
    for user in users:
        first.setdefault(user.id, user)
    return list(first.values())
