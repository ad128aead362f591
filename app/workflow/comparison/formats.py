"""What a harvested national export file must be: JSON of a known format version that passes that version's
JSON Schema; a file of version 2 is converted to the current version, any other is refused.

Other counties may run an older SoRa for a while, so a comparison must read what they publish. Version 2
(docs/national-export-2.schema.json) had no classification version and counted national phenomena derived
from the themes, and lacked the population group, profession group, significance, escalation level, forum
and processing times: converted, those say so (coding "derived_from_themes", version null, empty lists and
null times), so that a view never shows a missing figure as a zero of the county's.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
from flask_babel import gettext as _

from app.config import ROOT
from app.workflow.core.errors import Refusal
from app.workflow.welfare import national_export

SCHEMAS = {2: ROOT / "docs" / "national-export-2.schema.json", 3: ROOT / "docs" / "national-export.schema.json"}
"""Every format version a comparison reads, and its schema; the current one is the open data's own."""
INDEX_FORMAT = "sora-open-data-index"
ADDED_IN_3 = ("population_group", "profession_group", "significance", "escalation_level", "forum")
ADDED_IN_3_FOR_MUNICIPALITIES = ("significance",)


class RefusedFile(Refusal):
    """A file that is not a national export SoRa can read: nothing of it is stored."""

    status_code = 400


@dataclass(frozen=True)
class ReadExport:
    format_version: int
    """The version the file came in."""
    document: dict[str, Any]
    """The export in the current format version."""


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with each local `$ref` replaced by its definition (`allOf` where the ref has siblings): the same
    rules, checked in half the time, since resolving a reference costs more than the check it leads to. The
    export schemas are not recursive."""
    if isinstance(node, list):
        return [_inlined(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _inlined(value, definitions) for key, value in node.items() if key != "$defs"}
    reference = found.pop("$ref", None)
    if reference is None:
        return found
    target = _inlined(definitions[reference.removeprefix("#/$defs/")], definitions)
    return {"allOf": [target], **found} if found else target


@cache
def _validator(version: int) -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMAS[version].read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(_inlined(schema, schema.get("$defs", {})),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RefusedFile(_("Tiedosto ei ole JSON-muotoista tekstiä (UTF-8).")) from None


def read_export(data: bytes) -> ReadExport:
    """The file as a current-format export; RefusedFile with a message the administrator can act on."""
    document = parse_json(data)
    if not isinstance(document, dict) or document.get("format") != national_export.FORMAT:
        raise RefusedFile(_("Tiedosto ei ole SoRan valtakunnallinen vienti (format ”%(format)s”).",
                            format=national_export.FORMAT))
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version not in SCHEMAS:
        raise RefusedFile(_("Vientitiedoston muotoversiota %(version)s ei tueta: tuetut versiot ovat %(known)s.",
                            version=version, known=", ".join(str(v) for v in sorted(SCHEMAS))))
    problem = next(iter(sorted(_validator(version).iter_errors(document), key=lambda e: list(e.absolute_path))),
                   None)
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "/"
        raise RefusedFile(_("Tiedosto ei vastaa muotoversion %(version)s skeemaa: kohdassa %(where)s %(problem)s",
                            version=version, where=where, problem=problem.message[:300]))
    return ReadExport(version, document if version == national_export.FORMAT_VERSION else convert_2_to_3(document))


def convert_2_to_3(document: dict[str, Any]) -> dict[str, Any]:
    """A version 2 export in version 3: what version 2 did not have is marked absent, never zero."""
    converted = copy.deepcopy(document)
    converted["format_version"] = 3
    converted["national_phenomena"] = {"version": None, "coding": "derived_from_themes"}
    for dimension in ADDED_IN_3:
        converted["counts"].setdefault(dimension, [])
    for place in converted["municipalities"]:
        for dimension in ADDED_IN_3_FOR_MUNICIPALITIES:
            place["counts"].setdefault(dimension, [])
    converted["processing"] = {**{step: {"count": None, "median_days": None}
                                  for step in national_export.PROCESSING_STEPS}, "not_handled": None, "open": None}
    return converted


def validate_current(document: dict[str, Any]) -> None:
    """A document made here (converted, or a synthetic one) is held to the current schema as a received one."""
    problem = next(iter(_validator(national_export.FORMAT_VERSION).iter_errors(document)), None)
    if problem is not None:
        raise ValueError(f"{'/'.join(str(p) for p in problem.absolute_path)}: {problem.message}")


@dataclass(frozen=True)
class IndexEntry:
    period: str
    json_url: str


@dataclass(frozen=True)
class ReadIndex:
    county_code: str
    county_name: str
    collaborative_area_code: str | None
    periods: list[IndexEntry]


def read_index(data: bytes) -> ReadIndex:
    """A county's open-data index (`/results/open-data/index.json`): its county and its half-years' JSON files."""
    index = parse_json(data)
    try:
        if index["format"] != INDEX_FORMAT:
            raise KeyError("format")
        county = index["county"]
        area = county.get("collaborative_area") or {}
        periods = [IndexEntry(str(p["period"]), str(p["json"])) for p in index["periods"]]
        return ReadIndex(str(county["code"]), str(county["name"]), str(area["code"]) if area.get("code") else None,
                         periods)
    except (KeyError, TypeError, AttributeError):
        raise RefusedFile(_("Osoitteessa ei ole SoRan avoimen datan hakemistoa (format ”%(format)s”).",
                            format=INDEX_FORMAT)) from None
