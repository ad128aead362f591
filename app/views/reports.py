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
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from app.codes import AuditAction
from app.extensions import db
from app.forms.reports import AnswerForm, ReportForm, TrackForm
from app.forms.admin import EmptyForm
from app.models import HeldAnswer, Report, ReportEvent, utcnow
from app.views.lifecycle import on_refusal
from app.workflow.auth import guard, tracking_guard
from app.workflow.cases.operations import answer_question
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal
from app.workflow.reports import confirmation, tracking_session
from app.workflow.reports.filing import HELSINKI, AlreadyFiled, file_report
from app.workflow.reports.lookup import find_by_tracking_code

bp = Blueprint("reports", __name__)


@bp.route("/report/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """The receipt is the answer to the POST itself: the tracking code never enters the session cookie."""
    if request.method == "POST" and not guard.admit_filing().allowed:
        abort(429)
    form = ReportForm()
    if request.method == "POST" and _switched_language():
        form.validate()  # the errors, if any, again in the chosen language; nothing is filed
        return render_template("reports/new.html", form=form)
    if form.validate_on_submit():
        author = current_user if current_user.is_authenticated else None
        on_refusal(lambda refusal: form_again(str(refusal), refusal.status_code))  # another's name, logged in
        try:
            filed = file_report(form.to_input(author), author=author)
        except AlreadyFiled as earlier:  # nothing of this copy was kept
            return render_template("reports/already_filed.html", number=earlier.number)
        receipt = {"number": filed.number, "code": filed.tracking_code, "anonymous": filed.is_anonymous}
        # the lifecycle commits as the view returns: the year's number counter stays locked until then
        return render_template("reports/receipt.html", receipt=receipt)
    return render_template("reports/new.html", form=form), 400 if form.errors else 200


def _switched_language() -> bool:
    """A page that answers a POST has its language button inside its own form, so switching keeps the page."""
    chosen = request.form.get("switch_language")
    if chosen not in current_app.config["LANGUAGES"]:
        return False
    session["language"] = chosen
    refresh()
    return True


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


@bp.post("/report/receipt")
def receipt_again() -> ResponseReturnValue:
    """The receipt in the other language: number and code come back in the body, checked like a tracking look-up."""
    number, code = request.form.get("number", ""), request.form.get("tracking_code", "")
    report = _guarded_lookup(number, code)
    if not isinstance(report, Report):
        return report
    _switched_language()
    return render_template("reports/receipt.html",
                           receipt={"number": report.number, "code": code, "anonymous": report.is_anonymous})


@bp.route("/track", methods=["GET", "POST"])
def track() -> ResponseReturnValue:
    """Number and code are posted, never put in a URL; the answer is a redirect to the tracking page.

    So a reload sends nothing again, and the page can be kept open and returned to (see tracking_session).
    """
    form = TrackForm()
    if form.validate_on_submit():
        report = _guarded_lookup(form.number.data, form.code.data)
        if not isinstance(report, Report):
            return report  # refused or not found
        tracking_session.remember(report)
        return redirect(url_for("reports.status"))
    return render_template("reports/track.html", form=form), 400 if form.errors else 200


@bp.get("/track/status")
def status() -> ResponseReturnValue:
    was_open = tracking_session.SESSION_KEY in session
    report = tracking_session.recalled()
    if report is None:
        if not was_open:
            return redirect(url_for("reports.track"))
        flash(_("Seurantasivu suljettiin, koska siellä ei ole käyty puoleen tuntiin. Anna raportin numero ja "
                "seurantakoodi uudelleen."), "info")
        return redirect(url_for("reports.track"))
    return render_template("reports/tracking_status.html", report=report, answer_form=AnswerForm(), tracking_open=True)


@bp.post("/track/close")
def close_tracking() -> ResponseReturnValue:
    tracking_session.forget()
    flash(_("Seurantasivu on suljettu tältä selaimelta."), "info")
    return redirect(url_for("reports.track"))


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
    """The answer from the tracking page: the report is the one this browser opened (or, from an old page,
    the number and code posted with the answer)."""
    form = AnswerForm()
    report = tracking_session.recalled() if not form.code.data else None
    if report is None:
        report = _guarded_lookup(form.number.data or "", form.code.data or "")
        if not isinstance(report, Report):
            return report  # refused or not found
        tracking_session.remember(report)
    if form.validate_on_submit():

        def shown_again(error: Refusal) -> ResponseReturnValue:
            return render_template("reports/tracking_status.html", report=report, answer_form=form,
                                   error=str(error), tracking_open=True), 409

        on_refusal(shown_again)
        flash(answered_message(answer_question(report, form.answer.data)), "info")
        return redirect(url_for("reports.status"))
    return render_template("reports/tracking_status.html", report=report, answer_form=form, tracking_open=True), 400


def answered_message(answer: ReportEvent | HeldAnswer) -> str:
    if isinstance(answer, HeldAnswer):
        return _("Kiitos! Vastauksesi on tallennettu. Käsittelijä saa sen seuraavana yönä yhdessä päivän muiden "
                 "nimettömien vastausten kanssa.")
    return _("Kiitos! Vastauksesi on välitetty käsittelijälle.")


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
    flash(answered_message(answer_question(report, form.answer.data)), "info")
    return redirect(url_for("reports.my_report", number=number))
