"""Single sign-on through the county's OpenID Connect provider, beside local accounts.

Both routes answer 404 while single sign-on is off. The callback's outcome is shown on the
login page (after a redirect, so a reload never replays a used code). A refused sign-on is not
rolled back: its audit entry is committed with the request, like a refused local login's.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import limiter
from app.views.auth import begin_session, login_limit
from app.views.navigation import after_login, safe_next
from app.workflow.auth import oidc
from app.workflow.auth.sso import (
    SignOnRefused,
    account_for,
    record_login,
    record_refusal,
)

bp = Blueprint("sso", __name__, url_prefix="/login/sso")

NEXT_KEY = "sso_next"


def _settings() -> oidc.OidcSettings:
    current = oidc.settings()
    if current is None:
        abort(404)
    return current


@bp.app_template_global()
def sso_button_label() -> str | None:
    """The login page's single sign-on button text, or None while single sign-on is off."""
    current = oidc.settings()
    if current is None:
        return None
    return current.button_label or _("Kirjaudu työpaikan tunnuksella")


def _back_to_login(message: str, next_url: str) -> ResponseReturnValue:
    flash(message, "error")
    return redirect(url_for("auth.login", next=None if next_url == url_for("main.index") else next_url))


def _refused(refusal: SignOnRefused, next_url: str) -> ResponseReturnValue:
    """No session; the refusal goes to the audit log (committed with the request) and its message to the login page."""
    record_refusal(refusal)
    return _back_to_login(refusal.message, next_url)


@bp.get("")
@limiter.limit(login_limit)
def login() -> ResponseReturnValue:
    current = _settings()
    next_url = safe_next(request.args.get("next"))
    session[NEXT_KEY] = next_url if request.args.get("next") else None  # none asked: the user's start page
    redirect_uri = current_app.config["BASE_URL"].rstrip("/") + url_for("sso.callback")
    try:
        started: ResponseReturnValue = oidc.client(current).authorize_redirect(redirect_uri)
        return started
    except oidc.FAILURES as error:
        current_app.logger.warning("Single sign-on: the identity provider could not be reached: %r", error)
        return _back_to_login(_("Tunnistuspalveluun ei juuri nyt saada yhteyttä. Kirjaudu SoRa-tunnuksella "
                                "tai yritä hetken päästä uudelleen."), next_url)


@bp.get("/callback")
@limiter.limit(login_limit)
def callback() -> ResponseReturnValue:
    current = _settings()
    requested = session.pop(NEXT_KEY, None)
    next_url = safe_next(requested)
    client = oidc.client(current)
    try:
        token = client.authorize_access_token(claims_options=oidc.claims_options(current, client))
        claims = token.get("userinfo")
        if not claims:
            raise oidc.ProviderError("the token response had no ID token")
        account, linked = account_for(claims, require_verified_email=current.require_verified_email)
    except SignOnRefused as refusal:
        return _refused(refusal, next_url)
    except oidc.FAILURES as error:  # the reason goes to the log; neither tokens nor claims do
        current_app.logger.warning("Single sign-on refused: %s: %s", type(error).__name__, error)
        return _refused(SignOnRefused("sso_failed"), next_url)
    begin_session(account, remember=False)
    record_login(account, linked=linked)
    return redirect(after_login(account, requested))
