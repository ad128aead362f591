"""Who may see a report, see its reporter, act on it, work on compilations and pull welfare-report content:
the one place these are decided."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.codes import CompilationAction, CompilationStatus, Role
from app.models import Compilation, Municipality, OrgNode, PhenomenonGroup, Report, User
from app.workflow.cases.transitions import (
    CASE_HANDLERS,
    TRANSITIONS,
    Action,
    ReporterAction,
)
from app.workflow.compilations.transitions import COMPILATION_TRANSITIONS

SEE_ALL = frozenset({Role.SOCIAL_DIRECTOR, Role.WORKING_GROUP})


def _nodes(user: User, role: Role) -> set[int]:
    return {a.org_node_id for a in user.roles if a.role == role and a.org_node_id is not None}


def _has(user: User | None, role: Role) -> TypeGuard[User]:
    return user is not None and getattr(user, "is_authenticated", False) and user.has_role(role)


def is_responsible_handler(user: User | None, report: Report) -> bool:
    return _has(user, Role.HANDLER) and report.handling_node_id in _nodes(user, Role.HANDLER)


def supervises(user: User | None, report: Report) -> bool:
    """Supervisors see the reports of their own units and of the units below the nodes they lead."""
    if not _has(user, Role.SUPERVISOR):
        return False
    led = _nodes(user, Role.SUPERVISOR)
    return report.unit_id in led or any(node.id in led for node in report.unit.ancestors())


def can_view(user: User | None, report: Report) -> bool:
    return (
        any(_has(user, role) for role in SEE_ALL)
        or is_responsible_handler(user, report)
        or supervises(user, report)
    )


def can_see_reporter(user: User | None, report: Report) -> bool:
    """The reporter's name is for those who give feedback, never for the working group."""
    return is_responsible_handler(user, report) or _has(user, Role.SOCIAL_DIRECTOR)


def can_see_reporters_in_audit(user: User | None) -> bool:
    """Who filed a named report shows in the audit log only to those who may see every reporter."""
    return _has(user, Role.SOCIAL_DIRECTOR)


def acts_as(user: User | None, role: Role, report: Report) -> bool:
    """Whether the user acts on this report in this role: a handler only on the reports of the node
    they handle, the social director on every report; the other roles do not act on cases."""
    if role == Role.HANDLER:
        return is_responsible_handler(user, report)
    return role == Role.SOCIAL_DIRECTOR and _has(user, Role.SOCIAL_DIRECTOR)


def may_act(user: User | None, report: Report) -> bool:
    """Acting on a case belongs to its responsible handlers and the social director."""
    return any(acts_as(user, role, report) for role in CASE_HANDLERS)


def can_code_national_phenomena(user: User | None, report: Report) -> bool:
    """Confirming or correcting a report's national phenomena is handling it: whoever may act on the case."""
    return may_act(user, report)


def can(user: User | None, action: Action | ReporterAction, report: Report) -> bool:
    """The table's row: the report is in one of its sources and the user holds one of its actors' roles
    for this report. The reporter is no user, so a reporter's row is never a user's to take."""
    transition = TRANSITIONS[action]
    return transition.allows(report.status) and any(
        acts_as(user, actor, report) for actor in transition.actors if isinstance(actor, Role))


def allowed_actions(user: User | None, report: Report) -> list[Action | ReporterAction]:
    return [action for action in TRANSITIONS if can(user, action, report)]


def sees_all(user: User | None) -> bool:
    """The social director and the working group follow every report and the dashboard."""
    return any(_has(user, role) for role in SEE_ALL)


def sees_weak_signals(user: User | None) -> bool:
    """Clusters of similar reports across the county are for those who turn them into phenomena (004)."""
    return _has(user, Role.WORKING_GROUP) or _has(user, Role.SOCIAL_DIRECTOR)


def uses_inbox(user: User | None) -> bool:
    return any(_has(user, role) for role in (*SEE_ALL, Role.HANDLER, Role.SUPERVISOR))


def visible_reports_filter(user: User) -> sa.ColumnElement[bool]:
    """The SQL condition matching exactly the reports can_view() allows, for lists and counts."""
    if any(user.has_role(role) for role in SEE_ALL):
        return sa.true()
    conditions: list[sa.ColumnElement[bool]] = []
    handler_nodes = _nodes(user, Role.HANDLER)
    if handler_nodes:
        conditions.append(Report.handling_node_id.in_(handler_nodes))
    led = _nodes(user, Role.SUPERVISOR)
    if led:
        conditions.append(Report.unit_id.in_(sa.select(OrgNode.id).where(_within(led))))
    return sa.or_(*conditions) if conditions else sa.false()


