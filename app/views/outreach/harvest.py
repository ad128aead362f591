"""The administrator's harvest of counties' open data: the sources and their status, the half-years harvested,
"Hae nyt" (queued for the scheduler, never fetched in the request) and a file uploaded by hand."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.extensions import db
from app.forms.admin import EmptyForm
from app.forms.welfare import HarvestSourceForm, HarvestUploadForm
from app.models import HarvestSource
from app.views.lifecycle import on_refusal
from app.workflow.comparison import harvest
from app.workflow.comparison.installation import current_scope
from app.workflow.core import permissions

bp = Blueprint("harvest", __name__, url_prefix="/admin/harvest")


@bp.before_request
@login_required
def _administrators_only() -> None:
    if not permissions.manages_harvest(current_user):
        abort(403)


def _page(source_form: HarvestSourceForm | None = None, upload_form: HarvestUploadForm | None = None,
          message: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/harvest.html", sources=harvest.sources(), counties=harvest.harvested_counties(),
                           scope=current_scope(), source_form=source_form or HarvestSourceForm(),
                           upload_form=upload_form or HarvestUploadForm(), button_form=EmptyForm(),
                           message=message), status


@bp.get("/")
def index() -> ResponseReturnValue:
    return _page()


@bp.post("/sources")
def add_source() -> ResponseReturnValue:
    form = HarvestSourceForm()
    if not form.validate_on_submit():
        return _page(source_form=form, status=400)
    on_refusal(lambda refusal: _page(source_form=form, message=str(refusal), status=refusal.status_code))
    harvest.add_source(form.index_url.data, current_user)
    flash(_("Lähde lisättiin. Se haetaan seuraavassa haussa."), "info")
    return redirect(url_for("harvest.index"))


@bp.post("/sources/<int:source_id>/delete")
def remove_source(source_id: int) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    source = db.session.get(HarvestSource, source_id)
    if source is None:
        abort(404)
    harvest.remove_source(source, current_user)
    flash(_("Lähde poistettiin. Siitä jo haetut tiedostot säilyvät."), "info")
    return redirect(url_for("harvest.index"))


@bp.post("/now")
def harvest_now() -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = harvest.request_harvest(current_user)
    flash(ngettext("Haku on jonossa: ajastin hakee %(num)d lähteen hetken kuluttua.",
                   "Haku on jonossa: ajastin hakee %(num)d lähdettä hetken kuluttua.", count)
          if count else _("Lähteitä ei ole vielä."), "info")
    return redirect(url_for("harvest.index"))


@bp.post("/upload")
def upload() -> ResponseReturnValue:
    form = HarvestUploadForm()
    file = form.file.data
    if not form.validate_on_submit() or not getattr(file, "filename", ""):
        return _page(upload_form=form, message=_("Valitse vientitiedosto."), status=400)
    on_refusal(lambda refusal: _page(upload_form=form, message=str(refusal), status=refusal.status_code))
    stored = harvest.upload_export(file.filename, file.read(harvest.UPLOAD_MAX_BYTES + 1), current_user)
    flash(_("Tiedosto tallennettiin.") if stored is harvest.Stored.ADDED
          else _("Sama tiedosto oli jo tallennettu: mitään ei lisätty."), "info")
    return redirect(url_for("harvest.index"))
