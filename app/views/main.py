"""Front page, guidance and the language switch."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, session
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


@bp.post("/language")
def language() -> ResponseReturnValue:
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        session["language"] = form.language.data
    return redirect(safe_next(form.next.data))
