"""The welfare coordinator's package as PDF (WeasyPrint, the compilation's typography) and Excel.

Both are functions of the package content (see welfare_package). Downloads are rendered in
memory; files written from the command line go through compilation_export.write_atomically.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.workflow.compilations import charts
from app.workflow.compilations.export import html_to_pdf, template_helpers
from app.workflow.compilations.statistics import NONE
from app.workflow.core.spreadsheets import frames_to_xlsx

CHART_SERIES = 6


def build_charts(package: dict[str, Any]) -> dict[str, str]:
    """An SVG chart per figure: bars against the previous half-year for one half-year, lines for several;
    in the package's language, as its figures are."""
    with force_locale(package.get("language") or "fi"):
        return _charts(package)


def _charts(package: dict[str, Any]) -> dict[str, str]:
    result = {}
    columns = [c["code"] for c in package["columns"]]
    for figure in package["figures"]:
        if not figure["title"]:  # no half-year has a part for the place (too few reports): no sheet to name
            continue
        rows = [r for r in figure["rows"] if r["total"] or r["previous"]]
        if any(isinstance(v, str) for r in rows for v in [*r["values"], r["previous"]]):
            continue  # a chart cannot draw "<5"; the table shows it
        if len(columns) == 1:
            result[figure["key"]] = charts.bar_chart(
                figure["title"], [(r["label"], r["total"]) for r in rows], [r["previous"] or 0 for r in rows],
                axis_label=_("Raportteja"), current_label=package["columns"][0]["label"],
                previous_label=package["totals"]["previous_label"])
        elif len(columns) > 1:
            top = sorted((r for r in rows if r["code"] != NONE), key=lambda r: -r["total"])[:CHART_SERIES]
            result[figure["key"]] = charts.line_chart(
                figure["title"], columns, [(r["label"], [v or 0 for v in r["values"]]) for r in top],
                axis_label=_("Raportteja"))
    return result


def render_html(package: dict[str, Any]) -> str:
    """The printable package in its language (build_package(language=...)), Finnish by default."""
    language = package.get("language") or "fi"
    with force_locale(language):
        template = current_app.jinja_env.get_template("welfare/pdf.html")
        return template.render(p=package, charts=build_charts(package), language=language,
                               **template_helpers(language))


def render_pdf(package: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(package))


def package_tables(package: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The sheets of the Excel file: what the package covers, figures, texts and highlights.

    Headed in the package's language (build_package(language=...)), Finnish by default.
    """
    with force_locale(package.get("language") or "fi"):
        return _tables(package)


def _tables(package: dict[str, Any]) -> dict[str, pd.DataFrame]:
    columns = package["columns"]
    total, previous, change, change_pct = _("Yhteensä"), _("Edellinen puolivuotiskausi"), _("Muutos"), _("Muutos %")
    about = [(_("Alue"), package["place"]["name"]), (_("Ajanjakso"), package["span"]["label"]),
             (_("Teemat"), _("Kaikki") if package["all_themes"] else ", ".join(t["label"] for t in package["themes"]))]
    about += [(_("Kausi %(period)s", period=p["code"]), p["state_label"]) for p in package["periods"]]
    about.append((_("Lähde"), _("Julkaistut puolivuotiskoosteet (hyväksymishetken tiedot)")))
    tables = {_("Tiedot"): pd.DataFrame(about, columns=[_("Tieto"), _("Arvo")])}
    totals = package["totals"]
    tables[_("Raportteja")] = pd.DataFrame(
        [{_("Alue"): package["place"]["name"], **{c["code"]: v for c, v in zip(columns, totals["values"])},
          total: totals["total"], previous: totals["previous"],
          change: totals["change"], change_pct: totals["change_pct"]}])
    for figure in package["figures"]:
        if not figure["title"]:  # no half-year has a part for the place (too few reports): no sheet to name
            continue
        rows = [{_("Koodi"): r["code"], _("Luokka"): r["label"], **{c["code"]: v for c, v in zip(columns, r["values"])},
                 total: r["total"], previous: r["previous"], change: r["change"],
                 change_pct: r["change_pct"]} for r in figure["rows"]]
        tables[figure["title"]] = pd.DataFrame(rows)
    tables[_("Yhteenvedot")] = pd.DataFrame([(s["period"], s["text"]) for s in package["summaries"]],
                                            columns=[_("Kausi"), _("Työryhmän yhteenveto")])
    tables[_("Havainnot ja ehdotukset")] = pd.DataFrame(
        [(t["code"], t["label"], e["period"], e["count"], e["findings"], e["proposals"])
         for t in package["theme_texts"] for e in t["entries"]],
        columns=[_("Koodi"), _("Teema"), _("Kausi"), _("Raportteja"), _("Havainnot"), _("Ehdotukset")])
    tables[_("Otteet")] = pd.DataFrame(
        [(h["period_label"], h["context"], h["phenomenon"], ", ".join(h["themes"] or []), h["excerpt"])
         for h in package["highlights"]],
        columns=[_("Kausi"), _("Alue"), _("Ilmiö"), _("Teemat"), _("Ote")])
    return tables


def render_xlsx(package: dict[str, Any]) -> bytes:
    return frames_to_xlsx(package_tables(package))
