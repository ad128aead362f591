"""Phenomenon groups (ilmiöt): the working group's named phenomena across reports of any units and
municipalities, their texts and proposals (issue 17, point 2).

Operations check the permission, change the group, write the audit entry and flush; the request commits.
A viewer only ever meets the reports they may see (permissions.can_view): the group page lists those,
and attaching or detaching another is refused as if the report did not exist. Nothing of a reporter is
ever read here: a group is about the phenomenon.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.codes import AuditAction
from app.extensions import db
from app.models import (
    NationalPhenomenon,
    PhenomenonGroup,
    Proposal,
    Report,
    User,
    phenomenon_group_report,
    utcnow,
)
from app.workflow.core import permissions
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal, check_version, flush
from app.workflow.search.query import report_number


@dataclass
class GroupText:
    """What the working group writes about a phenomenon."""

    name: str
    description: str = ""
    observations: str = ""
    national_phenomena: tuple[str, ...] = ()
    """Codes of THL's national phenomena the group concerns."""


def _target(group: PhenomenonGroup) -> str:
    return f"phenomenon_group {group.id}"


def _refuse_unless_worker(user: User) -> None:
    if not permissions.works_on_groups(user):
        raise Refusal(_("Ilmiöitä kokoavat rakenteellisen sosiaalityön työryhmä, sosiaalijohtaja ja käsittelijät."))


def visible_groups(user: User) -> list[PhenomenonGroup]:
    """The groups, newest first, for those who work on them; nobody else sees any."""
    if not permissions.works_on_groups(user):
        return []
    return list(db.session.scalars(sa.select(PhenomenonGroup).order_by(PhenomenonGroup.updated_at.desc(),
                                                                          PhenomenonGroup.id.desc())))


def report_counts(group_ids: Iterable[int]) -> dict[int, int]:
    """How many reports each group holds (one query)."""
    ids = list(group_ids)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(phenomenon_group_report.c.group_id, sa.func.count())
                              .where(phenomenon_group_report.c.group_id.in_(ids))
                              .group_by(phenomenon_group_report.c.group_id))
    return {group_id: count for group_id, count in rows}


def find_group(user: User, group_id: int) -> PhenomenonGroup | None:
    """The group if this user may see it; None otherwise (the view answers 404)."""
    group = db.session.get(PhenomenonGroup, group_id)
    return group if group is not None and permissions.can_view_group(user, group) else None


def visible_reports(user: User, group: PhenomenonGroup) -> list[Report]:
    """The group's reports this user may see, oldest first."""
    return [r for r in group.reports if permissions.can_view(user, r)]


def municipality_counts(reports: Iterable[Report]) -> list[tuple[str, int]]:
    """Reports per municipality concerned (a report may concern several; the whole county is a row of its own)."""
    counts: Counter[str] = Counter()
    county = str(_("Koko hyvinvointialue"))
    for report in reports:
        if report.whole_county:
            counts[county] += 1
        for municipality in report.municipalities:
            counts[municipality.label] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _visible_report(user: User, reference: object) -> Report | None:
    """A report by id or by its number (in any spacing), if this user may see it."""
    text = str(reference or "").strip()
    report = None
    if text.isdigit():
        report = db.session.get(Report, int(text))
    else:
        number = report_number(text, current_app.config["REPORT_NUMBER_PREFIX"])
        if number:
            report = db.session.scalar(sa.select(Report).where(Report.number == number))
    return report if report is not None and permissions.can_view(user, report) else None


def prefilled_reports(user: User, references: Iterable[object]) -> list[Report]:
    """The reports a new group starts with (ids or numbers, e.g. a weak signal's): only those the user may see."""
    found: dict[int, Report] = {}
    for reference in references:
        report = _visible_report(user, reference)
        if report is not None:
            found.setdefault(report.id, report)
    return list(found.values())


def _national(codes: Iterable[str]) -> list[NationalPhenomenon]:
    wanted = [c for c in codes if c]
    if not wanted:
        return []
    return list(db.session.scalars(sa.select(NationalPhenomenon).where(NationalPhenomenon.code.in_(wanted))
                                   .order_by(NationalPhenomenon.position)))


