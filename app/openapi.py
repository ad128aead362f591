"""The JSON API's machine-readable description (OpenAPI 3.1), served at /api/v1/openapi.json.

Built from the same code lists the API answers with, so a new phenomenon or status is described the
moment it exists. tests/api/test_openapi.py runs schemathesis against the app from this description.
"""
from __future__ import annotations

from typing import Any

from app.codes import (
    EscalationLevel,
    EventKind,
    Nature,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
    Significance,
)
from app.workflow.cases.deadlines import Deadline

VERSION = "1.0.0"


def _codes(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}, **extra}


def _error(description: str, **extra: Any) -> dict[str, Any]:
    return _json(_ref("Error"), description, **extra)


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.",
                               "schema": {"type": "string"}}}
COMMON = {
    "429": _error("Too many requests from this address: wait and try again."),
    "503": _error("The database cannot be reached: try again in a few minutes.", headers=RETRY_AFTER),
}


def _coded(codes: list[str]) -> dict[str, Any]:
    return {"type": "object", "required": ["code", "label"], "properties": {
        "code": {"type": "string", "enum": codes}, "label": {"type": "string"}}}


def _choice_list(codes: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": _coded(codes)}


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "Error": {
            "type": "object", "required": ["error", "message"],
            "properties": {
                "error": text, "message": text,
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": text},
                           "description": "Messages per field of the body that was refused."},
                "periods": {"type": "array", "items": text, "description": "The published half-years."},
            },
        },
        "Choices": {
            "type": "object",
            "required": ["units", "municipalities", "phenomena", "natures", "themes", "national_phenomena",
                         "population_groups", "profession_groups", "significance"],
            "properties": {
                "units": {"type": "array", "items": {
                    "type": "object", "required": ["code", "label", "division", "municipality"],
                    "properties": {"code": text, "label": text, "division": {"type": ["string", "null"]},
                                   "municipality": {"type": ["string", "null"],
                                                    "description": "Statistics Finland's municipality number."}}}},
                "municipalities": {"type": "array", "items": {
                    "type": "object", "required": ["code", "label"],
                    "properties": {"code": {"type": "string", "pattern": "^[0-9]{3}$"}, "label": text}}},
                "phenomena": _choice_list(_codes(Phenomenon)),
                "natures": _choice_list(_codes(Nature)),
                "themes": {"type": "array", "description": "The data-need themes of THL working paper 16/2022 "
                           "(table 3); no theme implies a national phenomenon.", "items": {
                    "type": "object", "required": ["code", "label"],
                    "properties": {"code": text, "label": text}}},
                "national_phenomena": {"type": "array", "description": "THL's national phenomena of the current "
                                       "classification version, each with the form's one-line explanation.", "items": {
                    "type": "object", "required": ["code", "label", "explanation"],
                    "properties": {"code": text, "label": text, "explanation": text}}},
                "national_phenomena_version": {"type": "integer", "minimum": 1,
                                               "description": "The version of the national phenomena's classification."},
                "population_groups": _choice_list(_codes(PopulationGroup)),
                "profession_groups": _choice_list(_codes(ProfessionGroup)),
                "significance": {"type": "array", "items": {
                    "type": "object", "required": ["code", "label"],
                    "properties": {"code": {"type": "integer", "enum": [int(s.value) for s in Significance]},
                                   "label": text}}},
            },
        },
        "NewReport": {
            "type": "object", "additionalProperties": False, "required": ["unit", "nature", "phenomenon", "description"],
            "description": "Codes from /choices. With reporter_name and reporter_email empty the report is anonymous.",
            "properties": {
                "unit": text,
                "profession_group": {"type": ["string", "null"], "enum": [*_codes(ProfessionGroup), None]},
                "nature": {"type": "string", "enum": _codes(Nature)},
                "phenomenon": {"type": "string", "enum": _codes(Phenomenon)},
                "themes": {"type": ["array", "null"], "items": text},
                "national_phenomena": {"type": ["array", "null"], "items": text,
                                       "description": "The reporter's suggestion; a handler confirms or corrects it."},
                "population_group": {"type": ["string", "null"], "enum": [*_codes(PopulationGroup), None]},
                "municipalities": {"type": ["array", "null"], "items": text},
                "whole_county": {"type": ["boolean", "null"]},
                "significance": {"type": ["integer", "null"], "enum": [*[int(s.value) for s in Significance], None]},
                "description": text,
                "proposed_actions": {"type": ["string", "null"]},
                "available_to_help": {"type": ["boolean", "null"]},
                "made_by_team": {"type": ["boolean", "null"]},
                "with_client": {"type": ["boolean", "null"]},
                "reporter_name": {"type": ["string", "null"]},
                "reporter_email": {"type": ["string", "null"]},
            },
        },
        "Filed": {
            "type": "object", "required": ["number", "tracking_code", "status"],
            "properties": {"number": text, "tracking_code": {"type": "string",
                                                             "description": "Shown once: SoRa keeps only its hash."},
                           "status": {"type": "string", "enum": _codes(ReportStatus)}},
        },
        "Tracking": {
            "type": "object", "required": ["number", "tracking_code"],
            "properties": {"number": {"type": "string", "example": "SR-2026-00001"},
                           "tracking_code": {"type": "string", "example": "ABCDE-FGHJK-LMNPQ-RSTUV"},
                           "code": {"type": "string", "deprecated": True,
                                    "description": "The old name of tracking_code, accepted until 30.6.2027 "
                                                   "(the answer then carries Deprecation and Sunset headers)."}},
        },
        "Answer": {
            "type": "object", "required": ["number", "tracking_code", "text"],
            "properties": {"number": text, "tracking_code": text, "text": text,
                           "code": {"type": "string", "deprecated": True,
                                    "description": "The old name of tracking_code, accepted until 30.6.2027."}},
        },
        "TrackedReport": {
            "type": "object",
            "required": ["number", "created_at", "status", "escalation_level", "forum", "deadlines", "open_question",
                         "answer_sent", "timeline"],
            "properties": {
                "number": text,
                "created_at": {"type": "string", "description": "The day it was filed (anonymous: no finer)."},
                "status": _coded(_codes(ReportStatus)),
                "escalation_level": _coded(_codes(EscalationLevel)),
                "forum": {"type": ["string", "null"]},
                "deadlines": {"type": "object", "properties": {
                    deadline.value: {"type": "object", "required": ["due_at", "pending"],
                                     "properties": {"due_at": text, "pending": {"type": "boolean"}}}
                    for deadline in Deadline}},
                "open_question": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["at", "text"], "properties": {"at": text, "text": text}}]},
                "answer_sent": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["on", "text"], "properties": {"on": text, "text": text},
                    "description": "An anonymous reporter's answer that reaches the handlers at the night's release."}]},
                "timeline": {"type": "array", "items": {
                    "type": "object", "required": ["at", "kind", "label", "status", "forum", "note"],
                    "properties": {"at": text, "kind": {"type": "string", "enum": _codes(EventKind)}, "label": text,
                                   "status": {"type": ["string", "null"]}, "forum": {"type": ["string", "null"]},
                                   "note": {"type": ["string", "null"]}}}},
            },
        },
    }


