"""State changes of a report: each checks the transition table, writes one event and flushes.

Nothing else sets a report's status. A refused change raises Refusal with a message
the views show as it is; nothing has changed when it is raised.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.codes import AuditAction, Channel, NotificationKind, ReportStatus, Role
from app.extensions import db
from app.models import (
    Forum,
    HeldAnswer,
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
from app.workflow.cases.deadlines import DeadlineSettings, gives_feedback, may_go_on_without_answer
from app.workflow.cases.routing import Route, handling_candidates, responsible_users, route
from app.workflow.cases.transitions import (
    TRANSITIONS,
    Action,
    ReporterAction,
    Transition,
    remembered,
)
from app.workflow.core.anonymity import stored_moment
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
    handler_nodes = [unit.id] + [node.id for node in handling_candidates(unit)]  # itself: a partners' node
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
        chosen = route_of(report)
        report.handling_node = chosen.handling_node
        return announce_new_report(report, chosen.informed, chosen.responsible, now)


def route_of(report: Report) -> Route:
    """Where the report goes as things stand: at filing, and again at the release of a held one."""
    return route(report.unit, routing_users(report.unit), partner=report.channel == Channel.PARTNER)


def announce_new_report(report: Report, informed: list[User], responsible: list[User],
                        now: datetime) -> list[OutboxMessage]:
    """The notices of a new report: at once for a named one, at its release for an anonymous one."""
    with db.session.no_autoflush:
        notify_in_app(informed, report, NotificationKind.FOR_INFORMATION, now)
        notify_in_app(responsible, report, NotificationKind.FOR_ACTION, now)
        return report_mail.new_report(report, informed, responsible, now)


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


def answer_question(report: Report, text: str, now: datetime | None = None) -> ReportEvent | HeldAnswer:
    """The reporter answers the open question: the case goes back to where it was, marked unread.

    The caller has checked the report's number and tracking code: that is who the reporter is.
    An anonymous reporter's answer is held with its day (`HeldAnswer`): its timeline entry, the case's
    step and staff's notices are made at the day's release (release.py), so nothing staff see, or
    that is stored among their steps, changes at the moment it came. Until then the reporter's page
    shows it as sent, and a second answer is refused.
    """
    transition = TRANSITIONS[ReporterAction.ANSWER]
    text = (text or "").strip()
    if held_answer_of(report) is not None:
        raise Refusal(_("Olet jo vastannut kysymykseen. Vastauksesi välitetään käsittelijälle seuraavan yön aikana."))
    if not transition.allows(report.status) or report.open_question is None:
        raise Refusal(_("Raportissa ei ole avointa kysymystä."))
    if transition.note_required and not text:
        raise Refusal(_("Kirjoita vastauksesi."))
    now = now or utcnow()
    if report.is_anonymous:
        held = HeldAnswer(report=report, day=stored_moment(True, now), text=text)
        db.session.add(held)
        db.session.flush()
        return held
    event = apply_answer(report, text, now)
    announce_answer(report, now)
    flush(report)
    return event


def held_answer_of(report: Report) -> HeldAnswer | None:
    """The reporter's answer that waits for the day's release, shown only on the reporter's own page."""
    if report.id is None:
        return None
    return db.session.scalar(sa.select(HeldAnswer).where(HeldAnswer.report_id == report.id))


def apply_answer(report: Report, text: str, moment: datetime) -> ReportEvent:
    """The answer's timeline entry and the case's step back to where it was. A held answer whose
    question staff have meanwhile moved past (they went on without it, or closed the case) is still
    entered on the timeline, with no step: nothing the reporter wrote is lost."""
    transition = TRANSITIONS[ReporterAction.ANSWER]
    with db.session.no_autoflush:
        before = report.status
        if transition.allows(before) and report.open_question is not None:
            _apply(transition, report, None, moment)
        return _event(transition, report, before, moment, actor=None, forum=None, note=text, is_public=True)


def announce_answer(report: Report, now: datetime) -> None:
    """Tell the handlers of an answer: at once for a named reporter's, at its release for an anonymous one's."""
    with db.session.no_autoflush:
        report.unread_answer = True
        report.updated_at = max(report.updated_at, now)  # set, so that onupdate does not write the clock's second
        responsible = responsible_users(report.handling_node, active_users())
        notify_in_app(responsible, report, NotificationKind.ANSWER, now)
    report_mail.answer_received(report, responsible, now)


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