def _write(group: PhenomenonGroup, text: GroupText) -> dict[str, Any]:
    """Set the texts; returns what changed, for the log (texts by their length, not their content)."""
    name = (text.name or "").strip()
    if not name:
        raise Refusal(_("Anna ilmiölle nimi."))
    changed: dict[str, Any] = {}
    if group.name != name:
        changed["name"] = [group.name, name] if group.name else name
        group.name = name
    for field in ("description", "observations"):
        value = (getattr(text, field) or "").strip()
        if (getattr(group, field) or "") != value:
            changed[field] = True
            setattr(group, field, value)
    national = _national(text.national_phenomena)
    if {p.code for p in national} != {p.code for p in group.national_phenomena}:
        changed["national_phenomena"] = sorted(p.code for p in national)
        group.national_phenomena = national
    return changed


def create_group(actor: User, text: GroupText, report_references: Iterable[object] = (),
                 now: datetime | None = None) -> PhenomenonGroup:
    """A new group with the given reports attached (those the actor may not see are left out)."""
    _refuse_unless_worker(actor)
    now = now or utcnow()
    group = PhenomenonGroup(name="", description="", observations="", created_by=actor, created_at=now,
                            updated_at=now)
    with db.session.no_autoflush:
        _write(group, text)
        group.reports = prefilled_reports(actor, report_references)
    db.session.add(group)
    flush(group)
    record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, target=_target(group),
           details={"created": True, "name": group.name, "reports": [r.number for r in group.reports]}, now=now)
    return group


def update_group(group: PhenomenonGroup, actor: User, text: GroupText, *, expected_version: int | None = None,
                 now: datetime | None = None) -> None:
    check_version(group, expected_version)
    if not permissions.can_edit_group(actor, group):
        raise Refusal(_("Et voi muokata tätä ilmiötä."))
    with db.session.no_autoflush:
        changed = _write(group, text)
    if changed:
        group.updated_at = now or utcnow()
        record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, target=_target(group), details=changed, now=now)
    flush(group)


def attach_report(group: PhenomenonGroup, actor: User, reference: object, now: datetime | None = None) -> Report:
    """Put a report (by id or number) into the group; a report the actor may not see is not found."""
    report = _visible_report(actor, reference)
    if report is None or not permissions.can_attach_report(actor, group, report):
        raise Refusal(_("Raporttia ei löydy, tai sinulla ei ole oikeutta siihen."))
    if any(r.id == report.id for r in group.reports):
        raise Refusal(_("Raportti %(number)s on jo tässä ilmiössä.", number=report.number))
    group.reports.append(report)
    group.updated_at = now or utcnow()
    record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, report=report, target=_target(group),
           details={"added": report.number}, now=now)
    flush(group)
    return report


def detach_report(group: PhenomenonGroup, actor: User, reference: object, now: datetime | None = None) -> Report:
    report = _visible_report(actor, reference)
    if report is None or not permissions.can_detach_report(actor, group, report) \
            or not any(r.id == report.id for r in group.reports):
        raise Refusal(_("Raporttia ei löydy tästä ilmiöstä."))
    group.reports.remove(report)
    group.updated_at = now or utcnow()
    record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, report=report, target=_target(group),
           details={"removed": report.number}, now=now)
    flush(group)
    return report


def add_proposal(group: PhenomenonGroup, actor: User, text: str, now: datetime | None = None) -> Proposal:
    if not permissions.can_edit_group(actor, group):
        raise Refusal(_("Et voi muokata tätä ilmiötä."))
    text = (text or "").strip()
    if not text:
        raise Refusal(_("Kirjoita ehdotus."))
    now = now or utcnow()
    proposal = Proposal(text=text, position=max((p.position for p in group.proposals), default=0) + 1,
                        created_at=now)
    group.proposals.append(proposal)
    group.updated_at = now
    flush(group)
    record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, target=_target(group),
           details={"proposal": proposal.id, "created": True}, now=now)
    return proposal


def _proposal(group: PhenomenonGroup, proposal_id: int) -> Proposal:
    found = next((p for p in group.proposals if p.id == proposal_id), None)
    if found is None:
        raise Refusal(_("Ehdotusta ei löydy. Se on ehkä jo poistettu."))
    return found


