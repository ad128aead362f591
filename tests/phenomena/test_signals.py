"""Weak signals: clusters of similar recent reports that span units or municipalities and no group holds."""
from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import csrf_token, login
from test_similarity import HOME_CARE, HOMELESS_AGAIN, HOMELESS_YOUNG, SCHOOL_BUS

from app.models import utcnow
from app.workflow.phenomena import groups
from app.workflow.phenomena.signals import window_start, weak_signals


def ids(signals) -> list[list[int]]:  # type: ignore[no-untyped-def]
    return [signal.report_ids for signal in signals]


@pytest.fixture
def unlike(org, create_report):  # type: ignore[no-untyped-def]
    """Reports that resemble nothing, so the frequencies are those of a small archive."""
    return [create_report(org["unit"], description=HOME_CARE), create_report(org["other_unit"], description=SCHOOL_BUS)]


def test_similar_reports_of_two_units_are_a_weak_signal(org, create_report, unlike):
    kuopio = create_report(org["unit"], description=HOMELESS_YOUNG)
    varkaus = create_report(org["other_unit"], description=HOMELESS_AGAIN)
    [signal] = weak_signals(org["working_group"])
    assert signal.report_ids == [kuopio.id, varkaus.id]
    assert {"asunnottomuus", "päihdepalvelu"} <= set(signal.shared_words)
    assert set(signal.municipalities) == {"Kuopio", "Varkaus"} and len(signal.units) == 2
    assert signal.suggested_name.startswith(signal.shared_words[0][:1].upper())


def test_similar_reports_of_one_unit_alone_are_not(org, create_report, unlike):
    create_report(org["unit"], description=HOMELESS_YOUNG)
    create_report(org["unit"], description=HOMELESS_AGAIN)
    assert weak_signals(org["working_group"]) == []


def test_one_unit_reporting_for_two_municipalities_spans_them(org, create_report, unlike):
    first = create_report(org["unit"], description=HOMELESS_YOUNG)
    create_report(org["unit"], description=HOMELESS_AGAIN)
    first.municipalities.append(org["other_unit"].municipality)
    assert len(weak_signals(org["working_group"])) == 1


def test_a_report_older_than_three_months_is_left_out(org, create_report, unlike):
    now = utcnow()
    create_report(org["unit"], description=HOMELESS_YOUNG, now=window_start(now) - timedelta(days=2))
    create_report(org["other_unit"], description=HOMELESS_AGAIN, now=now)
    assert weak_signals(org["working_group"], now) == []


def test_reports_a_phenomenon_group_holds_are_left_out(org, create_report, unlike):
    kuopio = create_report(org["unit"], description=HOMELESS_YOUNG)
    create_report(org["other_unit"], description=HOMELESS_AGAIN)
    groups.create_group(org["working_group"], groups.GroupText("Nuorten asunnottomuus"), [kuopio.id])
    assert weak_signals(org["working_group"]) == []


def test_held_reports_are_never_in_a_signal(org, create_report, unlike):
    create_report(org["unit"], description=HOMELESS_YOUNG)
    create_report(org["other_unit"], description=HOMELESS_AGAIN, released=False)
    assert weak_signals(org["social_director"]) == []


def test_the_window_is_three_calendar_months():
    moment = utcnow().replace(year=2026, month=5, day=31)
    assert window_start(moment) == moment.replace(month=2, day=28)
    assert window_start(moment.replace(month=1, day=15)) == moment.replace(year=2025, month=10, day=15)


def test_the_page_is_for_the_working_group_and_the_director_and_names_no_reporter(client, org, create_report, unlike):
    from app.extensions import db

    first = create_report(org["unit"], description=HOMELESS_YOUNG, reporter_name="Maija Meikäläinen",
                          reporter_email="maija@t.example")
    second = create_report(org["other_unit"], description=HOMELESS_AGAIN)
    db.session.commit()
    login(client, "w@t.example")
    page = client.get("/phenomena/signals/").get_data(as_text=True)
    assert first.number in page and second.number in page and "asunnottomuus" in page.lower()
    assert "Maija" not in page and "maija@t.example" not in page
    assert 'href="/phenomena/signals/"' in page  # in the menu
    for email in ("h@t.example", "s@t.example", "e@t.example"):
        other = client.application.test_client()
        login(other, email)
        assert other.get("/phenomena/signals/").status_code == 403
        assert 'href="/phenomena/signals/"' not in other.get("/cases/").get_data(as_text=True)


def test_a_weak_signal_becomes_a_phenomenon_group_in_one_click(client, org, create_report, unlike):
    from app.extensions import db

    create_report(org["unit"], description=HOMELESS_YOUNG)
    create_report(org["other_unit"], description=HOMELESS_AGAIN)
    db.session.commit()
    [signal] = weak_signals(org["working_group"])
    link = group_link_in(client, signal)
    assert link.startswith("/phenomena/groups/new?report=")
    assert all(f"report={report_id}" in link for report_id in signal.report_ids) and "name=" in link
    form = client.get(link).get_data(as_text=True)
    for report_id in signal.report_ids:
        assert f'value="{report_id}" checked' in form or f'value="{report_id}"' in form
    token = csrf_token(client, link)
    response = client.post("/phenomena/groups/new", data={
        "csrf_token": token, "name": signal.suggested_name, "description": "", "observations": "",
        "reports": [str(report_id) for report_id in signal.report_ids]})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.remove()
    assert weak_signals(db.session.merge(org["working_group"])) == []


def group_link_in(client, signal) -> str:  # type: ignore[no-untyped-def]
    """The page's own link for the signal (escaped in the HTML), as a browser would follow it."""
    import html
    import re

    login(client, "w@t.example")
    page = client.get("/phenomena/signals/").get_data(as_text=True)
    links = [html.unescape(href) for href in re.findall(r'href="(/phenomena/groups/new\?[^"]+)"', page)]
    assert len(links) == 1, page
    return links[0]
