"""The contact persons' pages (their units' figures and reports' progress, the network) and the
administrator's reminder campaigns."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms.admin import EmptyForm
from app.forms.campaigns import CampaignForm
from app.models import Campaign
from app.views.lifecycle import on_refusal
from app.workflow.campaigns import contact_persons, reminders
from app.workflow.core import permissions
from app.workflow.reports import catalog

bp = Blueprint("contacts", __name__)


@bp.get("/contact-person")
@login_required
def mine() -> ResponseReturnValue:
    if not permissions.is_contact_person(current_user):
        abort(403)
    period, figures = contact_persons.figures(current_user, contact_persons.helsinki_today())
    return render_template("contacts/mine.html", period=period, figures=figures,
                           reports=contact_persons.progress(current_user),
                           material=reminders.rounds_received(current_user))


@bp.get("/contact-person/network")
@login_required
def network() -> ResponseReturnValue:
    if not permissions.sees_contact_network(current_user):
        abort(403)
    return render_template("contacts/network.html", members=contact_persons.network())


def _campaign_manager() -> None:
    if not permissions.manages_campaigns(current_user):
        abort(403)


@bp.route("/admin/campaigns", methods=["GET", "POST"])
@login_required
def campaigns() -> ResponseReturnValue:
    _campaign_manager()
    form = CampaignForm()

    def page(message: str | None = None, status: int = 200) -> ResponseReturnValue:
        listed = reminders.campaigns()
        return render_template("contacts/campaigns.html", form=form, campaigns=listed, stop=EmptyForm(),
                               effects={c.id: reminders.effects(c) for c in listed}, message=message), status

    if request.method == "GET" or not form.validate_on_submit():
        return page(status=400 if form.errors else 200)
    on_refusal(lambda refusal: page(str(refusal), refusal.status_code))
    nodes = [node for node in (catalog.node_by_code(code) for code in form.nodes.data) if node is not None]
    reminders.save_campaign(reminders.CampaignInput(
        title=form.title.data, message=form.message.data, nodes=nodes, first_on=form.first_on.data,
        every_months=int(form.every_months.data) if form.every_months.data else None), current_user)
    flash(_("Muistutuskampanja tallennettu."), "info")
    return redirect(url_for("contacts.campaigns"))


@bp.post("/admin/campaigns/<int:campaign_id>/stop")
@login_required
def stop(campaign_id: int) -> ResponseReturnValue:
    _campaign_manager()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not EmptyForm().validate_on_submit():
        abort(404 if campaign is None else 400)
    reminders.stop_campaign(campaign, current_user)
    flash(_("Kampanja lopetettu: uusia lähetyksiä ei tehdä."), "info")
    return redirect(url_for("contacts.campaigns"))
