"""What came of a proposal (issue 17, point 5): to whom it went, when, the answer or decision, and where it stands.

A proposal is a phenomenon group's (a `Proposal` row) or a compilation theme's (its `CompilationThemeText`,
whose proposals are one text per theme and half-year). Follow-ups marked public are shown to the reporters
of the group's reports on their tracking page and on the public results page; staff see the internal ones
too. The next half-year's compilation lists the follow-ups of the previous one's proposals.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction, FollowUpStatus
from app.extensions import db
from app.models import (
    Compilation,
    CompilationThemeText,
    Forum,
    Proposal,
    ProposalFollowUp,
    Report,
    User,
    utcnow,
)
from app.workflow.campaigns.contact_persons import helsinki_today
from app.workflow.core import permissions
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import groups


@dataclass
class FollowUpInput:
    forum: Forum | None
    decision_body: str
    dated_on: date
    response: str
    status: FollowUpStatus
    public: bool = True


def find_proposal(proposal_id: int) -> Proposal | None:
    return db.session.get(Proposal, proposal_id)


def find_theme_text(theme_text_id: int) -> CompilationThemeText | None:
    """A compilation theme's text, if it has proposals to follow up."""
    text = db.session.get(CompilationThemeText, theme_text_id)
    return text if text is not None and (text.proposals or "").strip() else None


def find_follow_up(follow_up_id: int) -> ProposalFollowUp | None:
    return db.session.get(ProposalFollowUp, follow_up_id)


def _check(given: FollowUpInput) -> None:
    """Before anything is made: a follow-up says to whom the proposal went, and records what happened, so its
    day is never ahead of today (Helsinki): reporters and the compilation read it as done."""
    if given.forum is None and not (given.decision_body or "").strip():
        raise Refusal(_("Valitse foorumi tai kirjoita, mille toimielimelle ehdotus meni."))
    if given.dated_on > helsinki_today():
        raise Refusal(_("Seurannan päivä ei voi olla tulevaisuudessa: kirjaa, mitä on jo tapahtunut."))


def _apply(follow_up: ProposalFollowUp, given: FollowUpInput) -> None:
    body = (given.decision_body or "").strip() or None
    follow_up.forum = given.forum
    follow_up.decision_body = None if given.forum is not None else body
    follow_up.dated_on = given.dated_on
    follow_up.response = (given.response or "").strip()
    follow_up.status = given.status
    follow_up.public = bool(given.public)


def _details(follow_up: ProposalFollowUp) -> dict[str, Any]:
    where = {"proposal": follow_up.proposal_id} if follow_up.proposal_id else {"theme_text": follow_up.theme_text_id}
    return {**where, "to_user": follow_up.recipient, "status": follow_up.status.value,
            "date": follow_up.dated_on.isoformat(), "public": follow_up.public}


def record_follow_up(actor: User, given: FollowUpInput, *, proposal: Proposal | None = None,
                     theme_text: CompilationThemeText | None = None, now: datetime | None = None) -> ProposalFollowUp:
    """A new follow-up of a group's proposal or of a compilation theme's proposals (exactly one of them)."""
    if not permissions.records_follow_ups(actor):
        raise Refusal(_("Ehdotusten seurannan kirjaa rakenteellisen sosiaalityön työryhmä tai sosiaalijohtaja."))
    if (proposal is None) == (theme_text is None):
        raise Refusal(_("Ehdotusta ei löydy. Se on ehkä jo poistettu."))
    _check(given)
    now = now or utcnow()
    follow_up = ProposalFollowUp(proposal=proposal, theme_text=theme_text, recorded_by=actor, created_at=now,
                                 updated_at=now)
    with db.session.no_autoflush:
        _apply(follow_up, given)
    db.session.add(follow_up)
    db.session.flush()
    record(AuditAction.FOLLOW_UP_RECORDED, actor=actor, target=f"follow_up {follow_up.id}",
           details={"created": True, **_details(follow_up)}, now=now)
    return follow_up


def update_follow_up(follow_up: ProposalFollowUp, actor: User, given: FollowUpInput,
                     now: datetime | None = None) -> None:
    """The status moves on and the answer comes: the same record is kept up to date, each change logged."""
    if not permissions.records_follow_ups(actor):
        raise Refusal(_("Ehdotusten seurannan kirjaa rakenteellisen sosiaalityön työryhmä tai sosiaalijohtaja."))
    _check(given)
    with db.session.no_autoflush:
        _apply(follow_up, given)
    follow_up.updated_at = now or utcnow()
    db.session.flush()
    record(AuditAction.FOLLOW_UP_RECORDED, actor=actor, target=f"follow_up {follow_up.id}",
           details=_details(follow_up), now=now)


