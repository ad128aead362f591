"""Half-yearly compilations: the list, opening a period, the draft and its texts, review, and downloads."""
from __future__ import annotations

import io
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
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
from flask_login import current_user, login_required

from app.codes import CompilationAction, CompilationStatus, ExcerptContext, RenderStatus
from app.forms.compilations import (
    CompilationActionForm,
    CompilationTextsForm,
    ExcerptForm,
    HighlightForm,
    OpenCompilationForm,
    texts_form,
)
from app.models import Compilation, RenderJob, Theme, utcnow
from app.views.lifecycle import on_refusal
from app.workflow.comparison import views as comparison_views
from app.workflow.compilations import disclosure, files, languages
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.languages import document_language
from app.workflow.compilations.periods import (
    HELSINKI,
    InvalidPeriod,
    Period,
    parse_period,
)
from app.workflow.compilations.transitions import COMPILATION_TRANSITIONS
from app.workflow.core import permissions, rendering
from app.workflow.core.errors import Refusal
from app.workflow.phenomena import follow_ups as proposal_follow_ups
from app.workflow.reports import catalog

bp = Blueprint("compilations", __name__, url_prefix="/compilations")

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv"}


def _period(code: str) -> Period:
    try:
        return parse_period(code)
    except InvalidPeriod:
        abort(404)


def _visible(code: str) -> tuple[Period, Compilation]:
    period = _period(code)
    compilation = compilations.find(period)
    if compilation is None or not permissions.can_view_compilation(current_user, compilation):
        abort(404)
    return period, compilation


def _open_form() -> OpenCompilationForm:
    form = OpenCompilationForm()
    today = utcnow().astimezone(HELSINKI).date()
    form.period.choices = [(p.code, p.label if p.last_day < today else _running_label(p))
                           for p in compilations.openable_periods(today)]
    return form


def _running_label(period: Period) -> str:
    last = period.last_day
    return _("%(period)s – kesken, päättyy %(day)s", period=period.label, day=f"{last.day}.{last.month}.{last.year}")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    if not permissions.sees_compilations(current_user):
        abort(403)
    return render_template("compilations/index.html", compilations=compilations.visible_compilations(current_user),
                           form=_open_form() if permissions.can_open_compilation(current_user) else None)


@bp.post("/open")
@login_required
def open_period() -> ResponseReturnValue:
    if not permissions.can_open_compilation(current_user):
        abort(403)
    form = _open_form()
    if not form.validate_on_submit():
        flash(_("Valitse avattava kausi."), "error")
        return redirect(url_for("compilations.index"))
    on_refusal(_flashed(url_for("compilations.index")))
    period = parse_period(form.period.data)
    compilation = compilations.open_compilation(period, current_user)
    flash(_("Kooste avattu. Luonnoksen luvut on laskettu kauden raporteista."), "info")
    last = period.last_day
    if last >= utcnow().astimezone(HELSINKI).date():
        flash(_("Huomaa: kausi %(period)s on vielä kesken ja päättyy %(day)s. Luvut muuttuvat, kun raportteja tulee "
                "lisää, joten koostetta ei kannata lähettää jaostolle ennen kauden päättymistä.",
                period=period.label, day=f"{last.day}.{last.month}.{last.year}"), "error")
    return redirect(url_for("compilations.detail", code=compilation.period))


def _flashed(back: str) -> Callable[[Refusal], ResponseReturnValue]:
    """A refusal shown as a flashed message on the page the user came from."""

    def shown(refusal: Refusal) -> ResponseReturnValue:
        flash(str(refusal), "error")
        return redirect(back)

    return shown


Texts = tuple[list[Theme], CompilationTextsForm]


def _texts_form(compilation: Compilation, formdata: object = None) -> Texts:
    themes = catalog.active_themes()
    data = {"summary": compilation.summary, "version": str(compilation.version)}
    for text in compilation.theme_texts:
        data[f"findings_{text.theme.code}"] = text.findings
        data[f"proposals_{text.theme.code}"] = text.proposals
    return themes, texts_form(themes, formdata=formdata, data=data)


