"""A text search that finds more than inbox.SEARCH_CAP reports is counted only that far ("yli 1 000"), while
its page stays exactly the newest matches the user may see and its export holds every match.

The cap is made small here (monkeypatch), so a handful of reports goes over it.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from helpers import csrf_token, login

from app.codes import ReportStatus
from app.extensions import db
from app.workflow.cases import inbox
from app.workflow.cases.inbox import InboxFilters, inbox_page
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.core.permissions import can_view

CAP = 3
NBSP = "\u00a0"


@pytest.fixture
def found(org, create_report):  # type: ignore[no-untyped-def]
    """Nine reports that speak of homelessness in both units (filed out of order, two at the same moment)
    and one that does not; three of them in handling."""
    start = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    hours = [5, 1, 8, 3, 3, 0, 7, 2, 6]
    reports = [create_report(org["unit"] if n % 3 else org["other_unit"],
                             description=f"Asunnottomuudesta kertoo raportti {n}.") for n in range(len(hours))]
    other = create_report(org["unit"], description="Kotihoidon käynnit ovat lyhyitä.")
    for report, hour in zip(reports, hours, strict=True):
        report.created_at = start + timedelta(hours=hour)
    other.created_at = start + timedelta(hours=9)
    for report in reports[::3]:
        perform(Action.START_HANDLING, report, org["social_director"])
    db.session.commit()
    return reports


def newest_first(reports, user, status: str = "") -> list[int]:  # type: ignore[no-untyped-def]
    chosen = [r for r in reports if can_view(user, r) and (not status or r.status.value == status)]
    return [r.id for r in sorted(chosen, key=lambda r: (r.created_at, r.id), reverse=True)]


def shown(html: str) -> list[str]:
    return re.findall(r'<a href="/cases/([A-Z]+-\d{4}-A?\d{5})">', html)


@pytest.mark.parametrize("few", [0, inbox.FEW], ids=["walking", "looking-up"])
@pytest.mark.parametrize("who", ["social_director", "handler"])
@pytest.mark.parametrize("status", ["", ReportStatus.RECEIVED.value, ReportStatus.IN_HANDLING.value])
def test_over_the_cap_every_page_is_exactly_the_newest_matches(app_ctx, org, found, monkeypatch, who, status,
                                                                 few):
    """Paged two at a time to the end: newest first, only what the user may see, each match once."""
    monkeypatch.setattr(inbox, "SEARCH_CAP", CAP)
    monkeypatch.setattr(inbox, "FEW", few)
    user = org[who]
    filters = InboxFilters(q="asunnottomuus", status=status)
    expected = newest_first(found, user, status)
    seen, number = [], 1
    while True:
        page, counts = inbox_page(user, filters, number, 2)
        seen += [r.id for r in page.items]
        if not page.has_next:
            break
        number += 1
    assert seen == expected
    visible = newest_first(found, user)
    if len(visible) <= CAP:
        assert counts.over is None and counts.total == len(visible)
        return
    assert counts.over == CAP and counts.total is None
    if status and len(expected) <= CAP:
        assert counts.page_total == page.total == len(expected)
        assert counts.by_status == {s: len(expected) if s.value == status else None for s in ReportStatus}
    else:
        assert counts.page_total is None and set(counts.by_status.values()) == {None}


def test_under_the_cap_the_counts_stay_exact(app_ctx, org, found, monkeypatch):
    monkeypatch.setattr(inbox, "SEARCH_CAP", len(found))
    page, counts = inbox_page(org["social_director"], InboxFilters(q="asunnottomuus"), 1, 25)
    assert counts.over is None and counts.total == counts.page_total == page.total == len(found)
    assert counts.by_status[ReportStatus.IN_HANDLING] == 3 and counts.by_status[ReportStatus.RECEIVED] == 6
    assert [r.id for r in page.items] == newest_first(found, org["social_director"])


def test_the_page_says_over_the_cap_in_finnish_and_english(app, org, found, monkeypatch):
    monkeypatch.setattr(inbox, "SEARCH_CAP", CAP)
    client = app.test_client()
    login(client, org["social_director"].email)
    html = client.get("/cases/", query_string={"q": "asunnottomuus"}).get_data(as_text=True)
    assert "Kaikki (yli 3)" in html and "Haku löysi yli 3 raporttia." in html
    assert "Käsittelyssä (" not in html, "a status over the cap is not counted"
    assert "Vie lista (yli 3 raporttia)" in html and "Sivu 1<" in html
    assert shown(html) == [r.number for r in sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)]
    html = client.get("/cases/", query_string={"q": "asunnottomuus", "status": "in_handling"}).get_data(as_text=True)
    assert "Käsittelyssä (3)" in html and "Kaikki (yli 3)" in html and "Sivu 1 / 1" in html

    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "en",
                                   "lang-next": "/"})
    html = client.get("/cases/", query_string={"q": "asunnottomuus"}).get_data(as_text=True)
    assert "All (over 3)" in html and "The search found over 3 reports." in html and "Page 1<" in html
    assert "Export the list (over 3 reports)" in html


def test_the_cap_is_written_as_a_number_of_the_language(app, org, found, monkeypatch):
    monkeypatch.setattr(inbox, "SEARCH_CAP", 1_000)
    monkeypatch.setattr(inbox, "_searched_counts", lambda *args: None)  # as if the search found over a thousand
    client = app.test_client()
    login(client, org["social_director"].email)
    html = client.get("/cases/", query_string={"q": "asunnottomuus"}).get_data(as_text=True)
    assert f"Kaikki (yli 1{NBSP}000)" in html and f"Haku löysi yli 1{NBSP}000 raporttia." in html
    for language, words in (("en", "All (over 1,000)"), ("sv", f"Alla (över 1{NBSP}000)")):
        client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": language,
                                       "lang-next": "/"})
        assert words in client.get("/cases/", query_string={"q": "asunnottomuus"}).get_data(as_text=True)


@pytest.mark.parametrize("who", ["social_director", "handler"])
def test_the_export_of_a_search_over_the_cap_holds_every_match(app, org, found, monkeypatch, who):
    monkeypatch.setattr(inbox, "SEARCH_CAP", CAP)
    client = app.test_client()
    login(client, org[who].email)
    numbers = {r.id: r.number for r in found}
    expected = [numbers[i] for i in newest_first(found, org[who])]
    response = client.get("/cases/export.csv", query_string={"q": "asunnottomuus"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == expected
    assert len(expected) > CAP
