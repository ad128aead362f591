"""The handler's side: inbox, case page and the workflow actions."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.codes import AuditAction, EscalationLevel, NotificationKind, ReportStatus
from app.extensions import db
from app.forms.cases import (
    NOTE_LABELS,
    BulkForm,
    CaseActionForm,
    InboxFilterForm,
    NationalCodingForm,
    NotificationPageForm,
    PeriodForm,
)
from app.forms.fields import query_status
from app.models import Report, User, utcnow
from app.views.lifecycle import on_refusal, streamed
from app.views.navigation import opened_here
from app.workflow.cases.dashboard import (
    Period,
    breakdown,
    breakdown_frames,
    build_dashboard,
    cached_figures,
    days_since,
    deadline_counts,
)
from app.workflow.admin import site_settings
from app.workflow.cases import inbox_export
from app.workflow.cases.deadlines import (
    Deadline,
    DeadlineSettings,
    describe,
    due_at,
    is_overdue,
    is_stalled,
    may_go_on_without_answer,
    next_due,
    standing,
)
from app.workflow.cases.inbox import COLUMNS, InboxFilters, inbox_page
from app.workflow.cases.handover import hand_over_cases, handler_nodes
from app.workflow.cases.notifications import mark_read, notifications_page
from app.workflow.cases.operations import (
    mark_answer_read,
    perform,
)
from app.workflow.cases.transitions import TRANSITIONS, Action
from app.workflow.core import permissions
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.core.spreadsheets import frames_to_xlsx
from app.workflow.phenomena import coding
from app.workflow.phenomena import groups as phenomenon_groups
from app.workflow.phenomena.similarity import similar_reports
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


def _settings() -> DeadlineSettings:
    return DeadlineSettings.from_config(site_settings.current())


def _inbox_filters() -> tuple[InboxFilterForm, InboxFilters]:
    """The inbox's filters from the query string; a field that does not parse is left out."""
    form = InboxFilterForm(request.args)
    form.validate()

    def given(name: str) -> object:
        return None if form[name].errors else form[name].data

    def day(name: str) -> date | None:
        value = given(name)
        return value if isinstance(value, date) else None

    filters = InboxFilters(**{name: given(name) or "" for name in
                              ("status", "phenomenon", "nature", "theme", "municipality", "unit", "level", "sort", "q")},
                           unread=bool(form.unread.data), overdue=bool(form.overdue.data),
                           due_soon=bool(form.due_soon.data), stalled=bool(form.stalled.data),
                           received_from=day("received_from"), received_to=day("received_to"),
                           now=utcnow(), settings=_settings(),
                           number_prefix=current_app.config["REPORT_NUMBER_PREFIX"])
    return form, filters


def _exported_filters() -> InboxFilters:
    """The list's filters for an export; a refused value refuses the file, which would silently hold more."""
    form, filters = _inbox_filters()
    if form.errors:
        abort(400)
    return filters


@bp.get("/")
@login_required
def inbox() -> ResponseReturnValue:
    user = _inbox_user()
    form, filters = _inbox_filters()
    now = filters.now
    page, counts = inbox_page(user, filters, form.page.number, PER_PAGE)
    hands_over = permissions.can_hand_over_cases(user)
    return render_template("cases/inbox.html", form=form, page=page, counts=counts, columns=COLUMNS,
                           hand_over_nodes=handler_nodes() if hands_over else [], bulk_form=BulkForm(),
                           may_act=lambda report: permissions.may_act(user, report),
                           args={k: v for k, v in request.args.items() if k != "page"},
                           overdue=lambda report: is_overdue(report, now),
                           stalled=lambda report: is_stalled(report, now, filters.settings), next_due=next_due), query_status(form)


