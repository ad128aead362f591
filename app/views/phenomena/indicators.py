"""Indicator values beside the reports: importing Sotkanet's and THL's files, and removing an indicator."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.extensions import db
from app.forms.admin import EmptyForm
from app.forms.fields import options
from app.forms.indicators import IndicatorImportForm
from app.models import Indicator
from app.views.lifecycle import on_refusal
from app.workflow.core import permissions
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import coding, indicators

bp = Blueprint("indicators", __name__, url_prefix="/phenomena/indicators")


@bp.before_request
@login_required
def _managers_only() -> None:
    if not permissions.manages_indicators(current_user):
        abort(403)


def _form() -> IndicatorImportForm:
    form = IndicatorImportForm()
    form.phenomenon.choices = options([("", _("Valitse ilmiö"))]
                                      + [(p.code, p.label) for p in coding.offered_phenomena()])
    return form


def _page(form: IndicatorImportForm, parsed: indicators.ParsedFile | None = None, message: str | None = None,
          status: int = 200) -> ResponseReturnValue:
    return render_template("phenomena/indicators.html", form=form, parsed=parsed, message=message,
                           indicators=indicators.summaries(), delete_form=EmptyForm()), status


@bp.get("/")
def index() -> ResponseReturnValue:
    return _page(_form())


@bp.post("/import")
def upload() -> ResponseReturnValue:
    form = _form()
    uploads = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    if not form.validate_on_submit() or not uploads:
        return _page(form, message=_("Valitse yksi tai useampi tiedosto."), status=400)
    on_refusal(lambda refusal: _page(form, message=str(refusal), status=refusal.status_code))
    files = [(f.filename, f.read(indicators.MAX_BYTES + 1)) for f in uploads]
    parsed = indicators.read_files(files)
    if parsed.problems:
        return _page(form, parsed, status=400)
    phenomenon = coding.phenomenon_by_code(form.phenomenon.data) if form.phenomenon.data else None
    result = indicators.store(parsed, phenomenon, current_user, title=form.title.data or None)
    flash(ngettext("Tuotiin %(num)d arvo.", "Tuotiin %(num)d arvoa.", result.values) + " " +
          (ngettext("%(num)d muiden alueiden tai sukupuolten arvo ohitettiin.",
                    "%(num)d muiden alueiden tai sukupuolten arvoa ohitettiin.", result.passed_over)
           if result.passed_over else ""), "info")
    return redirect(url_for("indicators.index"))


@bp.post("/<int:indicator_id>/delete")
def delete(indicator_id: int) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:
        abort(404)
    indicators.delete_indicator(indicator, current_user)
    flash(_("Indikaattori %(title)s arvoineen poistettiin.", title=indicator.title), "info")
    return redirect(url_for("indicators.index"))
