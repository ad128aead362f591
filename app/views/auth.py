"""Local accounts: login and logout."""
from __future__ import annotations

from flask import (
    Blueprint,
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
from flask_login import current_user, login_required, login_user, logout_user

from app.codes import AuditAction
from app.extensions import db, limiter
from app.forms.auth import LoginForm
from app.models import User
from app.views.navigation import after_login
from app.workflow.auth import guard, login_guard
from app.workflow.core.audit import record

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    limit: str = current_app.config["LOGIN_RATE_LIMIT"]
    return limit


def begin_session(user: User, *, remember: bool) -> None:
    """Log the user in on a fresh session (no fixation) that keeps only the chosen language."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    result = login_guard.attempt(form.email.data, form.password.data)
    if result.refused is not None:
        page = render_template("auth/login.html", form=form, error=guard.refusal_message(result.refused))
        return page, 429, {"Retry-After": str(result.refused.retry_after)}
    if result.user is not None:
        begin_session(result.user, remember=form.remember.data)
        record(AuditAction.LOGIN, actor=result.user)
        return redirect(after_login(result.user, request.args.get("next")))
    return render_template("auth/login.html", form=form, error=_("Sähköposti tai salasana on väärin.")), 401


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    record(AuditAction.LOGOUT, actor=current_user)
    current_user.end_sessions()  # a copied session cookie must not outlive the logout
    db.session.flush()  # a database that is away fails the logout here, before this browser forgets its session
    logout_user()
    session.clear()
    flash(_("Olet kirjautunut ulos."), "info")
    return redirect(url_for("main.index"))