def _render(period: Period, compilation: Compilation, *, texts: Texts | None = None, error: str | None = None,
            status: int = 200) -> ResponseReturnValue:
    content = compilations.content_of(period, compilation)
    themes, form = texts if texts is not None else _texts_form(compilation)
    highlighted = {h.report.number for h in compilation.highlights}
    editable = permissions.can_edit_compilation(current_user, compilation)
    returned = next((e for e in reversed(compilation.events) if e.action == CompilationAction.RETURN), None)
    if returned is not None and any(e.action == CompilationAction.SEND_FOR_REVIEW and e.created_at > returned.created_at
                                    for e in compilation.events):
        returned = None  # sent again since: the comments were answered
    draft = compilation_export.is_draft(content)
    language = str(get_locale() or "fi")
    shown = languages.relabel(content, language)  # categories in the reader's language; codes decide the rest
    return render_template(
        "compilations/detail.html", c=shown, compilation=compilation, period=period, themes=themes,
        texts_form=form, editable=editable, highlighted=highlighted, error=error, returned=returned,
        saved=request.args.get("saved", ""), hidden=disclosure.hidden_in(content) if draft else [],
        empty_themes=compilations.empty_themes(compilation, content) if draft else [],
        recipients=compilations.publication_recipients(), contexts=ExcerptContext,
        reads_reports=permissions.can_read_period_reports(current_user),
        actions=permissions.compilation_actions(current_user, compilation), transitions=COMPILATION_TRANSITIONS,
        action_form=CompilationActionForm(version=str(compilation.version)),
        highlight_form=HighlightForm(version=str(compilation.version)),
        excerpt_form=ExcerptForm(version=str(compilation.version)),
        charts=compilation_export.build_charts(shown), draft=draft,
        municipalities=catalog.municipalities(include_retired=True), **languages.page_helpers(language),
        came_of_it=proposal_follow_ups.for_compilation(
            compilation, content, internal=permissions.sees_internal_follow_ups(current_user)),
        records_follow_ups=permissions.records_follow_ups(current_user),
    ), status


@bp.get("/<code>")
@login_required
def detail(code: str) -> ResponseReturnValue:
    period, compilation = _visible(code)
    if not permissions.can_view_draft_compilations(current_user):
        return redirect(url_for("results.show", code=code))  # a published compilation is read where the public reads it
    return _render(period, compilation)


@bp.get("/<code>/reports")
@login_required
def reports(code: str) -> ResponseReturnValue:
    """Every report of the half-year in full, filterable, for choosing the excerpts to publish."""
    period, compilation = _visible(code)
    if not permissions.can_read_period_reports(current_user):
        abort(403)
    content = compilations.content_of(period, compilation) if compilation.status != CompilationStatus.PUBLISHED \
        else compilations.draft_content(period, compilation)
    asked = {key: request.args.get(key, "").strip() for key in ("q", "theme", "municipality", "nature")}
    shown = compilations.filter_reports(content["reports"], **asked)
    return render_template(
        "compilations/reports.html", c=content, compilation=compilation, period=period, reports=shown, asked=asked,
        highlighted={h.report.number for h in compilation.highlights},
        editable=permissions.can_edit_compilation(current_user, compilation),
        highlight_form=HighlightForm(version=str(compilation.version)), themes=catalog.active_themes(),
        municipalities=catalog.municipalities())


@bp.post("/<code>/texts")
@login_required
def save_texts(code: str) -> ResponseReturnValue:
    period, compilation = _visible(code)
    themes, form = _texts_form(compilation, formdata=request.form)
    if not form.validate_on_submit():
        return _render(period, compilation, texts=(themes, form), error=_("Tarkista tekstit: kaikkea ei tallennettu."),
                       status=400)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current_period, current = _visible(code)
        form.version.data = str(current.version)
        return _render(current_period, current, texts=(themes, form), error=str(refusal), status=409)

    on_refusal(shown_again)
    compilations.save_texts(
        compilation, current_user, form.summary.data or "",
        {t.code: (f.data or "", p.data or "") for t, f, p in form.theme_fields(themes)},
        expected_version=form.expected_version)
    place = request.form.get("at", "") if request.form.get("at", "").replace("-", "").replace("_", "").isalnum() else ""
    return redirect(url_for("compilations.detail", code=code, saved=place or "summary-part",
                            _anchor=place or "summary-part"))  # the section: the textarea is "summary"