@bp.post("/hand-over")
@login_required
def hand_over() -> ResponseReturnValue:
    """The selected cases to another node's handlers; back to the same list."""
    _inbox_user()
    if not BulkForm().validate_on_submit():
        abort(400)
    back = request.form.get("back", "")
    back = back if back.startswith("/cases/") and "//" not in back else url_for("cases.inbox")

    def refused(refusal: Refusal) -> ResponseReturnValue:
        flash(str(refusal), "error")
        return redirect(back)

    on_refusal(refused)
    moved = hand_over_cases(current_user, request.form.getlist("number"), request.form.get("node", ""))
    flash(_("%(count)d raporttia siirretty: %(node)s.", count=len(moved), node=moved[0].handling_node.name), "info")
    return redirect(back)


@bp.get("/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    """The filtered list as CSV, streamed: ten thousand rows start arriving at once."""
    user = _inbox_user()
    filters = _exported_filters()
    return streamed(inbox_export.csv_lines(user, filters), "text/csv; charset=utf-8",
                    inbox_export.file_name(filters.now, "csv"))


@bp.get("/export.xlsx")
@login_required
def export_xlsx() -> ResponseReturnValue:
    user = _inbox_user()
    filters = _exported_filters()
    return Response(inbox_export.workbook(user, filters),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={inbox_export.file_name(filters.now, 'xlsx')}"})


# What the flash says after each action: what was done, as a handler would write it.
DONE = {
    Action.START_HANDLING: _l("Käsittely on aloitettu."),
    Action.ADD_NOTE: _l("Etenemismerkintä on tallennettu."),
    Action.ASK_REPORTER: _l("Kysymys on lähetetty raportoijalle."),
    Action.TAKE_FORWARD: _l("Raportti on viety eteenpäin."),
    Action.RESOLVE: _l("Raportti on merkitty ratkaistuksi."),
    Action.CLOSE: _l("Raportti on suljettu."),
    Action.REOPEN: _l("Raportti on avattu uudelleen."),
    Action.GO_ON_WITHOUT_ANSWER: _l("Käsittely jatkuu ilman raportoijan vastausta."),
}
JUST_ACTED = "cases_just_acted"
"""Session key: the report whose page the browser is sent back to after an action, so that the page
shown after the change is not logged as one more opening of the report (the change is logged)."""


def _render_case(report: Report, form: CaseActionForm | None = None, error: str | None = None,
                 status: int = 200, failed: tuple[Action, str] | None = None,
                 coding_form: NationalCodingForm | None = None, coding_error: str | None = None) -> ResponseReturnValue:
    """The case page; `failed` puts an action's error at its field, where the user is looking."""
    form = form or CaseActionForm(version=report.version)
    codes = permissions.can_code_national_phenomena(current_user, report)
    now, settings = utcnow(), _settings()
    actions = [action for action in permissions.allowed_actions(current_user, report)
               if not TRANSITIONS[action].after_question_wait or may_go_on_without_answer(report, now, settings)]
    return render_template(
        "cases/detail.html",
        report=report,
        form=form,
        error=error,
        failed_action=failed[0] if failed else None,
        failed_field=failed[1] if failed else None,
        note_labels=NOTE_LABELS,
        actions=actions,
        transitions=TRANSITIONS,
        show_reporter=permissions.can_see_reporter(current_user, report),
        read_only=not permissions.may_act(current_user, report),
        deadlines=[(deadline, due_at(report, deadline), standing(report, deadline, now)) for deadline in Deadline],
        describe=describe, stalled=is_stalled(report, now, settings),
        now=now, phenomena=phenomenon_groups.case_panel(current_user, report),
        similar=similar_reports([report.id], current_user),
        codings=coding.codings(report),
        coding_form=(coding_form or NationalCodingForm(report, formdata=None)) if codes else None,
        coding_error=coding_error,
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


@bp.post("/<number>/national-phenomena")
@login_required
def code_national_phenomena(number: str) -> ResponseReturnValue:
    """The handler confirms or corrects the report's national phenomena."""
    report = _visible_report(number)
    form = NationalCodingForm(report)
    if not form.validate_on_submit():
        message = " ".join(str(m) for messages in form.errors.values() for m in messages) or _("Tarkista kentät.")
        return _render_case(report, coding_form=form, coding_error=message, status=400)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current = _visible_report(number)
        return _render_case(current, coding_form=NationalCodingForm(current, formdata=None),
                            coding_error=str(refusal), status=refusal.status_code)

    on_refusal(shown_again)
    changed = coding.confirm_coding(report, form.chosen(), current_user,
                                    expected_version=int(form.version.data) if (form.version.data or "").isdigit()
                                    else None)
    flash(_("Valtakunnalliset ilmiöt on vahvistettu.") if changed else _("Koodaus oli jo näin."), "info")
    session[JUST_ACTED] = report.number
    return redirect(url_for("cases.detail", number=report.number))


NOTIFICATIONS_PER_PAGE = 50


def _notification_filters() -> tuple[NotificationKind | None, bool]:
    try:
        kind = NotificationKind(request.values.get("kind", "")) if request.values.get("kind") else None
    except ValueError:
        kind = None
    return kind, request.values.get("unread") == "y"


@bp.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    """The user's in-app notifications, newest first, a page at a time; the page opened here is marked read."""
    kind, unread_only = _notification_filters()
    page_form = NotificationPageForm(request.args)
    page_form.validate()
    page = notifications_page(current_user, kind, unread_only, page_form.page.number, NOTIFICATIONS_PER_PAGE)
    unread_ids = [row.id for row in page.items if row.read_at is None]
    if unread_ids and opened_here():
        mark_read(current_user, ids=unread_ids)
    return render_template("cases/notifications.html", page=page, notifications=page.items, unread_ids=set(unread_ids),
                           kinds=list(NotificationKind), kind=kind, unread_only=unread_only, form=BulkForm(),
                           page_form=page_form, args={k: v for k, v in request.args.items() if k != "page"}), \
        query_status(page_form)


@bp.post("/notifications/read")
@login_required
def notifications_read() -> ResponseReturnValue:
    """Every unread notification (of the chosen kind) marked read at once."""
    if not BulkForm().validate_on_submit():
        abort(400)
    kind, _unread = _notification_filters()
    count = mark_read(current_user, kind=kind)
    flash(_("%(count)d ilmoitusta merkitty luetuksi.", count=count), "info")
    return redirect(url_for("cases.notifications", **({"kind": kind.value} if kind else {})))


def _period() -> tuple[PeriodForm, Period]:
    if not permissions.sees_all(current_user):
        abort(403)
    form = PeriodForm(request.args)
    form.validate()
    return form, Period(None if form.start.errors else form.start.data, None if form.end.errors else form.end.data)


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    if not permissions.sees_all(current_user) and permissions.uses_inbox(current_user):
        # a supervisor: the situation of their own units is their inbox
        flash(_("Tilannekuva koko hyvinvointialueen raporteista on sosiaalijohtajan ja työryhmän näkymä. "
                "Yksiköidesi raportit ja niiden tilanteet ovat tässä."), "info")
        return redirect(url_for("cases.inbox"))
    form, period = _period()
    now = utcnow()
    overdue, stalled = deadline_counts(now, _settings())
    return render_template("cases/dashboard.html", data=build_dashboard(figures=cached_figures()),
                           statuses=list(ReportStatus), levels=list(EscalationLevel), now=now, days_since=days_since,
                           overdue=overdue, stalled=stalled, period_form=form, breakdown=breakdown(period),
                           period_args={k: v for k, v in request.args.items() if k in ("start", "end")}), \
        query_status(form)


@bp.get("/dashboard/export.xlsx")
@login_required
def dashboard_export() -> ResponseReturnValue:
    """The dashboard's breakdown by unit and by municipality for the period, as Excel; audited.
    A refused day refuses the file, which would otherwise silently cover another period."""
    form, period = _period()
    if form.errors:
        abort(400)
    record(AuditAction.EXPORTED, actor=current_user,
           details={"what": "dashboard", "start": str(period.start or ""), "end": str(period.end or "")})
    content = frames_to_xlsx(breakdown_frames(breakdown(period), _("Koko hyvinvointialue")))
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=sora-tilannekuva.xlsx"})
