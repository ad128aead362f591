"""A compilation's content as PDF (Jinja HTML rendered by WeasyPrint), Excel and CSV.

Each renderer is a function of the content (see compilation_content), optionally scoped to
one municipality. Files are written atomically: into a temporary file beside the target,
then renamed, so a failure (a full disk, say) never leaves a half-written file in place.
"""
from __future__ import annotations

import io
import mimetypes
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pandas as pd
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.codes import CompilationStatus
from app.config import ROOT
from app.workflow.compilations import charts, disclosure, languages
from app.workflow.compilations.languages import DEFAULT, relabel
from app.workflow.compilations.statistics import NONE
from app.workflow.core import spreadsheets
from app.workflow.core.errors import Refusal

CHART_ROWS = 15
"""Long breakdowns (units, forums) show their largest categories in the chart; the table has all."""
TERM_SERIES = 6


class ExportError(Refusal):
    """Rendering or writing failed; str(error) says what went wrong, in Finnish, and that nothing was kept."""

    status_code = 500


def is_draft(content: dict[str, Any]) -> bool:
    return content.get("status") != CompilationStatus.PUBLISHED.value


# Finnish number typography: a no-break space between thousands, decimal comma, "12,5 %".
def fi_number(value: float | int | str | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):  # a cell hidden by disclosure control carries its label, "<5"
        return value
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212")


def fi_percent(share: float | None, decimals: int = 1) -> str:
    return "–" if share is None else fi_number(share * 100, decimals) + "\u00a0%"


def fi_change(value: float | int | str | None, decimals: int = 0, unit: str = "") -> str:
    if value is None or isinstance(value, str):
        return "–"
    sign = "+" if value > 0 else ""
    return sign + fi_number(value, decimals) + (f"\u00a0{unit}" if unit else "")


def fi_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{int(day)}.{int(month)}.{year}"


def municipality_part(content: dict[str, Any], code: str) -> dict[str, Any]:
    """The content of one municipality: its figures, the excerpts that name it, the group's texts."""
    part = next((m for m in content["municipalities"] if m["code"] == code), None)
    small = next((m for m in content.get("small_municipalities", []) if m["code"] == code), None)
    if part is None and small is not None:  # too few reports for figures of its own: the shared section
        limit = small.get("mark") or content["disclosure"]["label"]
        part = {**small, "small": True, "total": limit, "previous_total": limit, "own": limit, "breakdowns": []}
    if part is None:
        raise ExportError(_("Kuntaa %(code)s ei ole koosteessa.", code=code))
    numbers = set(part.get("report_numbers", []))
    return {**content, "municipality": part, "breakdowns": part["breakdowns"], "total": part["total"],
            "previous_total": part["previous_total"], "total_change_pct": None,
            "reports": [r for r in content.get("reports", []) if r["number"] in numbers],
            "highlights": [h for h in content["highlights"] if code in (h.get("municipality_codes") or [])],
            "municipalities": [], "small_municipalities": [], "term": None}


def build_charts(content: dict[str, Any]) -> dict[str, str]:
    """SVG charts keyed by breakdown key (and 'term_*' for the whole-term section)."""
    result = {}
    for item in content["breakdowns"]:
        rows = [r for r in item["rows"] if r["count"] or r["previous"]][:CHART_ROWS]
        if any(disclosure.is_suppressed(r["count"]) or disclosure.is_suppressed(r["previous"]) for r in rows):
            continue  # a chart cannot draw "<5"; the table shows it
        result[item["key"]] = charts.bar_chart(
            item["title"], [(r["label"], r["count"]) for r in rows], [r["previous"] for r in rows],
            axis_label=_("Raportteja"), current_label=content["period_label"],
            previous_label=content["previous_label"])
    term = content.get("term")
    if term:
        codes = [p["code"] for p in term["periods"]]
        result["term_total"] = charts.line_chart(term["totals"]["label"], codes,
                                                 [(term["totals"]["label"], term["totals"]["values"])],
                                                 axis_label=_("Raportteja"))
        for table in term["tables"]:
            top = sorted((r for r in table["rows"] if r["code"] != NONE), key=lambda r: -sum(r["values"]))[:TERM_SERIES]
            result[f"term_{table['key']}"] = charts.line_chart(
                table["title"], codes, [(r["label"], r["values"]) for r in top], axis_label=_("Raportteja"))
    return result


def template_helpers(language: str = DEFAULT) -> dict[str, Callable[..., str]]:
    """The pages' Finnish helpers (fi_number ...) and the documents' helpers in `language` (number ...)."""
    return {"fi_number": fi_number, "fi_percent": fi_percent, "fi_change": fi_change, "fi_date": fi_date,
            **languages.helpers(language)}


