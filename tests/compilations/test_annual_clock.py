"""The HYTE annual clock: occurrences, derived deadlines, term years and reminders."""
from __future__ import annotations

from datetime import date

from app.workflow.compilations.annual_clock import (
    DEFAULT_EVENTS,
    ClockEntry,
    adds_term_section,
    compilation_deadline,
    deadlines,
    due_reminders,
    effective_events,
    occurrences,
)
from app.workflow.compilations.periods import Period


def test_default_deadlines_follow_the_spec():
    h2 = compilation_deadline(Period(2025, 2), DEFAULT_EVENTS)
    assert h2.day == date(2026, 2, 28) and h2.event.code == "annual_report"
    h1 = compilation_deadline(Period(2026, 1), DEFAULT_EVENTS)
    assert h1.day == date(2026, 9, 30) and h1.event.code == "budget_and_plan"
    assert compilation_deadline(Period(2027, 2), DEFAULT_EVENTS).day == date(2028, 2, 29)  # leap year


def test_year_of_a_term_change_has_the_term_events():
    codes_2026 = {o.event.code for o in occurrences(DEFAULT_EVENTS, 2026)}
    codes_2029 = {o.event.code for o in occurrences(DEFAULT_EVENTS, 2029)}
    assert "extensive_report" not in codes_2026
    assert {"extensive_report", "extensive_report_council", "new_welfare_plan"} <= codes_2029
    days = [o.day for o in occurrences(DEFAULT_EVENTS, 2029)]
    assert days == sorted(days)


def test_the_last_compilation_of_a_term_adds_the_term_section():
    assert adds_term_section(Period(2028, 2), DEFAULT_EVENTS)
    assert not adds_term_section(Period(2028, 1), DEFAULT_EVENTS)
    assert not adds_term_section(Period(2026, 2), DEFAULT_EVENTS)
    assert adds_term_section(Period(2032, 2), DEFAULT_EVENTS)


def test_edited_events_move_the_deadline_and_a_short_month_clips_the_day():
    events = [ClockEntry("budget_and_plan", "Talousarvio", "yearly", 11, 30, 14)]
    deadline = compilation_deadline(Period(2026, 1), events)
    assert deadline.day == date(2026, 11, 16) and deadline.occurrence == date(2026, 11, 30)
    short = [ClockEntry("x", "X", "yearly", 2, 31, 0)]
    assert occurrences(short, 2026)[0].day == date(2026, 2, 28)
    assert compilation_deadline(Period(2026, 1), []) is None


def test_events_without_lead_make_no_deadline():
    assert [d.event.code for d in deadlines(DEFAULT_EVENTS, 2026)] == ["annual_report", "budget_and_plan"]


def test_a_municipality_overrides_the_county_by_code():
    own = ClockEntry("annual_report_council", "Kuopion valtuusto", "yearly", 6, 1, None, municipality_code="297")
    events = effective_events(DEFAULT_EVENTS, [own])
    assert len(events) == len(DEFAULT_EVENTS)
    assert [e.name for e in events if e.code == "annual_report_council"] == ["Kuopion valtuusto"]


def test_reminders_go_once_per_stage_and_make_up_for_a_missed_day():
    deadline = compilation_deadline(Period(2026, 1), DEFAULT_EVENTS)  # 30.9.2026
    stages = (30, 7)
    assert due_reminders([deadline], date(2026, 8, 30), stages, set()) == []
    assert due_reminders([deadline], date(2026, 8, 31), stages, set()) == [(deadline, 30)]
    sent = {("2026-H1", deadline.day, 30)}
    assert due_reminders([deadline], date(2026, 9, 1), stages, sent) == []
    assert due_reminders([deadline], date(2026, 9, 25), stages, sent) == [(deadline, 7)]
    # the job did not run in time: only the nearest stage goes out, the passed one never does
    assert due_reminders([deadline], date(2026, 9, 26), stages, set()) == [(deadline, 7)]
    assert due_reminders([deadline], date(2026, 9, 30), stages, set()) == [(deadline, 7)]
    assert due_reminders([deadline], date(2026, 10, 1), stages, set()) == []


def test_two_events_asking_for_one_compilation_on_one_day_make_one_deadline():
    found = deadlines(DEFAULT_EVENTS, 2029)
    assert [(d.period.code, d.day, d.event.code) for d in found] == [
        ("2028-H2", date(2029, 2, 28), "extensive_report"), ("2029-H1", date(2029, 9, 30), "budget_and_plan")]
