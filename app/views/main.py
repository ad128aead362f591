"""Front page, guidance, the language switch and the county's logo and colours."""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.forms.auth import LanguageForm
from app.forms.county import FirstRunForm
from app.views.lifecycle import on_refusal
from app.views.navigation import safe_next
from app.workflow.admin import county as county_setup
from app.workflow.admin import people
from app.workflow.admin import site_settings
from app.workflow.core import permissions

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    if county_setup.installation_empty():
        return redirect(url_for("main.first_run"))
    return render_template("index.html")


@bp.route("/setup", methods=["GET", "POST"])
def first_run() -> ResponseReturnValue:
    """The first-run page of an empty installation: the county and its first administrator."""
    if not permissions.sets_up_installation(empty=county_setup.installation_empty()):
        abort(404)
    form = FirstRunForm([(c.code, f"{c.code} {c.name_fi}") for c in county_setup.counties()])

    def page(message: str | None = None, status: int = 200) -> ResponseReturnValue:
        return render_template("setup.html", form=form, message=message), status

    if not form.validate_on_submit():
        return page(status=400 if form.errors else 200)
    on_refusal(lambda refusal: page(str(refusal), refusal.status_code))
    county_setup.first_run(form.county.data, form.name.data, form.email.data, form.password.data)
    flash(_("Alue on otettu käyttöön. Kirjaudu sisään pääkäyttäjänä ja lisää organisaatio."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/guidance")
def guidance() -> ResponseReturnValue:
    return render_template("guidance.html")


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page says; the icon is the SVG in static/."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.post("/language")
def language() -> ResponseReturnValue:
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            people.choose_language(current_user, form.language.data)
    return redirect(safe_next(form.next.data))


@bp.get("/county.css")
def county_css() -> ResponseReturnValue:
    """The county's colours over the stylesheet's (saved only as #rrggbb, so nothing else gets in)."""
    county = site_settings.county()
    rules = "".join(f"{name}: {value}; " for name, value in (("--brand", county.colour),
                                                             ("--brand-dark", county.colour_dark)) if value)
    return Response(":root { " + rules + "}\n", mimetype="text/css")


@bp.get("/county-logo")
def county_logo() -> ResponseReturnValue:
    """The logo saved on the county page, for the header and for mail clients that fetch images."""
    logo = site_settings.county().logo
    header, _, data = logo.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        abort(404)
    try:
        body = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        abort(404)
    response = Response(body, mimetype=header[5:-7])
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