def _change(code: str, change: Callable[[Compilation], object], back: str | None = None) -> None:
    """Run one change on a compilation; a refusal is flashed on the highlights and nothing is kept."""
    _, compilation = _visible(code)
    on_refusal(_flashed(back or url_for("compilations.detail", code=code, _anchor="highlights")))
    change(compilation)


def _back(code: str) -> str:
    """Where a highlight form came from: the reports page (with its filters) or the working page."""
    back = request.form.get("back", "")
    return back if back.startswith(f"/compilations/{code}") and "//" not in back else \
        url_for("compilations.detail", code=code, _anchor="highlights")


@bp.post("/<code>/highlights")
@login_required
def add_highlight(code: str) -> ResponseReturnValue:
    form = HighlightForm()
    if not form.validate_on_submit():
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "error")
    else:
        _change(code, lambda c: compilations.highlight_report(c, current_user, form.number.data,
                                                              expected_version=form.expected_version), _back(code))
        flash(_("Raportti valittu koosteeseen. Muokkaa julkaistava ote koosteen sivulla."), "info")
    return redirect(_back(code))


@bp.post("/<code>/highlights/<int:highlight_id>")
@login_required
def edit_highlight(code: str, highlight_id: int) -> ResponseReturnValue:
    form = ExcerptForm()
    if request.form.get("remove"):
        _change(code, lambda c: compilations.remove_highlight(c, current_user, highlight_id,
                                                              expected_version=form.expected_version))
        flash(_("Nosto poistettu."), "info")
    elif not form.validate_on_submit():
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "error")
    else:
        _change(code, lambda c: compilations.edit_highlight(c, current_user, highlight_id, form.excerpt.data,
                                                            ExcerptContext(form.context.data),
                                                            expected_version=form.expected_version))
        # said in the excerpt's own box, where the writer is looking (the page's top is screens away)
        return redirect(url_for("compilations.detail", code=code, saved=f"highlight-{highlight_id}",
                                _anchor=f"highlight-{highlight_id}"))
    return redirect(url_for("compilations.detail", code=code, _anchor=f"highlight-{highlight_id}"))


@bp.post("/<code>/<action>")
@login_required
def act(code: str, action: str) -> ResponseReturnValue:
    period, compilation = _visible(code)
    try:
        chosen = CompilationAction(action)
    except ValueError:
        abort(404)
    if chosen not in COMPILATION_TRANSITIONS:
        abort(404)
    form = CompilationActionForm()
    if not form.validate_on_submit():
        reasons = " ".join(str(m) for ms in form.errors.values() for m in ms)
        return _render(period, compilation, error=reasons or _("Tarkista kommentit."), status=400)

    def shown_again(refusal: Refusal) -> ResponseReturnValue:
        current_period, current = _visible(code)
        return _render(current_period, current, error=str(refusal), status=409)

    on_refusal(shown_again)
    unconfirmed = compilations.needs_confirmation(chosen, compilation)
    if unconfirmed and not form.confirmed.data:
        raise Refusal(unconfirmed)
    compilations.perform(chosen, compilation, current_user, note=form.note.data,
                         expected_version=form.expected_version)
    messages = {
        CompilationAction.SEND_FOR_REVIEW: _("Kooste lähetetty asiakaskokemusjaoston käsiteltäväksi."),
        CompilationAction.APPROVE: _("Kooste hyväksytty ja julkaistu. Hyvinvointikoordinaattoreille on ilmoitettu."),
        CompilationAction.RETURN: _("Kooste palautettu työryhmälle kommenttien kanssa."),
        CompilationAction.WITHDRAW: _("Julkaisu peruttu. Kooste on taas luonnos; korjattu versio julkaistaan, kun "
                                      "jaosto hyväksyy sen."),
    }
    flash(messages[chosen], "info")
    return redirect(url_for("compilations.detail", code=code))


