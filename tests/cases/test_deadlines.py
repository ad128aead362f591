"""Deadlines: Helsinki calendar days across daylight-saving changes, reminders, and the SQL twins."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from helpers import place

from app.codes import ReportStatus
from app.extensions import db
from app.models import Report
from app.workflow.cases.deadlines import (
    Deadline,
    DeadlineSettings,
    add_days,
    due_dates,
    due_soon_condition,
    is_overdue,
    next_due,
    next_due_column,
    notices_due,
    overdue_condition,
)

UTC = timezone.utc
SETTINGS = DeadlineSettings(first_handling_days=7, feedback_days=90, reminder_percents=(60, 80))
NAMED = "Nimetty Raportoija"
"""A named report's deadlines run from the minute it came; an anonymous report's are whole days."""


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Facts:
    """The fields the pure rules read, without a database."""

    created_at: datetime
    status: ReportStatus = ReportStatus.RECEIVED
    settings: DeadlineSettings = SETTINGS
    feedback_given_at: datetime | None = None
    is_anonymous: bool = False

    def __post_init__(self) -> None:
        self.first_handling_due_at, self.feedback_due_at = due_dates(self.created_at, self.settings,
                                                                     anonymous=self.is_anonymous)


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Autumn: clocks go back on 25.10.2026; 10.00 EEST (07.00 UTC) + 7 days is 10.00 EET (08.00 UTC).
        (utc(2026, 10, 20, 7), 7, utc(2026, 10, 27, 8)),
        # Spring: clocks go forward on 29.3.2026; 10.00 EET (08.00 UTC) + 7 days is 10.00 EEST (07.00 UTC).
        (utc(2026, 3, 25, 8), 7, utc(2026, 4, 1, 7)),
        # 3.30 on 29.3. does not exist in Helsinki: the deadline falls exactly seven days of 24 hours later.
        (utc(2026, 3, 22, 1, 30), 7, utc(2026, 3, 29, 1, 30)),
        # 3.30 on 25.10. happens twice: the first (summer-time) one is taken.
        (utc(2026, 10, 18, 0, 30), 7, utc(2026, 10, 25, 0, 30)),
        # No change in between: plain days.
        (utc(2026, 11, 2, 12), 7, utc(2026, 11, 9, 12)),
        # Across New Year, received late in the evening Helsinki time (already the 1st in Helsinki).
        (utc(2026, 12, 31, 22, 30), 7, utc(2027, 1, 7, 22, 30)),
    ],
)
def test_deadlines_count_calendar_days_on_the_helsinki_clock(received, days, due):
    assert add_days(received, days) == due


def test_feedback_deadline_across_the_autumn_change_is_one_hour_longer_in_utc():
    first, feedback = due_dates(utc(2026, 8, 24, 12), SETTINGS)
    assert first == utc(2026, 8, 31, 12)
    assert feedback == utc(2026, 11, 22, 13)  # 15.00 EEST then, 15.00 EET on the day


@pytest.mark.parametrize(
    ("status", "age", "expected"),
    [
        (ReportStatus.RECEIVED, timedelta(days=7), False),
        (ReportStatus.RECEIVED, timedelta(days=7, seconds=1), True),
        (ReportStatus.IN_HANDLING, timedelta(days=8), False),
        (ReportStatus.IN_HANDLING, timedelta(days=89), False),
        (ReportStatus.IN_HANDLING, timedelta(days=90, hours=1), False),  # the autumn change adds an hour
        (ReportStatus.IN_HANDLING, timedelta(days=90, hours=1, seconds=1), True),
        (ReportStatus.WAITING_FOR_REPORTER, timedelta(days=91), True),
        (ReportStatus.FORWARDED, timedelta(days=30), False),
        (ReportStatus.RESOLVED, timedelta(days=400), False),
        (ReportStatus.CLOSED, timedelta(days=400), False),
    ],
)
def test_overdue_rule_and_sql_agree(app_ctx, unit, status, age, expected, create_report):
    now = utc(2026, 11, 22, 12)
    report = create_report(unit, reporter_name=NAMED, now=now - age)
    place(report, status)  # test set-up
    db.session.commit()
    assert is_overdue(report, now) is expected
    found = db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(overdue_condition(now)))
    assert found == int(expected)


def test_filing_fixes_the_deadlines_from_the_settings_of_the_day(app, app_ctx, unit, monkeypatch, create_report):
    monkeypatch.setitem(app.config, "FIRST_HANDLING_DAYS", 3)
    received = utc(2026, 11, 2, 9)
    report = create_report(unit, reporter_name=NAMED, now=received)
    assert report.first_handling_due_at == utc(2026, 11, 5, 9)
    assert report.feedback_due_at == utc(2027, 1, 31, 9)
    monkeypatch.setitem(app.config, "FIRST_HANDLING_DAYS", 10)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Report, report.id).first_handling_due_at == utc(2026, 11, 5, 9)


@pytest.mark.parametrize(
    "received",
    [utc(2026, 11, 1, 22, 0), utc(2026, 11, 2, 9, 17), utc(2026, 11, 2, 21, 59)],  # 0.00, 11.17, 23.59 on 2.11.
)
def test_an_anonymous_reports_deadlines_end_with_a_day_whatever_its_minute(received):
    """The day of receipt is not counted and the time ends with the last day, as the law counts time limits."""
    first, feedback = due_dates(received, SETTINGS, anonymous=True)
    assert first == utc(2026, 11, 9, 21, 59, 59)  # 9.11. 23.59.59 EET
    assert feedback == utc(2027, 1, 31, 21, 59, 59)
    facts = Facts(received, is_anonymous=True)
    sixty = utc(2026, 11, 1, 22) + (first - utc(2026, 11, 1, 22)) * 0.6  # from the start of the day, not the minute
    assert notices_due(facts, sixty - timedelta(seconds=1), SETTINGS) == []
    assert percents(notices_due(facts, sixty, SETTINGS)) == [(Deadline.FIRST_HANDLING, 60)]


def test_an_anonymous_reports_deadlines_across_the_autumn_change_end_at_midnight_helsinki_time():
    first, feedback = due_dates(utc(2026, 10, 20, 7), SETTINGS, anonymous=True)
    assert first == utc(2026, 10, 27, 21, 59, 59)  # EET after the change
    assert feedback == utc(2027, 1, 18, 21, 59, 59)


def test_an_anonymous_reports_overdue_rule_and_sql_agree(app_ctx, unit, create_report):
    report = create_report(unit, now=utc(2026, 11, 2, 9, 17))
    db.session.commit()
    count = sa.select(sa.func.count()).select_from(Report).where(overdue_condition(utc(2026, 11, 9, 22)))
    assert report.first_handling_due_at == utc(2026, 11, 9, 21, 59, 59)
    assert not is_overdue(report, utc(2026, 11, 9, 21, 59, 59))
    assert is_overdue(report, utc(2026, 11, 9, 22)) and db.session.scalar(count) == 1


def test_next_due_and_its_sql_twin_sort_and_filter_alike(app_ctx, unit, create_report):
    now = utc(2026, 11, 22, 12)
    ages = {"received_new": (ReportStatus.RECEIVED, 1), "received_late": (ReportStatus.RECEIVED, 10),
            "handling": (ReportStatus.IN_HANDLING, 85), "waiting": (ReportStatus.WAITING_FOR_REPORTER, 20),
            "closed": (ReportStatus.CLOSED, 5)}
    reports = {}
    for name, (status, days) in ages.items():
        report = create_report(unit, description=name, now=now - timedelta(days=days))
        place(report, status)  # test set-up
        reports[name] = report
    db.session.commit()
    assert next_due(reports["closed"]) is None
    assert next_due(reports["received_new"]) == reports["received_new"].first_handling_due_at
    assert next_due(reports["handling"]) == reports["handling"].feedback_due_at

    due = next_due_column()
    ordered = db.session.scalars(sa.select(Report.description).order_by(due.is_(None), due)).all()
    expected = sorted(reports, key=lambda n: (next_due(reports[n]) is None, next_due(reports[n]) or now))
    assert ordered == expected == ["received_late", "handling", "received_new", "waiting", "closed"]

    soon = db.session.scalars(sa.select(Report.description).where(due_soon_condition(now, timedelta(days=7)))
                              .order_by(Report.id)).all()
    assert soon == ["received_new", "handling"]  # received_late has passed its deadline: it is overdue, not soon


def percents(notices) -> list[tuple[Deadline, int | None]]:  # type: ignore[no-untyped-def]
    return [(n.deadline, n.percent) for n in notices]


RECEIVED = utc(2026, 11, 2, 10)  # no daylight-saving change within the first week


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(0), []),
        (timedelta(days=4, hours=4, minutes=47), []),  # 59.9 % of a week
        (timedelta(days=4, hours=4, minutes=48), [(Deadline.FIRST_HANDLING, 60)]),  # exactly 60 %
        (timedelta(days=5, hours=15), [(Deadline.FIRST_HANDLING, 80)]),  # past 80 %: the latest point only
        (timedelta(days=7), [(Deadline.FIRST_HANDLING, 80)]),  # due now, not yet late
        (timedelta(days=7, seconds=1), [(Deadline.FIRST_HANDLING, None)]),
        (timedelta(days=60), [(Deadline.FIRST_HANDLING, None), (Deadline.FEEDBACK, 60)]),
    ],
)
def test_what_is_due_across_the_first_deadline(elapsed, expected):
    assert percents(notices_due(Facts(RECEIVED), RECEIVED + elapsed, SETTINGS)) == expected


def test_handling_ends_the_first_deadline_and_closing_ends_both():
    in_handling = Facts(RECEIVED, ReportStatus.IN_HANDLING)
    assert percents(notices_due(in_handling, RECEIVED + timedelta(days=6), SETTINGS)) == []
    assert percents(notices_due(in_handling, RECEIVED + timedelta(days=73), SETTINGS)) == [(Deadline.FEEDBACK, 80)]
    assert percents(notices_due(in_handling, RECEIVED + timedelta(days=91), SETTINGS)) == [(Deadline.FEEDBACK, None)]
    for status in (ReportStatus.RESOLVED, ReportStatus.CLOSED):
        assert notices_due(Facts(RECEIVED, status), RECEIVED + timedelta(days=200), SETTINGS) == []


def test_reminder_points_follow_the_settings():
    settings = DeadlineSettings(first_handling_days=10, feedback_days=90, reminder_percents=(50,))
    facts = Facts(RECEIVED, settings=settings)
    assert percents(notices_due(facts, RECEIVED + timedelta(days=5), settings)) == [(Deadline.FIRST_HANDLING, 50)]
    assert percents(notices_due(facts, RECEIVED + timedelta(days=9), settings)) == [(Deadline.FIRST_HANDLING, 50)]


def test_reminder_times_are_shares_of_the_real_time_across_daylight_saving():
    """A week that contains the autumn change lasts 169 hours; 60 % of it is 101.4 hours."""
    received = utc(2026, 10, 22, 9)
    facts = Facts(received)
    assert facts.first_handling_due_at - received == timedelta(hours=169)
    sixty = received + timedelta(hours=169 * 0.6)
    assert notices_due(facts, sixty - timedelta(seconds=1), SETTINGS) == []
    assert percents(notices_due(facts, sixty, SETTINGS)) == [(Deadline.FIRST_HANDLING, 60)]


def test_notice_keys_name_report_deadline_and_point():
    late, warning = notices_due(Facts(RECEIVED), RECEIVED + timedelta(days=60), SETTINGS)
    assert late.key(42) == "overdue:42:first_handling"
    assert warning.key(42) == "reminder:42:feedback:60"


def test_feedback_given_ends_the_feedback_deadline_while_the_report_stays_open():
    given = Facts(RECEIVED, ReportStatus.FORWARDED, feedback_given_at=RECEIVED + timedelta(days=20))
    assert notices_due(given, RECEIVED + timedelta(days=200), SETTINGS) == []
    assert next_due(given) is None and not is_overdue(given, RECEIVED + timedelta(days=200))


@pytest.mark.parametrize(("action", "note", "public", "expected"), [
    ("take_forward", None, True, True),
    ("resolve", "Ratkaistu.", True, True),
    ("close", "Ei toimenpiteitä.", True, True),
    ("add_note", "Selvitämme asiaa kunnan kanssa.", True, True),
    ("add_note", "Sisäinen muistiinpano.", False, False),
    ("start_handling", None, True, False),
    ("start_handling", "Raportti on otettu käsittelyyn.", True, False),  # the note of starting says nothing done
    ("ask_reporter", "Koskeeko tämä myös nuoria?", True, False),
    ("reopen", None, True, False),
])
def test_what_counts_as_feedback_to_the_reporter(action, note, public, expected):
    from app.workflow.cases.deadlines import gives_feedback
    from app.workflow.cases.transitions import TRANSITIONS, Action

    assert gives_feedback(TRANSITIONS[Action(action)], note, public) is expected


def test_a_public_note_stops_the_overdue_flag_in_sql_too(app_ctx, org, create_report):
    from app.workflow.cases.operations import perform
    from app.workflow.cases.transitions import Action

    now = utc(2026, 11, 22, 12)
    report = create_report(org["unit"], now=now - timedelta(days=100))
    perform(Action.START_HANDLING, report, org["handler"], now=now - timedelta(days=99))
    db.session.commit()
    count = sa.select(sa.func.count()).select_from(Report).where(overdue_condition(now))
    assert db.session.scalar(count) == 1
    perform(Action.ADD_NOTE, report, org["handler"], note="Asia on viety kunnan HYTE-ryhmään.", is_public=True, now=now)
    db.session.commit()
    assert report.feedback_given_at == now and not is_overdue(report, now)
    assert db.session.scalar(count) == 0
