"""Error pages in the user's language, and JSON errors for the API."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # type: ignore[no-untyped-def]
        if request.endpoint == "reports.new":
            from app.views.reports import form_after_expired_session

            return form_after_expired_session()
        message = _("Istuntosi on vanhentunut. Lataa sivu uudelleen ja lähetä lomake uudestaan.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code == 500:
            return _unexpected(error)
        if error.code == 429 and request.endpoint == "reports.new" and request.method == "POST":
            from app.views.reports import form_again

            return form_again(_("Raportteja on lähetetty tästä verkosta hetken sisällä poikkeuksellisen paljon, "
                                "joten raporttia ei vielä tallennettu. Odota hetki ja lähetä uudelleen."), 429)
        messages = {
            404: _("Sivua ei löytynyt."),
            405: _("Toimintoa ei voi tehdä tällä tavalla."),
            429: _("Liian monta pyyntöä lyhyessä ajassa. Odota hetki ja yritä uudelleen."),
        }
        message = messages.get(error.code or 500, error.description or "")
        if _wants_json():
            return jsonify(error=error.name, message=message), error.code
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(InternalServerError)
    def _unexpected(error: InternalServerError):  # type: ignore[no-untyped-def]
        message = _("Palvelussa tapahtui virhe, eikä mitään tallennettu. Yritä hetken kuluttua uudelleen.")
        if _wants_json():
            return jsonify(error="Internal Server Error", message=message), 500
        return render_template("errors/error.html", code=500, message=message), 500