def _within(node_ids: set[int]) -> sa.ColumnElement[bool]:
    """Units at or below the given nodes (the tree is three levels deep: division > area > unit)."""
    parent = aliased(OrgNode)
    return sa.or_(
        OrgNode.id.in_(node_ids),
        OrgNode.parent_id.in_(node_ids),
        OrgNode.parent_id.in_(sa.select(parent.id).where(parent.parent_id.in_(node_ids))),
    )


def administers(user: User | None) -> bool:
    """The administrator (pääkäyttäjä) keeps the organisation, people, choices, settings, mail and the audit log."""
    return _has(user, Role.ADMIN)


# Compilations. Drafts are worked on by the working group and followed by the review body and
# the social director. A published compilation is public: anyone may read it, its municipality parts
# and its figures on the public results page, logged in or not, so no role scopes a published part.
# Only what is not public (drafts, the period's reports, welfare packages) is scoped.
COMPILATION_WORKERS = frozenset({Role.WORKING_GROUP, Role.REVIEW_BODY, Role.SOCIAL_DIRECTOR})


def sees_compilations(user: User | None) -> bool:
    """Every employee sees the published compilations (and workers the drafts) in the menu."""
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_view_compilation(user: User | None, compilation: Compilation) -> bool:
    if compilation.status == CompilationStatus.PUBLISHED:
        return True
    return any(_has(user, role) for role in COMPILATION_WORKERS)


def can_read_period_reports(user: User | None) -> bool:
    """The working group reads every report of the half-year, in full, to choose the excerpts."""
    return _has(user, Role.WORKING_GROUP)


def can_view_draft_compilations(user: User | None) -> bool:
    return any(_has(user, role) for role in COMPILATION_WORKERS)


def can_open_compilation(user: User | None) -> bool:
    return _has(user, Role.WORKING_GROUP)


def can_edit_compilation(user: User | None, compilation: Compilation) -> bool:
    """The working group writes the texts and picks the highlights while the compilation is a draft."""
    return compilation.status == CompilationStatus.DRAFT and _has(user, Role.WORKING_GROUP)


def can_compilation(user: User | None, action: CompilationAction, compilation: Compilation) -> bool:
    transition = COMPILATION_TRANSITIONS.get(action)
    return (transition is not None and compilation.status in transition.sources
            and any(_has(user, role) for role in transition.actors))


def compilation_actions(user: User | None, compilation: Compilation) -> list[CompilationAction]:
    return [action for action in COMPILATION_TRANSITIONS if can_compilation(user, action, compilation)]


def can_edit_clock(user: User | None) -> bool:
    """The annual clock's events are reference data: the administrator keeps them."""
    return administers(user)


# Welfare coordinators (hyvinvointikoordinaattori) pull published content into the welfare reports of
# their municipalities. A coordinator role without a municipality covers the whole county.
@dataclass(frozen=True)
class CoordinatorScope:
    whole_county: bool
    municipality_ids: frozenset[int]

    def covers(self, municipality: Municipality | None) -> bool:
        """None stands for the county as a whole, which only a county-wide coordinator may pull."""
        if self.whole_county:
            return True
        return municipality is not None and municipality.id in self.municipality_ids

    @property
    def empty(self) -> bool:
        return not self.whole_county and not self.municipality_ids


def coordinator_scope(user: User | None) -> CoordinatorScope:
    """The municipalities (or the whole county) of this user's welfare-coordinator roles; empty for others."""
    if not _has(user, Role.WELFARE_COORDINATOR):
        return CoordinatorScope(False, frozenset())
    assignments = [a for a in user.roles if a.role == Role.WELFARE_COORDINATOR]
    return CoordinatorScope(any(a.municipality_id is None for a in assignments),
                            frozenset(a.municipality_id for a in assignments if a.municipality_id is not None))


def pulls_welfare_content(user: User | None) -> bool:
    return not coordinator_scope(user).empty


def can_pull_welfare_package(user: User | None, municipality: Municipality | None) -> bool:
    """A coordinator pulls their own municipalities; the county (None) needs a county-wide role."""
    return coordinator_scope(user).covers(municipality)


