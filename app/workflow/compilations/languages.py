"""A compilation's files in Finnish, Swedish or English: the categories named again from their codes.

The content (a draft's, or a publication's frozen snapshot) carries Finnish labels beside stable codes.
`relabel()` names each category in the reader's language at render time: themes and THL's national
phenomena by their Swedish and English labels, municipalities by their Swedish names, the coded choices
(phenomenon, nature, significance, status, levels, channels, population and profession groups) by the
catalogues, and the titles of the breakdowns likewise. Units, divisions, service areas and forums have
only their own names, and the working group's texts stay in the language they were written in.
Finnish is the default and is returned exactly as stored.

Numbers follow Finnish typography in Finnish and Swedish (a no-break space between thousands, a decimal
comma, "12,5 %"), English typography in English ("1,234.5", "12.5%").
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString, force_locale, get_locale
from flask_babel import gettext as _

from app.codes import (
    Channel,
    EscalationLevel,
    ExcerptContext,
    FollowUpStatus,
    Nature,
    PartnerType,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
    Significance,
)
from app.extensions import db
from app.models import Municipality, NationalPhenomenon, Theme
from app.workflow.admin import site_settings
from app.workflow.compilations.statistics import NONE

LANGUAGES = ("fi", "sv", "en")
DEFAULT = "fi"
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def document_language(value: object) -> str:
    """The language asked for (?lang=sv), Finnish for anything SoRa does not write its documents in."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT


# Numbers, percentages, changes and dates in the document's language.
def number_in(language: str) -> Callable[..., str]:
    english = language == "en"

    def number(value: float | int | str | None, decimals: int = 0) -> str:
        if value is None:
            return "–"
        if isinstance(value, str):  # a cell hidden by disclosure control carries its label, "<5"
            return value
        text = f"{value:,.{decimals}f}"
        if not english:
            text = text.replace(",", "\u00a0").replace(".", ",")
        return text.replace("-", "\u2212")

    return number


def percent_in(language: str) -> Callable[..., str]:
    number, space = number_in(language), "" if language == "en" else "\u00a0"

    def percent(share: float | None, decimals: int = 1) -> str:
        return "–" if share is None else number(share * 100, decimals) + space + "%"

    return percent


def change_in(language: str) -> Callable[..., str]:
    number = number_in(language)

    def change(value: float | int | str | None, decimals: int = 0, unit: str = "") -> str:
        if value is None or isinstance(value, str):
            return "–"
        sign = "+" if value > 0 else ""
        space = "" if language == "en" and unit == "%" else "\u00a0"
        return sign + number(value, decimals) + (f"{space}{unit}" if unit else "")

    return change


def date_in(language: str) -> Callable[[str | None], str]:
    def day(iso: str | None) -> str:
        if not iso:
            return ""
        year, month, dd = iso[:10].split("-")
        if language == "en":
            return f"{int(dd)} {ENGLISH_MONTHS[int(month) - 1]} {year}"
        return f"{int(dd)}.{int(month)}.{year}"

    return day


def period_label(code: str, language: str, finnish: str) -> str:
    """A half-year as documents write it: 1.1.–30.6.2026 (Finnish, Swedish), 1 Jan – 30 Jun 2026 (English)."""
    if language != "en" or len(code) != 7 or code[4:6] != "-H":
        return finnish
    year, half = int(code[:4]), int(code[6])
    first, last = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return f"{first.day} {ENGLISH_MONTHS[first.month - 1]} – {last.day} {ENGLISH_MONTHS[last.month - 1]} {year}"


def read_period(code: str, finnish: str) -> LazyString:
    """`period_label` in the language it is read in: a mail's, each recipient's own."""
    return LazyString(lambda: period_label(code, str(get_locale() or DEFAULT), finnish))


def read_day(day: date) -> LazyString:
    """`date_in` in the language it is read in."""
    return LazyString(lambda: date_in(str(get_locale() or DEFAULT))(day.isoformat()))


def helpers(language: str) -> dict[str, Callable[..., str]]:
    """The documents' formatting helpers in `language` (the compilation's and the welfare package's)."""
    return {"number": number_in(language), "percent": percent_in(language), "change": change_in(language),
            "day": date_in(language)}


def page_helpers(language: str) -> dict[str, Callable[..., str]]:
    """The pages' number and date helpers (named fi_* in the templates) in the reader's language."""
    found = helpers(language)
    return {"fi_number": found["number"], "fi_percent": found["percent"], "fi_change": found["change"],
            "fi_date": found["day"]}


