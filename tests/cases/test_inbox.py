"""The inbox's theme and municipality filters: the page, its order and the tabs' counts against the rules read
plainly from the reports, for every combination (the page and the counts are different queries)."""
from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from helpers import login

from app.codes import Nature, ReportStatus
from app.extensions import db
from app.models import Municipality, Report, Theme
from app.workflow.cases import inbox
from app.workflow.cases.deadlines import next_due_column
from app.workflow.cases.inbox import InboxFilters, inbox_page
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.core.permissions import can_view

KUOPIO, VARKAUS, IISALMI = "297", "915", "140"
THEMES = ("", "housing", "income", "employment_and_education", "no-such-theme")
MUNICIPALITIES = ("", KUOPIO, VARKAUS, IISALMI, "999")
STATUSES = ("", ReportStatus.RECEIVED.value, ReportStatus.IN_HANDLING.value, ReportStatus.RESOLVED.value)
SORTS = ("", "oldest", "deadline")
PER_PAGE = 2


@pytest.fixture
def reports(org, create_report):  # type: ignore[no-untyped-def]
    """Reports of both units with one or two themes or none, named municipalities or the whole county, in
    three statuses. One whole-county report also names Kuopio (filing never stores both, the model allows
    it): it must be found and counted once. Two reports share their filing moment (the id decides)."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    places = {m.code: m for m in db.session.scalars(sa.select(Municipality))}
    housing, income = themes["housing"], themes["income"]
    kuopio, varkaus, iisalmi = places[KUOPIO], places[VARKAUS], places[IISALMI]
    specs = [
        (org["unit"], [housing], [kuopio], False),
        (org["unit"], [housing], [], True),
        (org["unit"], [housing], [varkaus], False),
        (org["unit"], [income], [kuopio], False),
        (org["unit"], [housing, income], [kuopio, varkaus], False),
        (org["unit"], [], [], False),  # filing gives it the unit's municipality, Kuopio
        (org["unit"], [income], [], True),
        (org["other_unit"], [housing], [iisalmi], False),
        (org["other_unit"], [housing], [], False),  # the other unit's municipality, Varkaus
        (org["other_unit"], [housing, income], [], True),
        (org["other_unit"], [income], [kuopio, iisalmi], False),
    ]
    filed = [create_report(unit, nature=Nature.NEGATIVE, description=f"Raportti {n}.", themes=chosen,
                           municipalities=named, whole_county=whole)
             for n, (unit, chosen, named, whole) in enumerate(specs)]
    filed[1].municipalities.append(kuopio)
    start = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    for n, report in enumerate(filed):
        report.created_at = start + timedelta(hours=n if n != 4 else 3)
    for report in filed[::3]:
        perform(Action.START_HANDLING, report, org["social_director"])
    for report in filed[::6]:
        perform(Action.RESOLVE, report, org["social_director"], note="Ratkaistu.")
    db.session.commit()
    assert filed[1].whole_county and [m.code for m in filed[1].municipalities] == [KUOPIO]
    return filed


def _expected(user, reports: list[Report], theme: str, municipality: str,  # type: ignore[no-untyped-def]
              status: str, sort: str) -> tuple[list[int], dict[ReportStatus, int]]:
    """The reports' ids in page order and the counts per status, read from the reports themselves."""
    due = dict(db.session.execute(sa.select(Report.id, next_due_column())).all())
    chosen = [r for r in reports if can_view(user, r)
              and (not theme or theme in {t.code for t in r.themes})
              and (not municipality or r.whole_county or municipality in {m.code for m in r.municipalities})]
    counts = {s: sum(r.status == s for r in chosen) for s in ReportStatus}
    shown = [r for r in chosen if not status or r.status.value == status]
    if sort == "deadline":
        shown.sort(key=lambda r: (due[r.id] is None, due[r.id] or 0, r.id))
    else:
        shown.sort(key=lambda r: (r.created_at, r.id), reverse=sort != "oldest")
    return [r.id for r in shown], counts


@pytest.mark.parametrize("few", [0, inbox.FEW], ids=["walking", "looking-up"])
@pytest.mark.parametrize("who", ["social_director", "handler"])
def test_theme_and_municipality_filters_match_the_rules_on_every_page_and_tab(app_ctx, org, reports, who, few,
                                                                               monkeypatch):
    """Both ways to find a page: walking the reports in order (many matches) and looking them up (few)."""
    monkeypatch.setattr(inbox, "FEW", few)
    user = org[who]
    for theme, municipality, status, sort in itertools.product(THEMES, MUNICIPALITIES, STATUSES, SORTS):
        filters = InboxFilters(theme=theme, municipality=municipality, status=status, sort=sort)
        ids, counts = _expected(user, reports, theme, municipality, status, sort)
        pages = max(1, math.ceil(len(ids) / PER_PAGE))
        seen = []
        for number in range(1, pages + 1):
            page, tabs = inbox_page(user, filters, number, PER_PAGE)
            assert tabs.by_status == counts, filters
            assert page.total == len(ids) and page.pages == (pages if ids else 0), filters
            seen += [report.id for report in page.items]
        assert seen == ids, filters


def test_a_whole_county_report_concerns_every_municipality_and_is_counted_once(app_ctx, org, reports):
    """"Concerns Kuopio" is Kuopio among the report's municipalities or the whole county."""
    director = org["social_director"]
    for municipality in (KUOPIO, VARKAUS, IISALMI, "999"):
        page, counts = inbox_page(director, InboxFilters(theme="housing", municipality=municipality), 1, 50)
        whole_county = {r.id for r in reports if r.whole_county and "housing" in {t.code for t in r.themes}}
        assert whole_county <= {r.id for r in page.items}, municipality
        assert len(page.items) == len({r.id for r in page.items}) == sum(counts.by_status.values()) == page.total
    page, _ = inbox_page(director, InboxFilters(theme="housing", municipality=KUOPIO), 1, 50)
    assert [r.id for r in page.items] == [reports[i].id for i in (9, 4, 1, 0)]


def test_the_inbox_page_shows_the_tabs_of_a_theme_in_a_municipality(app, org, reports):
    client = app.test_client()
    login(client, org["social_director"].email)
    html = client.get(f"/cases/?theme=housing&municipality={KUOPIO}").get_data(as_text=True)
    assert "Kaikki (4)" in html and "Käsittelyssä (1)" in html and "Ratkaistu (1)" in html
    assert all(reports[i].number in html for i in (0, 1, 4, 9))
    assert not any(reports[i].number in html for i in (2, 3, 5, 6, 7, 8, 10))
