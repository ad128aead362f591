"""The comparison's downloads: each view's tables as Excel (spreadsheets.frames_to_xlsx), and the view as a
PDF rendered by the scheduler through a render job (the compilation's machinery: rendering.request_file,
html_to_pdf, serve_job).

The PDF's job carries the view's printable HTML, rendered in the request from the same figures as the page
and in the reader's language, so the file is exactly what was asked for even if a harvest lands before the
scheduler gets to it; the job's key is the digest of that HTML, so asking again for the same figures finds
the same file, and new figures make a new one.
"""
from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from app.models import RenderJob
from app.workflow.comparison.views import Brief, Cell, Coverage, SideBySide, Situation
from app.workflow.compilations.export import html_to_pdf
from app.workflow.core import rendering
from app.workflow.core.spreadsheets import frames_to_xlsx

KIND = "comparison_pdf"


def _cells(cells: list[Cell]) -> list[int | str | None]:
    return [c.spreadsheet() for c in cells]


def _coverage(rows: list[Coverage], periods: list[str]) -> pd.DataFrame:
    def mark(value: bool | None) -> str:
        return "" if value is None else (_("synteettinen") if value else _("kyllä"))

    return pd.DataFrame([{_("Koodi"): r.county.code, _("Hyvinvointialue"): r.county.name,
                          **{p: mark(r.periods[p]) for p in periods},
                          _("Viimeisin onnistunut haku"): r.last_good.date().isoformat() if r.last_good else "",
                          _("Virhe"): r.error or ""} for r in rows],
                        columns=[_("Koodi"), _("Hyvinvointialue"), *periods, _("Viimeisin onnistunut haku"),
                                 _("Virhe")])


def situation_tables(view: Situation) -> dict[str, pd.DataFrame]:
    latest, previous = view.latest or "", view.previous or ""
    lines = pd.DataFrame([{_("Ilmiö"): line.label, latest: line.latest.spreadsheet(),
                           previous: line.previous.spreadsheet(), _("Muutos"): line.change} for line in view.lines])
    areas = pd.DataFrame([{_("Alue"): r.name, **dict(zip([label for _, label in view.columns], _cells(r.cells))),
                           _("Aineistoa"): f"{r.extra[0]}/{r.extra[1]}"} for r in view.rows])
    return {_("Tilannekuva"): lines, _("Alueet %(period)s", period=latest): areas,
            _("Aineisto"): _coverage(view.coverage, view.periods)}


def brief_tables(view: Brief) -> dict[str, pd.DataFrame]:
    rows = pd.DataFrame([{_("Alue"): r.name, **dict(zip(view.periods, _cells(r.cells))), _("Muutos"): r.change,
                          _("Trendi / puolivuosi"): r.slope} for r in view.rows])
    tables = {view.phenomenon[1]: rows}
    for table in view.indicators:
        frame = pd.DataFrame([{_("Alue"): name, **{str(y): v for y, v in zip(table.years, values)}}
                              for name, values in table.rows])
        tables[table.indicator.title] = frame
    return tables


def side_by_side_tables(view: SideBySide) -> dict[str, pd.DataFrame]:
    rows = pd.DataFrame([{_("Alue"): r.name, **dict(zip(view.periods, _cells(r.cells))),
                          _("Asukkaita"): r.residents, _("Raportteja / 10 000 asukasta %(period)s",
                                                        period=view.period or ""): r.rate}
                         for r in view.rows])
    return {view.phenomenon[1]: rows}


TABLES = {"situation": situation_tables, "brief": brief_tables, "side_by_side": side_by_side_tables}


def to_xlsx(kind: str, view: Any) -> bytes:
    """The view's tables; a workbook with synthetic figures says so on its first sheet, as the page does."""
    tables = TABLES[kind](view)
    if view.synthetic:
        warning = pd.DataFrame({_("Synteettistä aineistoa"): [
            _("Osa näkymän luvuista on tehty esittelyaineistosta eikä ole minkään hyvinvointialueen julkaisemia. "
              "Älä käytä niitä päätöksenteossa.")]})
        tables = {_("Synteettistä aineistoa"): warning, **tables}
    return frames_to_xlsx(tables)


def pdf_job(html: str, download_name: str) -> RenderJob:
    """The job of the printable view; the same HTML is the same job and the same file."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]
    return rendering.request_file(f"comparison-{digest}", KIND, {"html": html}, download_name)


def render_pdf(params: dict[str, Any], progress: Any) -> bytes:
    """The scheduler's renderer (app.jobs.RENDERERS)."""
    progress(30)
    return html_to_pdf(params["html"])
