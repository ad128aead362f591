"""Open data: the national export of every published half-year and their index, for anyone, without a token."""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.config import ROOT
from app.workflow.compilations.periods import InvalidPeriod
from app.workflow.welfare import national_export, open_data

bp = Blueprint("open_data", __name__, url_prefix="/results/open-data")

SCHEMA = ROOT / "docs" / "national-export.schema.json"


def _file_address(period: str, kind: str) -> str:
    return url_for("open_data.export", code=period, kind=kind, _external=True)


def _open(response: Response) -> Response:
    """Anyone may fetch open data, from any page (a harvesting browser app too), and revalidate it cheaply."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/")
def page() -> ResponseReturnValue:
    index = open_data.index(_file_address, url_for("open_data.schema", _external=True))
    return render_template("results/open_data.html", index=index)


@bp.get("/index.json")
def index() -> ResponseReturnValue:
    return _open(jsonify(open_data.index(_file_address, url_for("open_data.schema", _external=True))))


@bp.get("/schema.json")
def schema() -> ResponseReturnValue:
    return _open(Response(SCHEMA.read_bytes(), mimetype="application/schema+json"))


@bp.get("/<code>.<kind>")
def export(code: str, kind: str) -> ResponseReturnValue:
    if kind not in national_export.RENDERERS:
        abort(404)
    try:
        document = open_data.export(code)
    except (InvalidPeriod, national_export.NotPublished):
        response = jsonify(error="Not Found", message=f"{code} has no published export.",
                           periods=national_export.published_periods())
        response.status_code = 404
        return response
    response = Response(national_export.RENDERERS[kind](document), mimetype=national_export.MEDIA[kind])
    response.headers["Content-Disposition"] = f"inline; filename=sora-{document['county']['code']}-{code}.{kind}"
    return _open(response)
