"""The handler's side: inbox, case page and the workflow actions."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.codes import AuditAction, EscalationLevel, ReportStatus
from app.extensions import db
from app.forms.cases import CaseActionForm, InboxFilterForm
from app.forms.fields import query_status
from app.models import Notification, Report, User, utcnow
from app.views.lifecycle import on_refusal
from app.views.navigation import opened_here
from app.workflow.cases.dashboard import build_dashboard, cached_figures, days_since
from app.workflow.cases.deadlines import (
    Deadline,
    due_at,
    is_overdue,
    is_pending,
    next_due,
)
from app.workflow.cases.inbox import InboxFilters, inbox_page
from app.workflow.cases.operations import (
    mark_answer_read,
    mark_notifications_read,
    perform,
)
from app.workflow.cases.transitions import TRANSITIONS, Action
from app.workflow.core import permissions
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.reports import catalog

bp = Blueprint("cases", __name__, url_prefix="/cases")

PER_PAGE = 25


def _inbox_user() -> User:
    if not permissions.uses_inbox(current_user):
        abort(403)
    return current_user


def _visible_report(number: str) -> Report:
    """The report if this user may see it; 404 otherwise, so its existence is not revealed."""
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    if report is None or not permissions.can_view(current_user, report):
        abort(404)
    return report


@bp.get("/")
@login_required
def inbox() -> ResponseReturnValue:
    user = _inbox_user()
    form = InboxFilterForm(request.args)
    form.validate()
    now = utcnow()
    filters = InboxFilters(**{name: form[name].data or "" for name in
                              ("status", "phenomenon", "nature", "theme", "municipality", "unit", "level", "sort")
                              if not form[name].errors}, unread=bool(form.unread.data),
                           overdue=bool(form.overdue.data), due_soon=bool(form.due_soon.data), now=now)
    page, counts = inbox_page(user, filters, form.page.number, PER_PAGE)
    return render_template("cases/inbox.html", form=form, page=page, counts=counts,
                           args={k: v for k, v in request.args.items() if k != "page"},
                           overdue=lambda report: is_overdue(report, now), next_due=next_due), query_status(form)


def _render_case(report: Report, form: CaseActionForm | None = None, error: str | None = None,
                 status: int = 200) -> ResponseReturnValue:
    form = form or CaseActionForm(version=report.version)
    return render_template(
        "cases/detail.html",
        report=report,
        form=form,
        error=error,
        actions=permissions.allowed_actions(current_user, report),
        transitions=TRANSITIONS,
        show_reporter=permissions.can_see_reporter(current_user, report),
        deadlines=[(deadline, due_at(report, deadline), is_pending(report, deadline)) for deadline in Deadline],
        now=utcnow(),
    ), status


@bp.get("/<number>")
@login_required
def detail(number: str) -> ResponseReturnValue:
    report = _visible_report(number)
    if report.unread_answer and permissions.may_act(current_user, report) and opened_here():
        mark_answer_read(report)
    record(AuditAction.REPORT_VIEWED, actor=current_user, report=report)
    return _render_case(report)


@bp.post("/<number>/<action>")
@login_required
def act(number: str, action: str) -> ResponseReturnValue:
    report = _visible_report(number)
    try:
        chosen = Action(action)
    except ValueError:
        abort(404)
    form = CaseActionForm()
    if not form.validate_on_submit():
        reasons = [str(message) for messages in form.errors.values() for message in messages]
        return _render_case(report, form, " ".join(reasons) or _("Tarkista merkintä."), 400)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current = _visible_report(number)
        form.version.data = str(current.version)
        return _render_case(current, form, str(refusal), refusal.status_code)

    on_refusal(shown_again)
    perform(chosen, report, current_user, note=form.note.data, is_public=form.is_public.data,
            forum=catalog.forum_by_code(form.forum.data or ""),
            expected_version=int(form.version.data) if (form.version.data or "").isdigit() else None)
    flash(_("Tallennettu: %(action)s.", action=chosen.label.lower()), "info")
    return redirect(url_for("cases.detail", number=report.number))


@bp.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    """The user's in-app notifications, newest first; opening the list here marks them read."""
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(200)
    ).all()
    visible = [row for row in rows if permissions.can_view(current_user, row.report)]
    unread_ids = {row.id for row in visible if row.read_at is None}
    if unread_ids and opened_here():
        mark_notifications_read(current_user)
    return render_template("cases/notifications.html", notifications=visible, unread_ids=unread_ids)


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    if not permissions.sees_all(current_user):
        abort(403)
    return render_template("cases/dashboard.html", data=build_dashboard(figures=cached_figures()),
                           statuses=list(ReportStatus), levels=list(EscalationLevel), now=utcnow(), days_since=days_since)
