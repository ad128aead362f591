"""The partners' form: reports from outside the county's staff, on the channel the county switched on."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.forms.partners import PartnerReportForm
from app.workflow.auth import guard
from app.workflow.reports.filing import AlreadyFiled, file_report
from app.workflow.reports.partners import open_channel

bp = Blueprint("partners", __name__)


@bp.route("/partners/report", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Like the staff form, and the receipt is the POST's own answer; a partner is never the author."""
    channel = open_channel()
    if channel is None:
        abort(404)
    if request.method == "POST" and not guard.admit_filing("partner-filing", "PARTNER_FILING_RATE_LIMIT").allowed:
        abort(429)
    form = PartnerReportForm(residents=channel.residents)
    if form.validate_on_submit():
        try:
            filed = file_report(form.to_partner_input(channel.node), author=None)
        except AlreadyFiled as earlier:
            return render_template("reports/already_filed.html", number=earlier.number)
        receipt = {"number": filed.number, "code": filed.tracking_code, "anonymous": filed.is_anonymous}
        return render_template("reports/receipt.html", receipt=receipt, partner=True)
    return render_template("reports/partner.html", form=form, form_action=url_for("partners.new")), \
        400 if form.errors else 200
