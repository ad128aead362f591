"""The handler's side: inbox, case page and the workflow actions."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.codes import AuditAction, EscalationLevel, ReportStatus
from app.extensions import db
from app.forms.cases import NOTE_LABELS, CaseActionForm, InboxFilterForm
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
    page, counts = inbox_page(user, filters, form.page.data or 1, PER_PAGE)
    return render_template("cases/inbox.html", form=form, page=page, counts=counts,
                           may_act=lambda report: permissions.may_act(user, report),
                           args={k: v for k, v in request.args.items() if k != "page"},
                           overdue=lambda report: is_overdue(report, now), next_due=next_due)


# What the flash says after each action: what was done, as a handler would write it.
DONE = {
    Action.START_HANDLING: _l("Käsittely on aloitettu."),
    Action.ADD_NOTE: _l("Etenemismerkintä on tallennettu."),
    Action.ASK_REPORTER: _l("Kysymys on lähetetty raportoijalle."),
    Action.TAKE_FORWARD: _l("Raportti on viety eteenpäin."),
    Action.RESOLVE: _l("Raportti on merkitty ratkaistuksi."),
    Action.CLOSE: _l("Raportti on suljettu."),
    Action.REOPEN: _l("Raportti on avattu uudelleen."),
}
JUST_ACTED = "cases_just_acted"
"""Session key: the report whose page the browser is sent back to after an action, so that the page
shown after the change is not logged as one more opening of the report (the change is logged)."""


def _render_case(report: Report, form: CaseActionForm | None = None, error: str | None = None,
                 status: int = 200, failed: tuple[Action, str] | None = None) -> ResponseReturnValue:
    """The case page; `failed` puts an action's error at its field, where the user is looking."""
    form = form or CaseActionForm(version=report.version)
    return render_template(
        "cases/detail.html",
        report=report,
        form=form,
        error=error,
        failed_action=failed[0] if failed else None,
        failed_field=failed[1] if failed else None,
        note_labels=NOTE_LABELS,
        actions=permissions.allowed_actions(current_user, report),
        transitions=TRANSITIONS,
        show_reporter=permissions.can_see_reporter(current_user, report),
        read_only=not permissions.may_act(current_user, report),
        deadlines=[(deadline, due_at(report, deadline), is_pending(report, deadline)) for deadline in Deadline],
        now=utcnow(),
    ), status


@bp.get("/<number>")
@login_required
def detail(number: str) -> ResponseReturnValue:
    report = _visible_report(number)
    if report.unread_answer and permissions.may_act(current_user, report) and opened_here():
        mark_answer_read(report)
    if session.pop(JUST_ACTED, None) != report.number:
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
        reasons = " ".join(str(message) for messages in form.errors.values() for message in messages)
        message = reasons or _("Tarkista kentät.")
        return _render_case(report, form, message, 400, failed=(chosen, "forum" if "forum" in form.errors else "note"))
    forum = catalog.forum_by_code(form.forum.data or "")

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current = _visible_report(number)
        form.version.data = str(current.version)
        field = "forum" if TRANSITIONS[chosen].needs_forum and forum is None else "note"
        return _render_case(current, form, str(refusal), refusal.status_code, failed=(chosen, field))

    on_refusal(shown_again)
    perform(chosen, report, current_user, note=form.note.data, is_public=form.is_public.data, forum=forum,
            expected_version=int(form.version.data) if (form.version.data or "").isdigit() else None)
    flash(str(DONE[chosen]), "info")
    session[JUST_ACTED] = report.number
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
        if permissions.uses_inbox(current_user):  # a supervisor: the situation of their own units is their inbox
            flash(_("Tilannekuva koko hyvinvointialueen raporteista on sosiaalijohtajan ja työryhmän näkymä. "
                    "Yksiköidesi raportit ja niiden tilanteet ovat tässä."), "info")
            return redirect(url_for("cases.inbox"))
        abort(403)
    return render_template("cases/dashboard.html", data=build_dashboard(figures=cached_figures()),
                           statuses=list(ReportStatus), levels=list(EscalationLevel), now=utcnow(), days_since=days_since)