def _scoped(content: dict[str, Any], municipality: str | None, language: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The publishable content, and what a file shows of it: one municipality's part or all, named in `language`."""
    content = disclosure.publishable(content)
    scoped = municipality_part(content, municipality) if municipality else content
    return content, relabel(scoped, language)


def render_html(content: dict[str, Any], municipality: str | None = None,
                chart_svgs: dict[str, str] | None = None, corrections: list[dict[str, Any]] | None = None,
                language: str = DEFAULT) -> str:
    """The printable document as HTML; `municipality` (a code) gives that municipality's part alone.

    Always what would be published: excerpts and protected figures only, draft or not. `corrections`
    (published_at, withdrawn_at, reason of each earlier version withdrawn) say on the cover that this
    version replaces them, as the public page does. `language` (fi, sv, en) names the categories and
    writes the document's own text; the working group's texts stay as they were written.
    """
    content, scoped = _scoped(content, municipality, language)
    with force_locale(language):
        template = current_app.jinja_env.get_template("compilations/pdf/document.html")
        return template.render(c=scoped, draft=is_draft(content), language=language,
                               charts=chart_svgs if chart_svgs is not None else build_charts(scoped),
                               part=scoped.get("municipality"), corrections=corrections or [],
                               **template_helpers(language))


STATIC = ROOT / "static"
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): headings, tables, lists and reading order, the language and title of the
HTML, and the charts' titles as their text alternatives, as the accessibility law asks of public documents."""


def html_to_pdf(html: str) -> bytes:
    """The document as a tagged PDF; it may load the app's static files, nothing else."""
    from weasyprint import (
        HTML,  # imported here: loading Pango takes a moment and only exports need it
    )

    return HTML(string=html, base_url=str(ROOT), url_fetcher=static_files_only()).write_pdf(
        pdf_variant=PDF_VARIANT)


