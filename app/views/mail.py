"""The administrator's view of mail delivery: what waits, what failed and why, and sending again."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.workflow.core import permissions
from app.workflow.mail.outbox import overview, retry_unsent

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")


@bp.before_request
@login_required
def _administrators_only() -> None:
    if not permissions.administers(current_user):
        abort(403)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("admin/mail.html", data=overview(), form=FlaskForm())


@bp.post("/retry")
def retry_failed() -> ResponseReturnValue:
    """Every message that has not gone out is tried again on the next delivery run."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    count = retry_unsent(current_user)
    flash(ngettext("%(num)d viesti lähetetään uudelleen seuraavalla ajokerralla.",
                   "%(num)d viestiä lähetetään uudelleen seuraavalla ajokerralla.", count), "info")
    return redirect(url_for("mail.index"))
