"""JSON API v1 for the county's intranet and other clients: choices, filing, tracking, and the statistics export."""
from __future__ import annotations

import datetime
from typing import Any

from flask import Blueprint, Response, abort, after_this_request, current_app, jsonify, request
from werkzeug.http import http_date
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.codes import Nature, Phenomenon, PopulationGroup, ProfessionGroup, ReportStatus, Significance

from app.forms.reports import AnswerForm, ReportForm
from app.models import ApiToken, Report
from app.views.reports import not_found_message
from app.workflow.admin import api_tokens, site_settings
from app.workflow.auth import guard, token_guard, tracking_guard
from app.workflow.cases.deadlines import Deadline, due_at, is_pending
from app.workflow.cases.operations import answer_question, held_answer_of
from app.workflow.compilations.periods import InvalidPeriod, parse_period
from app.workflow.core.anonymity import HELSINKI
from app.workflow.phenomena import coding
from app.workflow.reports import catalog
from app.workflow.reports.filing import file_report
from app.workflow.reports.lookup import find_by_tracking_code
from app.workflow.welfare import national_export

bp = Blueprint("api", __name__, url_prefix="/api/v1")

LIST_FIELDS = ("themes", "national_phenomena", "municipalities")
BOOLEAN_FIELDS = ("available_to_help", "made_by_team", "with_client")


def _coded(choices: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in choices]


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The API's OpenAPI 3.1 description, for generating clients and for contract tests."""
    from app.openapi import description

    return jsonify(description(request.script_root + bp.url_prefix))


@bp.get("/choices")
def choices() -> ResponseReturnValue:
    return jsonify(
        units=[
            {
                "code": unit.code,
                "label": unit.name,
                "division": unit.division.name if unit.division else None,
                "municipality": unit.municipality.code if unit.municipality else None,
            }
            for unit in catalog.active_units()
        ],
        municipalities=[{"code": m.code, "label": m.name} for m in catalog.municipalities()],
        phenomena=_coded(Phenomenon.choices()),
        natures=_coded(Nature.choices()),
        themes=[{"code": t.code, "label": t.label} for t in catalog.active_themes()],
        national_phenomena=[{"code": p.code, "label": p.label, "explanation": p.explanation}
                            for p in coding.offered_phenomena()],
        national_phenomena_version=coding.classification_version(),
        population_groups=_coded(PopulationGroup.choices()),
        profession_groups=_coded(ProfessionGroup.choices()),
        significance=[{"code": int(code), "label": str(label)} for code, label in Significance.choices()],
    )


TEXT_FIELDS = ("unit", "profession_group", "nature", "phenomenon", "population_group", "description",
               "proposed_actions", "reporter_name", "reporter_email")
TYPE_MESSAGES = {
    "text": "Arvon pitää olla merkkijono.",
    "list": "Arvon pitää olla luettelo koodeja (merkkijonoja).",
    "boolean": "Arvon pitää olla true tai false.",
    "integer": "Arvon pitää olla kokonaisluku 1–4.",
    "unknown": "Tuntematon kenttä.",
}


def _as_formdata(body: dict[str, Any]) -> tuple[MultiDict[str, str], dict[str, list[str]]]:
    """The JSON body in the shape the web form posts, so both go through the same validation.

    Values of the wrong JSON type are reported, never converted, so nothing is stored other than sent.
    """
    data: MultiDict[str, str] = MultiDict()
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        if value is None:
            continue
        if key in TEXT_FIELDS:
            kind = "text" if isinstance(value, str) else None
            if kind:
                data.add(key, value)
        elif key in LIST_FIELDS:
            kind = "list" if isinstance(value, list) and all(isinstance(item, str) for item in value) else None
            if kind:
                for item in value:
                    data.add(key, item)
        elif key in (*BOOLEAN_FIELDS, "whole_county"):
            kind = "boolean" if isinstance(value, bool) else None
            if kind and key == "whole_county":
                if value:
                    data.add(key, "y")
            elif kind:
                data.add(key, "yes" if value else "no")
        elif key == "significance":
            kind = "integer" if isinstance(value, int) and not isinstance(value, bool) else None
            if kind:
                data.add(key, str(value))
        else:
            errors[key] = [TYPE_MESSAGES["unknown"]]
            continue
        if kind is None:
            expected = ("text" if key in TEXT_FIELDS else "list" if key in LIST_FIELDS
                        else "integer" if key == "significance" else "boolean")
            errors[key] = [TYPE_MESSAGES[expected]]
    return data, errors


def _field_errors(form: FlaskForm) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _invalid_body() -> ResponseReturnValue:
    return jsonify(error="Bad Request", message="Pyynnön runko ei ole JSON-objekti.", fields={}), 400


@bp.post("/reports")
def create_report() -> ResponseReturnValue:
    if not guard.admit_filing().allowed:
        abort(429)
    body = _json_body()
    if body is None:
        return _invalid_body()
    formdata, type_errors = _as_formdata(body)
    form = ReportForm(formdata=formdata, meta={"csrf": False})
    valid = form.validate()
    if type_errors or not valid:
        return jsonify(error="Bad Request", message="Tarkista kentät.", fields={**_field_errors(form), **type_errors}), 400
    filed = file_report(form.to_input(), author=None)
    # nothing more after filing: the lifecycle commits as this returns, and the year's number counter stays
    # locked until the commit
    return jsonify(number=filed.number, tracking_code=filed.tracking_code, status=ReportStatus.RECEIVED.value), 201