def can_download_national_export(user: User | None) -> bool:
    """The county-wide figures for national comparison: county-wide coordinators and the administrator."""
    return coordinator_scope(user).whole_county or administers(user)


def can_hand_over_cases(user: User | None) -> bool:
    """Moving reports between handling nodes in bulk is the social director's: it changes whose work they are."""
    return _has(user, Role.SOCIAL_DIRECTOR)


def sets_up_installation(*, empty: bool) -> bool:
    """Anyone may choose the county and the first administrator of an empty installation (as whoever
    installs it would on the command line); once it has either, nobody may through the first-run page."""
    return empty


def is_contact_person(user: User | None) -> bool:
    """A unit's structural-social-work contact person (rakenteellisen sosiaalityön vastuuhenkilö)."""
    return _has(user, Role.CONTACT_PERSON)


def contact_nodes(user: User | None) -> set[int]:
    """The nodes a contact person is named for; their figures cover these and every unit below them."""
    return _nodes(user, Role.CONTACT_PERSON) if _has(user, Role.CONTACT_PERSON) else set()


def sees_contact_network(user: User | None) -> bool:
    """The network of contact persons is for its members, the working group that coordinates it and the administrator."""
    return is_contact_person(user) or _has(user, Role.WORKING_GROUP) or _has(user, Role.ADMIN)


def manages_campaigns(user: User | None) -> bool:
    return _has(user, Role.ADMIN)


# Phenomena beside indicators (issue 17). Reports' counts per municipality are exact for those who see every
# report; the others who follow the knowledge (the review body, welfare coordinators) see them under the
# compilation's disclosure control.
PHENOMENON_VIEWERS = frozenset({*SEE_ALL, Role.REVIEW_BODY, Role.WELFARE_COORDINATOR, Role.ADMIN})


def manages_indicators(user: User | None) -> bool:
    """Importing and removing indicator values: the working group, which reads them, and the administrator."""
    return _has(user, Role.WORKING_GROUP) or administers(user)


def manages_harvest(user: User | None) -> bool:
    """The counties harvested for a comparison, and files uploaded to it: the administrator's settings."""
    return administers(user)


def sees_phenomenon_view(user: User | None) -> bool:
    return any(_has(user, role) for role in PHENOMENON_VIEWERS)


# Phenomenon groups (ilmiöt). The working group, the social director and the handlers put reports of any
# units and municipalities together into a phenomenon and write what it means; each of them may only
# attach or detach the reports they may see, and sees only those among a group's reports.
GROUP_WORKERS = frozenset({Role.WORKING_GROUP, Role.SOCIAL_DIRECTOR, Role.HANDLER})


def works_on_groups(user: User | None) -> bool:
    return any(_has(user, role) for role in GROUP_WORKERS)


def can_view_group(user: User | None, group: PhenomenonGroup) -> bool:
    return works_on_groups(user)


def can_edit_group(user: User | None, group: PhenomenonGroup) -> bool:
    return works_on_groups(user)


def can_attach_report(user: User | None, group: PhenomenonGroup, report: Report) -> bool:
    """Only a report the user may see, so no one learns of or moves a report beyond their own reach."""
    return can_edit_group(user, group) and can_view(user, report)


def can_detach_report(user: User | None, group: PhenomenonGroup, report: Report) -> bool:
    return can_attach_report(user, group, report)


# What came of a proposal: the working group and the social director record where it went and what was
# decided; staff who follow the work read the internal follow-ups too, the public and the reporters the
# public ones only.
FOLLOW_UP_READERS = frozenset({Role.WORKING_GROUP, Role.SOCIAL_DIRECTOR, Role.REVIEW_BODY, Role.HANDLER,
                               Role.WELFARE_COORDINATOR})


def records_follow_ups(user: User | None) -> bool:
    return _has(user, Role.WORKING_GROUP) or _has(user, Role.SOCIAL_DIRECTOR)


def sees_internal_follow_ups(user: User | None) -> bool:
    return any(_has(user, role) for role in FOLLOW_UP_READERS)


def sees_comparison(user: User | None) -> bool:
    """THL's three views over the counties' harvested exports are for anyone, logged in or not: every figure
    in them is open data that each county published under its own disclosure control."""
    return True
