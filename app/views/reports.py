"""Filing a report, its receipt, tracking by number and code, and the reporter's own list."""
from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.codes import AuditAction
from app.extensions import db, limiter
from app.forms.reports import AnswerForm, ReportForm, TrackForm
from app.forms.admin import EmptyForm
from app.models import Report, utcnow
from app.views.lifecycle import on_refusal
from app.workflow.auth import guard, tracking_guard
from app.workflow.cases.operations import answer_question
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.reports import confirmation
from app.workflow.reports.filing import HELSINKI, AlreadyFiled, file_report
from app.workflow.reports.lookup import find_by_tracking_code

bp = Blueprint("reports", __name__)


def _filing_limit() -> str:
    return current_app.config["FILING_RATE_LIMIT"]


@bp.route("/report/new", methods=["GET", "POST"])
@limiter.limit(_filing_limit, methods=["POST"])
def new() -> ResponseReturnValue:
    """The receipt is the answer to the POST itself: the tracking code never enters the session cookie."""
    form = ReportForm()
    if form.validate_on_submit():
        author = current_user if current_user.is_authenticated else None
        on_refusal(lambda refusal: form_again(str(refusal), refusal.status_code))  # another's name, logged in
        try:
            filed = file_report(form.to_input(author), author=author)
        except AlreadyFiled as earlier:  # nothing of this copy was kept
            return render_template("reports/already_filed.html", number=earlier.number)
        receipt = {"number": filed.report.number, "code": filed.tracking_code, "anonymous": filed.report.is_anonymous}
        # the lifecycle commits as the view returns: the year's number counter stays locked until then
        return render_template("reports/receipt.html", receipt=receipt)
    return render_template("reports/new.html", form=form), 400 if form.errors else 200


def form_again(message: str, status: int, formdata: object = None) -> ResponseReturnValue:
    """A report that could not be taken now comes back as it was typed, with a fresh token."""
    form = ReportForm(formdata=request.form if formdata is None else formdata)
    return render_template("reports/new.html", form=form, session_expired=message), status


def form_after_expired_session() -> ResponseReturnValue:
    return form_again(
        _("Istuntosi oli vanhentunut, joten raporttia ei vielä lähetetty. Tarkista tiedot ja lähetä uudelleen."), 400
    )


@bp.route("/report/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> ResponseReturnValue:
    """The named reporter's one-time link: the page asks to confirm (a GET changes nothing, so a mail
    scanner that follows links confirms nothing), and the button confirms."""
    today = utcnow().astimezone(HELSINKI).date()
    form = EmptyForm()
    if form.validate_on_submit():
        report = confirmation.confirm(token, today)
        if report is None:
            return render_template("reports/confirm.html", expired=True), 404
        return render_template("reports/confirm.html", confirmed=report.number)
    report = confirmation.pending(token, today)
    if report is None:
        return render_template("reports/confirm.html", expired=True), 404
    return render_template("reports/confirm.html", form=form, number=report.number)


@bp.get("/report/receipt")
def receipt() -> ResponseReturnValue:
    """Old bookmark of the receipt: the receipt is shown only once, right after sending."""
    return redirect(url_for("reports.new"))


@bp.route("/track", methods=["GET", "POST"])
def track() -> ResponseReturnValue:
    form = TrackForm()
    report = None
    if form.validate_on_submit():
        report = _guarded_lookup(form.number.data, form.code.data)
        if not isinstance(report, Report):
            return report  # refused or not found
        answer_form = AnswerForm(number=form.number.data, code=form.code.data)
        return render_template("reports/tracking_status.html", report=report, answer_form=answer_form)
    return render_template("reports/track.html", form=form), 400 if form.errors else 200


def _guarded_lookup(number: str, code: str) -> Report | ResponseReturnValue:
    """The report for number and code, or the response to give instead (refused or not found)."""
    verdict = tracking_guard.admit()
    if not verdict.allowed:
        page = render_template("reports/track.html", form=TrackForm(number=number), error=guard.refusal_message(verdict))
        return page, 429, {"Retry-After": str(verdict.retry_after)}
    report = find_by_tracking_code(number, code)
    if report is None:
        tracking_guard.record_failure(number)
        return render_template("reports/track.html", form=TrackForm(number=number), error=not_found_message()), 404
    return report


@bp.post("/track/answer")
def answer() -> ResponseReturnValue:
    form = AnswerForm()
    report = _guarded_lookup(form.number.data or "", form.code.data or "")
    if not isinstance(report, Report):
        return report  # refused or not found
    if form.validate_on_submit():

        def shown_again(error: Refusal) -> ResponseReturnValue:
            return render_template("reports/tracking_status.html", report=report, answer_form=form,
                                   error=str(error)), 409

        on_refusal(shown_again)
        answer_question(report, form.answer.data)
        flash(_("Kiitos! Vastauksesi on välitetty käsittelijälle."), "info")
        return render_template("reports/tracking_status.html", report=report,
                               answer_form=AnswerForm(number=form.number.data, code=form.code.data))
    return render_template("reports/tracking_status.html", report=report, answer_form=form), 400


def not_found_message() -> str:
    return _("Raporttia ei löytynyt näillä tiedoilla. Tarkista raportin numero ja seurantakoodi.")


@bp.get("/my-reports")
@login_required
def mine() -> ResponseReturnValue:
    reports = db.session.scalars(
        sa.select(Report).where(Report.author_id == current_user.id).order_by(Report.created_at.desc())
    ).all()
    return render_template("reports/mine.html", reports=reports)


def _own_report(number: str) -> Report:
    report = db.session.scalar(
        sa.select(Report).where(Report.number == number, Report.author_id == current_user.id)
    )
    if report is None:
        abort(404)
    return report


@bp.get("/my-reports/<number>")
@login_required
def my_report(number: str) -> ResponseReturnValue:
    report = _own_report(number)
    record(AuditAction.REPORT_VIEWED, actor=current_user, report=report)
    return render_template("reports/tracking_status.html", report=report, answer_form=AnswerForm(),
                           answer_url=url_for("reports.my_report_answer", number=number))


@bp.post("/my-reports/<number>/answer")
@login_required
def my_report_answer(number: str) -> ResponseReturnValue:
    report = _own_report(number)
    form = AnswerForm()
    answer_url = url_for("reports.my_report_answer", number=number)
    if not form.validate_on_submit():
        return render_template("reports/tracking_status.html", report=report, answer_form=form,
                               answer_url=answer_url), 400

    def shown_again(error: Refusal) -> ResponseReturnValue:
        return render_template("reports/tracking_status.html", report=_own_report(number), answer_form=form,
                               answer_url=answer_url, error=str(error)), 409

    on_refusal(shown_again)
    answer_question(report, form.answer.data)
    flash(_("Kiitos! Vastauksesi on välitetty käsittelijälle."), "info")
    return redirect(url_for("reports.my_report", number=number))
