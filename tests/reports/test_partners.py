"""The partners' channel: a partner files, tracks and answers; the channel is off until switched on,
routed to the node chosen, anonymous as for staff, rate-limited, and counted apart in the compilation."""
from __future__ import annotations

import re

import sqlalchemy as sa
from helpers import csrf_token, file_via_form, login, release_all, valid_report

from app.codes import AuditAction, Channel, NotificationKind, PartnerType
from app.extensions import db
from app.models import AuditEntry, Notification, Report
from app.workflow.compilations.content import build_content
from app.workflow.compilations.periods import period_of

PARTNER_FORM = "/partners/report"


def switch_on(client, org, *, residents: bool = False):  # type: ignore[no-untyped-def]
    login(client, org["admin"].email)
    data = {"csrf_token": csrf_token(client, "/admin/partners"), "enabled": "y", "handling_node": org["area"].code}
    if residents:
        data["residents"] = "y"
    assert client.post("/admin/partners", data=data).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/guidance")})


def partner_report(client, **overrides):  # type: ignore[no-untyped-def]
    data = valid_report(**{"partner_type": "police", **overrides})
    del data["unit"], data["profession_group"]
    data["csrf_token"] = csrf_token(client, PARTNER_FORM)
    return client.post(PARTNER_FORM, data=data)


def receipt_of(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return (re.search(r'id="report-number">([^<]+)<', html).group(1),
            re.search(r'id="tracking-code">([^<]+)<', html).group(1))


def test_the_channel_is_off_until_the_county_switches_it_on(app, client, org):
    assert client.get(PARTNER_FORM).status_code == 404
    admin = app.test_client()
    login(admin, org["admin"].email)
    refused = admin.post("/admin/partners", data={"csrf_token": csrf_token(admin, "/admin/partners"), "enabled": "y"})
    assert refused.status_code == 400 and "kuka käsittelee" in refused.get_data(as_text=True)
    switch_on(admin, org)
    page = client.get(PARTNER_FORM).get_data(as_text=True)
    assert "Poliisi" in page and "Seurakunta" in page and "Kela" in page
    assert 'name="unit"' not in page and 'value="resident"' not in page, "no work unit; residents only if allowed"


def test_a_partner_files_anonymously_tracks_and_answers(app, client, org):
    switch_on(app.test_client(), org)
    number, code = receipt_of(partner_report(client))
    release_all()
    report = db.session.scalar(sa.select(Report).where(Report.number == number))
    assert report.channel == Channel.PARTNER and report.partner_type == PartnerType.POLICE
    assert report.handling_node_id == org["area"].id and report.unit_id == org["area"].id
    assert report.is_anonymous and report.author_id is None and report.reporter_name is None
    assert not db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == AuditAction.REPORT_FILED)), "an anonymous filing is not logged"
    release_all()
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == NotificationKind.FOR_ACTION)))
    assert told == {org["handler"].id}

    handler = app.test_client()
    login(handler, org["handler"].email)
    case = handler.get(f"/cases/{number}").get_data(as_text=True)
    assert "Yhteistyökumppanit: Poliisi" in case
    page = handler.get(f"/cases/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    asked = handler.post(f"/cases/{number}/ask_reporter", data={
        "csrf_token": csrf_token(handler, f"/cases/{number}"), "version": version,
        "note": "Kuinka monessa tehtävässä tämä toistui?"})
    assert asked.status_code == 302

    tracked = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "number": number, "code": code},
                          follow_redirects=True)
    html = tracked.get_data(as_text=True)
    assert tracked.status_code == 200 and "Kuinka monessa tehtävässä" in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    answered = client.post("/track/answer", data={"csrf_token": token, "number": number, "code": code,
                                                  "answer": "Viime kuussa kolmessa."}, follow_redirects=True)
    assert answered.status_code == 200
    release_all()
    db.session.expire_all()
    assert db.session.get(Report, report.id).unread_answer


def test_a_partner_reaches_no_staff_page(app, client, org):
    switch_on(app.test_client(), org)
    number, _ = receipt_of(partner_report(client))
    for path in ("/cases/", f"/cases/{number}", "/compilations/", "/admin/", "/my-reports"):
        response = client.get(path)
        assert response.status_code in (302, 401, 403, 404) and "/login" in response.headers.get("Location", "/login"), path


def test_residents_report_only_when_allowed(app, client, org):
    switch_on(app.test_client(), org)
    assert partner_report(client, partner_type="resident").status_code == 400
    switch_on(app.test_client(), org, residents=True)
    assert 'value="resident"' in client.get(PARTNER_FORM).get_data(as_text=True)
    number, _ = receipt_of(partner_report(client, partner_type="resident"))
    release_all()
    assert db.session.scalar(sa.select(Report.partner_type).where(Report.number == number)) == PartnerType.RESIDENT


def test_the_partners_form_is_rate_limited(app, client, org):
    switch_on(app.test_client(), org)
    app.config["PARTNER_FILING_RATE_LIMIT"] = "2 per minute"
    try:
        assert partner_report(client).status_code == 200
        assert partner_report(client).status_code == 200
        assert partner_report(client).status_code == 429
        assert file_via_form(client).status_code == 200, "the staff form has its own limit"
    finally:
        app.config["PARTNER_FILING_RATE_LIMIT"] = "1000 per minute"


def test_the_compilation_counts_partners_apart(app, client, org):
    switch_on(app.test_client(), org)
    file_via_form(client)
    partner_report(client)
    partner_report(client, partner_type="ngo")
    release_all()
    report = db.session.scalar(sa.select(Report).where(Report.channel == Channel.PARTNER))
    content = build_content(period_of(report.created_at))
    breakdowns = {b["key"]: {row["code"]: row["count"] for row in b["rows"]} for b in content["breakdowns"]}
    assert breakdowns["channel"] == {"staff": 1, "police": 1, "ngo": 1}
    assert breakdowns["unit"]["partners"] == 2 and breakdowns["unit"]["U-KUO"] == 1
