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
from app.forms.auth import LoginForm, NewPasswordForm, PasswordResetRequestForm
from app.models import User
from app.views.navigation import after_login
from app.views.lifecycle import on_refusal
from app.workflow.auth import account_links, guard, login_guard
from app.workflow.core.errors import Refusal
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


def reset_limit() -> str:
    limit: str = current_app.config["PASSWORD_RESET_RATE_LIMIT"]
    return limit


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """The same answer for every address, with an account or without: nothing tells which exist."""
    form = PasswordResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200
    account_links.request_reset(form.email.data)
    flash(_("Jos osoitteella on SoRa-tunnus, sinne lähti linkki salasanan vaihtamiseen. Linkki toimii "
            "%(minutes)d minuuttia. Jos viestiä ei kuulu, tarkista roskapostikansio tai kysy pääkäyttäjältä.",
            minutes=current_app.config["PASSWORD_RESET_MINUTES"]), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/set/<secret>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def set_password(secret: str) -> ResponseReturnValue:
    """The page behind an invitation or reset link; the request log shows this path without the secret."""
    link = account_links.open_link(secret)
    if link is None:
        return render_template("auth/set_password.html", form=None, expired=True), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/set_password.html", form=form, link=link), 400 if form.errors else 200

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        return render_template("auth/set_password.html", form=None, expired=True), refusal.status_code

    on_refusal(shown_again)
    account_links.set_password(secret, form.password.data)
    if current_user.is_authenticated:
        logout_user()
    flash(_("Salasana on nyt asetettu. Kirjaudu sisään sähköpostiosoitteellasi ja uudella salasanalla."), "info")
    return redirect(url_for("auth.login"))