def edit_proposal(group: PhenomenonGroup, actor: User, proposal_id: int, text: str,
                  now: datetime | None = None) -> None:
    if not permissions.can_edit_group(actor, group):
        raise Refusal(_("Et voi muokata tätä ilmiötä."))
    proposal = _proposal(group, proposal_id)
    text = (text or "").strip()
    if not text:
        raise Refusal(_("Kirjoita ehdotus tai poista se."))
    if proposal.text != text:
        proposal.text = text
        group.updated_at = now or utcnow()
        record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, target=_target(group),
               details={"proposal": proposal.id}, now=now)
    flush(group)


def remove_proposal(group: PhenomenonGroup, actor: User, proposal_id: int, now: datetime | None = None) -> None:
    """A proposal that has gone somewhere keeps its follow-ups: it can be reworded, not removed."""
    if not permissions.can_edit_group(actor, group):
        raise Refusal(_("Et voi muokata tätä ilmiötä."))
    proposal = _proposal(group, proposal_id)
    if proposal.follow_ups:
        raise Refusal(_("Ehdotuksella on seurantakirjauksia, joten sitä ei voi poistaa. Voit muokata sen tekstiä."))
    group.proposals.remove(proposal)
    group.updated_at = now or utcnow()
    record(AuditAction.PHENOMENON_GROUP_CHANGED, actor=actor, target=_target(group),
           details={"proposal": proposal_id, "removed": True}, now=now)
    flush(group)


def grouped_report_ids(report_ids: Iterable[int]) -> set[int]:
    """Which of these reports belong to any group (the weak-signals view leaves those out)."""
    ids = list({int(i) for i in report_ids})
    if not ids:
        return set()
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # bounded IN lists on every database
        found.update(db.session.scalars(sa.select(phenomenon_group_report.c.report_id).distinct()
                                        .where(phenomenon_group_report.c.report_id.in_(ids[start:start + 500]))))
    return found


def groups_of_report(report: Report) -> list[PhenomenonGroup]:
    """The groups a report belongs to, by name."""
    return list(db.session.scalars(
        sa.select(PhenomenonGroup).join(phenomenon_group_report, phenomenon_group_report.c.group_id == PhenomenonGroup.id)
        .where(phenomenon_group_report.c.report_id == report.id).order_by(PhenomenonGroup.name)))


@dataclass
class CasePanel:
    """What the case page shows of groups: the report's groups and the others it can be added to."""

    groups: list[PhenomenonGroup]
    others: list[PhenomenonGroup]


def case_panel(user: User, report: Report) -> CasePanel | None:
    """None for someone who does not work on groups (the case page then shows nothing of them)."""
    if not permissions.works_on_groups(user):
        return None
    mine = groups_of_report(report)
    taken = {g.id for g in mine}
    return CasePanel(mine, [g for g in visible_groups(user) if g.id not in taken])


def compilation_groups(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The groups with reports filed (and released) in [start, end), as plain data for a compilation.

    Only the group's own texts, its proposals and the numbers of its reports of the period: the compilation
    counts and protects the figures itself and shows no report but the excerpts it chose.
    """
    rows = db.session.execute(
        sa.select(phenomenon_group_report.c.group_id, Report.number)
        .join(Report, Report.id == phenomenon_group_report.c.report_id)
        .where(Report.created_at >= start, Report.created_at < end)
        .order_by(Report.created_at, Report.id)).all()
    numbers: dict[int, list[str]] = {}
    for group_id, number in rows:
        numbers.setdefault(group_id, []).append(number)
    if not numbers:
        return []
    groups = db.session.scalars(sa.select(PhenomenonGroup).where(PhenomenonGroup.id.in_(list(numbers)))
                                .order_by(PhenomenonGroup.name, PhenomenonGroup.id))
    return [{"id": g.id, "name": g.name, "description": g.description, "observations": g.observations,
             "national_phenomena": [p.label_fi for p in g.national_phenomena],
             "proposals": [{"id": p.id, "text": p.text} for p in g.proposals],
             "report_numbers": numbers[g.id]} for g in groups]
