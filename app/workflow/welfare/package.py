"""The welfare coordinator's package: published compilation content for a welfare report.

A coordinator picks a municipality (or the whole county), a span — a half-year, a calendar
year (both halves) or a council term (its eight half-years) — and themes. Only published
compilations feed the package, and only through their frozen snapshots, so the package says
exactly what the review body approved; it names the half-years that were published and those
still missing. `build_package()` returns plain JSON-ready data, in Finnish unless another language
is asked for (the page and its files in the reader's language: the categories named from their codes by
compilations.languages, the working group's texts as written); the page, the PDF and the Excel file are
all rendered from it.

A municipality's figures are those of its part of each compilation: the reports naming the
municipality and those concerning the whole county. The working group's summaries, findings
and proposals are written for the whole county and are shown as such.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.codes import AuditAction, CompilationStatus
from app.extensions import db
from app.models import Compilation, Municipality, User, utcnow
from app.workflow.compilations import disclosure, statistics
from app.workflow.compilations.content import COUNTY
from app.workflow.compilations.export import municipality_part
from app.workflow.compilations.languages import DEFAULT, Names, date_in, period_label, relabel
from app.workflow.compilations.periods import (
    HELSINKI,
    CouncilTerm,
    Period,
    council_term,
    parse_period,
)
from app.workflow.compilations.statistics import NONE
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal

FIGURE_KEYS = ("national_phenomena", "themes", "phenomenon", "nature")
"""The breakdowns a package shows, in this order; every compilation has them for each municipality too."""

HALF_YEAR, YEAR, TERM = "half_year", "year", "term"
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_TERM = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


class InvalidSpan(Refusal, ValueError):
    """Text that does not name a half-year, a year or a council term; str(error) is the text."""

    status_code = 400


@dataclass(frozen=True)
class Span:
    """The half-years a package covers: one, a calendar year's two, or a council term's eight."""

    kind: str
    code: str
    """'2026-H1', '2026' or '2025-2029'."""
    periods: tuple[Period, ...]

    @property
    def label(self) -> str:
        if self.kind == HALF_YEAR:
            return self.periods[0].label
        if self.kind == YEAR:
            return _("vuosi %(year)s", year=self.code)
        return _("valtuustokausi %(term)s", term=self.code.replace("-", "–"))


def span_label(span: Span, language: str) -> str:
    """The span as the page and the files name it in `language` (called where that language is the locale)."""
    if span.kind == HALF_YEAR:
        return period_label(span.code, language, span.label)
    return span.label


def half_year_span(period: Period) -> Span:
    return Span(HALF_YEAR, period.code, (period,))


def year_span(year: int) -> Span:
    return Span(YEAR, str(year), (Period(year, 1), Period(year, 2)))


def term_span(term: CouncilTerm) -> Span:
    return Span(TERM, f"{term.start_year}-{term.end_year}", tuple(term.periods()))


def parse_span(text: str, first_term_year: int) -> Span:
    """'2026-H1', '2026' or '2025-2029' (a council term as it runs) -> Span; InvalidSpan otherwise."""
    text = (text or "").strip()
    year = _YEAR.match(text)
    if year:
        if not 2000 <= int(year.group(1)) <= 2999:
            raise InvalidSpan(text)
        return year_span(int(year.group(1)))
    term = _TERM.match(text)
    if term:
        start, end = int(term.group(1)), int(term.group(2))
        if not 2000 <= start <= 2999:
            raise InvalidSpan(text)
        running = council_term(date(start, 6, 1), first_term_year)
        if (running.start_year, running.end_year) != (start, end):
            raise InvalidSpan(text)
        return term_span(running)
    try:
        return half_year_span(parse_period(text))
    except ValueError as error:
        raise InvalidSpan(text) from error


def published_compilations() -> list[Compilation]:
    """Every published compilation, oldest half-year first."""
    return list(db.session.scalars(sa.select(Compilation).where(Compilation.status == CompilationStatus.PUBLISHED)
                                   .order_by(Compilation.period)))


def available_spans(first_term_year: int) -> dict[str, list[Span]]:
    """The spans with at least one published half-year, newest first, per kind."""
    periods = [parse_period(c.period) for c in published_compilations()]
    halves = [half_year_span(p) for p in reversed(periods)]
    years = [year_span(y) for y in sorted({p.year for p in periods}, reverse=True)]
    terms: list[Span] = []
    for period in reversed(periods):
        span = term_span(council_term(period.first_day, first_term_year))
        if span not in terms:
            terms.append(span)
    return {HALF_YEAR: halves, YEAR: years, TERM: terms}


def _state(period: Period, compilation: Compilation | None, today: date, language: str) -> tuple[str, str]:
    if compilation is not None and compilation.status == CompilationStatus.PUBLISHED:
        return "published", _("Julkaistu %(day)s", day=_day(compilation.published_at, language))
    if compilation is not None and compilation.status == CompilationStatus.IN_REVIEW:
        return "in_review", _("Asiakaskokemusjaoston käsiteltävänä, ei vielä julkaistu")
    if compilation is not None:
        return "draft", _("Työryhmän luonnos, ei vielä julkaistu")
    if period.last_day >= today:
        return "not_ended", _("Kausi on vielä kesken")
    return "not_opened", _("Koostetta ei ole vielä tehty")


def _day(moment: datetime | None, language: str) -> str:
    """The day in Helsinki as the language writes it: 1.3.2026, or 1 Mar 2026 in English."""
    if moment is None:
        return ""
    return date_in(language)(moment.astimezone(HELSINKI).date().isoformat())


@dataclass(frozen=True)
class Place:
    """Whose package: a municipality, or the whole county (municipality None)."""

    municipality: Municipality | None

    @property
    def code(self) -> str:
        return self.municipality.code if self.municipality is not None else COUNTY

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality is not None else _("Koko hyvinvointialue")

    def name_in(self, language: str) -> str:
        return self.municipality.name_in(language) if self.municipality is not None else _("Koko hyvinvointialue")


def _scoped(snapshot: dict[str, Any], place: Place) -> dict[str, Any] | None:
    """The snapshot's content for the place; None if the compilation has no part for that municipality."""
    if place.municipality is None:
        return snapshot
    if not any(m["code"] == place.code for m in snapshot.get("municipalities", [])):
        return None
    return municipality_part(snapshot, place.code)


