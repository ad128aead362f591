"""Reminder campaigns: the administrator schedules them (e.g. twice a year); the scheduler mails each
round to the staff of the chosen units through the outbox, and the campaign page shows each round's
reach and the reports the units filed in the weeks after it.

People do not use the form because they have not heard of it, do not know what to report or why
(seed 004, LIITE 1), so each mail carries the form link, the guidance that answers those three, and
the latest published results.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.codes import AuditAction, CompilationStatus, Phenomenon
from app.extensions import db
from app.models import Campaign, CampaignRound, Compilation, OrgNode, Report, RoleAssignment, User
from app.workflow.compilations.languages import read_period
from app.workflow.compilations.periods import HELSINKI, parse_period
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.mail.outbox import app_url, queue_mail

FOLLOW_UP = timedelta(weeks=4)
"""How long after a round its reports are counted (and, for comparison, how long before)."""


@dataclass(frozen=True)
class CampaignInput:
    title: str
    message: str
    nodes: Sequence[OrgNode]
    first_on: date
    every_months: int | None


@dataclass(frozen=True)
class RoundEffect:
    sent_on: date
    reach: int
    reports_after: int
    """Reports the campaign's units filed in the FOLLOW_UP weeks from the round."""
    reports_before: int
    """The same for the FOLLOW_UP weeks before it, to compare with."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def save_campaign(data: CampaignInput, actor: User, campaign: Campaign | None = None) -> Campaign:
    """Create or change a campaign; flush, never commit."""
    if not data.nodes:
        raise Refusal(_("Valitse vähintään yksi yksikkö, jonka henkilöstölle muistutus lähetetään."))
    created = campaign is None
    if campaign is None:
        campaign = Campaign(created_by=actor)
        db.session.add(campaign)
    campaign.title, campaign.message = data.title, data.message
    campaign.nodes = list(data.nodes)
    campaign.next_on, campaign.every_months = data.first_on, data.every_months
    db.session.flush()
    record(AuditAction.CAMPAIGN_CHANGED, actor=actor, target=f"campaign {campaign.id}",
           details={"created": created, "title": data.title, "nodes": [n.code for n in data.nodes],
                    "next_on": data.first_on.isoformat(), "every_months": data.every_months})
    db.session.flush()
    return campaign


def stop_campaign(campaign: Campaign, actor: User) -> None:
    campaign.next_on = None
    record(AuditAction.CAMPAIGN_CHANGED, actor=actor, target=f"campaign {campaign.id}", details={"stopped": True})
    db.session.flush()


def _scope(nodes: Iterable[OrgNode]) -> set[int]:
    """The ids of the nodes and of every node below them."""
    chosen = {node.id for node in nodes}
    every = db.session.scalars(sa.select(OrgNode)).all()
    return {node.id for node in every if node.id in chosen or any(a.id in chosen for a in node.ancestors())}


def staff_of(nodes: Iterable[OrgNode]) -> list[User]:
    """The active people with a role in the nodes or below them (employees, supervisors, contact persons...)."""
    scope = _scope(nodes)
    if not scope:
        return []
    return list(db.session.scalars(
        sa.select(User).where(User.active.is_(True),
                              User.roles.any(RoleAssignment.org_node_id.in_(scope))).order_by(User.id)))


def latest_results() -> dict[str, object] | None:
    """The newest published compilation in brief: its half-year, its reports and its commonest phenomena.

    The names are lazy, so that each recipient's mail names them in the recipient's language."""
    compilation = db.session.scalar(
        sa.select(Compilation).where(Compilation.status == CompilationStatus.PUBLISHED)
        .order_by(Compilation.period.desc()).limit(1))
    if compilation is None or not compilation.snapshot:
        return None
    snapshot = compilation.snapshot
    phenomena = next((b["rows"] for b in snapshot.get("breakdowns", []) if b.get("key") == "phenomenon"), [])
    top = [_phenomenon(row) for row in sorted(phenomena, key=lambda r: -r["count"]) if row["count"] > 0][:3]
    period = read_period(compilation.period, parse_period(compilation.period).label)
    return {"period": period, "total": snapshot.get("total", 0), "top": top,
            "url": app_url("compilations.detail", code=compilation.period)}


def _phenomenon(row: dict[str, Any]) -> object:
    """A phenomenon of the snapshot by its code, in the reader's language; as the snapshot names it otherwise."""
    try:
        return Phenomenon(row.get("code")).lazy_label
    except ValueError:
        return str(row["label"])


def send_due(today: date) -> int:
    """Mail every campaign round due by `today` (Helsinki) and schedule the next; flush. Returns rounds sent.

    A round is sent once: it is recorded with its day, and the campaign moves on to its next day
    (past days skipped, so a scheduler that was down sends one round, not a backlog).
    """
    due = db.session.scalars(sa.select(Campaign).where(Campaign.next_on.is_not(None), Campaign.next_on <= today)
                             .options(selectinload(Campaign.nodes)).order_by(Campaign.id)).all()
    results = latest_results() if due else None
    for campaign in due:
        people = staff_of(campaign.nodes)
        queue_mail("campaign", [person.email for person in people], campaign.title, message=campaign.message,
                   form_url=app_url("reports.new"), guidance_url=app_url("main.guidance") + "#three-questions",
                   results=results, units=[node.name for node in campaign.nodes])
        db.session.add(CampaignRound(campaign=campaign, sent_on=today, reach=len({p.email for p in people})))
        following = None
        if campaign.every_months:
            following = campaign.next_on
            while following is not None and following <= today:
                following = add_months(following, campaign.every_months)
        campaign.next_on = following
    db.session.flush()
    return len(due)


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=HELSINKI)


def effects(campaign: Campaign) -> list[RoundEffect]:
    """Each round's reach and the reports filed from the campaign's units in the weeks after, and before, it."""
    scope = _scope(campaign.nodes)
    result = []
    for round_ in campaign.rounds:
        sent = _start(round_.sent_on)

        def filed(start: datetime, end: datetime) -> int:
            return db.session.scalar(sa.select(sa.func.count(Report.id)).where(
                Report.unit_id.in_(scope), Report.created_at >= start, Report.created_at < end)) or 0

        result.append(RoundEffect(round_.sent_on, round_.reach, filed(sent, sent + FOLLOW_UP),
                                  filed(sent - FOLLOW_UP, sent)))
    return result


def campaigns() -> list[Campaign]:
    return list(db.session.scalars(sa.select(Campaign).options(selectinload(Campaign.nodes),
                                                               selectinload(Campaign.rounds))
                                   .order_by(Campaign.next_on.is_(None), Campaign.next_on, Campaign.id.desc())))


def rounds_received(user: User, limit: int = 10) -> list[tuple[Campaign, CampaignRound]]:
    """The campaign rounds that reached the user's nodes (a contact person's campaign material), newest first."""
    mine = {a.org_node_id for a in user.roles if a.org_node_id is not None}
    if not mine:
        return []
    found = []
    for campaign in campaigns():
        if _scope(campaign.nodes) & mine:
            found += [(campaign, r) for r in campaign.rounds]
    return sorted(found, key=lambda pair: pair[1].sent_on, reverse=True)[:limit]
