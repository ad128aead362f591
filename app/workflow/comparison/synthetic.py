"""Synthetic counties for the demo (and the bench): exports made from the demo's own published export, scaled
and perturbed, so a comparison can be shown without any county's real data.

Every such file names its county "… (synteettinen esimerkki)" and is stored with `synthetic=True`: the
figures are invented, and every view that shows them must say so. The same seed gives the same bytes, so
seeding again adds nothing.
"""
from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from app.workflow.admin import county as counties
from app.workflow.comparison import formats, harvest
from app.workflow.compilations.periods import parse_period
from app.workflow.core.errors import Refusal
from app.workflow.welfare import national_export, open_data

LABEL = "synteettinen esimerkki"
SOURCE = "synthetic: seed-comparison-demo"
DEMO_COUNTIES = ("12", "13", "14", "15", "19", "20", "21")
"""Itä-Suomi (Etelä-Savo, Pohjois-Savo itself, Pohjois-Karjala, Keski-Suomi) and Pohjois-Suomi (Pohjois-Pohjanmaa,
Kainuu, Lappi): two collaborative areas to compare."""


def labelled(name: str) -> str:
    return name if LABEL in name else f"{name} ({LABEL})"


def _scaled(value: int | None, factor: float, rng: random.Random) -> int | None:
    return None if value is None else max(0, round(value * factor * rng.uniform(0.75, 1.3)))


def _protected(row: dict[str, Any], count: int | None, threshold: int) -> dict[str, Any]:
    hidden = count is None or 0 < count < threshold
    return {"code": row["code"], "label": row["label"], "count": None if hidden else count,
            **({"suppressed": True} if hidden else {})}


def _shifted(moment: Any, days: int) -> Any:
    return (datetime.fromisoformat(moment) - timedelta(days=days)).isoformat() if moment else moment


def synthetic_export(base: dict[str, Any], county_code: str, *, seed: int, period: str | None = None,
                     factor: float | None = None) -> dict[str, Any]:
    """`base` (a current-format export) as if another county had published it; a pure function of its arguments."""
    rng = random.Random(f"{seed}:{county_code}:{period or base['period']['code']}")
    row = next(r for r in counties.counties() if r.code == county_code)
    places = counties.municipalities_of(county_code)
    threshold = base["disclosure"]["threshold"]
    scale = factor if factor is not None else (len(places) / max(1, len(base["municipalities"]))) ** 0.5 * \
        rng.uniform(0.6, 1.5)
    document = copy.deepcopy(base)
    document["county"] = {"code": county_code, "name": labelled(row.name_fi)}
    if period is not None and period != base["period"]["code"]:
        wanted = parse_period(period)
        days = (parse_period(base["period"]["code"]).first_day - wanted.first_day).days
        document["period"] = {"code": wanted.code, "first_day": wanted.first_day.isoformat(),
                              "last_day": wanted.last_day.isoformat()}
        document["published_at"] = _shifted(base["published_at"], days)
        document["generated_at"] = _shifted(base["generated_at"], days)
    if county_code == base["county"]["code"] and factor is None and period in (None, base["period"]["code"]):
        return document  # the demo county itself: its own figures, only labelled
    document["reports"] = _scaled(base["reports"], scale, rng)
    document["whole_county_reports"] = _scaled(base["whole_county_reports"], scale, rng)
    for dimension, rows in document["counts"].items():
        if dimension != "municipality":
            document["counts"][dimension] = [_protected(r, _scaled(r["count"], scale, rng), 1) for r in rows]
    named = max(0, (document["reports"] or 0) - (document["whole_county_reports"] or 0))
    weights = [rng.uniform(0.2, 3.0) for _ in places]
    own = [round(named * w / sum(weights)) for w in weights] if places else []
    total = max(1, named)
    document["counts"]["municipality"] = [_protected({"code": p.code, "label": p.name_fi}, n, threshold)
                                          for p, n in zip(places, own)]
    document["municipalities"] = [{
        "code": p.code, "name": p.name_fi,
        "reports": _protected({"code": "", "label": ""}, n + (document["whole_county_reports"] or 0),
                              threshold)["count"],
        "own_reports": _protected({"code": "", "label": ""}, n, threshold)["count"],
        "counts": {dimension: [_protected(r, _scaled(r["count"], n / total, rng), threshold)
                               for r in document["counts"][dimension]]
                   for dimension in national_export.MUNICIPALITY_DIMENSIONS},
    } for p, n in zip(places, own)]
    for step in national_export.PROCESSING_STEPS:
        times = document["processing"][step]
        if times.get("count") is not None:
            times["count"] = _scaled(times["count"], scale, rng)
        if times.get("median_days") is not None:
            times["median_days"] = round(times["median_days"] * rng.uniform(0.6, 1.6), 1)
    for key in ("not_handled", "open"):
        document["processing"][key] = _scaled(document["processing"][key], scale, rng)
    return document