def description(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document of API v1; `server_url` is where the API is served."""
    tracking_answers = {
        "200": _json(_ref("TrackedReport"), "The report as its reporter may see it: public notes only."),
        "400": _error("The body is not a JSON object, or a field is invalid."),
        "404": _error("No report with this number and code (the same answer for any mismatch)."),
        **COMMON,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SoRa API",
            "version": VERSION,
            "summary": "Social reporting: the form's choices, filing, tracking and the statistics export.",
            "description": "No login and no cookies: CSRF does not apply. Filing and tracking are rate-limited per "
                           "address. Messages are in Finnish. Field codes are the stable codes of /choices.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This description.",
                "responses": {"200": {"description": "OpenAPI 3.1.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              "503": COMMON["503"]}}},
            "/choices": {"get": {
                "operationId": "choices", "summary": "The form's choices: units, municipalities, themes, codes.",
                "responses": {"200": _json(_ref("Choices"), "The current choices."), "503": COMMON["503"]}}},
            "/reports": {"post": {
                "operationId": "fileReport", "summary": "File a report.",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("NewReport")}}},
                "responses": {
                    "201": _json(_ref("Filed"), "Filed: keep the number and the tracking code."),
                    "400": _error("The body is not a JSON object, or fields are invalid (see `fields`)."),
                    **COMMON}}},
            "/reports/track": {"post": {
                "operationId": "trackReport", "summary": "A report's status and public notes by number and code.",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Tracking")}}},
                "responses": tracking_answers}},
            "/reports/answer": {"post": {
                "operationId": "answerQuestion", "summary": "Answer the handler's open question.",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Answer")}}},
                "responses": {**tracking_answers, "409": _error("There is no open question to answer.")}}},
            "/statistics": {"get": {
                "operationId": "statistics", "summary": "The national export of a published half-year.",
                "security": [{"token": []}],
                "parameters": [
                    {"name": "period", "in": "query", "required": True,
                     "schema": {"type": "string", "pattern": "^[0-9]{4}-H[12]$"}, "example": "2026-H1"},
                    {"name": "format", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
                ],
                "responses": {
                    "200": {"description": "The export.",
                            "content": {"application/json": {"schema": {"type": "object"}},
                                        "text/csv": {"schema": {"type": "string"}}}},
                    "400": _error("The period or the format is not valid."),
                    "401": _error("No valid API token.", headers={"WWW-Authenticate": {
                        "description": "Bearer realm=\"sora\"", "schema": {"type": "string"}}}),
                    "404": _error("That half-year's compilation is not published."),
                    "429": _error("Too many wrong or missing tokens from this address: wait (Retry-After) and try "
                                  "again.", headers=RETRY_AFTER),
                    "503": COMMON["503"]}}},
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "An API token the administrator created."}},
        },
    }
