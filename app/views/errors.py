"""Error pages in the user's language, and JSON errors for the API."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db, login_manager
from app.workflow.admin import site_settings

RETRY_AFTER_SECONDS = 30


def _wants_json() -> bool:
    return request.path.startswith("/api/")


NUL = "\x00"
MAX_JSON_DEPTH = 32
"""No body the API takes nests deeper than a list in an object; far deeper ones are refused, not recursed into."""
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL, which PostgreSQL can neither store nor compare, and lone UTF-16 surrogates (`"\\ud800"` in JSON),
which are no character at all and which neither database nor any encoder takes."""


class _TooDeep(Exception):
    pass


def _unstorable_in(value: Any) -> str | None:
    """The first unstorable character in any text of the value (a JSON document: keys too), or None.

    Walked with a stack, not by recursion, so the depth of the document cannot exhaust Python's stack.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _TooDeep
        if isinstance(item, str):
            if found := _UNSTORABLE.search(item):
                return found.group()
        elif isinstance(item, dict):
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, (list, tuple)):
            stack.extend((part, depth + 1) for part in item)
    return None


def _json_body() -> Any:
    """The request's JSON (None when it is none or malformed); too deep a document is `_TooDeep`."""
    try:
        return request.get_json(silent=True)
    except RecursionError:  # the decoder recursed as deep as the document before the walk saw it
        raise _TooDeep from None


def _carries_unstorable() -> str | None:
    parts: list[Any] = [request.path, list(request.args.items(multi=True))]
    if request.method != "GET":
        parts.append(list(request.form.items(multi=True)))
        if request.is_json:
            parts.append(_json_body())
    return next((found for part in parts if (found := _unstorable_in(part))), None)


def _bad_request(message: str) -> ResponseReturnValue:
    if _wants_json():
        return jsonify(error="Bad Request", message=message), 400
    return render_template("errors/error.html", code=400, message=message), 400


def _refuse_unstorable() -> ResponseReturnValue | None:
    """No view ever sees text that cannot be stored, nor a document deep enough to break a parser: 400.

    The report form comes back as it was typed, without the invisible characters; nothing is saved,
    and nothing is logged, as for every refusal.
    """
    try:
        if not (found := _carries_unstorable()):
            return None
    except _TooDeep:
        return _bad_request(_("Pyynnön rakenne on sisäkkäinen liian monta tasoa. Lähetä tavallinen JSON-objekti."))
    if request.endpoint == "reports.new" and request.method == "POST":
        from werkzeug.datastructures import MultiDict

        from app.views.reports import form_again

        cleaned = MultiDict([(key, _UNSTORABLE.sub("", value)) for key, value in request.form.items(multi=True)])
        return form_again(_("Tekstissä oli näkymättömiä nollamerkkejä, joita ei voi tallentaa. Poistimme ne: "
                            "tarkista tiedot ja lähetä raportti uudelleen."), 400, formdata=cleaned)
    if found != NUL:
        return _bad_request(_("Lähetetyssä tekstissä oli merkki, joka ei ole kelvollinen Unicode-merkki "
                              "(yksinäinen UTF-16-puolisko). Poista se ja yritä uudelleen."))
    return _bad_request(_("Lähetetyssä tekstissä oli näkymätön nollamerkki, jota ei voi tallentaa. "
                          "Poista se ja yritä uudelleen."))


def _database_unavailable(error: sa_exc.SQLAlchemyError) -> ResponseReturnValue:
    """The database cannot be reached (restarted, network down, no free connection) or refused the
    transaction for now (a deadlock, SQLite's lock wait): 503, nothing saved, try again.

    The page is rendered without touching the database, so it shows while the database is away, and
    the log names only the kind of failure: the statement and its values could hold a report's text.
    The rollback is for failures no unit of work rolled back (its own commit, a before-request hook,
    loading the user): the page's template must not meet a session that waits for one.
    """
    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:
        pass  # the connection is gone already; the session is discarded at the end of the request
    reason = getattr(error, "orig", None) or error
    current_app.logger.error("database unavailable for %s %s: %s: %s", request.method, request.path,
                             type(reason).__name__, (str(reason).splitlines() or [""])[0][:200])
    message = _("Tietokantaan ei juuri nyt saada yhteyttä, joten mitään ei tallennettu. "
                "Yritä uudelleen muutaman minuutin kuluttua.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _wants_json():
        return jsonify(error="Service Unavailable", message=message), 503, headers
    if not hasattr(g, "_login_user"):  # Flask-Login's template context would try to load the user again
        g._login_user = login_manager.anonymous_user()
    site_settings.without_database()
    return render_template("errors/unavailable.html", message=message), 503, headers


def _release_session(_error: BaseException | None) -> None:
    """End the request's session before Flask-SQLAlchemy's own teardown does.

    If the database dropped the connection after the response was ready (a restart), the closing
    rollback fails; the server has discarded that transaction already, and the response, perhaps
    the receipt of a committed report, must still go out instead of a server error.
    """
    try:
        db.session.remove()
    except sa_exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
        db.session.remove()  # the connection is invalidated now, so closing no longer touches it


def register(app: Flask) -> None:
    app.before_request(_refuse_unstorable)
    app.teardown_appcontext(_release_session)
    for error in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
        app.register_error_handler(error, _database_unavailable)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        if request.endpoint == "reports.new":
            from app.views.reports import form_after_expired_session

            return form_after_expired_session()
        message = _("Istuntosi on vanhentunut. Lataa sivu uudelleen ja lähetä lomake uudestaan.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500  # always set: Flask hands an exception without a code back unhandled
        if code == 500:
            return _unexpected(error)
        if code == 429 and request.endpoint == "reports.new" and request.method == "POST":
            from app.views.reports import form_again

            return form_again(_("Raportteja on lähetetty tästä verkosta hetken sisällä poikkeuksellisen paljon, "
                                "joten raporttia ei vielä tallennettu. Odota hetki ja lähetä uudelleen."), 429)
        messages = {
            404: _("Sivua ei löytynyt."),
            405: _("Toimintoa ei voi tehdä tällä tavalla."),
            429: _("Liian monta pyyntöä lyhyessä ajassa. Odota hetki ja yritä uudelleen."),
        }
        message = messages.get(code, error.description or "")
        # a 405 says which methods would do (RFC 9110), as the exception itself would have
        headers = [(name, value) for name, value in error.get_headers() if name.lower() == "allow"]
        if _wants_json():
            return jsonify(error=error.name, message=message), code, headers
        return render_template("errors/error.html", code=code, message=message), code, headers

    @app.errorhandler(InternalServerError)
    def _unexpected(error: HTTPException) -> ResponseReturnValue:
        message = _("Palvelussa tapahtui virhe, eikä mitään tallennettu. Yritä hetken kuluttua uudelleen.")
        if _wants_json():
            return jsonify(error="Internal Server Error", message=message), 500
        return render_template("errors/error.html", code=500, message=message), 500