@bp.get("/<code>/kooste.<kind>")
@login_required
def download(code: str, kind: str) -> ResponseReturnValue:
    """The compilation as PDF, Excel or CSV; ?municipality=297 gives that municipality's part alone, ?lang=sv
    (or en) the file in Swedish (English); Finnish without."""
    if kind not in MEDIA:
        abort(404)
    period, compilation = _visible(code)
    municipality = request.args.get("municipality", "").strip() or None
    language = document_language(request.args.get("lang"))
    if compilation.status == CompilationStatus.PUBLISHED:  # public: served where everyone downloads it
        return redirect(url_for("results.download", code=code, kind=kind,
                                **({"municipality": municipality} if municipality else {}),
                                **({"lang": language} if language != "fi" else {})))
    content = compilations.content_of(period, compilation)
    if municipality and municipality not in {m["code"] for m in content["municipalities"]
                                             + content.get("small_municipalities", [])}:
        abort(404)
    if kind == "pdf":  # rendered by the scheduler, never in the request
        return serve_job(files.pdf_job(compilation, municipality, requested_by=current_user, language=language),
                         back=url_for("compilations.detail", code=code))
    name = files.download_name(period.code, municipality, True, kind, language)
    on_refusal(_flashed(url_for("compilations.detail", code=code)))  # an ExportError: nothing to download
    data = compilation_export.render_file(kind, content, municipality, name, language)
    return send_file(io.BytesIO(data), mimetype=MEDIA[kind], as_attachment=True, download_name=name)


results_bp = Blueprint("results", __name__, url_prefix="/results")
"""The public results page: published compilations, their PDFs, municipality parts and figures, without login."""



def _published_compilation(code: str) -> Compilation:
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


@results_bp.get("/", endpoint="index")
def results_index() -> ResponseReturnValue:
    return render_template("results/index.html", published=compilations.published_list(),
                           comparison=comparison_views.has_data())


@results_bp.get("/<code>", endpoint="show")
def results_show(code: str) -> ResponseReturnValue:
    compilation = _published_compilation(code)
    content = compilations.content_of(parse_period(code), compilation)
    language = str(get_locale() or "fi")
    shown = languages.relabel(content, language)  # the categories in the reader's language, the texts as written
    return render_template("results/show.html", c=shown, compilation=compilation,
                           charts=compilation_export.build_charts(shown), **languages.page_helpers(language),
                           came_of_it=proposal_follow_ups.for_compilation(
                               compilation, content, internal=permissions.sees_internal_follow_ups(current_user)),
                           records_follow_ups=permissions.records_follow_ups(current_user))


@results_bp.get("/<code>/kooste.<kind>", endpoint="download")
def results_download(code: str, kind: str) -> ResponseReturnValue:
    """The published PDF (rendered by the scheduler, once per language) or its figures as Excel or CSV;
    ?municipality= for a part, ?lang=sv or en for the file in Swedish or English (Finnish without)."""
    if kind not in MEDIA:
        abort(404)
    compilation = _published_compilation(code)
    content = compilations.content_of(parse_period(code), compilation)
    municipality = request.args.get("municipality", "").strip() or None
    language = document_language(request.args.get("lang"))
    if municipality and municipality not in {m["code"] for m in content["municipalities"]
                                             + content.get("small_municipalities", [])}:
        abort(404)
    if kind == "pdf":
        return serve_job(files.pdf_job(compilation, municipality, language=language), back=f"/results/{code}")
    data = compilation_export.published_file(code, kind, municipality, content, language).read_bytes()
    return send_file(io.BytesIO(data), mimetype=MEDIA[kind], as_attachment=True,
                     download_name=files.download_name(code, municipality, False, kind, language))
