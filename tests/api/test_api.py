"""JSON API v1: the same filing and tracking as the web, for the intranet and other clients."""
from __future__ import annotations

import sqlalchemy as sa
from helpers import api_report, release_all

from app.codes import EventKind
from app.extensions import db
from app.models import Report, ReportEvent


def test_choices_list_every_code_with_finnish_labels(client, unit):
    data = client.get("/api/v1/choices").get_json()
    assert data["units"] == [{"code": "U-KUO", "label": "Aikuissosiaalityö, Kuopio",
                              "division": "Perhe- ja sosiaalipalvelut", "municipality": "297"}]
    assert len(data["municipalities"]) == 19
    assert {"code": "915", "label": "Varkaus"} in data["municipalities"]
    assert len(data["phenomena"]) == 10 and {"code": "social_problems", "label": "Sosiaaliset ongelmat"} in data["phenomena"]
    assert [n["code"] for n in data["natures"]] == ["positive", "negative", "other"]
    housing = next(t for t in data["themes"] if t["code"] == "housing")
    assert housing == {"code": "housing", "label": "Asuminen"}, "no theme implies a national phenomenon"
    assert [p["code"] for p in data["national_phenomena"]] == ["homelessness", "mental_health",
                                                              "substances_and_addictions", "economic_situation"]
    assert data["national_phenomena"][0]["explanation"].startswith("Asunnon puute")
    assert data["national_phenomena_version"] == 1
    assert len(data["themes"]) == 14
    assert [p["code"] for p in data["population_groups"]] == ["children", "young_people", "working_age", "older_people", "other"]
    assert [p["code"] for p in data["profession_groups"]] == ["social_welfare", "health_care", "other"]
    assert [s["code"] for s in data["significance"]] == [1, 2, 3, 4]


def test_file_and_track_through_the_api(client, unit):
    created = client.post("/api/v1/reports", json=api_report())
    assert created.status_code == 201
    body = created.get_json()
    assert body["number"].startswith("SR-") and body["status"] == "received"
    release_all()
    report = db.session.scalar(sa.select(Report))
    assert report.number == body["number"] and report.available_to_help is True
    assert {t.code for t in report.themes} == {"housing", "income"}

    report.events.append(ReportEvent(kind=EventKind.NOTE, note="Julkinen etenemistieto", is_public=True))
    report.events.append(ReportEvent(kind=EventKind.NOTE, note="Sisäinen muistiinpano", is_public=False))
    db.session.commit()

    tracked = client.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": body["tracking_code"]})
    assert tracked.status_code == 200
    status = tracked.get_json()
    assert status["status"] == {"code": "received", "label": "Vastaanotettu"}
    assert status["escalation_level"]["code"] == "unit"
    assert status["deadlines"] == {
        "first_handling": {"due_at": report.first_handling_due_at.isoformat(), "pending": True},
        "feedback": {"due_at": report.feedback_due_at.isoformat(), "pending": True},
    }
    notes = [event["note"] for event in status["timeline"]]
    assert "Julkinen etenemistieto" in notes and "Sisäinen muistiinpano" not in notes
    assert "reporter_name" not in status and "description" not in tracked.get_data(as_text=True)


def test_bad_report_gets_400_with_field_errors_and_saves_nothing(client, unit):
    response = client.post(
        "/api/v1/reports",
        json=api_report(unit="NOPE", phenomenon="", description="Tunnus 131052-308T", significance=9),
    )
    assert response.status_code == 400
    fields = response.get_json()["fields"]
    assert set(fields) == {"unit", "phenomenon", "description", "significance"}
    assert "henkilötunnus" in fields["description"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0


def test_body_must_be_a_json_object(client, unit):
    for payload in ({"data": "not json", "content_type": "text/plain"}, {"json": ["a", "list"]}):
        response = client.post("/api/v1/reports", **payload)
        assert response.status_code == 400
        assert response.get_json()["error"] == "Bad Request"


def test_track_mismatch_is_one_neutral_404(client, unit):
    body = client.post("/api/v1/reports", json=api_report()).get_json()
    answers = [
        client.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": "AAAAA-AAAAA-AAAAA-AAAAA"}),
        client.post("/api/v1/reports/track", json={"number": "SR-2026-99999", "tracking_code": body["tracking_code"]}),
        client.post("/api/v1/reports/track", json={}),
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert len({a.get_data() for a in answers}) == 1


def test_tracking_is_post_only_so_codes_stay_out_of_urls(client):
    assert client.get("/api/v1/reports/track?number=SR-2026-00001&code=X").status_code == 405


def test_api_is_refused_after_repeated_failures(app, client, unit, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKING_ATTEMPT_LIMIT", "2 per 15 minutes")
    body = client.post("/api/v1/reports", json=api_report()).get_json()
    for _ in range(2):
        client.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": "AAAAA-AAAAA-AAAAA-AAAAA"})
    refused = client.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": body["tracking_code"]})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_wrongly_typed_values_are_refused_not_converted(client, unit):
    body = api_report()
    body.update({"whole_county": "true", "themes": "housing", "significance": "3", "made_by_team": 1,
                 "description": ["lista"], "extra": "x"})
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 400
    fields = response.get_json()["fields"]
    assert set(fields) >= {"whole_county", "themes", "significance", "made_by_team", "description", "extra"}
    assert fields["extra"] == ["Tuntematon kenttä."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0


def test_an_answer_without_an_open_question_is_a_json_conflict_and_saves_nothing(client, unit):
    body = client.post("/api/v1/reports", json=api_report()).get_json()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(ReportEvent))
    refused = client.post("/api/v1/reports/answer", json={"number": body["number"], "tracking_code": body["tracking_code"],
                                                           "text": "Vastaus"})
    assert refused.status_code == 409
    assert refused.get_json() == {"error": "Conflict", "message": "Raportissa ei ole avointa kysymystä."}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportEvent)) == events


def test_the_tracking_code_has_one_name_and_the_old_one_works_until_its_sunset(client, unit, monkeypatch):
    """Filing answers `tracking_code`; a client that sends it back under that name is answered, and the
    old request name `code` still works, marked deprecated, until the sunset day named in the README."""
    import datetime

    from app.views import api

    body = client.post("/api/v1/reports", json=api_report()).get_json()
    assert set(body) == {"number", "status", "tracking_code"}
    current = client.post("/api/v1/reports/track", json={"number": body["number"], "tracking_code": body["tracking_code"]})
    assert current.status_code == 200 and "Deprecation" not in current.headers
    old = client.post("/api/v1/reports/track", json={"number": body["number"], "code": body["tracking_code"]})
    assert old.status_code == 200 and old.get_json() == current.get_json()
    assert old.headers["Deprecation"] == "true" and old.headers["Sunset"].endswith("2027 23:59:59 GMT")
    wrong = client.post("/api/v1/reports/answer", json={"number": body["number"], "code": "AAAAA-AAAAA-AAAAA-AAAAA",
                                                         "text": "x"})
    assert wrong.status_code == 404 and wrong.headers["Deprecation"] == "true"

    monkeypatch.setattr(api, "OLD_CODE_FIELD_SUNSET", datetime.date.today() - datetime.timedelta(days=1))
    after = client.post("/api/v1/reports/track", json={"number": body["number"], "code": body["tracking_code"]})
    assert after.status_code == 404
