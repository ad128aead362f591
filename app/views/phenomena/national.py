"""THL's national phenomena seen from the county: an overview, and each phenomenon's view with its reports,
the working group's findings and the indicators side by side."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.forms.fields import options
from app.forms.indicators import AreaForm
from app.workflow.admin import site_settings
from app.workflow.core import permissions
from app.workflow.phenomena import coding, view
from app.workflow.reports import catalog

bp = Blueprint("phenomena", __name__, url_prefix="/phenomena/national")


@bp.before_request
@login_required
def _viewers_only() -> None:
    if not permissions.sees_phenomenon_view(current_user):
        abort(403)


@bp.get("/")
def overview() -> ResponseReturnValue:
    return render_template("phenomena/overview.html", rows=view.overview(current_user))


@bp.get("/<code>")
def show(code: str) -> ResponseReturnValue:
    phenomenon = coding.phenomenon_by_code(code)
    if phenomenon is None:
        abort(404)
    form = AreaForm(request.args)
    municipalities = catalog.municipalities()
    form.area.choices = options([(view.COUNTY, _("Koko hyvinvointialue"))] + [(m.code, m.label) for m in municipalities])
    chosen = form.area.data or view.COUNTY
    area = next((m for m in municipalities if m.code == chosen), None)
    if chosen != view.COUNTY and area is None:
        abort(404)
    shown = view.phenomenon_view(phenomenon, area, current_user, site_settings.county().name)
    return render_template("phenomena/phenomenon.html", view=shown, form=form)