def _theme_codes_by_label(snapshot: dict[str, Any]) -> dict[str, str]:
    """Highlights carry theme names; the snapshot's own theme breakdown names their codes as they were then."""
    rows = next((b["rows"] for b in snapshot["breakdowns"] if b["key"] == "themes"), [])
    return {r["label"]: r["code"] for r in rows}


def _merge_figures(parts: list[tuple[Period, dict[str, Any] | None]], themes: set[str] | None) -> list[dict[str, Any]]:
    """Each breakdown with a count per published half-year, their sum, and the latest change.

    `change` is the latest half-year against the one before it, as its compilation recorded it.
    """
    figures = []
    latest = parts[-1][1] if parts else None
    for key in FIGURE_KEYS:
        title, order, labels = "", [], {}
        counts: list[dict[str, int] | None] = []
        for _period, content in parts:
            item = next((b for b in content["breakdowns"] if b["key"] == key), None) if content else None
            if item is None:
                counts.append(None)
                continue
            title = item["title"]
            counts.append({r["code"]: r["count"] for r in item["rows"]})
            for row in item["rows"]:
                if row["code"] not in labels:
                    order.append(row["code"])
                labels[row["code"]] = row["label"]
        if key == "themes" and themes is not None:
            order = [code for code in order if code in themes]
        previous = {}
        if latest is not None:
            item = next((b for b in latest["breakdowns"] if b["key"] == key), None)
            previous = {r["code"]: r for r in item["rows"]} if item else {}
        rows = []
        for code in order:
            values = [None if c is None else c.get(code, 0) for c in counts]
            known = [v for v in values if v is not None]
            last = previous.get(code)
            rows.append({
                "code": code, "label": labels[code], "values": values, "total": _sum(known),
                "previous": last["previous"] if last else None, "change": last["change"] if last else None,
                "change_pct": last["change_pct"] if last else None,
                "slope": statistics.slope(known) if len(known) > 1 and _counted(known) else None,
            })
        figures.append({"key": key, "title": title, "rows": rows})
    return figures


def _percent(now: Any, then: Any) -> float | None:
    """A percentage change only where both half-years have enough reports (disclosure.PERCENT_MINIMUM)."""
    if not _counted([now, then]) or min(now, then) < disclosure.PERCENT_MINIMUM:
        return None
    return statistics.percent_change(now, then)


def _counted(values: list[Any]) -> bool:
    return not any(disclosure.is_suppressed(v) for v in values)


def _sum(values: list[Any]) -> int | None:
    """The sum over half-years; unknown (None, shown as a dash) where one of them was hidden as "<5"."""
    return sum(values) if _counted(values) else None


