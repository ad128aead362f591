"""The welfare coordinator's package for welfare reports, and the national export for download."""
from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.forms.fields import options
from app.forms.welfare import PackageForm
from app.views.compilations import serve_job
from app.views.lifecycle import on_refusal
from app.workflow.admin import site_settings
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations.content import COUNTY
from app.workflow.compilations import languages
from app.workflow.compilations.languages import document_language
from app.workflow.compilations.periods import InvalidPeriod, parse_period
from app.workflow.core import permissions, rendering
from app.workflow.core.errors import Refusal
from app.workflow.reports import catalog
from app.workflow.welfare import files as welfare_files
from app.workflow.welfare import national_export
from app.workflow.welfare import package as welfare_package
from app.workflow.welfare import package_export as welfare_package_export
from app.workflow.welfare.package import HALF_YEAR, TERM, YEAR, InvalidSpan, Place, Span, span_label

bp = Blueprint("welfare", __name__, url_prefix="/welfare")

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SPAN_GROUPS = ((HALF_YEAR, _l("Puolivuotiskaudet")), (YEAR, _l("Vuodet")), (TERM, _l("Valtuustokaudet")))


def _first_term_year() -> int:
    return int(current_app.config["COUNCIL_TERM_FIRST_YEAR"])


def _places() -> list[Place]:
    """The places this coordinator may pull, the county first when their role covers it."""
    scope = permissions.coordinator_scope(current_user)
    places = [Place(None)] if scope.whole_county else []
    return places + [Place(m) for m in catalog.municipalities(include_retired=True) if scope.covers(m)]


def _place(code: str) -> Place:
    """The place asked for; another municipality than the coordinator's own is not found (404)."""
    municipality = None if code == COUNTY else catalog.municipality_by_code(code)
    if code != COUNTY and municipality is None:
        abort(404)
    if not permissions.can_pull_welfare_package(current_user, municipality):
        abort(404)
    return Place(municipality)


def _reader_language() -> str:
    """The page's language, which its package and files follow (Finnish for a language SoRa has no documents in)."""
    return document_language(str(get_locale() or "fi"))


def _form(spans: dict[str, list[Span]], asked: Span | None, language: str) -> PackageForm:
    form = PackageForm(request.args)
    form.municipality.choices = [(p.code, p.name_in(language)) for p in _places()]
    groups = {kind: list(found) for kind, found in spans.items()}
    if asked is not None and asked not in groups[asked.kind]:
        groups[asked.kind].insert(0, asked)
    form.span.choices = [choice for kind, title in SPAN_GROUPS
                         for choice in options([(s.code, span_label(s, language)) for s in groups[kind]], optgroup=str(title))]
    form.themes.choices = [(t.code, t.label) for t in catalog.active_themes()]
    return form


def _asked(language: str) -> tuple[PackageForm, dict[str, Any] | None, str | None]:
    """Read the request: the form, and the package it asks for (or None with an error message), in `language`."""
    if not permissions.pulls_welfare_content(current_user):
        abort(403)
    spans = welfare_package.available_spans(_first_term_year())
    code = request.args.get("municipality", "").strip()
    place = _place(code) if code else (_places()[0])
    asked, error = None, None
    span_text = request.args.get("span", "").strip()
    if span_text:
        try:
            asked = welfare_package.parse_span(span_text, _first_term_year())
        except InvalidSpan:
            error = _("Ajanjaksoa ”%(span)s” ei tunnisteta. Valitse puolivuotiskausi, vuosi tai valtuustokausi.",
                      span=span_text)
    elif spans[HALF_YEAR]:
        asked = spans[HALF_YEAR][0]
    form = _form(spans, asked, language)
    form.municipality.data = place.code
    form.span.data = asked.code if asked else ""
    if error is None and request.args and not form.validate():
        error = " ".join(str(m) for messages in form.errors.values() for m in messages)
    if error is not None or asked is None:
        return form, None, error
    chosen = set(form.themes.data or [])
    themes = [(t.code, t.label_fi) for t in catalog.active_themes() if t.code in chosen] if chosen else None
    return form, welfare_package.build_package(place, asked, themes, language=language), None


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    language = _reader_language()
    form, package, error = _asked(language)
    periods = national_export.published_periods() if permissions.can_download_national_export(current_user) else []
    return render_template(
        "welfare/index.html", form=form, p=package, error=error, national_periods=periods,
        charts=welfare_package_export.build_charts(package) if package else {},
        **languages.page_helpers(language)), 400 if error else 200


@bp.get("/aineisto.<kind>")
@login_required
def download(kind: str) -> ResponseReturnValue:
    """The package as PDF or Excel, for the same choices as the page, in the reader's language (?lang=fi, sv or
    en asks for one)."""
    if kind not in MEDIA:
        abort(404)
    language = document_language(request.args.get("lang") or _reader_language())
    package, error = _asked(language)[1:]
    if package is None:
        abort(400, error or _("Valitse ajanjakso."))
    spoken = "" if language == "fi" else f"-{language}"
    name = f"hyvinvointikertomuksen-aineisto-{package['place']['code']}-{package['span']['code']}{spoken}.{kind}"
    renderers = {"xlsx": welfare_package_export.render_xlsx}

    def not_rendered(refusal: Refusal) -> ResponseReturnValue:  # an ExportError: nothing to download
        flash(str(refusal), "error")
        asked: dict[str, Any] = request.args.to_dict(flat=False)
        return redirect(url_for("welfare.index", **asked))

    if kind == "pdf":  # rendered by the scheduler, never in the request
        job = welfare_files.pdf_job(package, name, requested_by=current_user)
        if rendering.ready(job):
            welfare_package.record_export(current_user, package, kind)
        return serve_job(job, back=url_for("welfare.index", **request.args.to_dict(flat=False)))
    on_refusal(not_rendered)
    data = compilation_export.render_safely(name, lambda: renderers[kind](package))
    welfare_package.record_export(current_user, package, kind)
    return send_file(io.BytesIO(data), mimetype=MEDIA[kind], as_attachment=True, download_name=name)


@bp.get("/national/<code>.<kind>")
@login_required
def national(code: str, kind: str) -> ResponseReturnValue:
    """The national export of one published half-year (JSON or CSV), as the API gives it."""
    if not permissions.can_download_national_export(current_user):
        abort(403)
    if kind not in national_export.RENDERERS:
        abort(404)
    try:
        period = parse_period(code)
        export = national_export.build_export(period, *site_settings.county_for_export())
    except (InvalidPeriod, national_export.NotPublished):
        abort(404)
    national_export.record_export(period, kind, actor=current_user)
    return send_file(io.BytesIO(national_export.RENDERERS[kind](export)), mimetype=national_export.MEDIA[kind],
                     as_attachment=True, download_name=f"sosiaalinen-raportointi-{period.code}.{kind}")
