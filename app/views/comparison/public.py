"""THL's three views over the counties' harvested exports, for anyone (the figures are open data):
tilannekuva at /comparison/ (Finland), /comparison/area/<code> and /comparison/county/<code>; ilmiöstä
tiiviisti at /comparison/phenomenon/<phenomenon>?level=area&code=2; ilmiönäkymä at
/comparison/phenomenon/<phenomenon>/side-by-side?level=municipality&code=297&period=2026-H1; each as Excel
(.xlsx) and PDF (.pdf, rendered by the scheduler)."""
from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.views.compilations import serve_job
from app.workflow.comparison import files
from app.workflow.comparison import views as comparison
from app.workflow.compilations.periods import InvalidPeriod
from app.workflow.core import permissions

bp = Blueprint("comparison", __name__, url_prefix="/comparison")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("xlsx", "pdf")


@bp.before_request
def _open_to_all() -> None:
    if not permissions.sees_comparison(current_user):
        abort(403)


def _level(harvest: comparison.Harvest, kind: str, code: str | None,
           allowed: tuple[str, ...] = comparison.LEVELS) -> comparison.Level:
    if kind not in allowed:
        abort(404)
    try:
        return comparison.level_of(harvest, kind, code)
    except comparison.UnknownLevel:
        abort(404)


def _chosen(harvest: comparison.Harvest, allowed: tuple[str, ...] = comparison.LEVELS) -> comparison.Level:
    return _level(harvest, request.args.get("level", comparison.COUNTRY),
                  request.args.get("code") or None, allowed)


def _choices() -> dict[str, str]:
    """The level, code and half-year the address chose (nothing else: the way back to the page)."""
    return {key: request.args[key] for key in ("level", "code", "period") if request.args.get(key)}


def _phenomenon(harvest: comparison.Harvest, code: str) -> tuple[str, str]:
    try:
        return comparison.phenomenon_of(harvest, code)
    except comparison.UnknownLevel:
        abort(404)


def _situation_page(level: comparison.Level, harvest: comparison.Harvest) -> ResponseReturnValue:
    view = comparison.situation_of(harvest, level)
    return render_template("comparison/situation.html", view=view, areas=comparison.areas(harvest),
                           **_links("situation", level))


def _links(name: str, level: comparison.Level, phenomenon: str | None = None, **extra: Any) -> dict[str, Any]:
    """Where this view's downloads are, as the page and the PDF both name them."""
    args = {"level": level.kind, "code": level.code if level.kind != comparison.COUNTRY else None, **extra}
    endpoint = {"situation": "comparison.situation_file", "brief": "comparison.brief_file",
                "side_by_side": "comparison.side_by_side_file"}[name]
    more = {"phenomenon": phenomenon} if phenomenon else {}
    return {"downloads": {kind: url_for(endpoint, kind=kind, **more, **args) for kind in KINDS}}


@bp.get("/")
def index() -> ResponseReturnValue:
    harvest = comparison.load()
    return _situation_page(_level(harvest, comparison.COUNTRY, None), harvest)


@bp.get("/area/<code>")
def area(code: str) -> ResponseReturnValue:
    harvest = comparison.load()
    return _situation_page(_level(harvest, comparison.AREA, code), harvest)


@bp.get("/county/<code>")
def county(code: str) -> ResponseReturnValue:
    harvest = comparison.load()
    return _situation_page(_level(harvest, comparison.COUNTY, code), harvest)


@bp.get("/phenomenon/<phenomenon>")
def brief(phenomenon: str) -> ResponseReturnValue:
    harvest = comparison.load()
    level = _chosen(harvest)
    view = comparison.brief_of(harvest, _phenomenon(harvest, phenomenon), level)
    return render_template("comparison/brief.html", view=view, areas=comparison.areas(harvest),
                           phenomena=harvest.phenomena, **_links("brief", level, phenomenon))


def _side_by_side(harvest: comparison.Harvest, phenomenon: str) -> comparison.SideBySide:
    level = _chosen(harvest, (*comparison.LEVELS, comparison.MUNICIPALITY))
    try:
        return comparison.side_by_side_of(harvest, _phenomenon(harvest, phenomenon), level,
                                          request.args.get("period") or None)
    except (comparison.UnknownLevel, InvalidPeriod):
        abort(404)


@bp.get("/phenomenon/<phenomenon>/side-by-side")
def side_by_side(phenomenon: str) -> ResponseReturnValue:
    harvest = comparison.load()
    view = _side_by_side(harvest, phenomenon)
    return render_template("comparison/side_by_side.html", view=view, areas=comparison.areas(harvest),
                           phenomena=harvest.phenomena,
                           **_links("side_by_side", view.level, phenomenon, period=request.args.get("period") or None))


def _download(name: str, view: Any, back: str) -> ResponseReturnValue:
    kind = request.view_args["kind"] if request.view_args else ""
    stem = f"sora-vertailu-{name.replace('_', '-')}-{view.level.kind}-{view.level.code}"
    if kind == "xlsx":
        return send_file(io.BytesIO(files.to_xlsx(name, view)), mimetype=XLSX, as_attachment=True,
                         download_name=f"{stem}.xlsx")
    html = render_template("comparison/pdf.html", name=name, view=view)
    return serve_job(files.pdf_job(html, f"{stem}.pdf"), back=back)


@bp.get("/situation.<kind>")
def situation_file(kind: str) -> ResponseReturnValue:
    if kind not in KINDS:
        abort(404)
    harvest = comparison.load()
    level = _chosen(harvest)
    back = {comparison.AREA: url_for("comparison.area", code=level.code),
            comparison.COUNTY: url_for("comparison.county", code=level.code)}.get(level.kind, url_for("comparison.index"))
    return _download("situation", comparison.situation_of(harvest, level), back)


@bp.get("/phenomenon/<phenomenon>/brief.<kind>")
def brief_file(phenomenon: str, kind: str) -> ResponseReturnValue:
    if kind not in KINDS:
        abort(404)
    harvest = comparison.load()
    view = comparison.brief_of(harvest, _phenomenon(harvest, phenomenon), _chosen(harvest))
    return _download("brief", view, url_for("comparison.brief", phenomenon=phenomenon, **_choices()))


@bp.get("/phenomenon/<phenomenon>/side-by-side.<kind>")
def side_by_side_file(phenomenon: str, kind: str) -> ResponseReturnValue:
    if kind not in KINDS:
        abort(404)
    return _download("side_by_side", _side_by_side(comparison.load(), phenomenon),
                     url_for("comparison.side_by_side", phenomenon=phenomenon, **_choices()))