class Names:
    """Each category's name in one language by dimension and code, and the breakdowns' titles; read once."""

    def __init__(self, language: str) -> None:
        from app.workflow.compilations.content import COUNTY, DIMENSIONS, PARTNERS

        self.language = language
        with force_locale(language):
            themes = list(db.session.scalars(sa.select(Theme)))
            national = list(db.session.scalars(sa.select(NationalPhenomenon)))
            places = list(db.session.scalars(sa.select(Municipality)))
            self.titles = {d.key: str(d.title) for d in DIMENSIONS}
            self.none = {d.key: str(d.none_label) for d in DIMENSIONS}
            self.total = _("Raportteja yhteensä")
            self.county = site_settings.county().name_in(language)
            self.codes: dict[str, dict[str, str]] = {
                "phenomenon": {p.value: p.label for p in Phenomenon},
                "nature": {n.value: n.label for n in Nature},
                "themes": {t.code: t.label for t in themes},
                "national_phenomena": {p.code: p.label for p in national},
                "population_group": {g.value: g.label for g in PopulationGroup},
                "profession_group": {g.value: g.label for g in ProfessionGroup},
                "unit": {PARTNERS: _("Kumppanien raportit")},
                "municipalities": {**{m.code: m.name_in(language) for m in places}, COUNTY: _("Koko hyvinvointialue")},
                "significance": {str(s.value): s.label for s in Significance},
                "status": {s.value: s.label for s in ReportStatus},
                "escalation_level": {level.value: level.label for level in EscalationLevel},
                "channel": {Channel.STAFF.value: Channel.STAFF.label,
                            **{kind.value: f"{Channel.PARTNER.label}: {kind.label}" for kind in PartnerType}},
                "follow_up": {s.value: s.label for s in FollowUpStatus},
            }
        with force_locale(DEFAULT):  # the snapshot's Finnish labels, for what it keeps without a code
            self.by_finnish = {
                "phenomenon": {p.label: self.codes["phenomenon"][p.value] for p in Phenomenon},
                "nature": {n.label: self.codes["nature"][n.value] for n in Nature},
                "national_phenomena": {p.label_fi: self.codes["national_phenomena"][p.code] for p in national},
                "themes": {t.label_fi: self.codes["themes"][t.code] for t in themes},
            }

    def of(self, key: str, code: str, shown: str) -> str:
        """The name of `code` in the dimension `key`; a unit's, a division's or a forum's own name as it was."""
        if code == NONE and key in self.none:
            return self.none[key]
        return self.codes.get(key, {}).get(code, shown)

    def finnish(self, key: str, label: str) -> str:
        return self.by_finnish.get(key, {}).get(label, label)

    def rows(self, key: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "label": self.of(key, r["code"], r["label"])} for r in rows]

    def breakdowns(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**item, "title": self.titles.get(item["key"], item["title"]), "rows": self.rows(item["key"], item["rows"])}
                for item in items]

    def highlight(self, h: dict[str, Any]) -> dict[str, Any]:
        shown = {**h, "phenomenon": self.finnish("phenomenon", h.get("phenomenon") or ""),
                 "nature": self.finnish("nature", h.get("nature") or "")}
        codes = h.get("theme_codes")
        if codes and len(codes) == len(h.get("themes") or []):
            shown["themes"] = [self.of("themes", code, label) for code, label in zip(codes, h["themes"])]
        elif h.get("themes"):
            shown["themes"] = [self.finnish("themes", label) for label in h["themes"]]
        level = h.get("context_level")
        if level == ExcerptContext.COUNTY.value:
            shown["context"] = self.county
        elif level == ExcerptContext.MUNICIPALITY.value and h.get("municipality_codes"):
            shown["context"] = ", ".join(self.of("municipalities", c, c) for c in h["municipality_codes"])
        if h.get("period_label") and h.get("period"):
            shown["period_label"] = period_label(h["period"], self.language, h["period_label"])
        return shown


def relabel(content: dict[str, Any], language: str, names: Names | None = None) -> dict[str, Any]:
    """The content with its categories and titles in `language`; Finnish content is returned as it is.

    Works on the publishable content (after disclosure.publishable) as on a draft's; never changes its
    argument, so a snapshot stays as it was approved. `names` may be given when several are relabelled.
    """
    if language == DEFAULT:
        return content
    names = names or Names(language)
    shown = copy.copy(content)
    shown["language"] = language
    for key in ("period_label", "previous_label"):
        code = content.get("period" if key == "period_label" else "previous_period")
        if content.get(key) and code:
            shown[key] = period_label(code, language, content[key])
    shown["breakdowns"] = names.breakdowns(content.get("breakdowns", []))
    shown["municipalities"] = [
        {**m, "name": names.of("municipalities", m["code"], m["name"]), "breakdowns": names.breakdowns(m["breakdowns"])}
        for m in content.get("municipalities", [])]
    if isinstance(content.get("municipality"), dict):  # one municipality's part
        part = content["municipality"]
        shown["municipality"] = {**part, "name": names.of("municipalities", part["code"], part["name"])}
    shown["small_municipalities"] = [{**m, "name": names.of("municipalities", m["code"], m["name"])}
                                     for m in content.get("small_municipalities", [])]
    shown["themes"] = [{**t, "label": names.of("themes", t["code"], t["label"])} for t in content.get("themes", [])]
    shown["highlights"] = [names.highlight(h) for h in content.get("highlights", [])]
    shown["groups"] = [
        {**g, "municipalities": names.rows("municipalities", g.get("municipalities", [])),
         "national_phenomena": [names.finnish("national_phenomena", label) for label in g.get("national_phenomena") or []],
         "highlights": [names.highlight(h) for h in g.get("highlights", [])]}
        for g in content.get("groups", [])]
    shown["previous_follow_ups"] = [
        {**item, "title": names.finnish("themes", item["title"]) if item.get("source") == "theme" else item["title"],
         "follow_ups": [{**f, "status_label": names.of("follow_up", f.get("status", ""), f.get("status_label", ""))}
                        for f in item.get("follow_ups", [])]}
        for item in content.get("previous_follow_ups", [])]
    term = content.get("term")
    if term:
        shown["term"] = {
            **term, "totals": {**term["totals"], "label": names.total},
            "tables": [{**t, "title": names.titles.get(t["key"], t["title"]), "rows": names.rows(t["key"], t["rows"])}
                       for t in term["tables"]]}
    return shown
