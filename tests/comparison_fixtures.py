"""Harvested exports for the comparison's tests: four counties of two collaborative areas over two half-years,
written straight into harvested_export (the harvester is another module's), each document valid against
docs/national-export.schema.json.

- 13 Pohjois-Savo (area 2): both half-years; Kuopio and Varkaus have parts, Varkaus with hidden cells;
  Siilinjärvi and the rest have none (too few reports to publish a part).
- 12 Etelä-Savo (area 2): both half-years, synthetic (made from demo data).
- 19 Pohjois-Pohjanmaa (area 5): both half-years; its county-level mental_health of 2026-H1 is hidden.
- 20 Kainuu (area 5): 2025-H2 only; its source cannot be reached now (last good harvest 2026-01-15).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from app.extensions import db
from app.models import HarvestedExport, HarvestSource, PopulationFigure
from app.workflow.compilations.periods import parse_period

PHENOMENA = ("homelessness", "mental_health", "substances_and_addictions", "economic_situation")
LABELS = {"homelessness": "Asunnottomuus", "mental_health": "Mielenterveys",
          "substances_and_addictions": "Päihteet ja riippuvuudet",
          "economic_situation": "Taloudellinen tilanne ja toimeentulo", "none": "Ei valtakunnallista ilmiötä"}
NAMES = {"13": "Pohjois-Savon hyvinvointialue", "12": "Etelä-Savon hyvinvointialue",
         "19": "Pohjois-Pohjanmaan hyvinvointialue", "20": "Kainuun hyvinvointialue"}
AREAS = {"13": "2", "12": "2", "19": "5", "20": "5"}
H2, H1 = "2025-H2", "2026-H1"

Counts = tuple[int | None, ...]
"""homelessness, mental_health, substances_and_addictions, economic_situation; None: hidden."""

FIGURES: dict[tuple[str, str], dict[str, Any]] = {
    ("13", H2): {"reports": 40, "none": 3, "counts": (10, 20, 5, 8),
                 "parts": {"297": ("Kuopio", (7, 14, 5, 6)), "915": ("Varkaus", (5, 6, None, None))}},
    ("13", H1): {"reports": 44, "none": 2, "counts": (14, 18, 7, 9),
                 "parts": {"297": ("Kuopio", (9, 12, 5, 6)), "915": ("Varkaus", (None, 6, None, 3))}},
    ("12", H2): {"reports": 20, "none": 1, "counts": (4, 9, 6, 5), "parts": {}},
    ("12", H1): {"reports": 25, "none": 1, "counts": (6, 11, 5, 7), "parts": {}},
    ("19", H2): {"reports": 70, "none": 4, "counts": (20, 30, 12, 15), "parts": {}},
    ("19", H1): {"reports": 75, "none": 5, "counts": (22, None, 10, 16), "parts": {}},
    ("20", H2): {"reports": 12, "none": 0, "counts": (3, 6, 2, 4), "parts": {}},
}
SYNTHETIC = {"12"}
UNREACHABLE = "20"
LAST_GOOD = datetime(2026, 1, 15, 8, tzinfo=timezone.utc)


def _rows(counts: Counts, none: int | None) -> list[dict[str, Any]]:
    rows = []
    for code, count in [*zip(PHENOMENA, counts), ("none", none)]:
        rows.append({"code": code, "label": LABELS[code], "count": count, **({"suppressed": True} if count is None else {})})
    return rows


def document(county: str, period: str, figures: dict[str, Any]) -> dict[str, Any]:
    """A national export of format 3 carrying the figures (the dimensions the views do not read are empty)."""
    half = parse_period(period)
    empty = {"theme": [], "phenomenon": [], "nature": [], "significance": []}
    return {
        "format": "sora-national-export", "format_version": 3,
        "county": {"code": county, "name": NAMES[county]},
        "period": {"code": period, "first_day": half.first_day.isoformat(), "last_day": half.last_day.isoformat()},
        "source": "published_compilation", "published_at": "2026-02-01T10:00:00+00:00",
        "generated_at": "2026-02-01T10:00:00+00:00", "disclosure": {"threshold": 5},
        "national_phenomena": {"version": 1, "coding": "confirmed"},
        "reports": figures["reports"], "whole_county_reports": None,
        "counts": {"national_phenomenon": _rows(figures["counts"], figures["none"]), **empty, "municipality": [],
                   "population_group": [], "profession_group": [], "escalation_level": [], "forum": []},
        "processing": {step: {"count": None, "median_days": None} for step in ("first_handling", "feedback", "resolution")}
        | {"not_handled": None, "open": None},
        "municipalities": [{"code": code, "name": name, "reports": sum(c or 0 for c in counts), "own_reports": None,
                            "counts": {"national_phenomenon": _rows(counts, 0), **empty}}
                           for code, (name, counts) in figures["parts"].items()],
    }


def documents() -> dict[tuple[str, str], dict[str, Any]]:
    return {key: document(*key, figures) for key, figures in FIGURES.items()}


def harvest() -> None:
    """Insert the current exports, the sources (Kainuu's failing) and a few population figures; commits."""
    for (county, period), doc in documents().items():
        data = json.dumps(doc, sort_keys=True).encode()
        db.session.add(HarvestedExport(
            county_code=county, county_name=NAMES[county], collaborative_area_code=AREAS[county], period=period,
            format_version=3, published_at=datetime(2026, 2, 1, 10, tzinfo=timezone.utc),
            harvested_at=LAST_GOOD if county == UNREACHABLE else datetime(2026, 7, 20, 6, tzinfo=timezone.utc),
            source=f"https://sora-{county}.example/results/open-data/{period}.json",
            sha256=hashlib.sha256(data).hexdigest(), synthetic=county in SYNTHETIC, current=True, document=doc))
    for county in NAMES:
        failing = county == UNREACHABLE
        db.session.add(HarvestSource(
            county_code=county, index_url=f"https://sora-{county}.example/results/open-data/index.json",
            last_attempt_at=datetime(2026, 7, 20, 6, tzinfo=timezone.utc),
            last_success_at=LAST_GOOD if failing else datetime(2026, 7, 20, 6, tzinfo=timezone.utc),
            last_error="Yhteys aikakatkaistiin (30 s)." if failing else None))
    for kind, code, residents in (("county", "13", 248_000), ("county", "12", 131_000),
                                  ("municipality", "297", 125_000), ("municipality", "915", 20_000)):
        db.session.add(PopulationFigure(area_kind=kind, area_code=code, year=2025, residents=residents))
    db.session.commit()