def build_package(place: Place, span: Span, themes: list[tuple[str, str]] | None, *,
                  now: datetime | None = None, language: str = DEFAULT) -> dict[str, Any]:
    """The package of one place, span and themes (None: all themes), from the published compilations only.

    `themes` are (code, name) pairs. Everything is in `language` (Finnish, as the compilations are, by
    default) but the working group's texts and excerpts, which stay as they were written.
    """
    now = now or utcnow()
    today = now.astimezone(HELSINKI).date()
    chosen = {code for code, _label in themes} if themes is not None else None
    found = {c.period: c for c in db.session.scalars(
        sa.select(Compilation).where(Compilation.period.in_([p.code for p in span.periods])))}
    names = Names(language) if language != DEFAULT else None

    def label(period: Period) -> str:
        return period_label(period.code, language, period.label)

    with force_locale(language):
        periods, parts = [], []
        for period in span.periods:
            compilation = found.get(period.code)
            state, state_label = _state(period, compilation, today, language)
            published = state == "published" and compilation is not None and bool(compilation.snapshot)
            periods.append({"code": period.code, "label": label(period), "published": published, "state": state,
                            "state_label": state_label,
                            "published_at": compilation.published_at.isoformat() if published else None})
            if published:  # read through disclosure control, so even an old snapshot gives excerpts only
                shown = disclosure.publishable(compilation.snapshot)  # type: ignore[union-attr,arg-type]
                parts.append((period, relabel(shown, language, names)))
        scoped = [(period, _scoped(snapshot, place)) for period, snapshot in parts]
        totals = [content["total"] if content else None for _p, content in scoped]
        latest = scoped[-1][1] if scoped else None
        known = [t for t in totals if t is not None]
        return {
            "language": language,
            "place": {"code": place.code, "name": place.name_in(language), "whole_county": place.municipality is None},
            "span": {"kind": span.kind, "code": span.code, "label": span_label(span, language)},
            "themes": [{"code": code, "label": names.of("themes", code, name) if names else name}
                       for code, name in themes] if themes is not None else [],
            "all_themes": themes is None,
            "generated_at": now.isoformat(),
            "periods": periods,
            "columns": [{"code": p.code, "label": label(p)} for p, _c in scoped],
            "published": [p["code"] for p in periods if p["published"]],
            "missing": [p for p in periods if not p["published"]],
            "totals": {
                "values": totals, "total": _sum(known),
                "previous": latest["previous_total"] if latest else None,
                "change": latest["total"] - latest["previous_total"] if latest and _counted(
                    [latest["total"], latest["previous_total"]]) else None,
                "change_pct": _percent(latest["total"], latest["previous_total"]) if latest else None,
                "previous_label": latest["previous_label"] if latest else "",
                "slope": statistics.slope(known) if len(known) > 1 and _counted(known) else None,
            },
            "figures": _merge_figures(scoped, chosen),
            "summaries": [{"period": p.code, "period_label": label(p), "text": s["summary"]}
                          for p, s in parts if (s.get("summary") or "").strip()],
            "theme_texts": _theme_texts(parts, scoped, chosen, label),
            "highlights": _highlights(parts, scoped, chosen, label),
        }


def _theme_texts(parts: list[tuple[Period, dict[str, Any]]], scoped: list[tuple[Period, dict[str, Any] | None]],
                 chosen: set[str] | None, label: Callable[[Period], str]) -> list[dict[str, Any]]:
    """The working group's findings and proposals, per theme, each half-year in turn."""
    by_theme: dict[str, dict[str, Any]] = {}
    for (period, snapshot), (_same, content) in zip(parts, scoped):
        counts = {}
        if content is not None:
            item = next((b for b in content["breakdowns"] if b["key"] == "themes"), None)
            counts = {r["code"]: r["count"] for r in item["rows"]} if item else {}
        for text in snapshot.get("themes", []):
            if chosen is not None and text["code"] not in chosen:
                continue
            theme = by_theme.setdefault(text["code"], {"code": text["code"], "label": text["label"], "entries": []})
            theme["entries"].append({"period": period.code, "period_label": label(period),
                                     "count": counts.get(text["code"]), "findings": text["findings"],
                                     "proposals": text["proposals"]})
    return list(by_theme.values())


def _highlights(parts: list[tuple[Period, dict[str, Any]]], scoped: list[tuple[Period, dict[str, Any] | None]],
                chosen: set[str] | None, label: Callable[[Period], str]) -> list[dict[str, Any]]:
    """The highlighted reports of the place and themes, with where they stood when the compilation was approved."""
    result = []
    for (period, snapshot), (_same, content) in zip(parts, scoped):
        if content is None:
            continue
        codes = _theme_codes_by_label(snapshot)
        for highlight in content["highlights"]:
            theme_codes = [codes.get(label, NONE) for label in highlight["themes"]]
            if chosen is not None and not chosen.intersection(theme_codes):
                continue
            result.append({**highlight, "theme_codes": theme_codes, "period": period.code,
                           "period_label": label(period)})
    return result


def record_export(actor: User, package: dict[str, Any], kind: str) -> None:
    """A downloaded package goes into the audit log: whose, which span and themes, which format."""
    record(AuditAction.EXPORTED, actor=actor,
           details={"what": "welfare_package", "municipality": package["place"]["name"], "span": package["span"]["code"],
                    "themes": [t["code"] for t in package["themes"]] if not package["all_themes"] else [],
                    "format": kind})
