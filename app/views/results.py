"""The public results page: published compilations, their PDFs, municipality parts and figures, without login."""
from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, request, send_file
from flask.typing import ResponseReturnValue

from app.codes import RenderStatus
from app.models import Compilation, RenderJob
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations import files
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import InvalidPeriod, parse_period
from app.workflow.core import rendering

bp = Blueprint("results", __name__, url_prefix="/results")

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv"}


def _published(code: str) -> Compilation:
    try:
        period = parse_period(code)
    except InvalidPeriod:
        abort(404)
    compilation = compilations.find(period)
    if compilation is None or compilation.publication is None:
        abort(404)
    return compilation


def serve_job(job: RenderJob, back: str) -> ResponseReturnValue:
    """The file if it is rendered; otherwise a page that shows how far it is and reloads itself."""
    if rendering.ready(job):
        path = rendering.path_of(job)
        assert path is not None
        return send_file(io.BytesIO(path.read_bytes()), mimetype=MEDIA["pdf"], as_attachment=True,
                         download_name=job.download_name)
    waiting = job.status in (RenderStatus.QUEUED, RenderStatus.RUNNING)
    page = render_template("compilations/file_status.html", job=job, back=back, again=request.full_path)
    return page, 202, ({"Refresh": "2", "Cache-Control": "no-store"} if waiting else {"Cache-Control": "no-store"})


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("results/index.html", published=compilations.published_list())


@bp.get("/<code>")
def show(code: str) -> ResponseReturnValue:
    compilation = _published(code)
    content = compilations.content_of(parse_period(code), compilation)
    return render_template("results/show.html", c=content, compilation=compilation,
                           charts=compilation_export.build_charts(content), **compilation_export.template_helpers())


@bp.get("/<code>/kooste.<kind>")
def download(code: str, kind: str) -> ResponseReturnValue:
    """The published PDF (rendered by the scheduler, once) or its figures as Excel or CSV; ?municipality= for a part."""
    if kind not in MEDIA:
        abort(404)
    compilation = _published(code)
    content = compilations.content_of(parse_period(code), compilation)
    municipality = request.args.get("municipality", "").strip() or None
    if municipality and municipality not in {m["code"] for m in content["municipalities"]
                                             + content.get("small_municipalities", [])}:
        abort(404)
    if kind == "pdf":
        return serve_job(files.pdf_job(compilation, municipality), back=f"/results/{code}")
    data = compilation_export.published_file(code, kind, municipality, content).read_bytes()
    return send_file(io.BytesIO(data), mimetype=MEDIA[kind], as_attachment=True,
                     download_name=files.download_name(code, municipality, False, kind))