def report_for_reporter(report: Report) -> dict[str, Any]:
    """What the holder of the tracking code may see: never internal notes or the reporter's identity."""
    return {
        "number": report.number,
        "created_at": report.created_at.isoformat(),
        "status": {"code": report.status.value, "label": report.status.label},
        "escalation_level": {"code": report.escalation_level.value, "label": report.escalation_level.label},
        "forum": report.forum.name if report.forum else None,
        "deadlines": {
            deadline.value: {"due_at": due_at(report, deadline).isoformat(), "pending": is_pending(report, deadline)}
            for deadline in Deadline
        },
        "open_question": (
            {"at": report.open_question.created_at.isoformat(), "text": report.open_question.note}
            if report.open_question else None
        ),
        "answer_sent": (
            {"on": sent.day.astimezone(HELSINKI).date().isoformat(), "text": sent.text}
            if (sent := held_answer_of(report)) is not None else None
        ),
        "timeline": [
            {
                "at": event.created_at.isoformat(),
                "kind": event.kind.value,
                "label": event.kind.label,
                "status": event.to_status.value if event.to_status else None,
                "forum": event.forum.name if event.forum else None,
                "note": event.note,
            }
            for event in report.public_events
        ],
    }


# The tracking code is `tracking_code` in every request and answer. Until this day track and answer also
# take the old name `code` (answered with Deprecation and Sunset headers); after it, `code` is unknown.
OLD_CODE_FIELD_SUNSET = datetime.date(2027, 6, 30)


def _tracking_code(body: dict[str, Any]) -> tuple[str, bool]:
    """The body's tracking code and whether it came under the old name `code`."""
    if body.get("tracking_code") is not None or datetime.date.today() > OLD_CODE_FIELD_SUNSET:
        return str(body.get("tracking_code") or ""), False
    return str(body.get("code") or ""), body.get("code") is not None


def _mark_deprecated(response: Response) -> Response:
    response.headers["Deprecation"] = "true"
    response.headers["Sunset"] = http_date(datetime.datetime.combine(OLD_CODE_FIELD_SUNSET, datetime.time(23, 59, 59), datetime.UTC))
    response.headers["Warning"] = '299 - "Field code is deprecated: send tracking_code"'
    return response


def _tracked_report(body: dict[str, Any]) -> Report | ResponseReturnValue:
    """The report for the body's number and tracking code, or the error response to give instead."""
    number, (code, old_name) = str(body.get("number") or ""), _tracking_code(body)
    if old_name:
        after_this_request(_mark_deprecated)  # the answer, whatever it is, tells the client to move on
    verdict = tracking_guard.admit()
    if not verdict.allowed:
        response = jsonify(error="Too Many Requests", message=guard.refusal_message(verdict),
                           retry_after=verdict.retry_after)
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response, 429
    report = find_by_tracking_code(number, code)
    if report is None:
        tracking_guard.record_failure(number)
        return jsonify(error="Not Found", message=not_found_message()), 404
    return report


@bp.post("/reports/track")
def track_report() -> ResponseReturnValue:
    body = _json_body()
    if body is None:
        return _invalid_body()
    report = _tracked_report(body)
    if not isinstance(report, Report):
        return report
    return jsonify(report_for_reporter(report))


@bp.post("/reports/answer")
def answer_report() -> ResponseReturnValue:
    body = _json_body()
    if body is None:
        return _invalid_body()
    report = _tracked_report(body)
    if not isinstance(report, Report):
        return report
    form = AnswerForm(formdata=MultiDict({"answer": str(body.get("text") or "")}), meta={"csrf": False})
    if not form.validate():
        return jsonify(error="Bad Request", message="Tarkista vastaus.", fields={"text": _field_errors(form)["answer"]}), 400
    answer_question(report, form.answer.data)  # refused: {"error": "Conflict", "message": …}, 409 (lifecycle)
    return jsonify(report_for_reporter(report))


@bp.get("/statistics")
def statistics() -> ResponseReturnValue:
    """The national export of a published half-year, for clients holding a token the administrator gave.

    `?period=2026-H1&format=json|csv`; 401 without a valid token, 404 for a half-year not published,
    429 after too many wrong tokens from one client (API_TOKEN_FAILURE_LIMIT).
    """
    verdict = token_guard.admit()
    if not verdict.allowed:
        response = jsonify(error="Too Many Requests", message=guard.refusal_message(verdict),
                           retry_after=verdict.retry_after)
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response, 429
    token = api_tokens.authenticate(request.headers.get("Authorization"))
    if token is None:
        token_guard.record_failure()
        response = jsonify(error="Unauthorized",
                           message="Anna voimassa oleva API-avain otsakkeessa Authorization: Bearer <avain>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="sora"'
        return response, 401
    return _statistics_answer(token)  # the lifecycle commits the token's last use, and the audit entry of an export


def _statistics_answer(token: ApiToken) -> ResponseReturnValue:
    kind = request.args.get("format", "json").strip().lower()
    if kind not in national_export.RENDERERS:
        return jsonify(error="Bad Request", message="Muoto (format) on json tai csv."), 400
    try:
        period = parse_period(request.args.get("period", ""))
        export = national_export.build_export(period, *site_settings.county_for_export())
    except InvalidPeriod:
        return jsonify(error="Bad Request", message="Anna puolivuotiskausi muodossa period=2026-H1.",
                       periods=national_export.published_periods()), 400
    except national_export.NotPublished:
        return jsonify(error="Not Found", message=f"Kauden {period.code} koostetta ei ole julkaistu.",
                       periods=national_export.published_periods()), 404
    national_export.record_export(period, kind, token=token)
    return Response(national_export.RENDERERS[kind](export), mimetype=national_export.MEDIA[kind])
