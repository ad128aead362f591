"""State changes of a report: each checks the transition table, writes one event and flushes.

Nothing else sets a report's status. A refused change raises Refusal with a message
the views show as it is; nothing has changed when it is raised.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.codes import AuditAction, NotificationKind, ReportStatus, Role
from app.extensions import db
from app.models import (
    Forum,
    Notification,
    OrgNode,
    OutboxMessage,
    Report,
    ReportEvent,
    RoleAssignment,
    User,
    utcnow,
)
from app.workflow.admin import site_settings
from app.workflow.cases.deadlines import DeadlineSettings, day_start, gives_feedback, may_go_on_without_answer
from app.workflow.cases.routing import handling_candidates, responsible_users, route
from app.workflow.cases.transitions import (
    TRANSITIONS,
    Action,
    ReporterAction,
    Transition,
    remembered,
)
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal, check_version, flush
from app.workflow.core.permissions import can
from app.workflow.mail import report_mail


def active_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)))


def notify_in_app(users: list[User], report: Report, kind: NotificationKind, now: datetime) -> None:
    for user in users:
        db.session.add(Notification(user=user, report=report, kind=kind, created_at=now))


def routing_users(unit: OrgNode) -> list[User]:
    """The active users routing may choose for a report of the unit, with all their roles, in one query.

    They are the unit's supervisors, the handlers of the nodes that may handle it and the social
    directors: the rules in routing.py pick from them exactly what they would pick from everyone.
    """
    handler_nodes = [node.id for node in handling_candidates(unit)]
    concerned = sa.or_(
        RoleAssignment.role == Role.SOCIAL_DIRECTOR,
        sa.and_(RoleAssignment.role == Role.SUPERVISOR, RoleAssignment.org_node_id == unit.id),
        sa.and_(RoleAssignment.role == Role.HANDLER, RoleAssignment.org_node_id.in_(handler_nodes)),
    )
    return list(db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.roles.any(concerned))
        .options(joinedload(User.roles)).order_by(User.id)
    ).unique())


def route_new_report(report: Report, now: datetime) -> list[OutboxMessage]:
    """Assign the handling node and tell the unit's supervisors, the social director and the handlers.

    Returns the mail it queued. Flushes nothing: the filing writes the report and all this at once.
    """
    with db.session.no_autoflush:
        chosen = route(report.unit, routing_users(report.unit))
        report.handling_node = chosen.handling_node
        notify_in_app(chosen.informed, report, NotificationKind.FOR_INFORMATION, now)
        notify_in_app(chosen.responsible, report, NotificationKind.FOR_ACTION, now)
        return report_mail.new_report(report, chosen.informed, chosen.responsible, now)


def perform(
    action: Action,
    report: Report,
    actor: User,
    *,
    note: str | None = None,
    is_public: bool = False,
    forum: Forum | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ReportEvent:
    """Carry out one action of the transition table on the report; flush, never commit."""
    transition = TRANSITIONS[action]
    note = (note or "").strip() or None
    check_version(report, expected_version)
    if not transition.allows(report.status):
        raise Refusal(
            _("Toimenpidettä ”%(action)s” ei voi tehdä, kun raportin tila on ”%(status)s”.",
              action=action.label, status=report.status.label)
        )
    if not can(actor, action, report):
        raise Refusal(_("Tämän raportin käsittely ei kuulu sinulle."))
    if transition.note_required and not note:
        raise Refusal(_("Kirjoita merkintä: se tallennetaan raportin aikajanalle."))
    if transition.after_question_wait and not may_go_on_without_answer(
            report, now or utcnow(), DeadlineSettings.from_config(site_settings.current())):
        raise Refusal(_("Kysymykseen odotetaan vielä vastausta. Voit jatkaa ilman vastausta, kun odotusaika on kulunut."))
    if transition.needs_forum and (forum is None or not forum.active):
        raise Refusal(_("Valitse foorumi, jolle raportti viedään."))
    forum = forum if transition.needs_forum else None

    with db.session.no_autoflush:
        now = now or utcnow()
        before = report.status
        _apply(transition, report, forum, now)
        if report.feedback_given_at is None and gives_feedback(transition, note, transition.always_public or is_public):
            report.feedback_given_at = now
        event = _event(transition, report, before, now, actor=actor, forum=forum, note=note,
                       is_public=transition.always_public or is_public)
        record(AuditAction.REPORT_CHANGED, actor=actor, report=report, now=now,
               details={"action": action.value, "from": before.value, "to": report.status.value,
                        **({"forum": forum.code} if forum else {})})
    flush(report)
    report_mail.tell_reporter(report, event)
    return event


def answer_question(report: Report, text: str, now: datetime | None = None) -> ReportEvent:
    """The reporter answers the open question: the case goes back to where it was, marked unread.

    The caller has checked the report's number and tracking code: that is who the reporter is.
    """
    transition = TRANSITIONS[ReporterAction.ANSWER]
    text = (text or "").strip()
    if not transition.allows(report.status) or report.open_question is None:
        raise Refusal(_("Raportissa ei ole avointa kysymystä."))
    if transition.note_required and not text:
        raise Refusal(_("Kirjoita vastauksesi."))
    with db.session.no_autoflush:
        now = now or utcnow()
        before = report.status
        _apply(transition, report, None, now)
        if report.is_anonymous:  # of an anonymous reporter's answer staff may know only the day
            report.last_step_at = day_start(now)
        report.unread_answer = True
        event = _event(transition, report, before, now, actor=None, forum=None, note=text, is_public=True)
        responsible = responsible_users(report.handling_node, active_users())
        notify_in_app(responsible, report, NotificationKind.ANSWER, now)
    flush(report)
    report_mail.answer_received(report, responsible, now)
    return event


def _apply(transition: Transition, report: Report, forum: Forum | None, now: datetime) -> None:
    """What the row does to the report's columns; the CHECK constraints of the report hold after it."""
    before = report.status
    report.status = transition.next_status(before, report.resume_status)
    if transition.remembers_status:
        report.resume_status = remembered(before)
    elif report.status != ReportStatus.WAITING_FOR_REPORTER:
        report.resume_status = None
    if forum is not None:
        report.forum = forum
        report.escalation_level = forum.level
    if transition.starts_handling and report.first_handled_at is None:
        report.first_handled_at = now
    if transition.closes:
        report.closed_at = now
    elif transition.reopens:
        report.closed_at = None
    report.updated_at = now
    report.last_step_at = now


def _event(transition: Transition, report: Report, before: ReportStatus, now: datetime, *, actor: User | None,
           forum: Forum | None, note: str | None, is_public: bool) -> ReportEvent:
    event = ReportEvent(kind=transition.event, created_at=now, actor=actor, from_status=before,
                        to_status=report.status, escalation_level=report.escalation_level, forum=forum,
                        note=note, is_public=is_public)
    report.events.append(event)
    return event


def mark_answer_read(report: Report) -> None:
    if report.unread_answer:
        report.unread_answer = False
        flush(report)


def unread_notification_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0