def static_files_only() -> Any:
    """A WeasyPrint URL fetcher that serves files under static/ and refuses every other URL.

    The documents carry their styles and charts inline; should anything ever put a link to a local
    file or a web address into them, WeasyPrint leaves it out instead of reading or requesting it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_path(url)
            if path is None:
                raise ValueError(f"not loaded into a PDF: {url[:80]}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    return StaticFilesOnly()


def static_path(url: str) -> Path | None:
    """The file under static/ that a file: URL names, or None for any other URL."""
    parsed = urlsplit(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parsed.path)).resolve()
    return path if path.is_relative_to(STATIC.resolve()) and path.is_file() else None


def render_pdf(content: dict[str, Any], municipality: str | None = None, language: str = DEFAULT) -> bytes:
    return html_to_pdf(render_html(content, municipality, language=language))


SHEET_COLUMNS = {"code": _l("Koodi"), "label": _l("Luokka"), "count": _l("Raportteja"), "share": _l("Osuus"),
                 "previous": _l("Edellinen kausi"), "change": _l("Muutos"), "change_pct": _l("Muutos %")}
"""The columns of a breakdown's sheet, headed in the file's language."""
CSV_COLUMNS = (_l("kausi"), _l("kunta"), _l("jaottelu"), _l("koodi"), _l("luokka"), _l("raportteja"), _l("osuus"),
               _l("edellinen_kausi"), _l("muutos"), _l("muutos_prosentteina"))
"""The CSV's header in the file's language; its rows carry the stable codes in every language."""


def figure_tables(content: dict[str, Any], municipality: str | None = None,
                  language: str = DEFAULT) -> dict[str, pd.DataFrame]:
    """One table per breakdown (and the term tables), named as the sheets are, headed and labelled in `language`."""
    content, scoped = _scoped(content, municipality, language)
    with force_locale(language):
        return _figure_tables(content, scoped, municipality)


def _figure_tables(content: dict[str, Any], scoped: dict[str, Any], municipality: str | None) -> dict[str, pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    columns = {key: str(title) for key, title in SHEET_COLUMNS.items()}
    summary = [(_("Kausi"), scoped["period_label"]), (_("Tila"), _("Julkaistu") if not is_draft(content) else _("Luonnos")),
               (_("Raportteja"), scoped["total"]), (_("Edellinen kausi"), scoped["previous_label"]),
               (_("Raportteja edellisellä kaudella"), scoped["previous_total"])]
    if not municipality:
        times = content["processing"]
        summary += [(_("Ensikäsittelyyn, mediaani (vrk)"), times["first_handling"]["median_days"]),
                    (_("Ensikäsittelyyn, keskiarvo (vrk)"), times["first_handling"]["mean_days"]),
                    *([(_("Palautteeseen, mediaani (vrk)"), times["feedback"]["median_days"])]
                      if "feedback" in times else []),
                    (_("Ratkaisuun, mediaani (vrk)"), times["resolution"]["median_days"]),
                    (_("Ratkaisuun, keskiarvo (vrk)"), times["resolution"]["mean_days"]),
                    (_("Ei vielä käsitelty"), times["not_handled"]), (_("Avoinna"), times["open"])]
    else:
        summary.insert(0, (_("Kunta"), scoped["municipality"]["name"]))
    tables[_("Yhteenveto")] = pd.DataFrame(summary, columns=[_("Tieto"), _("Arvo")])
    for item in scoped["breakdowns"]:
        frame = pd.DataFrame(item["rows"], columns=list(SHEET_COLUMNS)).rename(columns=columns)
        tables[item["title"][:31]] = frame
    term = scoped.get("term")
    if term:
        codes = [p["code"] for p in term["periods"]]
        for table in [{"title": term["totals"]["label"], "rows": [term["totals"]]}, *term["tables"]]:
            rows = [{columns["code"]: r["code"], columns["label"]: r["label"], **dict(zip(codes, r["values"])),
                     columns["change"]: r["change"], _("Trendi / puolivuosi"): r["slope"]} for r in table["rows"]]
            tables[_("Kausi %(title)s", title=table["title"])[:31]] = pd.DataFrame(rows)
    return tables


def render_xlsx(content: dict[str, Any], municipality: str | None = None, language: str = DEFAULT) -> bytes:
    return spreadsheets.frames_to_xlsx(figure_tables(content, municipality, language))


def render_csv(content: dict[str, Any], municipality: str | None = None, language: str = DEFAULT) -> bytes:
    """Every breakdown in one long table; UTF-8 with a byte-order mark and semicolons, as Excel in Finland reads.

    The header and the labels are in `language`; the codes (dimension, category) are the same in every language.
    """
    content, scoped = _scoped(content, municipality, language)
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer, delimiter=";", lineterminator="\r\n")
    with force_locale(language):
        writer.writerow([str(name) for name in CSV_COLUMNS])
        total_label = _("Raportteja yhteensä")
    place = scoped["municipality"]["code"] if municipality else ""
    writer.writerow([scoped["period"], place, "total", "reports", total_label, scoped["total"], "",
                     scoped["previous_total"], "", ""])
    for item in scoped["breakdowns"]:
        for r in item["rows"]:
            writer.writerow([scoped["period"], place, item["key"], r["code"], r["label"], r["count"],
                             "" if r["share"] is None else f"{r['share']:.4f}".replace(".", ","), r["previous"],
                             "" if r["change"] is None else r["change"],
                             "" if r["change_pct"] is None else f"{r['change_pct']:.1f}".replace(".", ",")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_atomically(path: Path | str, render: Callable[[], bytes]) -> Path:
    """Render and write to a temporary file beside `path`, then rename it into place.

    On any failure the temporary file is removed, an existing file at `path` is left as it was,
    and ExportError says what went wrong.
    """
    target = Path(path)
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = render()
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        temporary = None
    except Exception as error:
        raise _failure(target.name, error) from error
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _failure(name: str, error: Exception) -> ExportError:
    if isinstance(error, ExportError):
        return error
    if isinstance(error, OSError):
        current_app.logger.error("writing %s failed: %s", name, error)
        return ExportError(_("Tiedoston %(name)s kirjoittaminen epäonnistui: %(reason)s. Mitään ei tallennettu; "
                             "tarkista levytila ja oikeudet ja yritä uudelleen.",
                             name=name, reason=error.strerror or error))
    current_app.logger.exception("rendering %s failed", name)
    return ExportError(_("Tiedoston %(name)s muodostaminen epäonnistui (%(reason)s). Mitään ei tallennettu.",
                         name=name, reason=type(error).__name__))


RENDERERS: dict[str, Callable[[dict[str, Any], str | None, str], bytes]] = {
    "pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv}


def render_file(kind: str, content: dict[str, Any], municipality: str | None, name: str,
                language: str = DEFAULT) -> bytes:
    """Render in memory (for a download); a failure becomes ExportError."""
    return render_safely(name, lambda: RENDERERS[kind](content, municipality, language))


def render_safely(name: str, render: Callable[[], bytes]) -> bytes:
    """Run a renderer in memory; any failure becomes an ExportError that says what went wrong."""
    try:
        return render()
    except Exception as error:
        raise _failure(name, error) from error


def published_file(period: str, kind: str, municipality: str | None, content: dict[str, Any],
                   language: str = DEFAULT) -> Path:
    """A published compilation's file in `language`, rendered once from its snapshot and kept for later downloads.

    A Finnish file keeps the name it always had; a Swedish or English one ends in its language ("-sv").
    """
    directory = Path(current_app.config["COMPILATION_FILES_DIR"])
    stamp = "".join(ch for ch in content.get("published_at", "") if ch.isdigit())[:14]
    suffix = "" if language == DEFAULT else f"-{language}"
    name = f"kooste-{period}-{stamp}{'-' + municipality if municipality else ''}{suffix}.{kind}"
    target = directory / name
    if not target.exists():
        write_atomically(target, lambda: RENDERERS[kind](content, municipality, language))
    return target