def demo_bases() -> list[dict[str, Any]]:
    """The installation's own published exports (the demo county's), the material of the synthetic counties."""
    bases = [open_data.export(code) for code in national_export.published_periods()]
    if not bases:
        raise Refusal(_("Julkaistua koostetta ei ole: aja ensin %(command)s.", command="flask --app app seed-demo"))
    return bases


def seed_comparison_demo(bases: list[dict[str, Any]] | None = None, county_codes: tuple[str, ...] = DEMO_COUNTIES,
                         seed: int = 19) -> int:
    """Store the synthetic counties' exports of each base half-year and the one before it; flushes. Returns the
    files added (0 when seeded before with the same seed)."""
    added = 0
    bases = bases if bases is not None else demo_bases()
    own = {base["period"]["code"] for base in bases}
    for base in bases:
        earlier = parse_period(base["period"]["code"]).previous().code
        for code in county_codes:
            for period in (base["period"]["code"], *([earlier] if earlier not in own else [])):
                document = synthetic_export(base, code, seed=seed, period=period)
                formats.validate_current(document)
                stored = harvest.store_export(formats.ReadExport(national_export.FORMAT_VERSION, document),
                                              national_export.to_json(document), source=SOURCE, synthetic=True)
                added += stored is harvest.Stored.ADDED
    return added


def example_export(county_code: str, period: str, *, seed: int = 6, reports: int = 60) -> dict[str, Any]:
    """A complete current-format export with invented figures for every code, labelled synthetic: the bench's
    and the tests' counties (a comparison installation has no published compilation of its own to scale)."""
    from app.codes import EscalationLevel, Nature, Phenomenon, PopulationGroup, ProfessionGroup
    from app.workflow.admin.reference_data import FORUMS, NATIONAL_PHENOMENA, THEMES

    rng = random.Random(f"{seed}:{county_code}:{period}")
    row = next(r for r in counties.counties() if r.code == county_code)
    half = parse_period(period)
    published = datetime.combine(half.last_day + timedelta(days=45), datetime.min.time()).replace(
        hour=9).astimezone().isoformat()

    def rows(codes: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [{"code": code, "label": label, "count": rng.randint(0, reports // 3)} for code, label in codes]

    places = counties.municipalities_of(county_code)
    whole = rng.randint(3, max(3, reports // 5))
    own = [rng.randint(0, max(1, 2 * (reports - whole) // max(1, len(places)))) for _ in places]
    document = {
        "format": national_export.FORMAT, "format_version": national_export.FORMAT_VERSION,
        "county": {"code": county_code, "name": labelled(row.name_fi)},
        "period": {"code": half.code, "first_day": half.first_day.isoformat(), "last_day": half.last_day.isoformat()},
        "source": "published_compilation", "published_at": published, "generated_at": published,
        "disclosure": {"threshold": 5}, "national_phenomena": {"version": 1, "coding": "confirmed"},
        "reports": reports, "whole_county_reports": whole,
        "counts": {
            "national_phenomenon": rows([(code, label) for code, label, _en in NATIONAL_PHENOMENA] + [("none", "Ei")]),
            "theme": rows([(code, label) for code, label, _en in THEMES] + [("none", "Ei teemaa")]),
            "phenomenon": rows([(p.value, p.value) for p in Phenomenon]),
            "nature": rows([(n.value, n.value) for n in Nature]),
            "municipality": [_protected({"code": p.code, "label": p.name_fi}, n, 5) for p, n in zip(places, own)],
            "population_group": rows([(p.value, p.value) for p in PopulationGroup] + [("none", "Ei")]),
            "profession_group": rows([(p.value, p.value) for p in ProfessionGroup] + [("none", "Ei")]),
            "significance": rows([(str(n), str(n)) for n in range(1, 5)] + [("none", "Ei")]),
            "escalation_level": rows([(e.value, e.value) for e in EscalationLevel]),
            "forum": rows([(code, label) for code, label, _level in FORUMS] + [("none", "Ei")]),
        },
        "processing": {"first_handling": {"count": reports - 2, "median_days": float(rng.randint(2, 12))},
                       "feedback": {"count": reports - 5, "median_days": float(rng.randint(5, 30))},
                       "resolution": {"count": reports // 2, "median_days": float(rng.randint(20, 90))},
                       "not_handled": 2, "open": reports // 2},
        "municipalities": [{
            "code": p.code, "name": p.name_fi, "reports": n + whole,
            "own_reports": _protected({"code": "", "label": ""}, n, 5)["count"], "counts": {},
        } for p, n in zip(places, own)],
    }
    for place in document["municipalities"]:  # each municipality its share of the county's counts
        share = (place["own_reports"] or 0) / max(1, reports)
        place["counts"] = {dimension: [_protected(r, round((r["count"] or 0) * share), 5)
                                       for r in document["counts"][dimension]]
                           for dimension in national_export.MUNICIPALITY_DIMENSIONS}
    return document