def as_item(follow_up: ProposalFollowUp) -> dict[str, Any]:
    """A follow-up as pages and the compilation show it (JSON-ready)."""
    day = follow_up.dated_on
    return {"id": follow_up.id, "recipient": follow_up.recipient, "dated_on": day.isoformat(),
            "date": f"{day.day}.{day.month}.{day.year}", "response": follow_up.response,
            "status": follow_up.status.value, "status_label": follow_up.status.label, "public": follow_up.public}


def _shown(follow_ups: Iterable[ProposalFollowUp], internal: bool) -> list[dict[str, Any]]:
    return [as_item(f) for f in follow_ups if internal or f.public]


def for_proposals(proposal_ids: Iterable[int], *, internal: bool) -> dict[int, list[dict[str, Any]]]:
    """The follow-ups of these group proposals, by proposal id, oldest first (one query)."""
    ids = list(proposal_ids)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.scalars(sa.select(ProposalFollowUp).where(ProposalFollowUp.proposal_id.in_(ids))
                              .order_by(ProposalFollowUp.dated_on, ProposalFollowUp.id))
    for follow_up in rows:
        if internal or follow_up.public:
            found[follow_up.proposal_id].append(as_item(follow_up))  # type: ignore[index]
    return found


def for_compilation_themes(compilation: Compilation | None, *, internal: bool) -> dict[str, dict[str, Any]]:
    """Per theme code: the theme text's id (to record a follow-up on) and its follow-ups."""
    if compilation is None:
        return {}
    return {t.theme.code: {"theme_text_id": t.id, "follow_ups": _shown(_of_theme_text(t), internal)}
            for t in compilation.theme_texts if (t.proposals or "").strip()}


def _of_theme_text(text: CompilationThemeText) -> list[ProposalFollowUp]:
    return list(db.session.scalars(sa.select(ProposalFollowUp).where(ProposalFollowUp.theme_text_id == text.id)
                                   .order_by(ProposalFollowUp.dated_on, ProposalFollowUp.id)))


def for_report(report: Report) -> list[dict[str, Any]]:
    """For the reporter's tracking page: the public follow-ups of the proposals of the groups the report is in.

    Only the group's name, the proposal and what came of it: nothing of the group's other reports.
    """
    shown = []
    for group in groups.groups_of_report(report):
        proposals = [{"text": p.text, "follow_ups": _shown(p.follow_ups, internal=False)} for p in group.proposals]
        proposals = [p for p in proposals if p["follow_ups"]]
        if proposals:
            shown.append({"group": group.name, "proposals": proposals})
    return shown


def of_previous_period(compilation: Compilation | None, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """What came of the previous half-year's proposals, for the next compilation (internal ones marked so).

    The previous compilation's theme proposals, and the proposals of the groups that had reports then.
    """
    found = []
    if compilation is not None:
        for text in sorted(compilation.theme_texts, key=lambda t: t.theme.position):
            items = _shown(_of_theme_text(text), internal=True)
            if items and (text.proposals or "").strip():
                found.append({"source": "theme", "title": text.theme.label_fi, "proposal": text.proposals,
                              "follow_ups": items})
    previous_groups = groups.compilation_groups(start, end)
    follow_ups = for_proposals([p["id"] for g in previous_groups for p in g["proposals"]], internal=True)
    for group in previous_groups:
        for proposal in group["proposals"]:
            if follow_ups.get(proposal["id"]):
                found.append({"source": "group", "title": group["name"], "proposal": proposal["text"],
                              "follow_ups": follow_ups[proposal["id"]]})
    return found


def for_compilation(compilation: Compilation | None, content: dict[str, Any], *, internal: bool) -> dict[str, Any]:
    """The live follow-ups of what a compilation shows: its theme proposals (by theme code) and its groups'
    proposals (by proposal id). Read live, so a published compilation shows what came of it since."""
    proposal_ids = [p["id"] for g in content.get("groups", []) for p in g.get("proposals", [])]
    return {"themes": for_compilation_themes(compilation, internal=internal),
            "proposals": for_proposals(proposal_ids, internal=internal)}
