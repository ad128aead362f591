"""Front page, guidance and the language switch."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from app.forms.auth import LanguageForm
from app.views.navigation import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("index.html")


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
    return redirect(safe_next(form.next.data))
